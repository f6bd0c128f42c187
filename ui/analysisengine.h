// Runs Filter -> Selection -> OverviewResult on the thread pool and hands results back on the GUI thread by a
// queued signal. A newer request supersedes an older one: the older job is told to stop and its result, if it
// still arrives, is dropped (job id). The last few results are kept: a filter seen moments ago (back, reset,
// the other grain) is answered at once. The per-dataset FacetIndex is built once, on the pool, before the first job,
// and each grain's OverviewIndex before the first job at that grain.
#pragma once

#include <QObject>

#include <array>
#include <atomic>
#include <memory>

#include "dataset.h"
#include "filter.h"
#include "grain.h"
#include "overview.h"
#include "overviewindex.h"
#include "recentresults.h"
#include "selection.h"

namespace ps {

struct AnalysisResult {
    Filter filter;
    Grain grain = Grain::Request;
    Selection selection;
    OverviewResult overview;
    double computeMs = 0;  // selection + overview, on the worker
    bool fromCache = false;  // a result computed earlier for the same filter and grain, shown again
};
using AnalysisResultPtr = std::shared_ptr<const AnalysisResult>;

class AnalysisEngine : public QObject {
    Q_OBJECT

public:
    explicit AnalysisEngine(QObject* parent = nullptr);
    ~AnalysisEngine() override;

    void setDataset(DatasetPtr dataset);
    [[nodiscard]] const DatasetPtr& dataset() const { return dataset_; }
    [[nodiscard]] std::shared_ptr<const FacetIndex> index() const { return index_; }
    // Starts a recompute; the result arrives by resultReady unless a newer request comes first.
    void request(const Filter& filter, Grain grain);
    [[nodiscard]] bool isBusy() const { return pending_ != 0; }

Q_SIGNALS:
    void resultReady(ps::AnalysisResultPtr result);
    void busyChanged(bool busy);

private:
    DatasetPtr dataset_;
    std::shared_ptr<const FacetIndex> index_;
    std::array<std::shared_ptr<const OverviewIndex>, 2> overviewIndex_;  // per grain
    std::shared_ptr<std::atomic<bool>> cancel_;
    quint64 job_ = 0;
    int pending_ = 0;
    RecentResults<AnalysisResult> recent_;
};

}  // namespace ps

Q_DECLARE_METATYPE(ps::AnalysisResultPtr)
