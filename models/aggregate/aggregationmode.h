// When a log database is aggregated in place instead of loaded: above a row threshold (default 5 million,
// configurable in the settings and with --aggregate-above N on the command line) the pages ask the database for
// counts, percentiles, histograms and time series, and load only the rows a user drills into. Also opening such a
// source: the connection (read-only), its table's mapping and its extent, which decide the mode.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "databaseoverview.h"
#include "dbconnection.h"
#include "requestmapping.h"

namespace ps {

inline constexpr uint64_t kDefaultAggregateAboveRows = 5000000;

enum class DatabaseMode : uint8_t { LoadRows, Aggregate };

// Aggregate when the table has more rows than the threshold, or when asked to (report --aggregate).
DatabaseMode chooseDatabaseMode(uint64_t rows, uint64_t threshold, bool forceAggregate = false);

// An opened log database: what it is, how its rows map to requests, how many there are.
struct DatabaseSource {
    db::Target target;
    std::string display;  // the source without its password
    std::unique_ptr<db::Connection> connection;
    db::RequestMapping mapping;
    DatabaseExtent extent;
};

// Opens source read-only, finds its table (or maps customSelect, a SELECT whose columns are named after
// PromptScope's fields) and counts its rows; false with *error (a sentence for the user) when it cannot be
// aggregated in place, and then the source is loaded row by row.
bool openDatabaseSource(const std::string& source, const db::ConnectOptions& options, DatabaseSource* out,
                        std::string* error, const std::string& customSelect = {});

// "Aggregating in the database: 10,000,000 rows of LiteLLM SpendLogs (above 5,000,000)", "... 2,000,000
// requests (9,800,000 spans) in PromptScope's own tables ...": for the status line.
std::string describeMode(const DatabaseSource& source, DatabaseMode mode, uint64_t threshold);

}  // namespace ps
