// Drilling into a log database that is aggregated in place: the Overview is computed by the database, and the
// pages that need requests in memory load only the rows the user asks for, the rows matching the current filter
// (newest first, up to a limit; settings key database/drillDownRows, default 1,000,000) or the slowest rows of a
// breakdown group or histogram bar opened from the Overview. While such rows are shown, the banner says what
// they are and leads back to the whole database.
#pragma once

#include <QObject>
#include <QString>

#include <memory>
#include <optional>

#include "databaseaggregateengine.h"
#include "drilldown.h"

namespace ps {

class DatabaseDrillDown : public QObject {
    Q_OBJECT

public:
    explicit DatabaseDrillDown(QObject* parent = nullptr);

    // The most rows one drill-down loads; for the slowest of a group, the rows kept for its trace list.
    static uint64_t rowLimit();
    static constexpr uint64_t kSlowestRows = 1000;

    // Starts drilling out of `from` (the aggregated source): the subset to load; matching = how many rows the
    // filter matches, when the aggregate said so.
    std::shared_ptr<const db::RowSubset> begin(DatabaseSourceInfoPtr from, const Filter& filter, DrillOrder order,
                                               uint64_t limit, std::optional<uint64_t> matching);
    // The load of begin()'s rows ended: true when they are now shown (false: failed or cancelled).
    void finish(bool shown, size_t requestsLoaded);
    // Leaves the drilled rows: the source to aggregate again (null when none is drilled) and its filter.
    DatabaseSourceInfoPtr leave(Filter* filter);

    [[nodiscard]] bool isPending() const { return pending_; }
    [[nodiscard]] bool isActive() const { return from_ != nullptr && !pending_; }
    [[nodiscard]] const Filter& filter() const { return filter_; }

    // The banner while aggregating (on pages other than the Overview): what is missing and the button that
    // loads the rows; matching = the current filter's row count, when computed.
    static QString aggregatingText(const DatabaseSourceInfo& info);
    static QString loadButtonText(std::optional<uint64_t> matching);
    // The banner while drilled rows are shown, on every page.
    [[nodiscard]] QString drilledText() const;
    static QString backButtonText();
    // The subset the load button asks for under the current filter.
    static uint64_t rowsToLoad(uint64_t matching) { return std::min(matching, rowLimit()); }

private:
    DatabaseSourceInfoPtr from_;
    Filter filter_;
    DrillOrder order_ = DrillOrder::Newest;
    uint64_t limit_ = 0;
    std::optional<uint64_t> matching_;
    size_t loaded_ = 0;
    bool pending_ = false;
};

}  // namespace ps
