// The Outliers page: one table per kind of outlier (slowest, most expensive, lowest-scoring, most retried,
// longest agent loops, largest token users), each row saying where the request sits in its feature's
// distribution, where the tail is by feature and tenant tier, and similar failures grouped. Follows the
// sidebar's filter: each new selection starts a job on the thread pool (a newer one supersedes it), only while
// the page is shown. Double-click or Enter on a row asks for its trace.
#pragma once

#include <QWidget>

#include <array>
#include <atomic>
#include <memory>

#include "analysisengine.h"
#include "failuregroups.h"
#include "outliers.h"

class QLabel;
class QSpinBox;
class QTabWidget;
class QTableView;

namespace ps {

class FailureGroupModel;
class OutlierTableModel;
class TailModel;

class OutliersPage : public QWidget {
    Q_OBJECT

public:
    // What one job computes.
    struct Result {
        OutlierResult outliers;
        std::vector<FailureGroup> groups;
        double computeMs = 0;
    };

    explicit OutliersPage(QWidget* parent = nullptr);
    ~OutliersPage() override;

    // The data, its facet index and the sidebar's latest result; recomputes now when shown, else when next shown.
    void setInput(DatasetPtr dataset, std::shared_ptr<const FacetIndex> index, AnalysisResultPtr result);
    void showKind(OutlierKind kind);
    void showFailures();
    [[nodiscard]] bool isBusy() const { return pending_ > 0; }

    // For tests and screenshots.
    [[nodiscard]] OutlierTableModel* table(OutlierKind kind) const { return tables_[static_cast<size_t>(kind)]; }
    [[nodiscard]] QTableView* tableView(OutlierKind kind) const { return views_[static_cast<size_t>(kind)]; }
    [[nodiscard]] TailModel* tails(OutlierKind kind) const;
    [[nodiscard]] FailureGroupModel* failures() const { return failures_; }
    [[nodiscard]] QTableView* failureView() const { return failureView_; }
    [[nodiscard]] QSpinBox* limitBox() const { return limit_; }
    [[nodiscard]] QSpinBox* retryWindowBox() const { return retryWindow_; }
    [[nodiscard]] QLabel* tailHeadline(OutlierKind kind) const;

Q_SIGNALS:
    void traceRequested(ps::RequestIndex request);
    // A computation finished and is on screen.
    void resultShown();

protected:
    void showEvent(QShowEvent* event) override;

private:
    QWidget* buildKindTab(OutlierKind kind);
    QWidget* buildFailuresTab();
    void recompute();
    void showResult(const Result& result);
    void setBusy(bool busy);

    DatasetPtr dataset_;
    std::shared_ptr<const FacetIndex> index_;
    AnalysisResultPtr input_;
    bool stale_ = false;
    std::shared_ptr<std::atomic<bool>> cancel_;
    quint64 job_ = 0;
    int pending_ = 0;

    QLabel* heading_;
    QLabel* busy_;
    QSpinBox* limit_;
    QSpinBox* retryWindow_;
    QTabWidget* tabs_;
    std::array<OutlierTableModel*, kOutlierKindCount> tables_{};
    std::array<QTableView*, kOutlierKindCount> views_{};
    std::array<QLabel*, kOutlierKindCount> captions_{};
    // Per metric with a tail (slowest, most expensive, largest token users); null for the others.
    std::array<TailModel*, kOutlierKindCount> tailModels_{};
    std::array<QLabel*, kOutlierKindCount> tailHeadlines_{};
    FailureGroupModel* failures_;
    QTableView* failureView_;
    QLabel* failureCaption_;
};

}  // namespace ps
