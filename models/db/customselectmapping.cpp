#include "customselectmapping.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <vector>

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

// What a column holds: PostgreSQL's declared type, or SQLite's type of the first value among the first rows.
enum class Kind : uint8_t { Absent, Empty, Text, Number, Timestamp, TimestampTz, Json, Jsonb, TextArray };

struct Column {
    std::string sql;  // q."name"; empty when the SELECT has no such column
    Kind kind = Kind::Absent;
    double sample = 0;  // the first value, when a number (the epoch unit follows its magnitude)
    std::string sampleText;
};

// The metadata and tag keys that fill a dimension, most specific first: the row loader's list (fieldrow.cpp).
struct DimensionKeys {
    size_t dimension;
    std::vector<std::string> keys;
};
// The column of each dimension, in ps::Dimension's order.
constexpr const char* kDimensionColumns[] = {"feature",     "prompt_name", "prompt_version", "model",
                                             "provider",    "environment", "tenant",         "tenant_tier",
                                             "user_id",     "session_id",  "finish_reason"};
const DimensionKeys kDimensionKeys[] = {
    {kFeature, {"feature", "feature_name", "feature_id"}},
    {kPromptName, {"prompt_name", "prompt"}},
    {kPromptVersion, {"prompt_version"}},
    {kTenant, {"tenant", "tenant_id", "customer_id", "user_api_key_team_alias"}},
    {kTenantTier, {"tenant_tier", "tier"}},
    {kEnvironment, {"environment", "env", "deployment.environment"}},
    {kUser, {"user_id", "user", "end_user"}},
    {kSession, {"session_id"}},
};

std::string lowered(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

// A text as an SQL literal (only names written in this file; never a user's value).
std::string literal(std::string_view text) {
    std::string out = "'";
    for (const char c : text) {
        out += c;
        if (c == '\'') {
            out += '\'';
        }
    }
    return out + "'";
}

std::string literalList(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& w : words) {
        out += (out.empty() ? "" : ", ") + literal(w);
    }
    return "(" + out + ")";
}

std::string coalesceOf(const std::vector<std::string>& parts) {
    std::vector<std::string> present;
    for (const std::string& p : parts) {
        if (!p.empty()) {
            present.push_back(p);
        }
    }
    if (present.empty()) {
        return {};
    }
    if (present.size() == 1) {
        return present.front();
    }
    std::string out = "coalesce(";
    for (size_t i = 0; i < present.size(); ++i) {
        out += (i ? ", " : "") + present[i];
    }
    return out + ")";
}

// 'YYYY-MM-DD HH:MM:SS' with an optional fraction and nothing else: SQLite text the start column can be compared
// with as it is (and its index used).
bool isPlainIsoText(std::string_view t) {
    auto digitsAt = [&](std::initializer_list<size_t> at) {
        return std::all_of(at.begin(), at.end(), [&](size_t i) { return std::isdigit(static_cast<unsigned char>(t[i])); });
    };
    if (t.size() < 19 || t[4] != '-' || t[7] != '-' || t[10] != ' ' || t[13] != ':' || t[16] != ':' ||
        !digitsAt({0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18})) {
        return false;
    }
    if (t.size() == 19) {
        return true;
    }
    return t[19] == '.' && t.size() > 20 &&
           std::all_of(t.begin() + 20, t.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// Nanoseconds per unit of an epoch number, by its magnitude (as the row loader's epochToNs).
TimeStorage epochStorage(double value) {
    const double a = std::abs(value);
    return a < 1e11 ? TimeStorage::EpochSeconds
           : a < 1e14 ? TimeStorage::EpochMillis
           : a < 1e17 ? TimeStorage::EpochMicros
                      : TimeStorage::EpochNanos;
}

class MappingBuilder {
public:
    MappingBuilder(Connection& c, std::string from) : c_(c), pg_(c.dialect() == Dialect::Postgres), from_(std::move(from)) {}

    bool readColumns(std::string* error);
    std::optional<RequestMapping> build(std::string* error);

private:
    [[nodiscard]] const Column& column(std::string_view field) const;
    [[nodiscard]] bool has(std::string_view field) const { return !column(field).sql.empty(); }
    bool probe(std::string_view field, std::string* error);
    [[nodiscard]] std::string text(std::string_view field) const;
    [[nodiscard]] std::string nonEmptyText(std::string_view field) const;
    [[nodiscard]] std::string metadataValue(const std::string& object, const std::string& key) const;
    [[nodiscard]] bool metadataIsJson() const;
    [[nodiscard]] std::string metadataKeys(const std::vector<std::string>& keys) const;
    [[nodiscard]] std::string tagValue(const std::vector<std::string>& keys) const;
    [[nodiscard]] std::string contains(const std::string& haystack, std::string_view word) const;
    bool timeColumn(std::string_view field, std::string* ns, std::string* seconds, std::string* compare,
                    TimeStorage* storage, std::string* error);

    Connection& c_;
    bool pg_;
    std::string from_;
    std::map<std::string, Column> columns_;  // by field name (lower case)
};

const Column& MappingBuilder::column(std::string_view field) const {
    static const Column kAbsent;
    const auto it = columns_.find(std::string(field));
    return it == columns_.end() ? kAbsent : it->second;
}

bool MappingBuilder::readColumns(std::string* error) {
    bool any = false;
    const bool ok = c_.query(
        "SELECT * FROM " + from_ + " LIMIT 1", {},
        [&](const Row& row) {
            any = true;
            for (int i = 0; i < row.size(); ++i) {
                // The first column of a name wins, as in the row loader.
                columns_.try_emplace(lowered(row.columnName(i)),
                                     Column{"q." + quoteIdentifier(row.columnName(i)), Kind::Text, 0, {}});
            }
            return false;
        },
        error);
    if (ok && !any) {
        *error = "the custom SELECT returns no rows";
    }
    return ok && any;
}

// The column's kind from the first value among its first thousand rows (a LIMIT keeps this cheap on any table).
bool MappingBuilder::probe(std::string_view field, std::string* error) {
    const auto it = columns_.find(std::string(field));
    if (it == columns_.end()) {
        return true;
    }
    Column& col = it->second;
    col.kind = Kind::Empty;
    const std::string type = pg_ ? "CAST(pg_typeof(" + col.sql + ") AS text)" : "typeof(" + col.sql + ")";
    const std::string value = pg_ ? "CAST(" + col.sql + " AS text)" : col.sql;
    const std::string sql = "SELECT " + type + ", " + value + " FROM (SELECT " + col.sql + " FROM " + from_ +
                            " LIMIT 1000) AS q WHERE " + col.sql + " IS NOT NULL LIMIT 1";
    return c_.query(
        sql, {},
        [&](const Row& row) {
            const std::string t(row.text(0));
            col.sampleText = std::string(row.text(1));
            col.sample = std::strtod(col.sampleText.c_str(), nullptr);
            if (t == "integer" || t == "real" || t == "bigint" || t == "smallint" || t == "numeric" ||
                t == "double precision") {
                col.kind = Kind::Number;
            } else if (t == "timestamp without time zone") {
                col.kind = Kind::Timestamp;
            } else if (t == "timestamp with time zone") {
                col.kind = Kind::TimestampTz;
            } else if (t == "json") {
                col.kind = Kind::Json;
            } else if (t == "jsonb") {
                col.kind = Kind::Jsonb;
            } else if (t.size() > 2 && t.compare(t.size() - 2, 2, "[]") == 0) {
                col.kind = Kind::TextArray;
            } else {
                col.kind = Kind::Text;
            }
            return false;
        },
        error);
}

std::string MappingBuilder::text(std::string_view field) const {
    return has(field) ? "CAST(" + column(field).sql + " AS TEXT)" : std::string();
}

std::string MappingBuilder::nonEmptyText(std::string_view field) const {
    return has(field) ? "NULLIF(" + text(field) + ", '')" : std::string();
}

// A scalar of the metadata object (or of its member object) as text; NULL when missing, empty or not a scalar.
std::string MappingBuilder::metadataValue(const std::string& object, const std::string& key) const {
    const Column& m = column("metadata");
    if (pg_) {
        const std::string typeOf = m.kind == Kind::Jsonb ? "jsonb_typeof" : "json_typeof";
        const std::string parent = m.sql + (object.empty() ? "" : " -> " + literal(object));
        return "NULLIF(CASE WHEN " + typeOf + "(" + parent + " -> " + literal(key) +
               ") IN ('string', 'number', 'boolean') THEN " + parent + " ->> " + literal(key) + " END, '')";
    }
    std::string path = "$";
    for (const std::string& part : {object, key}) {
        if (!part.empty()) {
            path += ".\"" + part + "\"";
        }
    }
    const std::string type = "json_type(" + m.sql + ", " + literal(path) + ")";
    return "NULLIF(CASE WHEN " + type + " IN ('text', 'integer', 'real') THEN CAST(json_extract(" + m.sql + ", " +
           literal(path) + ") AS TEXT) WHEN " + type + " IN ('true', 'false') THEN " + type + " END, '')";
}

// Metadata the SQL can read as JSON: json or jsonb on PostgreSQL (text there may not cast), text in SQLite.
bool MappingBuilder::metadataIsJson() const {
    const Kind kind = column("metadata").kind;
    return kind == Kind::Json || kind == Kind::Jsonb || (!pg_ && kind == Kind::Text);
}

// The first of keys found in metadata, then in its requester_metadata and spend_logs_metadata members (LiteLLM
// puts the caller's own keys there), as the row loader looks.
std::string MappingBuilder::metadataKeys(const std::vector<std::string>& keys) const {
    if (!metadataIsJson()) {
        return {};
    }
    std::vector<std::string> parts;
    for (const std::string object : {"", "requester_metadata", "spend_logs_metadata"}) {
        for (const std::string& key : keys) {
            parts.push_back(metadataValue(object, key));
        }
    }
    const std::string any = coalesceOf(parts);
    // SQLite's JSON functions fail on text that is not JSON, which the row loader skips with a warning.
    return pg_ ? any : "(CASE WHEN json_valid(" + column("metadata").sql + ") THEN " + any + " END)";
}

// The value of the first "key:value" (or "key=value") entry of tags whose key is one of keys.
std::string MappingBuilder::tagValue(const std::vector<std::string>& keys) const {
    const Column& t = column("tags");
    std::string elements, item, order, isText;
    if (pg_ && (t.kind == Kind::Jsonb || t.kind == Kind::Json)) {
        const std::string j = t.kind == Kind::Jsonb ? "jsonb" : "json";
        elements = j + "_array_elements(CASE WHEN " + j + "_typeof(" + t.sql + ") = 'array' THEN " + t.sql +
                   " ELSE CAST('[]' AS " + j + ") END) WITH ORDINALITY AS e(v, n)";
        item = "(e.v #>> '{}')";
        order = "e.n";
        isText = j + "_typeof(e.v) = 'string'";
    } else if (pg_ && t.kind == Kind::TextArray) {
        elements = "unnest(" + t.sql + ") WITH ORDINALITY AS e(v, n)";
        item = "CAST(e.v AS TEXT)";
        order = "e.n";
        isText = "e.v IS NOT NULL";
    } else if (!pg_ && t.kind == Kind::Text) {
        elements = "json_each(CASE WHEN json_valid(" + t.sql + ") AND json_type(" + t.sql + ") = 'array' THEN " +
                   t.sql + " ELSE '[]' END) AS e";
        item = "e.value";
        order = "e.key";
        isText = "e.type = 'text'";
    } else {
        return {};
    }
    const std::string find = pg_ ? "strpos" : "instr";
    const std::string colon = find + "(" + item + ", ':')";
    const std::string equals = find + "(" + item + ", '=')";
    const std::string at = "(CASE WHEN " + colon + " = 0 THEN " + equals + " WHEN " + equals + " = 0 THEN " + colon +
                           " WHEN " + colon + " < " + equals + " THEN " + colon + " ELSE " + equals + " END)";
    std::vector<std::string> lowerKeys;
    for (const std::string& k : keys) {
        lowerKeys.push_back(lowered(k));
    }
    return "(SELECT substr(" + item + ", " + at + " + 1) FROM " + elements + " WHERE " + isText + " AND " + at +
           " > 1 AND " + at + " < length(" + item + ") AND lower(substr(" + item + ", 1, " + at + " - 1)) IN " +
           literalList(lowerKeys) + " ORDER BY " + order + " LIMIT 1)";
}

std::string MappingBuilder::contains(const std::string& haystack, std::string_view word) const {
    return std::string(pg_ ? "strpos(" : "instr(") + haystack + ", " + literal(word) + ") > 0";
}

// A time column as nanoseconds (integer-valued, as the row loader computes them), whole seconds, and what the
// time filter compares (the raw column where its stored form allows, so an index can answer).
bool MappingBuilder::timeColumn(std::string_view field, std::string* ns, std::string* seconds,
                                std::string* compare, TimeStorage* storage, std::string* error) {
    const Column& col = column(field);
    const std::string& c = col.sql;
    switch (col.kind) {
    case Kind::Number: {
        *storage = epochStorage(col.sample);
        const std::string unit = std::to_string(static_cast<int64_t>(epochUnitNs(*storage)));
        // Through a double, as the loader reads an epoch number.
        *ns = pg_ ? "round(CAST(" + c + " AS DOUBLE PRECISION) * " + unit + ")"
                  : "CAST(round(" + c + " * " + unit + ".0) AS INTEGER)";
        *seconds = pg_ ? "CAST(floor(" + *ns + " / 1000000000) AS BIGINT)" : "(" + *ns + " / 1000000000)";
        *compare = c;
        return true;
    }
    case Kind::Timestamp:
    case Kind::TimestampTz:
    case Kind::Text:
        break;
    default:
        *error = "the custom SELECT's " + std::string(field) + " has no values in its first rows";
        return false;
    }
    if (pg_) {
        std::string t = c;
        *storage = col.kind == Kind::Timestamp ? TimeStorage::Timestamp : TimeStorage::TimestampTz;
        if (col.kind == Kind::Text) {
            t = "CAST(" + c + " AS TIMESTAMPTZ)";
            std::string why;
            if (!c_.query("SELECT " + t + " FROM " + from_ + " WHERE " + c + " IS NOT NULL LIMIT 1", {},
                          [](const Row&) { return false; }, &why)) {
                *error = "PostgreSQL cannot read the custom SELECT's " + std::string(field) +
                         " as a time; cast it to timestamp in the SELECT (" + why + ")";
                return false;
            }
        }
        *ns = "(EXTRACT(EPOCH FROM " + t + ") * 1000000000)";
        *seconds = "CAST(floor(EXTRACT(EPOCH FROM " + t + ")) AS BIGINT)";
        *compare = t;
        return true;
    }
    // SQLite text: ps_epoch_ns (registered with the aggregates) reads ISO text with any zone to the nanosecond.
    *ns = "ps_epoch_ns(" + c + ")";
    *seconds = "(" + *ns + " / 1000000000)";
    if (isPlainIsoText(col.sampleText)) {
        *storage = TimeStorage::IsoText;
        *compare = c;
    } else {
        *storage = TimeStorage::EpochNanos;
        *compare = *ns;
    }
    return true;
}

std::optional<RequestMapping> MappingBuilder::build(std::string* error) {
    if (!has("start_time")) {
        *error = "the custom SELECT has no start_time column";
        return std::nullopt;
    }
    if (!has("trace_id") && !has("span_id")) {
        *error = "the custom SELECT has neither a trace_id nor a span_id column";
        return std::nullopt;
    }
    if (has("parent_span_id") || (has("trace_id") && has("span_id"))) {
        *error = "the custom SELECT returns spans (span_id with trace_id or parent_span_id): only a SELECT of one "
                 "row per request is aggregated in the database";
        return std::nullopt;
    }
    for (const char* field : {"start_time", "end_time", "metadata", "tags"}) {
        if (!probe(field, error)) {
            return std::nullopt;
        }
    }
    RequestMapping m;
    m.dialect = c_.dialect();
    m.label = "the custom SELECT";
    m.rowNoun = "requests";
    m.id = has("trace_id") ? coalesceOf({nonEmptyText("trace_id"), text("span_id")}) : text("span_id");
    m.name = text("name");

    std::string startNs;
    if (!timeColumn("start_time", &startNs, &m.startSeconds, &m.startColumn, &m.startStorage, error)) {
        return std::nullopt;
    }
    const std::string divide = pg_ ? "CAST(1000000 AS DOUBLE PRECISION)" : "1e6";
    m.startMillis = "(" + startNs + " / " + divide + ")";
    const std::string zero = "0";
    const std::string maxOf = pg_ ? "GREATEST" : "max";
    std::string durationNs = zero;
    if (has("duration_ms")) {
        const std::string d = column("duration_ms").sql;
        durationNs = "coalesce(" + maxOf + "(0, round(" + (pg_ ? "CAST(" + d + " AS DOUBLE PRECISION)" : d) +
                     " * 1000000" + (pg_ ? "" : ".0") + ")), 0)";
    }
    if (has("end_time") && column("end_time").kind != Kind::Empty) {
        std::string endNs, endSeconds, endCompare;
        TimeStorage endStorage{};
        if (!timeColumn("end_time", &endNs, &endSeconds, &endCompare, &endStorage, error)) {
            return std::nullopt;
        }
        durationNs = "(CASE WHEN " + column("end_time").sql + " IS NOT NULL THEN " + maxOf + "(0, " + endNs + " - " +
                     startNs + ") ELSE " + durationNs + " END)";
    }
    m.latencyMs = "(CAST(" + durationNs + " AS " + (pg_ ? "DOUBLE PRECISION" : "REAL") + ") / " + divide + ")";

    // Dimensions: the column, else metadata, else tags; the team when nothing names a tenant.
    for (const auto& [d, keys] : kDimensionKeys) {
        m.dimensions[d] = coalesceOf({nonEmptyText(kDimensionColumns[d]), metadataKeys(keys), tagValue(keys),
                                      d == kTenant ? nonEmptyText("team") : std::string()});
    }
    m.dimensions[kModel] = nonEmptyText("model");
    m.dimensions[kProvider] = nonEmptyText("provider");
    // A tier only counts with its tenant (the loader keeps tiers per tenant).
    if (!m.dimensions[kTenantTier].empty()) {
        m.dimensions[kTenantTier] = m.dimensions[kTenant].empty()
                                        ? std::string()
                                        : "(CASE WHEN " + m.dimensions[kTenant] + " IS NOT NULL THEN " +
                                              m.dimensions[kTenantTier] + " END)";
    }
    // The loader skips rows without a start time or any id (and lists them as parse issues).
    m.from = "(SELECT * FROM " + from_ + " WHERE " + column("start_time").sql + " IS NOT NULL AND coalesce(" + m.id +
             ", '') <> '') AS q";

    // A model call when its kind says so, or, without a kind, when it names a model.
    // Conditions stay two-valued (a NULL would turn NOT isLlm into NULL): every text is coalesced first.
    const std::string kind = has("kind") ? "lower(coalesce(" + text("kind") + ", ''))" : std::string();
    const std::string namesModel = has("model") ? "coalesce(" + text("model") + ", '') <> ''" : "1 = 0";
    const std::string isLlm =
        has("kind") ? "(" + kind +
                          " IN ('llm', 'generation', 'chat', 'completion', 'text_completion', 'acompletion', "
                          "'model') OR (" + kind + " = '' AND " + namesModel + "))"
                    : "(" + namesModel + ")";
    const std::string isTool = has("kind") ? kind + " IN ('tool', 'function')" : "1 = 0";
    if (has("finish_reason")) {
        m.dimensions[kFinishReason] = "(CASE WHEN " + isLlm + " THEN " + nonEmptyText("finish_reason") + " END)";
        m.refusal = isLlm + " AND " + text("finish_reason") + " IN ('refusal', 'content_filter', 'refused')";
    }
    auto tokens = [&](const char* field) {
        if (!has(field)) {
            return std::string();
        }
        const std::string v = column(field).sql;
        return "(CASE WHEN " + isLlm + " AND " + v + " >= 0 THEN CAST(" + v + " AS BIGINT) ELSE 0 END)";
    };
    m.inputTokens = tokens("input_tokens");
    m.outputTokens = tokens("output_tokens");
    m.cachedTokens = tokens("cached_tokens");
    const std::string cost = has("cost_usd") ? column("cost_usd").sql : std::string("NULL");
    const std::string knownCost = has("cost_usd") ? cost + " >= 0" : std::string("1 = 0");
    m.costUsd = "(CASE WHEN NOT " + isLlm + " THEN 0 WHEN " + knownCost + " THEN CAST(" + cost + " AS " +
                (pg_ ? "DOUBLE PRECISION" : "REAL") + ") END)";
    m.costUnknown = isLlm + " AND NOT coalesce(" + knownCost + ", " + (pg_ ? "false" : "0") + ")";

    // Failures: a status text, else an HTTP status of 400 or more; the error's type, message and code also from
    // LiteLLM-style metadata.error_information.
    const std::string validCode = " >= 100 AND ";
    std::string columnCode, metadataCode;
    if (has("http_status")) {
        const std::string h = pg_ && column("http_status").kind != Kind::Number
                                  ? "(CASE WHEN " + text("http_status") + " ~ '^[0-9]+$' THEN CAST(" +
                                        text("http_status") + " AS INTEGER) END)"
                                  : "CAST(" + column("http_status").sql + " AS INTEGER)";
        columnCode = "(CASE WHEN " + h + validCode + h + " < 600 THEN " + h + " END)";
    }
    const bool metadataJson = metadataIsJson();
    if (metadataJson) {
        const std::string v = metadataValue("error_information", "error_code");
        const std::string h = pg_ ? "(CASE WHEN " + v + " ~ '^[0-9]+$' THEN CAST(" + v + " AS INTEGER) END)"
                                  : "CAST(" + v + " AS INTEGER)";
        metadataCode = "(CASE WHEN " + h + validCode + h + " < 600 THEN " + h + " END)";
        if (!pg_) {
            metadataCode = "(CASE WHEN json_valid(" + column("metadata").sql + ") THEN " + metadataCode + " END)";
        }
    }
    auto fromMetadata = [&](const char* key) {
        if (!metadataJson) {
            return std::string();
        }
        const std::string v = metadataValue("error_information", key);
        return pg_ ? v : "(CASE WHEN json_valid(" + column("metadata").sql + ") THEN " + v + " END)";
    };
    const std::string status = has("status") ? "coalesce(" + text("status") + ", '')" : std::string("''");
    const std::string failedStatus =
        "lower(" + status + ") IN ('error', 'failure', 'failed', 'fail', 'exception', 'status_code_error')";
    m.error = "(" + failedStatus + " OR (" + status + " = '' AND coalesce(" + coalesceOf({columnCode, zero}) +
              ", 0) >= 400))";
    const std::string separator = pg_ ? "chr(1)" : "char(1)";
    const std::string type = coalesceOf({nonEmptyText("error_type"), fromMetadata("error_class")});
    const std::string message = coalesceOf({nonEmptyText("status_message"), fromMetadata("error_message")});
    m.errorText = "coalesce(" + (type.empty() ? std::string("NULL") : type) + ", '') || " + separator +
                  " || coalesce(" + (message.empty() ? std::string("NULL") : message) + ", '')";
    const std::string said = "lower(" + m.errorText + ")";
    const std::string code = "coalesce(" + coalesceOf({columnCode, metadataCode, zero}) + ", 0)";
    auto saysAny = [&](std::initializer_list<std::string_view> words) {
        std::string out;
        for (const std::string_view w : words) {
            out += (out.empty() ? "" : " OR ") + contains(said, w);
        }
        return out;
    };
    // The row loader's classifyError (tracewriter.cpp), in the same order.
    m.errorClass = "(CASE WHEN " + code + " = 429 OR " +
                   saysAny({"429", "rate limit", "ratelimit", "rate_limit", "too many requests"}) + " THEN 1 WHEN " +
                   saysAny({"timeout", "timed out", "deadline"}) + " THEN 3 WHEN " + isTool + " THEN 4 WHEN " + code +
                   " >= 500 OR " +
                   saysAny({"internalservererror", "internal server error", "overloaded", "service unavailable",
                            "serviceunavailable", "bad gateway", "500", "502", "503", "apierror", "api_error"}) +
                   " THEN 2 WHEN " + saysAny({"validation", "schema", "jsondecode", "parse", "invalid output"}) +
                   " THEN 5 ELSE 6 END)";

    // One row, one span: its LLM call is the row itself when it is one.
    CallColumns& c = m.calls;
    c.condition = isLlm;
    c.startSeconds = m.startSeconds;
    c.latencyMs = m.latencyMs;
    c.error = m.error;
    c.errorClass = m.errorClass;
    c.refusal = m.refusal;
    c.inputTokens = m.inputTokens;
    c.outputTokens = m.outputTokens;
    c.cachedTokens = m.cachedTokens;
    c.costUsd = m.costUsd;
    c.model = m.dimensions[kModel];
    c.provider = m.dimensions[kProvider];
    c.promptName = m.dimensions[kPromptName];
    c.promptVersion = m.dimensions[kPromptVersion];
    return m;
}

}  // namespace

std::optional<RequestMapping> customSelectRequestMapping(Connection& connection, std::string_view select,
                                                         std::string* error) {
    std::string sql(select);
    while (!sql.empty() && (std::isspace(static_cast<unsigned char>(sql.back())) || sql.back() == ';')) {
        sql.pop_back();
    }
    MappingBuilder builder(connection, "(" + sql + ") AS q");
    if (!builder.readColumns(error)) {
        return std::nullopt;
    }
    return builder.build(error);
}

}  // namespace ps::db
