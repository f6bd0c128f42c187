#include "ownschemamapping.h"

#include "ownschema.h"

namespace ps::db {
namespace {

// Indices into RequestMapping::dimensions (ps::Dimension's order).
enum : size_t {
    kFeature,
    kPromptName,
    kPromptVersion,
    kModel,
    kProvider,
    kEnvironment,
    kTenant,
    kTenantTier,
    kUser,
    kSession,
    kFinishReason,
};

// RequestFlag bits (spantypes.h) stored in ps_requests.flags; this library cannot include the data layer.
constexpr int kThumbsUpBit = 1 << 3;
constexpr int kThumbsDownBit = 1 << 4;
constexpr int kCostUnknownBit = 1 << 10;

// Nanoseconds as milliseconds in double precision, as the Dataset computes them (one correctly rounded
// division), in both dialects.
std::string milliseconds(Dialect dialect, const std::string& ns) {
    return dialect == Dialect::Postgres ? "(CAST(" + ns + " AS DOUBLE PRECISION) / 1000000)" : "(" + ns + " / 1e6)";
}

// ps_requests.error_class and ps_spans.error_class (errorClassName) as ps::ErrorClass; NULL is Other.
std::string errorClassNumber(const std::string& column) {
    return "(CASE " + column +
           " WHEN 'rate_limited' THEN 1 WHEN 'provider_error' THEN 2 WHEN 'timeout' THEN 3 WHEN 'tool_error' THEN 4 "
           "WHEN 'validation' THEN 5 ELSE 6 END)";
}

std::string flagSet(int bit) { return "(r.flags & " + std::to_string(bit) + ") <> 0"; }

// The spans of request r: a range of ps_spans' key.
const std::string kSpansOfRequest = "s.span_row BETWEEN r.first_span_row AND r.first_span_row + r.span_count - 1";

// Evals about call g with the outcome (ps_evals_by_request narrows them to the request first).
std::string callEvals(const char* outcome) {
    return std::string("(SELECT count(*) FROM ps_evals e WHERE e.request_row = g.request_row AND e.span_row = "
                       "g.span_row AND e.outcome = '") +
           outcome + "')";
}

}  // namespace

RequestMapping ownSchemaRequestMapping(Dialect dialect) {
    const bool pg = dialect == Dialect::Postgres;
    RequestMapping m;
    m.dialect = dialect;
    m.label = "PromptScope's own tables";
    m.from = "ps_requests r";
    m.rowNoun = "requests";
    // Loading reads every span: the import wrote their number (counting them would read the largest table).
    m.loadRowsSql = "SELECT max(span_count) FROM " + std::string(kOwnSchemaTable);
    m.id = "r.trace_id";
    m.name = "(SELECT s.name FROM ps_spans s WHERE s.span_row = r.first_span_row)";
    m.startColumn = "r.start_ns";
    m.startStorage = TimeStorage::EpochNanos;
    m.startSeconds = "(r.start_ns / 1000000000)";
    m.startMillis = milliseconds(dialect, "r.start_ns");
    m.latencyMs = milliseconds(dialect, "r.duration_ns");
    m.error = "r.is_error <> 0";
    m.errorClass = errorClassNumber("r.error_class");
    // Every failed span's type and message, joined by a character no search text holds, so that a match never
    // spans two of them.
    const std::string separator = pg ? "chr(1)" : "char(1)";
    m.errorText = std::string("(SELECT ") + (pg ? "string_agg" : "group_concat") + "(coalesce(s.error_type, '') || " +
                  separator + " || coalesce(s.error_message, ''), " + separator + ") FROM ps_spans s WHERE " +
                  kSpansOfRequest + " AND s.status = 'error')";
    m.errorTextOfAnyRow = true;
    m.refusal = "r.is_refusal <> 0";
    m.inputTokens = "r.input_tokens";
    m.outputTokens = "r.output_tokens";
    m.cachedTokens = "r.cached_tokens";
    // As in memory: a request whose calls have no known cost at all has an unknown cost, not a zero one.
    m.costUsd = "(CASE WHEN " + flagSet(kCostUnknownBit) + " AND r.cost_usd = 0 THEN NULL ELSE r.cost_usd END)";
    m.costUnknown = flagSet(kCostUnknownBit);
    m.evalPass = "r.eval_pass";
    m.evalFail = "r.eval_fail";
    m.thumbsUp = flagSet(kThumbsUpBit);
    m.thumbsDown = flagSet(kThumbsDownBit);
    m.dimensions[kFeature] = "r.feature";
    m.dimensions[kPromptName] = "r.prompt_name";
    m.dimensions[kPromptVersion] = "r.prompt_version";
    m.dimensions[kModel] = "r.model";
    m.dimensions[kProvider] = "r.provider";
    m.dimensions[kEnvironment] = "r.environment";
    m.dimensions[kTenant] = "r.tenant";
    // One tier per tenant (the import writes the Dataset's, already one per tenant: the last one seen).
    m.dimensions[kTenantTier] =
        "(SELECT t.tier FROM ps_tenants t WHERE t.tenant = r.tenant ORDER BY t.tenant_row DESC LIMIT 1)";
    m.dimensions[kUser] = "r.user_id";
    m.dimensions[kSession] = "r.session_id";
    m.dimensions[kFinishReason] = "r.finish_reason";

    CallColumns& c = m.calls;
    // Both join conditions: the equality lets PostgreSQL hash the requests, the key range lets either database
    // walk a request's spans by the primary key when few requests are selected.
    c.join = " JOIN ps_spans g ON g.request_row = r.request_row AND g.span_row BETWEEN r.first_span_row AND "
             "r.first_span_row + r.span_count - 1";
    c.condition = "g.kind = 'llm'";
    c.startSeconds = "(g.start_ns / 1000000000)";
    c.latencyMs = milliseconds(dialect, "g.duration_ns");
    c.error = "g.status = 'error'";
    c.errorClass = errorClassNumber("g.error_class");
    c.refusal = "g.finish_reason IN ('refusal', 'content_filter', 'refused')";
    c.inputTokens = "coalesce(g.input_tokens, 0)";
    c.outputTokens = "coalesce(g.output_tokens, 0)";
    c.cachedTokens = "coalesce(g.cached_tokens, 0)";
    c.costUsd = "(CASE WHEN g.cost_source = 'none' THEN NULL ELSE g.cost_usd END)";
    c.evalPass = callEvals("pass");
    c.evalFail = callEvals("fail");
    c.model = "g.model";
    c.provider = "g.provider";
    c.promptName = "g.prompt_name";
    c.promptVersion = "g.prompt_version";
    return m;
}

bool ownSchemaIsReadable(Connection& connection, std::string* error) {
    int64_t version = 0;
    std::string why;
    if (!connection.query(
            "SELECT max(version) FROM " + std::string(kOwnSchemaTable), {},
            [&](const Row& row) {
                version = row.integer(0).value_or(0);
                return false;
            },
            &why)) {
        *error = connection.displayName() + ": cannot read ps_schema: " + why;
        return false;
    }
    if (version < 1 || version > kOwnSchemaVersion) {
        *error = connection.displayName() + ": PromptScope tables of schema version " + std::to_string(version) +
                 "; this PromptScope reads version " + std::to_string(kOwnSchemaVersion);
        return false;
    }
    return true;
}

}  // namespace ps::db
