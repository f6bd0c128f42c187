// The Versions page: two or more versions of a prompt (or the requests before/after a deployment, canary vs
// baseline, model A vs model B) side by side. The comparison table with coloured verdicts and confidence
// intervals, the release rules with editable thresholds, overlaid latency and cost distributions (histograms and
// ECDFs on a shared log axis), and the release timeline (traffic share per version with deployments marked, and a
// chosen metric per version over time).
//
// It follows the sidebar: MainWindow passes the Dataset, its FacetIndex and the current Filter (setData), and the
// page computes on the thread pool (QtConcurrent; a newer job supersedes an older one by job id), only while it
// is shown. Drill-down: double-clicking a value asks for the requests behind it, as a Filter when one can say it
// (filterRequested), as a list of requests otherwise (requestsRequested); the context menu opens a single trace
// (traceRequested).
#pragma once

#include <QWidget>

#include <atomic>
#include <memory>

#include "filter.h"
#include "ids.h"
#include "selection.h"
#include "versionsanalysis.h"

class QComboBox;
class QLabel;
class QTableView;

namespace ps {

class ComparisonChooser;
class DeploymentMarkers;
class DistributionOverlayChart;
class ReleaseRulesPanel;
class TimeSeriesChart;
class InputPairsDialog;
class VersionComparisonModel;

class VersionsPage : public QWidget {
    Q_OBJECT

public:
    explicit VersionsPage(QWidget* parent = nullptr);
    ~VersionsPage() override;

    // index may be null (built on the worker). Recomputes now when shown, else when next shown.
    void setData(DatasetPtr dataset, std::shared_ptr<const FacetIndex> index, const Filter& base);
    [[nodiscard]] std::shared_ptr<const VersionsAnalysis> result() const { return result_; }
    [[nodiscard]] bool isBusy() const { return running_ > 0; }
    // The comparison on screen: the chosen side against the baseline.
    [[nodiscard]] const VersionComparison* shownComparison() const;

    // For tests and screenshots.
    [[nodiscard]] ComparisonChooser* chooser() const { return chooser_; }
    [[nodiscard]] QComboBox* candidateBox() const { return candidate_; }
    [[nodiscard]] VersionComparisonModel* model() const { return model_; }
    [[nodiscard]] QTableView* table() const { return table_; }
    [[nodiscard]] ReleaseRulesPanel* rules() const { return rules_; }
    [[nodiscard]] DistributionOverlayChart* latencyHistogram() const { return latencyHist_; }
    [[nodiscard]] DistributionOverlayChart* latencyEcdf() const { return latencyEcdf_; }
    [[nodiscard]] DistributionOverlayChart* costHistogram() const { return costHist_; }
    [[nodiscard]] DistributionOverlayChart* costEcdf() const { return costEcdf_; }
    [[nodiscard]] TimeSeriesChart* shareChart() const { return share_; }
    [[nodiscard]] TimeSeriesChart* metricChart() const { return metricChart_; }
    [[nodiscard]] QComboBox* timelineMetricBox() const { return timelineMetric_; }
    [[nodiscard]] DeploymentMarkers* shareMarkers() const { return shareMarks_; }
    [[nodiscard]] QLabel* summary() const { return summary_; }
    // What double-clicking a cell does (also used by the context menu).
    void drillDown(int row, int column);
    // Opens the dialog of requests of the baseline and the compared side that got the same user input.
    InputPairsDialog* showSameInputPairs();

Q_SIGNALS:
    void filterRequested(const ps::Filter& filter);
    void requestsRequested(const QString& title, const std::vector<uint32_t>& requests);
    void traceRequested(ps::RequestIndex request);
    void timeRangeSelected(int64_t beginNs, int64_t endNs);
    // Compare two traces (a same-input pair of the baseline and the compared side).
    void pairRequested(ps::RequestIndex a, ps::RequestIndex b);
    // A computation finished and is on screen.
    void resultShown();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void recompute();
    void showResult(std::shared_ptr<const VersionsAnalysis> result);
    void showComparison();
    void showTimelineMetric();
    void showMenu(const QPoint& pos);
    [[nodiscard]] size_t candidateSide() const;

    DatasetPtr dataset_;
    std::shared_ptr<const FacetIndex> index_;
    Filter base_;
    bool dirty_ = false;
    std::shared_ptr<const VersionsAnalysis> result_;
    std::shared_ptr<std::atomic<bool>> cancel_;
    quint64 job_ = 0;
    int running_ = 0;

    ComparisonChooser* chooser_;
    QLabel* busy_;
    QLabel* summary_;
    QComboBox* candidate_;
    VersionComparisonModel* model_;
    QTableView* table_;
    ReleaseRulesPanel* rules_;
    DistributionOverlayChart* latencyHist_;
    DistributionOverlayChart* latencyEcdf_;
    DistributionOverlayChart* costHist_;
    DistributionOverlayChart* costEcdf_;
    TimeSeriesChart* share_;
    TimeSeriesChart* metricChart_;
    QComboBox* timelineMetric_;
    DeploymentMarkers* shareMarks_;
    DeploymentMarkers* metricMarks_;
};

}  // namespace ps
