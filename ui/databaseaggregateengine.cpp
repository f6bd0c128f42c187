#include "databaseaggregateengine.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QSettings>
#include <QThreadPool>

namespace ps {
namespace {

uint64_t thresholdOverride = 0;

// The result as the overview page and the sidebar take it: facet values become strings of a row-less Dataset.
std::pair<AnalysisResultPtr, DatasetPtr> toAnalysisResult(DatabaseOverview&& db, const Filter& filter, Grain grain,
                                                          const DatabaseSourceInfo& source, double ms) {
    auto labels = std::make_shared<Dataset>();
    labels->sources.push_back(SourceInfo{source.display, SourceFormat::Database, 0, 0});
    auto result = std::make_shared<AnalysisResult>();
    result->filter = filter;
    result->grain = grain;
    result->overview = std::move(db.overview);
    result->computeMs = ms;
    Selection& sel = result->selection;
    for (size_t k = 0; k < kDimensionCount; ++k) {
        for (const auto& [value, count] : db.facets.values[k]) {
            const StringId id = value == "(none)" ? StringId{} : labels->strings.intern(value);
            sel.facets[k].push_back(FacetValue{id, static_cast<uint32_t>(std::min<uint64_t>(count, UINT32_MAX))});
        }
        sel.valueCount[k] = static_cast<uint32_t>(std::min<uint64_t>(db.facets.valueCount[k], UINT32_MAX));
    }
    for (size_t s = 0; s < 3; ++s) {
        sel.statusCounts[s] = static_cast<uint32_t>(std::min<uint64_t>(db.facets.statusCounts[s], UINT32_MAX));
    }
    sel.dataBeginNs = source.extent.firstNs;
    sel.dataEndNs = source.extent.lastNs;
    return {std::move(result), std::move(labels)};
}

}  // namespace

DatabaseAggregateEngine::DatabaseAggregateEngine(QObject* parent) : QObject(parent) {
    qRegisterMetaType<ps::DatabaseSourceInfoPtr>();
    qRegisterMetaType<ps::AnalysisResultPtr>();
    qRegisterMetaType<ps::DatasetPtr>();
}

DatabaseAggregateEngine::~DatabaseAggregateEngine() { stopRunning(); }

uint64_t DatabaseAggregateEngine::threshold() {
    if (thresholdOverride > 0) {
        return thresholdOverride;
    }
    return QSettings().value(QStringLiteral("database/aggregateAboveRows"),
                             static_cast<qulonglong>(kDefaultAggregateAboveRows)).toULongLong();
}

void DatabaseAggregateEngine::setThresholdOverride(uint64_t rows) { thresholdOverride = rows; }

void DatabaseAggregateEngine::stopRunning() {
    if (!running_) {
        return;
    }
    running_->cancel.store(true);
    const std::lock_guard lock(running_->mutex);
    if (running_->connection) {
        running_->connection->interrupt();
    }
}

void DatabaseAggregateEngine::open(const QString& source, const QString& customSelect) {
    QPointer<DatabaseAggregateEngine> self(this);
    const uint64_t limit = threshold();
    QThreadPool::globalInstance()->start([self, source = source.toStdString(), select = customSelect.toStdString(),
                                          limit] {
        DatabaseSource opened;
        std::string error;
        const bool aggregatable = openDatabaseSource(source, {}, &opened, &error, select);
        auto info = std::make_shared<DatabaseSourceInfo>();
        // A shape that cannot be aggregated in place (Langfuse, a custom SELECT of spans) is loaded row by row,
        // and the load reports a connection that fails.
        info->mode = DatabaseMode::LoadRows;
        if (aggregatable) {
            info->source = source;
            info->display = opened.display;
            info->mapping = opened.mapping;
            info->extent = opened.extent;
            info->threshold = limit;
            info->mode = chooseDatabaseMode(opened.extent.rowsToLoad(), limit);
            info->description = QString::fromStdString(describeMode(opened, info->mode, limit));
        }
        QMetaObject::invokeMethod(
            self,
            [self, info = DatabaseSourceInfoPtr(info)] {
                if (self) {
                    Q_EMIT self->opened(info);
                }
            },
            Qt::QueuedConnection);
    });
}

void DatabaseAggregateEngine::setSource(DatabaseSourceInfoPtr source) {
    stopRunning();
    source_ = std::move(source);
}

void DatabaseAggregateEngine::request(const Filter& filter, Grain grain) {
    if (!source_) {
        return;
    }
    stopRunning();
    auto running = std::make_shared<Running>();
    running_ = running;
    const quint64 job = ++job_;
    if (pending_++ == 0) {
        Q_EMIT busyChanged(true);
    }
    QPointer<DatabaseAggregateEngine> self(this);
    QThreadPool::globalInstance()->start([self, job, running, source = source_, filter, grain] {
        QElapsedTimer clock;
        clock.start();
        DatabaseOverview db;
        std::string error;
        auto target = db::parseTarget(source->source);
        std::unique_ptr<db::Connection> connection =
            target ? db::openConnection(*target, {}, &error) : nullptr;
        if (!connection) {
            db.error = error.empty() ? std::string("not a database") : error;
        } else if (!running->cancel.load()) {
            {
                const std::lock_guard lock(running->mutex);
                running->connection = connection.get();
            }
            db = computeDatabaseOverview(*connection, source->mapping, filter, grain, &running->cancel);
            const std::lock_guard lock(running->mutex);
            running->connection = nullptr;
        }
        const bool done = !running->cancel.load() && db.error.empty();
        const QString message = QString::fromStdString(db.error);
        auto [result, labels] =
            toAnalysisResult(std::move(db), filter, grain, *source, static_cast<double>(clock.nsecsElapsed()) / 1e6);
        QMetaObject::invokeMethod(
            self,
            [self, job, done, message, result = std::move(result), labels = std::move(labels)] {
                if (!self) {
                    return;
                }
                if (--self->pending_ == 0) {
                    Q_EMIT self->busyChanged(false);
                }
                if (job != self->job_) {
                    return;  // superseded
                }
                if (done) {
                    Q_EMIT self->resultReady(result, labels);
                } else if (!message.isEmpty()) {
                    Q_EMIT self->failed(message);
                }
            },
            Qt::QueuedConnection);
    });
}

}  // namespace ps
