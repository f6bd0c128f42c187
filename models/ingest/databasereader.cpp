#include "databasereader.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <thread>

#include "attributemapper.h"
#include "conversation.h"
#include "fieldrow.h"
#include "ownschemareader.h"
#include "sqliteaggregates.h"
#include "traceids.h"

namespace ps {
namespace {

using db::quoteIdentifier;

constexpr size_t kRowsPerBatch = 65536;

// "alias" for a column the table has, NULL otherwise: the SELECT runs on every version of the table.
std::string column(const DatabaseTable& table, std::string_view name, std::string_view alias,
                   std::string_view prefix = {}) {
    if (!table.has(name)) {
        return "NULL AS " + std::string(alias);
    }
    return std::string(prefix) + quoteIdentifier(name) + " AS " + std::string(alias);
}

// from: the table, or a subset of its rows under the table's name.
std::string liteLlmSelect(const DatabaseTable& t, const std::string& from) {
    // A proxy without user tracking leaves "user" empty and may still know the end user.
    std::string user = column(t, "user", "user_id");
    if (t.has("user") && t.has("end_user")) {
        user = "COALESCE(NULLIF(\"user\", ''), end_user) AS user_id";
    }
    return "SELECT " + column(t, "request_id", "trace_id") + ", " + column(t, "startTime", "start_time") +
           ", " + column(t, "endTime", "end_time") + ", " + column(t, "call_type", "name") +
           ", 'llm' AS kind, " + column(t, "status", "status") + ", " + column(t, "model", "model") + ", " +
           column(t, "custom_llm_provider", "provider") + ", " + user + ", " +
           column(t, "session_id", "session_id") + ", " + column(t, "team_id", "team") + ", " +
           column(t, "prompt_tokens", "input_tokens") + ", " +
           column(t, "completion_tokens", "output_tokens") + ", " + column(t, "spend", "cost_usd") + ", " +
           column(t, "completionStartTime", "completion_start_time") + ", " +
           column(t, "metadata", "metadata") + ", " + column(t, "request_tags", "tags") + " FROM " + from;
}

// A SELECT's WHERE clause on a trace id column, or nothing: `in` is " IN ($1, ...)" when only some traces are
// read (live refresh re-reads the traces it found changed), empty for the whole table.
std::string traceCondition(std::string_view keyword, std::string_view column, const std::string& in) {
    return in.empty() ? std::string() : " " + std::string(keyword) + " " + std::string(column) + in;
}

// One span per Langfuse trace, over its observations' extent as Langfuse computes a trace's latency; it fails
// when one of its observations has level ERROR.
std::string langfuseTraceSelect(const DatabaseTable& t, const DatabaseTable& obs, const std::string& in = {}) {
    return "SELECT t.id AS trace_id, t.id AS span_id, COALESCE(a.first_start, t." +
           quoteIdentifier("timestamp") + ") AS start_time, a.last_end AS end_time, " +
           column(t, "name", "name", "t.") +
           ", 'trace' AS kind, CASE WHEN a.errors > 0 THEN 'error' END AS status, " +
           column(t, "user_id", "user_id", "t.") + ", " + column(t, "session_id", "session_id", "t.") + ", " +
           column(t, "version", "prompt_version", "t.") + ", " +
           column(t, "environment", "environment", "t.") + ", " + column(t, "tags", "tags", "t.") + ", " +
           column(t, "metadata", "metadata", "t.") +
           " FROM traces t LEFT JOIN (SELECT trace_id, min(start_time) AS first_start, "
           "max(COALESCE(end_time, start_time)) AS last_end, " +
           (obs.has("level") ? "sum(CASE WHEN level = 'ERROR' THEN 1 ELSE 0 END)" : std::string("0")) +
           " AS errors FROM observations" + traceCondition("WHERE", "trace_id", in) +
           " GROUP BY trace_id) a ON a.trace_id = t.id" + traceCondition("WHERE", "t.id", in);
}

std::string langfuseObservationSelect(const DatabaseSchema& schema, const std::string& in = {}) {
    const DatabaseTable& o = *schema.table("observations");
    std::string cost = "NULL AS cost_usd";
    if (o.has("calculated_total_cost") && o.has("total_cost")) {
        cost = "COALESCE(o.calculated_total_cost, o.total_cost) AS cost_usd";
    } else if (o.has("calculated_total_cost") || o.has("total_cost")) {
        cost = column(o, o.has("total_cost") ? "total_cost" : "calculated_total_cost", "cost_usd", "o.");
    }
    const DatabaseTable* prompts = schema.table("prompts");
    const bool joinPrompts = prompts && o.has("prompt_id") && prompts->has("id") && prompts->has("name") &&
                             prompts->has("version");
    const std::string model = o.has("model")            ? "o.model"
                              : o.has("internal_model") ? "o.internal_model"
                                                        : "NULL";
    return "SELECT o.id AS span_id, o.trace_id AS trace_id, " +
           std::string(o.has("parent_observation_id") ? "COALESCE(o.parent_observation_id, o.trace_id)"
                                                      : "o.trace_id") +
           " AS parent_span_id, o.start_time AS start_time, " + column(o, "end_time", "end_time", "o.") +
           ", " + column(o, "name", "name", "o.") + ", " + column(o, "type", "kind", "o.") + ", " +
           (o.has("level") ? "CASE WHEN o.level = 'ERROR' THEN 'error' END" : std::string("NULL")) +
           " AS status, " + column(o, "status_message", "status_message", "o.") + ", " + model +
           " AS model, " + column(o, "prompt_tokens", "input_tokens", "o.") + ", " +
           column(o, "completion_tokens", "output_tokens", "o.") + ", " + cost + ", " +
           column(o, "completion_start_time", "completion_start_time", "o.") + ", " +
           column(o, "metadata", "metadata", "o.") + ", " +
           (joinPrompts ? "p.name AS prompt_name, p.version AS prompt_version FROM observations o "
                          "LEFT JOIN prompts p ON p.id = o.prompt_id"
                        : "NULL AS prompt_name, NULL AS prompt_version FROM observations o") +
           traceCondition("WHERE", "o.trace_id", in);
}

// Streams one SELECT of field-named columns into batches for the builder.
class RowReader {
public:
    RowReader(const DatabaseReadRequest& request, DatasetBuilder& builder, std::string table,
              std::string keyName)
        : request_(request),
          builder_(builder),
          location_(request.displayName + " table " + table),
          keyName_(std::move(keyName)) {}

    bool run(db::Connection& connection, const std::string& sql, ReadOutcome& outcome,
             const std::vector<db::Value>& params = {}) {
        std::string error;
        const bool ok = connection.query(
            sql, params, [&](const db::Row& row) { return onRow(row, outcome); }, &error);
        flush();
        if (cancelled()) {
            outcome.cancelled = true;
            return false;
        }
        if (!ok) {
            outcome.error = "cannot read " + location_ + ": " + error;
        }
        return ok;
    }

private:
    [[nodiscard]] bool cancelled() const { return request_.cancel && request_.cancel->load(); }

    bool onRow(const db::Row& row, ReadOutcome& outcome) {
        if (!mapper_.bound()) {
            mapper_.bind(row);
        }
        ++ordinal_;
        RawSpan span;
        std::string problem;
        std::string warning;
        if (mapper_.read(row, request_.source, batch_.strings, &span, &key_, &problem, &warning)) {
            if (batch_.spans.capacity() == 0) {
                batch_.spans.reserve(kRowsPerBatch);
            }
            batch_.spans.push_back(span);
            ++outcome.records;
        }
        if (!problem.empty() || !warning.empty()) {
            batch_.addIssue(location_, ordinal_,
                            keyName_ + " " + (key_.empty() ? std::string("(none)") : key_) + ": " +
                                (problem.empty() ? warning : problem));
        }
        if (request_.rowsDone) {
            request_.rowsDone->fetch_add(1, std::memory_order_relaxed);
        }
        if (batch_.spans.size() >= kRowsPerBatch) {
            flush();
        }
        return !cancelled();
    }

    void flush() {
        if (!batch_.spans.empty() || batch_.issueCount) {
            builder_.addBatch(std::move(batch_));
            batch_ = RecordBatch{};
        }
    }

    const DatabaseReadRequest& request_;
    DatasetBuilder& builder_;
    std::string location_;
    std::string keyName_;
    FieldRowMapper mapper_;
    RecordBatch batch_;
    std::string key_;
    uint64_t ordinal_ = 0;
};

// Langfuse scores: numeric, boolean (1/0) or categorical (string_value), about a trace or one observation.
bool readLangfuseScores(db::Connection& connection, const DatabaseTable& t,
                        const DatabaseReadRequest& request, DatasetBuilder& builder, ReadOutcome& outcome,
                        const std::string& in = {}, const std::vector<db::Value>& params = {}) {
    const std::string sql =
        "SELECT " + column(t, "trace_id", "trace_id") + ", " + column(t, "observation_id", "observation_id") +
        ", " + column(t, "name", "name") + ", " + column(t, "value", "value") + ", " +
        column(t, "string_value", "string_value") + ", " + column(t, "source", "source") + ", " +
        column(t, "comment", "comment") + ", " + column(t, "data_type", "data_type") + ", " +
        column(t, "id", "id") + " FROM scores" + traceCondition("WHERE", "trace_id", in);
    RecordBatch batch;
    std::string traceBuffer;
    uint64_t ordinal = 0;
    const std::string location = request.displayName + " table scores";
    std::string error;
    const bool ok = connection.query(
        sql, params,
        [&](const db::Row& row) {
            ++ordinal;
            if (request.rowsDone) {
                request.rowsDone->fetch_add(1, std::memory_order_relaxed);
            }
            if (row.isNull(0) || row.text(0).empty()) {
                batch.addIssue(location, ordinal,
                               "id " + std::string(row.text(8)) + ": the score names no trace");
                return !(request.cancel && request.cancel->load());
            }
            RawEval e;
            e.traceId = batch.strings.intern(canonicalTraceId(row.text(0), traceBuffer));
            e.spanId = parseSpanId(row.text(1));
            e.name = row.isNull(2) ? StringId{} : batch.strings.intern(row.text(2));
            e.score = row.real(3).value_or(kNaN);
            const std::string_view label = row.text(4);
            if (!label.empty()) {
                e.label = batch.strings.intern(label);
                e.outcome = outcomeFromLabel(label);
            } else if (row.text(7) == "BOOLEAN" && std::isfinite(e.score)) {
                e.outcome = e.score >= 0.5 ? EvalOutcome::Pass : EvalOutcome::Fail;
            }
            if (!row.text(5).empty()) {
                e.source = batch.strings.intern(row.text(5));
            }
            if (!row.text(6).empty()) {
                e.explanation = batch.strings.intern(row.text(6));
            }
            batch.evals.push_back(e);
            return !(request.cancel && request.cancel->load());
        },
        &error);
    builder.addBatch(std::move(batch));
    if (!ok && !(request.cancel && request.cancel->load())) {
        outcome.error = "cannot read " + location + ": " + error;
    }
    return ok;
}

// Ranges of a table that separate connections can read at once: rowid ranges in SQLite, block ranges (a TID
// range scan, PostgreSQL 14 and later) in PostgreSQL. Each is a WHERE clause with its two bound parameters; the
// last range is open-ended so rows added meanwhile are read too. Empty when the table cannot be split.
struct TableRange {
    std::string where;
    std::vector<db::Value> params;
};

std::vector<TableRange> splitTable(db::Connection& c, const DatabaseTable& t, unsigned parts) {
    std::vector<TableRange> ranges;
    std::string error;
    int64_t lo = 0;
    int64_t hi = 0;
    if (c.dialect() == db::Dialect::Sqlite) {
        if (!c.query("SELECT min(rowid), max(rowid) FROM " + quoteIdentifier(t.name), {},
                     [&](const db::Row& row) {
                         lo = row.integer(0).value_or(0);
                         hi = row.integer(1).value_or(0);
                         return true;
                     },
                     &error)) {
            return ranges;  // e.g. a WITHOUT ROWID table: read in one piece
        }
        const int64_t step = (hi - lo) / parts + 1;
        for (unsigned i = 0; i < parts; ++i) {
            const int64_t from = lo + step * i;
            ranges.push_back(i + 1 < parts ? TableRange{" WHERE rowid >= $1 AND rowid < $2", {from, from + step}}
                                           : TableRange{" WHERE rowid >= $1 AND $2 = $2", {from, int64_t{0}}});
        }
        return ranges;
    }
    if (!c.query("SELECT current_setting('server_version_num')::int, pg_relation_size(to_regclass("
                 "quote_ident($1::text))) / current_setting('block_size')::int",
                 {t.name},
                 [&](const db::Row& row) {
                     lo = row.integer(0).value_or(0);
                     hi = row.integer(1).value_or(0);
                     return true;
                 },
                 &error) ||
        lo < 140000) {
        return ranges;  // TID range scans came with PostgreSQL 14
    }
    const int64_t step = hi / parts + 1;
    for (unsigned i = 0; i < parts; ++i) {
        const std::string from = "(" + std::to_string(step * i) + ",0)";
        const std::string to = "(" + std::to_string(step * (i + 1)) + ",0)";
        ranges.push_back(i + 1 < parts
                             ? TableRange{" WHERE ctid >= $1::tid AND ctid < $2::tid", {from, to}}
                             : TableRange{" WHERE ctid >= $1::tid AND $2::text = $2::text", {from, to}});
    }
    return ranges;
}

// Reads `select` (a SELECT ending with its FROM clause) over the table's ranges, one connection and thread
// each, when the request allows more than one; otherwise on the one connection.
void readSplit(db::Connection& connection, const DatabaseTable& t, const std::string& select,
               const std::string& keyName, const DatabaseReadRequest& request, DatasetBuilder& builder,
               ReadOutcome& outcome) {
    const bool split = request.threads > 1 && request.openAnother && request.splitAboveRows > 0 &&
                       request.rowsExpected >= request.splitAboveRows;
    const std::vector<TableRange> ranges =
        split ? splitTable(connection, t, request.threads) : std::vector<TableRange>{};
    std::vector<std::unique_ptr<db::Connection>> others;
    for (size_t i = 1; i < ranges.size(); ++i) {
        others.push_back(request.openAnother());
        if (!others.back()) {
            others.clear();
            break;
        }
    }
    if (ranges.empty() || others.size() + 1 != ranges.size()) {
        RowReader(request, builder, quoteIdentifier(t.name), keyName).run(connection, select, outcome);
        return;
    }
    std::vector<ReadOutcome> parts(ranges.size());
    std::vector<std::thread> workers;
    for (size_t i = 0; i < ranges.size(); ++i) {
        db::Connection& c = i == 0 ? connection : *others[i - 1];
        workers.emplace_back([&, i, &c = c] {
            RowReader(request, builder, quoteIdentifier(t.name), keyName)
                .run(c, select + ranges[i].where, parts[i], ranges[i].params);
        });
    }
    for (auto& w : workers) {
        w.join();
    }
    for (const ReadOutcome& part : parts) {
        outcome.records += part.records;
        outcome.cancelled = outcome.cancelled || part.cancelled;
        if (outcome.error.empty()) {
            outcome.error = part.error;
        }
    }
}

uint64_t countRows(db::Connection& c, const std::string& from) {
    uint64_t n = 0;
    std::string error;
    c.query(
        "SELECT count(*) FROM " + from, {},
        [&](const db::Row& row) {
            n = static_cast<uint64_t>(row.integer(0).value_or(0));
            return true;
        },
        &error);
    return n;
}

}  // namespace

uint64_t countDatabaseRows(db::Connection& connection, const DatabaseSchema& schema) {
    switch (schema.kind) {
        case DatabaseSchemaKind::LiteLlmSpendLogs:
            return countRows(connection, quoteIdentifier(schema.tables.front().name));
        case DatabaseSchemaKind::LangfuseV2: {
            uint64_t n = countRows(connection, "traces") + countRows(connection, "observations");
            return schema.table("scores") ? n + countRows(connection, "scores") : n;
        }
        case DatabaseSchemaKind::CustomSelect:
            return countRows(connection, "(" + schema.customSelect + ") AS promptscope_custom");
        case DatabaseSchemaKind::PromptScope:
            return countOwnSchemaRows(connection, schema);
        default:
            return 0;
    }
}

ReadOutcome readDatabase(db::Connection& connection, const DatabaseSchema& schema,
                         const DatabaseReadRequest& request, DatasetBuilder& builder) {
    ReadOutcome outcome;
    if (request.subset && schema.kind != DatabaseSchemaKind::LiteLlmSpendLogs &&
        schema.kind != DatabaseSchemaKind::CustomSelect) {
        outcome.error = "rows of " + std::string(schemaKindName(schema.kind)) +
                        " tables cannot be loaded in part yet: open the whole database";
        return outcome;
    }
    // A subset's filter is built from the request mapping, whose SQLite time expressions call ps_epoch_ns.
    if (request.subset && !db::prepareSqlFunctions(connection, &outcome.error)) {
        return outcome;
    }
    switch (schema.kind) {
        case DatabaseSchemaKind::LiteLlmSpendLogs: {
            const DatabaseTable& t = schema.tables.front();
            if (!t.has("startTime") || !t.has("request_id")) {
                outcome.error =
                    t.name + " has no \"startTime\" or request_id column: not LiteLLM's spend logs";
                return outcome;
            }
            if (request.subset) {
                RowReader(request, builder, quoteIdentifier(t.name), "request_id")
                    .run(connection, liteLlmSelect(t, "(" + request.subset->select + ") AS " + quoteIdentifier(t.name)),
                         outcome, request.subset->params);
                return outcome;
            }
            readSplit(connection, t, liteLlmSelect(t, quoteIdentifier(t.name)), "request_id", request, builder,
                      outcome);
            return outcome;
        }
        case DatabaseSchemaKind::LangfuseV2: {
            if (!RowReader(request, builder, "traces", "id")
                     .run(connection,
                          langfuseTraceSelect(*schema.table("traces"), *schema.table("observations")),
                          outcome) ||
                !RowReader(request, builder, "observations", "id")
                     .run(connection, langfuseObservationSelect(schema), outcome)) {
                return outcome;
            }
            if (const DatabaseTable* scores = schema.table("scores")) {
                readLangfuseScores(connection, *scores, request, builder, outcome);
            }
            return outcome;
        }
        case DatabaseSchemaKind::CustomSelect:
            RowReader(request, builder, "(custom SELECT)", "key")
                .run(connection, request.subset ? request.subset->select : schema.customSelect, outcome,
                     request.subset ? request.subset->params : std::vector<db::Value>{});
            if (outcome.error.empty() && !outcome.cancelled && outcome.records == 0) {
                outcome.error =
                    "the custom SELECT gave no usable rows (it needs trace_id or span_id, and start_time)";
            }
            return outcome;
        case DatabaseSchemaKind::PromptScope:
            return readOwnSchema(connection, schema, request, builder);
        case DatabaseSchemaKind::Unknown:
            outcome.error = schema.error;
            return outcome;
    }
    return outcome;
}

std::string fieldSelect(const DatabaseSchema& schema) {
    switch (schema.kind) {
        case DatabaseSchemaKind::LiteLlmSpendLogs:
            return liteLlmSelect(schema.tables.front(), quoteIdentifier(schema.tables.front().name));
        case DatabaseSchemaKind::CustomSelect:
            return schema.customSelect;
        default:
            return {};
    }
}

std::string_view traceKeyField(const DatabaseSchema& schema) {
    const bool spanOnly = schema.kind == DatabaseSchemaKind::CustomSelect && schema.columnsKnown() &&
                          std::none_of(schema.tables.front().columns.begin(), schema.tables.front().columns.end(),
                                       [](const std::string& c) { return isField(c, Field::TraceId); });
    return fieldName(spanOnly ? Field::SpanId : Field::TraceId);
}

ReadOutcome readDatabaseTraces(db::Connection& connection, const DatabaseSchema& schema,
                               const DatabaseReadRequest& request, DatasetBuilder& builder,
                               const std::vector<std::string>& traceIds) {
    // Bound in groups: SQLite and PostgreSQL cap the parameters of one statement (32,766 and 65,535).
    constexpr size_t kIdsPerQuery = 500;
    ReadOutcome outcome;
    const std::string select = fieldSelect(schema);
    if (select.empty() && schema.kind != DatabaseSchemaKind::LangfuseV2) {
        outcome.error = "traces of " + std::string(schemaKindName(schema.kind)) + " tables are not read by id";
        return outcome;
    }
    for (size_t first = 0; first < traceIds.size() && outcome.error.empty() && !outcome.cancelled;
         first += kIdsPerQuery) {
        const size_t count = std::min(kIdsPerQuery, traceIds.size() - first);
        std::vector<db::Value> params(traceIds.begin() + static_cast<std::ptrdiff_t>(first),
                                      traceIds.begin() + static_cast<std::ptrdiff_t>(first + count));
        std::string in = " IN (";
        for (size_t i = 0; i < count; ++i) {
            in += (i ? ", $" : "$") + std::to_string(i + 1);
        }
        in += ")";
        if (schema.kind != DatabaseSchemaKind::LangfuseV2) {
            const std::string sql = "SELECT * FROM (" + select + ") AS promptscope_rows" +
                                    traceCondition("WHERE", traceKeyField(schema), in);
            RowReader(request, builder, schema.kind == DatabaseSchemaKind::CustomSelect
                                            ? std::string("(custom SELECT)")
                                            : quoteIdentifier(schema.tables.front().name),
                      schema.kind == DatabaseSchemaKind::CustomSelect ? "key" : "request_id")
                .run(connection, sql, outcome, params);
            continue;
        }
        if (RowReader(request, builder, "traces", "id")
                .run(connection, langfuseTraceSelect(*schema.table("traces"), *schema.table("observations"), in),
                     outcome, params) &&
            RowReader(request, builder, "observations", "id")
                .run(connection, langfuseObservationSelect(schema, in), outcome, params)) {
            if (const DatabaseTable* scores = schema.table("scores")) {
                readLangfuseScores(connection, *scores, request, builder, outcome, in, params);
            }
        }
    }
    return outcome;
}

}  // namespace ps
