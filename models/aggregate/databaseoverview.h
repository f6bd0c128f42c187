// The overview page's figures computed by the database instead of from rows in memory, for tables too large to
// load: the same OverviewResult (KPIs with the previous period, time series, log-binned histograms, tokens,
// breakdowns) and the sidebar's counts, from a handful of GROUP BY queries with the filter as a WHERE clause.
//
// Definitions are those of computeOverview (overview.h): percentiles are type 7 (percentile_cont on PostgreSQL,
// ps_distribution on SQLite), histogram edges come from logHistogramEdges, time buckets from bucketFor. One row of
// the mapping is one request and one LLM call, so both grains give the same rows.
#pragma once

#include <array>
#include <atomic>
#include <string>
#include <utility>
#include <vector>

#include "dbconnection.h"
#include "filter.h"
#include "grain.h"
#include "overview.h"
#include "requestmapping.h"

namespace ps {

// The sidebar's counts: per dimension its values (most frequent first, at most kMaxFacetValues; "(none)" for
// rows without one) with the rows each would give under the other filters, and how many values there are.
struct DatabaseFacets {
    std::array<std::vector<std::pair<std::string, uint64_t>>, kDimensionCount> values;
    std::array<uint64_t, kDimensionCount> valueCount{};
    std::array<uint64_t, 3> statusCounts{};  // any status, ok, error (under the other filters)
};

struct DatabaseOverview {
    OverviewResult overview;
    DatabaseFacets facets;
    std::string error;  // empty on success; "the query was interrupted" when cancelled
    int queries = 0;    // statements run, for the status line and benchmarks
    std::vector<std::pair<std::string, double>> statementMs;  // each statement's SQL and wall time, for benchmarks
};

// The first and last request start and the row count, for the time controls and the mode decision.
struct DatabaseExtent {
    uint64_t rows = 0;
    int64_t firstNs = 0;
    int64_t lastNs = 0;
    uint64_t spans = 0;  // rows loading would read, when the mapping says (RequestMapping::loadRowsSql); else 0

    // What the aggregation threshold is compared with: what loading the source would read.
    [[nodiscard]] uint64_t rowsToLoad() const { return spans > 0 ? spans : rows; }
};

// One statement over the whole table (the start column's index answers the range), and the mapping's count of
// rows to load when it has one; false with *error.
bool databaseExtent(db::Connection& connection, const db::RequestMapping& mapping, DatabaseExtent* out,
                    std::string* error);

// cancel: checked between statements (Connection::interrupt stops the one running).
DatabaseOverview computeDatabaseOverview(db::Connection& connection, const db::RequestMapping& mapping,
                                         const Filter& filter, Grain grain, const std::atomic<bool>* cancel = nullptr);

// A start time as stored (ISO text, a PostgreSQL timestamp's text or epoch seconds/milliseconds) in nanoseconds
// since 1970; false when it cannot be read.
bool parseStoredTime(const db::RequestMapping& mapping, const db::Row& row, int column, int64_t* ns);

}  // namespace ps
