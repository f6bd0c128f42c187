// Aggregation mode for the window: opens a log database on the thread pool, decides the mode from its row count
// and the threshold (settings key database/aggregateAboveRows, default 5 million; --aggregate-above N), and
// computes the overview in the database for each filter. A newer filter supersedes the running job: its cancel
// flag is set and its statement interrupted (Connection::interrupt), and its result, if one still arrives, is
// dropped (job id). Each job runs on its own read-only connection, so an interrupted one never blocks the next.
#pragma once

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <mutex>

#include "aggregationmode.h"
#include "analysisengine.h"
#include "sourceloadjob.h"  // declares DatasetPtr to the meta-type system

namespace ps {

// What the window shows about an opened database.
struct DatabaseSourceInfo {
    std::string source;  // as given (may carry a password; never shown)
    std::string display;
    db::RequestMapping mapping;
    DatabaseExtent extent;
    DatabaseMode mode = DatabaseMode::LoadRows;
    uint64_t threshold = kDefaultAggregateAboveRows;
    QString description;  // for the status line
};
using DatabaseSourceInfoPtr = std::shared_ptr<const DatabaseSourceInfo>;

class DatabaseAggregateEngine : public QObject {
    Q_OBJECT

public:
    explicit DatabaseAggregateEngine(QObject* parent = nullptr);
    ~DatabaseAggregateEngine() override;

    // The threshold from the settings, or the one given on the command line.
    static uint64_t threshold();
    static void setThresholdOverride(uint64_t rows);

    // Opens source on the pool (reading customSelect, when given, instead of detecting its tables); opened()
    // follows, in LoadRows mode when its shape cannot be aggregated in place (the load then reports a
    // connection that fails).
    void open(const QString& source, const QString& customSelect = {});
    // Aggregates source from now on (after opened() said so); null stops.
    void setSource(DatabaseSourceInfoPtr source);
    [[nodiscard]] const DatabaseSourceInfoPtr& source() const { return source_; }
    void request(const Filter& filter, Grain grain);

Q_SIGNALS:
    void opened(ps::DatabaseSourceInfoPtr info);
    void failed(const QString& message);
    // labels: a Dataset holding only the strings the selection's facets name (no rows).
    void resultReady(ps::AnalysisResultPtr result, ps::DatasetPtr labels);
    void busyChanged(bool busy);

private:
    struct Running {
        std::mutex mutex;
        db::Connection* connection = nullptr;  // the statement to interrupt, while the job holds it
        std::atomic<bool> cancel{false};
    };
    void stopRunning();

    DatabaseSourceInfoPtr source_;
    std::shared_ptr<Running> running_;
    quint64 job_ = 0;
    int pending_ = 0;
};

}  // namespace ps

Q_DECLARE_METATYPE(ps::DatabaseSourceInfoPtr)
