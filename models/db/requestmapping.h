// Where PromptScope's request fields live in a log database, as SQL expressions over one FROM clause, so that
// aggregation in the database (counts, rates, percentiles, histograms, time series) and the drill-down lists are
// written once for every table shape: LiteLLM's SpendLogs here, PromptScope's own ps_spans table and a user's
// custom SELECT by filling the same struct. One row of the FROM clause is one request (and one LLM call).
//
// Every expression is evaluated per row; an empty expression means the table has no such field (a dimension
// without values, zero tokens, no refusals). Values never appear in these texts: filters bind them as $N.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "dbconnection.h"

namespace ps::db {

// The request dimensions, in the order of ps::Dimension (filter.h); this library cannot include it.
inline constexpr size_t kMappedDimensionCount = 11;

// How the start-time column stores time, which decides how a time bound is bound as a parameter so that the
// comparison runs on the raw column (and its index).
enum class TimeStorage : uint8_t {
    Timestamp,     // PostgreSQL timestamp without time zone, UTC: bound as text 'YYYY-MM-DD HH:MM:SS.ffffff'
    IsoText,       // SQLite text 'YYYY-MM-DD HH:MM:SS[.fff...]' in UTC: bound as text of the same shape
    EpochSeconds,  // a number of seconds since 1970 (integer or real)
    EpochMillis,   // a number of milliseconds since 1970
};

struct RequestMapping {
    Dialect dialect = Dialect::Sqlite;
    std::string label;  // what the window and the report call the source's shape ("LiteLLM SpendLogs")
    std::string from;   // a quoted table name or "(SELECT ...) AS q"

    std::string id;    // text: request id, shown in lists and searched by the text filter
    std::string name;  // text: what the request did (searched by the text filter)

    std::string startColumn;  // the raw start column, compared with bound time parameters
    TimeStorage startStorage = TimeStorage::Timestamp;
    std::string startSeconds;  // integer: whole seconds since 1970 (floor), for time buckets
    std::string startMillis;   // number: milliseconds since 1970, for the data range and lists
    std::string latencyMs;     // number: end - start in milliseconds (rounded to the microsecond)

    std::string error;       // boolean condition: the request failed
    std::string errorClass;  // integer 0..6 as ps::ErrorClass, evaluated on failed rows only; empty: 6 (other)
    std::string errorText;   // text: error type and message, searched by the text filter
    std::string refusal;     // boolean condition: the model refused; empty: never

    std::string inputTokens;   // integers; empty: 0
    std::string outputTokens;
    std::string cachedTokens;
    std::string costUsd;  // number; NULL for an unknown cost

    // Per dimension (feature, prompt, version, model, provider, environment, tenant, tier, user, session, finish
    // reason): text, NULL or '' when the request has none.
    std::array<std::string, kMappedDimensionCount> dimensions;

    [[nodiscard]] bool hasDimension(size_t d) const { return !dimensions[d].empty(); }
};

// LiteLLM proxy's "LiteLLM_SpendLogs" (PostgreSQL as LiteLLM creates it; in SQLite, the same columns with
// times as ISO text). table: the table's name as found (unquoted).
RequestMapping liteLlmSpendLogs(Dialect dialect, std::string_view table = "LiteLLM_SpendLogs",
                                TimeStorage storage = TimeStorage::Timestamp);

// The mapping for the first table of a known shape the connection can read, or nullopt with *error saying
// what was looked for. Today: LiteLLM SpendLogs (its name matched case-insensitively).
std::optional<RequestMapping> detectRequestMapping(Connection& connection, std::string* error);

// A time bound (nanoseconds since 1970) as the parameter value the mapping's start column compares with.
Value timeParameter(const RequestMapping& mapping, int64_t ns);
// The same for any column that stores time as `storage` says.
Value timeValue(TimeStorage storage, int64_t ns);

// The mapping's expression of a numeric field, or the SQL literal fallback when the table has none.
std::string orLiteral(const std::string& expression, std::string_view fallback);

}  // namespace ps::db
