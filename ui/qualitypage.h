// The Quality page: eval results over time per eval name and prompt version (pass rate or mean score), eval
// totals per version, the score distribution of each judge dimension per version, user signals per feature with
// the survivorship-bias warning, and the sample-and-judge queue at a chosen rate. Follows the sidebar's filter
// like the Outliers page: one job on the thread pool per selection (newer supersedes older), only while shown;
// changing the rate recomputes the queue alone. Double-click or Enter on a queued request asks for its trace.
#pragma once

#include <QWidget>

#include <atomic>
#include <memory>
#include <vector>

#include "analysisengine.h"
#include "judgesampling.h"
#include "quality.h"

class QComboBox;
class QDoubleSpinBox;
class QHBoxLayout;
class QLabel;
class QTableView;

namespace ps {

class EvalSummaryModel;
class JudgeQueueModel;
class ScoreDistributionChart;
class ShareBarChart;
class SignalSummaryModel;
class TimeSeriesChart;

class QualityPage : public QWidget {
    Q_OBJECT

public:
    explicit QualityPage(QWidget* parent = nullptr);
    ~QualityPage() override;

    void setInput(DatasetPtr dataset, std::shared_ptr<const FacetIndex> index, AnalysisResultPtr result);
    [[nodiscard]] bool isBusy() const { return pending_ > 0; }
    // The sampling rate as a fraction (the spin box shows percent).
    [[nodiscard]] double samplingRate() const;
    void setSamplingRate(double fraction);

    // For tests and screenshots.
    [[nodiscard]] const QualityResult& result() const { return quality_; }
    [[nodiscard]] QLabel* biasWarning() const { return warning_; }
    [[nodiscard]] QComboBox* evalChooser() const { return evalChooser_; }
    [[nodiscard]] QComboBox* evalMetricChooser() const { return evalMetric_; }
    [[nodiscard]] TimeSeriesChart* evalChart() const { return evalChart_; }
    [[nodiscard]] EvalSummaryModel* evalSummary() const { return evalSummary_; }
    [[nodiscard]] SignalSummaryModel* signalSummary() const { return signals_; }
    [[nodiscard]] JudgeQueueModel* judgeQueue() const { return queue_; }
    [[nodiscard]] QTableView* judgeQueueView() const { return queueView_; }
    [[nodiscard]] QDoubleSpinBox* rateBox() const { return rate_; }
    [[nodiscard]] const std::vector<ScoreDistributionChart*>& dimensionCharts() const { return dimensionCharts_; }

Q_SIGNALS:
    void traceRequested(ps::RequestIndex request);
    // A computation (all of it, or the queue after a rate change) finished and is on screen.
    void resultShown();

protected:
    void showEvent(QShowEvent* event) override;

private:
    struct Result {
        QualityResult quality;
        JudgeQueue queue;
        double computeMs = 0;
    };

    QWidget* buildEvalSection(QWidget* parent);
    QWidget* buildSignalSection(QWidget* parent);
    QWidget* buildQueueSection(QWidget* parent);
    void recompute(bool queueOnly);
    void showResult(const Result& result, bool quality, bool queue);
    void showEvalSeries();
    void showDimensions();
    void showSignals();
    void showQueue(JudgeQueue queue);
    void setBusy(bool busy);

    DatasetPtr dataset_;
    std::shared_ptr<const FacetIndex> index_;
    AnalysisResultPtr input_;
    QualityResult quality_;
    bool stale_ = false;
    std::shared_ptr<std::atomic<bool>> cancel_;  // of the latest full job
    quint64 fullJob_ = 0;
    quint64 queueJob_ = 0;
    int pending_ = 0;

    QLabel* heading_;
    QLabel* busy_;
    QLabel* warning_;
    QLabel* evalTitle_;
    QComboBox* evalChooser_;
    QComboBox* evalMetric_;
    TimeSeriesChart* evalChart_;
    EvalSummaryModel* evalSummary_;
    QHBoxLayout* dimensionRow_;
    QLabel* noDimensions_;
    std::vector<ScoreDistributionChart*> dimensionCharts_;
    ShareBarChart* signalChart_;
    SignalSummaryModel* signals_;
    QDoubleSpinBox* rate_;
    QLabel* queueSummary_;
    JudgeQueueModel* queue_;
    QTableView* queueView_;
};

}  // namespace ps
