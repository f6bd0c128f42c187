#include "analysisengine.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QThreadPool>

namespace ps {

AnalysisEngine::AnalysisEngine(QObject* parent) : QObject(parent) {
    qRegisterMetaType<ps::AnalysisResultPtr>();
}

AnalysisEngine::~AnalysisEngine() {
    if (cancel_) {
        cancel_->store(true);
    }
}

void AnalysisEngine::setDataset(DatasetPtr dataset) {
    if (cancel_) {
        cancel_->store(true);
    }
    dataset_ = std::move(dataset);
    index_.reset();
    overviewIndex_ = {};
    recent_.clear();
}

void AnalysisEngine::request(const Filter& filter, Grain grain) {
    if (!dataset_) {
        return;
    }
    if (cancel_) {
        cancel_->store(true);  // the older job stops at its next check
    }
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    const quint64 job = ++job_;
    if (pending_++ == 0) {
        Q_EMIT busyChanged(true);
    }
    QPointer<AnalysisEngine> self(this);
    if (AnalysisResultPtr hit = recent_.find(filter, grain)) {
        auto again = std::make_shared<AnalysisResult>(*hit);
        again->fromCache = true;
        QMetaObject::invokeMethod(
            this,
            [self, job, result = AnalysisResultPtr(std::move(again))] {
                if (!self) {
                    return;
                }
                if (--self->pending_ == 0) {
                    Q_EMIT self->busyChanged(false);
                }
                if (job == self->job_) {
                    Q_EMIT self->resultReady(result);
                }
            },
            Qt::QueuedConnection);
        return;
    }
    auto cancel = cancel_;
    DatasetPtr data = dataset_;
    auto index = index_;
    const size_t g = grain == Grain::Request ? 0 : 1;
    auto rows = overviewIndex_[g];
    QThreadPool::globalInstance()->start([self, job, cancel, data, index, rows, g, filter, grain]() mutable {
        QElapsedTimer clock;
        clock.start();
        if (!index) {
            index = std::make_shared<const FacetIndex>(buildFacetIndex(*data));
        }
        if (!rows) {
            rows = std::make_shared<const OverviewIndex>(buildOverviewIndex(*data, *index, grain));
        }
        auto result = std::make_shared<AnalysisResult>();
        result->filter = filter;
        result->grain = grain;
        if (!cancel->load()) {
            result->selection = selectRequests(*data, *index, filter, cancel.get());
        }
        if (!cancel->load() && !result->selection.cancelled) {
            result->overview = computeOverview(*data, *index, *rows, filter, result->selection, cancel.get());
        }
        result->computeMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
        const bool done = !cancel->load() && !result->overview.cancelled;
        QMetaObject::invokeMethod(
            self,
            [self, job, index, rows, g, data, result = AnalysisResultPtr(std::move(result)), done] {
                if (!self) {
                    return;
                }
                if (self->dataset_ == data && !self->index_) {
                    self->index_ = index;
                }
                if (self->dataset_ == data && !self->overviewIndex_[g]) {
                    self->overviewIndex_[g] = rows;
                }
                if (--self->pending_ == 0) {
                    Q_EMIT self->busyChanged(false);
                }
                if (done && self->dataset_ == data) {
                    self->recent_.insert(result->filter, result->grain, result, result->overview.rows);
                }
                if (done && job == self->job_) {
                    Q_EMIT self->resultReady(result);
                }
            },
            Qt::QueuedConnection);
    });
}

}  // namespace ps
