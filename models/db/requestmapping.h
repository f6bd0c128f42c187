// Where PromptScope's request fields live in a log database, as SQL expressions over one FROM clause, so that
// aggregation in the database (counts, rates, percentiles, histograms, time series) and the drill-down lists are
// written once for every table shape: LiteLLM's SpendLogs here, PromptScope's own tables (ownschemamapping.h)
// and a user's custom SELECT (customselectmapping.h) fill the same struct. One row of the FROM clause is one
// request; its LLM calls are the same row (LiteLLM) or rows joined to it (CallColumns) for the generation grain.
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
    EpochMicros,   // a number of microseconds since 1970
    EpochNanos,    // an integer of nanoseconds since 1970 (PromptScope's own start_ns): bound as an integer
    TimestampTz,   // PostgreSQL timestamp with time zone (the session is in UTC): bound as UTC text
};

// The LLM calls of a request for the generation grain, when they are not simply the request's own row: the
// rows of `join` (appended to RequestMapping::from, which keeps its alias) that pass `condition`. The filter
// still applies to the request (as in memory: requests are selected, then expanded into their calls); these
// expressions describe each call. The dimensions other than model, provider, prompt and version are the
// request's, as in memory.
struct CallColumns {
    std::string join;       // " JOIN ps_spans g ON ..."; empty when the calls are the request rows themselves
    std::string condition;  // which joined (or own) rows are LLM calls; empty: all
    std::string startSeconds;
    std::string latencyMs;
    std::string error;       // boolean condition
    std::string errorClass;  // integer 0..6 on failed calls; empty: 6
    std::string refusal;     // boolean condition; empty: never
    std::string inputTokens, outputTokens, cachedTokens;
    std::string costUsd;     // NULL for an unknown cost
    std::string evalPass, evalFail;  // integers: eval results about this call; empty: none
    std::string model, provider, promptName, promptVersion;

    [[nodiscard]] bool present() const { return !startSeconds.empty(); }
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
    // Boolean: some LLM call of the request has no known cost (the report's count of such rows); empty: the
    // cost is NULL.
    std::string costUnknown;

    // Evals and explicit feedback, for the eval pass rate and thumbs-down tiles; empty: the table has none.
    std::string evalPass, evalFail;    // integers: the request's passed and failed eval results
    std::string thumbsUp, thumbsDown;  // boolean conditions
    // The text filter searches errorText on every row, not only failed ones: set when errorText gathers every
    // failed span of the request (a tool call that failed inside a request that recovered).
    bool errorTextOfAnyRow = false;

    // The generation grain; absent (the default): one row is one request and one LLM call.
    CallColumns calls;

    // A statement whose one value is how many rows loading the source would read, when that is not the number
    // of requests (PromptScope's own tables: their spans); empty: the requests. The mode follows it.
    std::string loadRowsSql;
    // What one of the FROM clause's rows is, for the status line: "rows" or "requests".
    std::string rowNoun = "rows";

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
// what was looked for: PromptScope's own tables (ps_requests with ps_spans; refused when written by a newer
// schema version), else LiteLLM SpendLogs (its name matched case-insensitively).
std::optional<RequestMapping> detectRequestMapping(Connection& connection, std::string* error);

// A time bound (nanoseconds since 1970) as the parameter value the mapping's start column compares with.
Value timeParameter(const RequestMapping& mapping, int64_t ns);
// The same for any column that stores time as `storage` says.
Value timeValue(TimeStorage storage, int64_t ns);

// Nanoseconds per unit of an epoch number storage (1e9 for seconds ... 1 for nanoseconds); 0 for text and
// timestamp storages.
double epochUnitNs(TimeStorage storage);

// The mapping's expression of a numeric field, or the SQL literal fallback when the table has none.
std::string orLiteral(const std::string& expression, std::string_view fallback);

}  // namespace ps::db
