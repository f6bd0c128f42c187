#include "fieldrow.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "jsontext.h"
#include "timeparse.h"
#include "traceids.h"

namespace ps {
namespace {

// Each field's name (the column name a SELECT gives it) and what it holds, in the order of Field; the Connect
// dialog lists them as the help of a custom SELECT.
struct FieldText {
    std::string_view name;
    std::string_view meaning;
};
constexpr FieldText kFields[kFieldCount] = {
    {"trace_id", "the request (trace) the row belongs to; without it, the row's span_id"},
    {"span_id", "the row's own span id (a request of one row may leave it out)"},
    {"parent_span_id", "the span it is a child of; empty or NULL for the root"},
    {"start_time", "when it started: ISO 8601 text (naive is UTC) or epoch s, ms, µs or ns"},
    {"end_time", "when it ended (or give duration_ms; without either a span lasts 0 ms)"},
    {"duration_ms", "how long it took, in milliseconds"},
    {"name", "span name"},
    {"service", "the service that ran it"},
    {"kind", "llm, embedding, retrieval, tool, agent, chain, eval, guardrail, reranker"},
    {"status", "ok or error (also success / failure)"},
    {"status_message", "what failed"},
    {"error_type", "error class or exception name"},
    {"http_status", "HTTP status; 400 and above is an error when status is empty"},
    {"model", "model name"},
    {"provider", "openai, anthropic, ..."},
    {"prompt_name", "prompt name"},
    {"prompt_version", "prompt version"},
    {"feature", "product feature"},
    {"user_id", "end user"},
    {"session_id", "conversation or session"},
    {"tenant", "customer or team"},
    {"tenant_tier", "the tenant's tier or plan"},
    {"environment", "production, staging, canary, ..."},
    {"input_tokens", "prompt tokens"},
    {"output_tokens", "completion tokens"},
    {"cached_tokens", "prompt tokens served from a cache"},
    {"cost_usd", "cost in US dollars (else priced from the tokens)"},
    {"finish_reason", "stop, length, content_filter, ..."},
    {"completion_start_time", "when the first token came (time to first token)"},
    {"ttft_ms", "time to first token, in milliseconds"},
    {"metadata", "a JSON object whose keys fill the dimensions left empty"},
    {"tags", "a JSON or PostgreSQL array of key:value texts, used the same way"},
    {"input", "the messages sent (read when a span is opened)"},
    {"output", "the answer (read when a span is opened)"},
    {"team", "the tenant when nothing else names one"},
};

bool equalsNoCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

bool anyOf(std::string_view text, std::initializer_list<std::string_view> options) {
    return std::any_of(options.begin(), options.end(),
                       [&](std::string_view o) { return equalsNoCase(text, o); });
}

// Keys in metadata and tags that fill a dimension, most specific first. LiteLLM's proxy writes the team alias
// and the key owner; applications put their own keys in requester or spend-log metadata.
struct DimensionKeys {
    StringId RawSpan::*member;
    std::initializer_list<std::string_view> keys;
};
const DimensionKeys kDimensionKeys[] = {
    {&RawSpan::feature, {"feature", "feature_name", "feature_id"}},
    {&RawSpan::promptName, {"prompt_name", "prompt"}},
    {&RawSpan::promptVersion, {"prompt_version"}},
    {&RawSpan::tenant, {"tenant", "tenant_id", "customer_id", "user_api_key_team_alias"}},
    {&RawSpan::tenantTier, {"tenant_tier", "tier"}},
    {&RawSpan::environment, {"environment", "env", "deployment.environment"}},
    {&RawSpan::user, {"user_id", "user", "end_user"}},
    {&RawSpan::session, {"session_id"}},
};

std::string scalarText(simdjson::dom::element value) {
    switch (value.type()) {
        case simdjson::dom::element_type::STRING:
            return std::string(std::string_view(value.get_string().value()));
        case simdjson::dom::element_type::INT64:
            return std::to_string(int64_t(value.get_int64().value()));
        case simdjson::dom::element_type::UINT64:
            return std::to_string(uint64_t(value.get_uint64().value()));
        case simdjson::dom::element_type::DOUBLE:
            return doubleText(double(value.get_double().value()));
        case simdjson::dom::element_type::BOOL:
            return value.get_bool().value() ? "true" : "false";
        default:
            return {};
    }
}

void fillFromObject(simdjson::dom::object object, StringPool& strings, RawSpan& span) {
    for (const auto& d : kDimensionKeys) {
        if ((span.*d.member).value != 0) {
            continue;
        }
        for (std::string_view key : d.keys) {
            simdjson::dom::element value;
            if (object.at_key(key).get(value) == simdjson::SUCCESS) {
                const std::string text = scalarText(value);
                if (!text.empty()) {
                    span.*d.member = strings.intern(text);
                    break;
                }
            }
        }
    }
}

// LiteLLM's error_information: {error_class, error_message, error_code, traceback}.
void fillError(simdjson::dom::object info, StringPool& strings, RawSpan& span) {
    simdjson::dom::element v;
    if (span.errorType.value == 0 && info.at_key("error_class").get(v) == simdjson::SUCCESS) {
        if (const std::string t = scalarText(v); !t.empty()) {
            span.errorType = strings.intern(t);
        }
    }
    if (span.statusMessage.value == 0 && info.at_key("error_message").get(v) == simdjson::SUCCESS) {
        if (const std::string t = scalarText(v); !t.empty()) {
            span.statusMessage = strings.intern(t);
        }
    }
    if (span.httpStatus == 0 && info.at_key("error_code").get(v) == simdjson::SUCCESS) {
        const std::string t = scalarText(v);
        const int code = std::atoi(t.c_str());
        if (code >= 100 && code < 600) {
            span.httpStatus = static_cast<uint16_t>(code);
        }
    }
}

// Parses without the copy simdjson makes of unpadded input on every call: the text goes into a buffer kept
// with room for its padding.
simdjson::error_code parsePadded(simdjson::dom::parser& parser, std::string_view json,
                                 simdjson::dom::element* out) {
    thread_local std::string buffer;
    buffer.reserve(json.size() + simdjson::SIMDJSON_PADDING);
    buffer.assign(json);
    return parser.parse(buffer.data(), buffer.size(), false).get(*out);
}

bool applyMetadata(std::string_view json, StringPool& strings, RawSpan& span) {
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parsePadded(parser, json, &root) != simdjson::SUCCESS) {
        return false;
    }
    simdjson::dom::object object;
    if (root.get(object) != simdjson::SUCCESS) {
        return root.type() == simdjson::dom::element_type::NULL_VALUE;
    }
    fillFromObject(object, strings, span);
    for (std::string_view nested : {"requester_metadata", "spend_logs_metadata"}) {
        simdjson::dom::object inner;
        if (object.at_key(nested).get(inner) == simdjson::SUCCESS) {
            fillFromObject(inner, strings, span);
        }
    }
    simdjson::dom::object error;
    if (object.at_key("error_information").get(error) == simdjson::SUCCESS) {
        fillError(error, strings, span);
    }
    return true;
}

void applyTag(std::string_view tag, StringPool& strings, RawSpan& span) {
    const size_t sep = tag.find_first_of(":=");
    if (sep == std::string_view::npos || sep == 0 || sep + 1 >= tag.size()) {
        return;
    }
    const std::string_view key = tag.substr(0, sep);
    const std::string_view value = tag.substr(sep + 1);
    for (const auto& d : kDimensionKeys) {
        if ((span.*d.member).value == 0 && anyOf(key, d.keys)) {
            span.*d.member = strings.intern(value);
            return;
        }
    }
}

// A JSON array of strings, or PostgreSQL's text form of an array: {a,"b c"}.
void applyTags(std::string_view text, StringPool& strings, RawSpan& span) {
    if (text.empty()) {
        return;
    }
    if (text.front() == '[') {
        thread_local simdjson::dom::parser parser;
        simdjson::dom::element root;
        simdjson::dom::array array;
        if (parsePadded(parser, text, &root) == simdjson::SUCCESS && root.get(array) == simdjson::SUCCESS) {
            for (auto element : array) {
                std::string_view s;
                if (element.get(s) == simdjson::SUCCESS) {
                    applyTag(s, strings, span);
                }
            }
        }
        return;
    }
    if (text.front() == '{' && text.back() == '}') {
        std::string item;
        bool quoted = false;
        for (size_t i = 1; i + 1 < text.size(); ++i) {
            const char c = text[i];
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && i + 2 < text.size()) {
                item += text[++i];
            } else if (c == ',' && !quoted) {
                applyTag(item, strings, span);
                item.clear();
            } else {
                item += c;
            }
        }
        applyTag(item, strings, span);
    }
}

int64_t readCount(const db::Row& row, int column) {
    if (column < 0) {
        return -1;
    }
    const auto v = row.integer(column);
    return v && *v >= 0 ? *v : -1;
}

}  // namespace

bool readRowTime(const db::Row& row, int column, int64_t* ns) {
    if (row.isNull(column)) {
        return false;
    }
    if (parseTimestamp(row.text(column), ns)) {
        return true;
    }
    if (const auto v = row.real(column); v && std::isfinite(*v) && *v > 0) {
        *ns = epochToNs(*v);
        return true;
    }
    return false;
}

std::string_view fieldName(Field field) {
    return kFields[static_cast<size_t>(field)].name;
}

std::string_view fieldMeaning(Field field) {
    return kFields[static_cast<size_t>(field)].meaning;
}

bool isField(std::string_view column, Field field) {
    return equalsNoCase(column, fieldName(field));
}

bool isFieldName(std::string_view column) {
    return std::any_of(std::begin(kFields), std::end(kFields),
                       [&](const FieldText& f) { return equalsNoCase(column, f.name); });
}

uint64_t rowKeyBits(std::string_view key) {
    return hashId(key) & 0xffffffffffffULL;
}

SpanKind spanKindFromText(std::string_view t) {
    if (anyOf(t, {"llm", "generation", "chat", "completion", "text_completion", "acompletion", "model"})) {
        return SpanKind::Llm;
    }
    if (anyOf(t, {"embedding", "embeddings", "aembedding"})) {
        return SpanKind::Embedding;
    }
    if (anyOf(t, {"retrieval", "retriever"})) {
        return SpanKind::Retrieval;
    }
    if (anyOf(t, {"tool", "function"})) {
        return SpanKind::Tool;
    }
    if (anyOf(t, {"agent"})) {
        return SpanKind::Agent;
    }
    if (anyOf(t, {"chain"})) {
        return SpanKind::Chain;
    }
    if (anyOf(t, {"eval", "evaluator"})) {
        return SpanKind::Eval;
    }
    if (anyOf(t, {"guardrail"})) {
        return SpanKind::Guardrail;
    }
    if (anyOf(t, {"reranker", "rerank"})) {
        return SpanKind::Reranker;
    }
    return SpanKind::Other;
}

void FieldRowMapper::bind(const db::Row& row) {
    column_.fill(-1);
    for (int c = 0; c < row.size(); ++c) {
        for (size_t f = 0; f < kFieldCount; ++f) {
            if (column_[f] < 0 && equalsNoCase(row.columnName(c), kFields[f].name)) {
                column_[f] = c;
            }
        }
    }
    bound_ = true;
}

std::string_view FieldRowMapper::text(const db::Row& row, Field field) const {
    const int c = column_[static_cast<size_t>(field)];
    return c >= 0 && !row.isNull(c) ? row.text(c) : std::string_view();
}

bool FieldRowMapper::read(const db::Row& row, SourceIndex source, StringPool& strings, RawSpan* span,
                          std::string* key, std::string* problem, std::string* warning) {
    *span = RawSpan{};
    const std::string_view traceText = text(row, Field::TraceId);
    const std::string_view spanText = text(row, Field::SpanId);
    key->assign(!spanText.empty() ? spanText : traceText);
    if (key->empty()) {
        *problem = "the row has neither a trace_id nor a span_id";
        return false;
    }
    // Without a trace id, each row is a request of its own.
    span->traceId = strings.intern(canonicalTraceId(traceText.empty() ? spanText : traceText, traceBuffer_));
    span->spanId = parseSpanId(*key);
    span->parentSpanId = parseSpanId(text(row, Field::ParentSpanId));
    if (span->parentSpanId == span->spanId) {
        span->parentSpanId = 0;
    }
    span->cold = ColdRef::make(source, rowKeyBits(*key));

    const int startColumn = column_[static_cast<size_t>(Field::StartTime)];
    if (startColumn < 0 || !readRowTime(row, startColumn, &span->startNs)) {
        *problem = startColumn < 0 || row.isNull(startColumn)
                       ? "no start_time"
                       : "start_time is not a time: " + std::string(row.text(startColumn));
        return false;
    }
    span->endNs = span->startNs;
    const int endColumn = column_[static_cast<size_t>(Field::EndTime)];
    const int durationColumn = column_[static_cast<size_t>(Field::DurationMs)];
    if (endColumn >= 0 && readRowTime(row, endColumn, &span->endNs)) {
        // end given
    } else if (durationColumn >= 0 && row.real(durationColumn)) {
        span->endNs = span->startNs + static_cast<int64_t>(std::llround(*row.real(durationColumn) * 1e6));
    }
    if (span->endNs < span->startNs) {
        *warning = "ends before it starts (clock skew?); duration set to 0";
        span->endNs = span->startNs;
    }

    const auto intern = [&](Field f) {
        const std::string_view t = text(row, f);
        return t.empty() ? StringId{} : strings.intern(t);
    };
    span->name = intern(Field::Name);
    span->service = intern(Field::Service);
    span->model = intern(Field::Model);
    span->provider = intern(Field::Provider);
    span->promptName = intern(Field::PromptName);
    span->promptVersion = intern(Field::PromptVersion);
    span->feature = intern(Field::Feature);
    span->user = intern(Field::UserId);
    span->session = intern(Field::SessionId);
    span->tenant = intern(Field::Tenant);
    span->tenantTier = intern(Field::TenantTier);
    span->environment = intern(Field::Environment);
    span->finishReason = intern(Field::FinishReason);
    span->errorType = intern(Field::ErrorType);
    span->statusMessage = intern(Field::StatusMessage);

    const std::string_view kind = text(row, Field::Kind);
    span->kind =
        !kind.empty() ? spanKindFromText(kind) : (span->model.value ? SpanKind::Llm : SpanKind::Other);
    if (const int c = column_[static_cast<size_t>(Field::HttpStatus)]; c >= 0) {
        const auto code = row.integer(c);
        span->httpStatus = code && *code >= 100 && *code < 600 ? static_cast<uint16_t>(*code) : 0;
    }
    const std::string_view status = text(row, Field::Status);
    if (anyOf(status, {"error", "failure", "failed", "fail", "exception", "status_code_error"})) {
        span->status = SpanStatus::Error;
    } else if (anyOf(status, {"ok", "success", "succeeded", "status_code_ok"})) {
        span->status = SpanStatus::Ok;
    } else if (status.empty() && span->httpStatus >= 400) {
        span->status = SpanStatus::Error;
    }

    span->inputTokens = readCount(row, column_[static_cast<size_t>(Field::InputTokens)]);
    span->outputTokens = readCount(row, column_[static_cast<size_t>(Field::OutputTokens)]);
    span->cachedTokens = readCount(row, column_[static_cast<size_t>(Field::CachedTokens)]);
    if (const int c = column_[static_cast<size_t>(Field::CostUsd)]; c >= 0) {
        const auto cost = row.real(c);
        span->costUsd = cost && std::isfinite(*cost) && *cost >= 0 ? *cost : kNaN;
    }
    int64_t firstToken = 0;
    if (const int c = column_[static_cast<size_t>(Field::CompletionStartTime)];
        c >= 0 && readRowTime(row, c, &firstToken) && firstToken >= span->startNs && firstToken < span->endNs) {
        // A first token at the very end is what non-streaming calls record: no time to first token then.
        span->ttftNs = firstToken - span->startNs;
    } else if (const int t = column_[static_cast<size_t>(Field::TtftMs)];
               t >= 0 && row.real(t) && *row.real(t) >= 0) {
        span->ttftNs = static_cast<int64_t>(std::llround(*row.real(t) * 1e6));
    }

    if (const std::string_view metadata = text(row, Field::Metadata); !metadata.empty()) {
        if (!applyMetadata(metadata, strings, *span)) {
            *warning += std::string(warning->empty() ? "" : "; ") + "metadata is not valid JSON; ignored";
        }
    }
    applyTags(text(row, Field::Tags), strings, *span);
    if (span->tenant.value == 0) {
        span->tenant = intern(Field::Team);
    }
    return true;
}

}  // namespace ps
