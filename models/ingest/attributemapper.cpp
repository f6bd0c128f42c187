#include "attributemapper.h"

#include <array>
#include <charconv>
#include <cstring>

#include "traceids.h"

namespace ps {

// Every field an attribute can set; the mapper remembers the priority of the vocabulary that set it last.
enum SpanAttributeMapper::Field : uint8_t {
    kModel,
    kProvider,
    kFinishReason,
    kInputTokens,
    kOutputTokens,
    kCachedTokens,
    kReasoningTokens,
    kCost,
    kTtft,
    kPromptName,
    kPromptVersion,
    kFeature,
    kUser,
    kSession,
    kTenant,
    kTenantTier,
    kEnvironment,
    kKind,
    kErrorType,
    kHttpStatus,
    kService,
    kStatusMessage,
    kFieldCount
};

namespace {

using Field = uint8_t;

// Vocabulary priorities: the newest convention wins when a span carries several.
constexpr uint8_t kGenAi = 50;
constexpr uint8_t kGenAiDeprecated = 40;
constexpr uint8_t kOpenInference = 30;
constexpr uint8_t kTraceloop = 20;
constexpr uint8_t kLangfuse = 15;
constexpr uint8_t kPlain = 10;
constexpr uint8_t kWeak = 5;

enum class Action : uint8_t {
    String,        // intern into the field
    Int,           // token counts, HTTP status
    Cost,          // USD
    CostPrompt,    // llm.cost.prompt, summed with the completion part when no total is given
    CostCompletion,
    FinishReason,  // string or the first element of an array
    TtftSeconds,
    KindGenAiOperation,
    KindName,           // openinference / traceloop / langfuse / plain span kind names
    KindLlmRequestType, // traceloop llm.request.type
    UsageJson,          // langfuse usage_details
    CostJson,           // langfuse cost_details
    LangfuseLevel,
    EvalName,
    EvalScore,
    EvalLabel,
    EvalExplanation,
};

struct Rule {
    std::string_view key;
    Action action;
    Field field;
    uint8_t priority;
};

using F = SpanAttributeMapper::Field;

constexpr Rule kRules[] = {
    // OpenTelemetry GenAI, current names
    {"gen_ai.provider.name", Action::String, F::kProvider, kGenAi},
    {"gen_ai.operation.name", Action::KindGenAiOperation, F::kKind, kGenAi},
    {"gen_ai.request.model", Action::String, F::kModel, kGenAi},
    {"gen_ai.response.model", Action::String, F::kModel, kGenAi + 1},
    {"gen_ai.response.finish_reasons", Action::FinishReason, F::kFinishReason, kGenAi},
    {"gen_ai.response.time_to_first_chunk", Action::TtftSeconds, F::kTtft, kGenAi},
    {"gen_ai.usage.input_tokens", Action::Int, F::kInputTokens, kGenAi},
    {"gen_ai.usage.output_tokens", Action::Int, F::kOutputTokens, kGenAi},
    {"gen_ai.usage.cache_read.input_tokens", Action::Int, F::kCachedTokens, kGenAi},
    {"gen_ai.usage.reasoning.output_tokens", Action::Int, F::kReasoningTokens, kGenAi},
    {"gen_ai.usage.cost", Action::Cost, F::kCost, kGenAi},
    {"gen_ai.conversation.id", Action::String, F::kSession, kGenAi},
    {"gen_ai.prompt.name", Action::String, F::kPromptName, kGenAi},
    {"gen_ai.evaluation.name", Action::EvalName, 0, 0},
    {"gen_ai.evaluation.score.value", Action::EvalScore, 0, 0},
    {"gen_ai.evaluation.score.label", Action::EvalLabel, 0, 0},
    {"gen_ai.evaluation.explanation", Action::EvalExplanation, 0, 0},
    {"error.type", Action::String, F::kErrorType, kGenAi},
    {"http.response.status_code", Action::Int, F::kHttpStatus, kGenAi},
    {"deployment.environment.name", Action::String, F::kEnvironment, kGenAi},
    // GenAI, deprecated names
    {"gen_ai.system", Action::String, F::kProvider, kGenAiDeprecated},
    {"gen_ai.usage.prompt_tokens", Action::Int, F::kInputTokens, kGenAiDeprecated},
    {"gen_ai.usage.completion_tokens", Action::Int, F::kOutputTokens, kGenAiDeprecated},
    {"gen_ai.completion.0.finish_reason", Action::FinishReason, F::kFinishReason, kGenAiDeprecated},
    {"http.status_code", Action::Int, F::kHttpStatus, kGenAiDeprecated},
    {"deployment.environment", Action::String, F::kEnvironment, kGenAiDeprecated},
    // OpenInference
    {"openinference.span.kind", Action::KindName, F::kKind, kOpenInference},
    {"llm.model_name", Action::String, F::kModel, kOpenInference},
    {"llm.provider", Action::String, F::kProvider, kOpenInference},
    {"llm.system", Action::String, F::kProvider, kOpenInference - 1},
    {"llm.finish_reason", Action::FinishReason, F::kFinishReason, kOpenInference},
    {"llm.token_count.prompt", Action::Int, F::kInputTokens, kOpenInference},
    {"llm.token_count.completion", Action::Int, F::kOutputTokens, kOpenInference},
    {"llm.token_count.prompt_details.cache_read", Action::Int, F::kCachedTokens, kOpenInference},
    {"llm.token_count.completion_details.reasoning", Action::Int, F::kReasoningTokens, kOpenInference},
    {"llm.cost.total", Action::Cost, F::kCost, kOpenInference},
    {"llm.cost.prompt", Action::CostPrompt, F::kCost, kOpenInference},
    {"llm.cost.completion", Action::CostCompletion, F::kCost, kOpenInference},
    {"llm.prompt_template.version", Action::String, F::kPromptVersion, kOpenInference},
    {"session.id", Action::String, F::kSession, kOpenInference},
    {"user.id", Action::String, F::kUser, kOpenInference},
    // OpenLLMetry / Traceloop
    {"traceloop.span.kind", Action::KindName, F::kKind, kTraceloop},
    {"llm.request.type", Action::KindLlmRequestType, F::kKind, kTraceloop},
    {"gen_ai.usage.cache_read_input_tokens", Action::Int, F::kCachedTokens, kTraceloop},
    {"traceloop.prompt.key", Action::String, F::kPromptName, kTraceloop},
    {"traceloop.prompt.version", Action::String, F::kPromptVersion, kTraceloop},
    {"traceloop.workflow.name", Action::String, F::kFeature, kWeak},
    {"traceloop.association.properties.session_id", Action::String, F::kSession, kTraceloop},
    {"traceloop.association.properties.user_id", Action::String, F::kUser, kTraceloop},
    {"traceloop.association.properties.feature", Action::String, F::kFeature, kTraceloop},
    {"traceloop.association.properties.tenant_id", Action::String, F::kTenant, kTraceloop},
    {"traceloop.association.properties.customer_id", Action::String, F::kTenant, kTraceloop},
    {"traceloop.association.properties.environment", Action::String, F::kEnvironment, kTraceloop},
    // Langfuse's OTel attributes
    {"langfuse.observation.type", Action::KindName, F::kKind, kLangfuse},
    {"langfuse.observation.level", Action::LangfuseLevel, F::kStatusMessage, kLangfuse},
    {"langfuse.observation.status_message", Action::String, F::kStatusMessage, kLangfuse},
    {"langfuse.observation.model.name", Action::String, F::kModel, kLangfuse},
    {"langfuse.observation.usage_details", Action::UsageJson, F::kInputTokens, kLangfuse},
    {"langfuse.observation.cost_details", Action::CostJson, F::kCost, kLangfuse},
    {"langfuse.observation.prompt.name", Action::String, F::kPromptName, kLangfuse},
    {"langfuse.observation.prompt.version", Action::String, F::kPromptVersion, kLangfuse},
    {"langfuse.session.id", Action::String, F::kSession, kLangfuse},
    {"langfuse.user.id", Action::String, F::kUser, kLangfuse},
    {"langfuse.environment", Action::String, F::kEnvironment, kLangfuse},
    // Plain application keys
    {"prompt.name", Action::String, F::kPromptName, kPlain},
    {"prompt.version", Action::String, F::kPromptVersion, kPlain},
    {"prompt_name", Action::String, F::kPromptName, kPlain},
    {"prompt_version", Action::String, F::kPromptVersion, kPlain},
    {"feature", Action::String, F::kFeature, kPlain},
    {"feature_name", Action::String, F::kFeature, kPlain},
    {"feature.name", Action::String, F::kFeature, kPlain},
    {"app.feature", Action::String, F::kFeature, kPlain},
    {"tenant.id", Action::String, F::kTenant, kPlain},
    {"tenant_id", Action::String, F::kTenant, kPlain},
    {"customer_id", Action::String, F::kTenant, kPlain},
    {"customer.id", Action::String, F::kTenant, kPlain},
    {"tenant.tier", Action::String, F::kTenantTier, kPlain},
    {"customer.tier", Action::String, F::kTenantTier, kPlain},
    {"enduser.id", Action::String, F::kUser, kPlain - 1},
    {"session_id", Action::String, F::kSession, kPlain},
    {"user_id", Action::String, F::kUser, kPlain},
    {"environment", Action::String, F::kEnvironment, kPlain},
    {"span.kind", Action::KindName, F::kKind, kPlain},
    {"service.name", Action::String, F::kService, kPlain},
    {"cost_usd", Action::Cost, F::kCost, kPlain},
};

uint32_t keyHash(std::string_view key) {
    uint32_t h = 2166136261u;
    for (char c : key) {
        h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    }
    return h;
}

// Open-addressing table over kRules, built once; a lookup hashes the key and compares one or two entries.
class RuleTable {
public:
    RuleTable() {
        slots_.fill(0);
        for (size_t i = 0; i < std::size(kRules); ++i) {
            uint32_t s = keyHash(kRules[i].key) & kMask;
            while (slots_[s] != 0) {
                s = (s + 1) & kMask;
            }
            slots_[s] = static_cast<uint16_t>(i + 1);
        }
    }
    [[nodiscard]] const Rule* find(std::string_view key) const {
        uint32_t s = keyHash(key) & kMask;
        while (slots_[s] != 0) {
            const Rule& r = kRules[slots_[s] - 1];
            if (r.key == key) {
                return &r;
            }
            s = (s + 1) & kMask;
        }
        return nullptr;
    }

private:
    static constexpr uint32_t kSize = 512;
    static constexpr uint32_t kMask = kSize - 1;
    static_assert(std::size(kRules) < kSize / 2);
    std::array<uint16_t, kSize> slots_{};
};

const RuleTable& rules() {
    static const RuleTable table;
    return table;
}

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equalsNoCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

bool kindFromGenAiOperation(std::string_view op, SpanKind* out) {
    struct Entry {
        std::string_view name;
        SpanKind kind;
    };
    static constexpr Entry kOps[] = {
        {"chat", SpanKind::Llm},          {"generate_content", SpanKind::Llm}, {"text_completion", SpanKind::Llm},
        {"embeddings", SpanKind::Embedding}, {"retrieval", SpanKind::Retrieval}, {"create_agent", SpanKind::Agent},
        {"invoke_agent", SpanKind::Agent}, {"execute_tool", SpanKind::Tool},    {"invoke_workflow", SpanKind::Chain},
    };
    for (const auto& e : kOps) {
        if (equalsNoCase(op, e.name)) {
            *out = e.kind;
            return true;
        }
    }
    return false;
}

// Span kind names used by OpenInference (upper case), Traceloop (lower case), Langfuse observation types and
// plain attributes.
bool kindFromName(std::string_view name, SpanKind* out) {
    struct Entry {
        std::string_view name;
        SpanKind kind;
    };
    static constexpr Entry kNames[] = {
        {"llm", SpanKind::Llm},           {"generation", SpanKind::Llm},       {"chat", SpanKind::Llm},
        {"tool", SpanKind::Tool},         {"retriever", SpanKind::Retrieval},  {"retrieval", SpanKind::Retrieval},
        {"embedding", SpanKind::Embedding}, {"embeddings", SpanKind::Embedding}, {"agent", SpanKind::Agent},
        {"chain", SpanKind::Chain},       {"workflow", SpanKind::Chain},       {"task", SpanKind::Chain},
        {"evaluator", SpanKind::Eval},    {"eval", SpanKind::Eval},            {"guardrail", SpanKind::Guardrail},
        {"reranker", SpanKind::Reranker}, {"span", SpanKind::Other},           {"event", SpanKind::Other},
        {"unknown", SpanKind::Other},     {"prompt", SpanKind::Other},
    };
    for (const auto& e : kNames) {
        if (equalsNoCase(name, e.name)) {
            *out = e.kind;
            return true;
        }
    }
    return false;
}

bool parseDouble(std::string_view text, double* out) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '"')) {
        text.remove_prefix(1);
    }
    if (text.empty()) {
        return false;
    }
    const char* end = text.data() + text.size();
    auto r = std::from_chars(text.data(), end, *out);
    return r.ec == std::errc() && r.ptr != text.data();
}

}  // namespace

std::optional<int64_t> AttrValue::asInt() const {
    switch (type) {
    case Type::Int:
        return i;
    case Type::Double:
        if (std::isfinite(d) && d >= -9.2e18 && d <= 9.2e18) {
            return static_cast<int64_t>(std::llround(d));
        }
        return std::nullopt;
    case Type::Bool:
        return b ? 1 : 0;
    case Type::String:
    case Type::StringArray: {
        int64_t v = 0;
        auto r = std::from_chars(str.data(), str.data() + str.size(), v);
        if (r.ec == std::errc() && r.ptr == str.data() + str.size()) {
            return v;
        }
        double dv = 0;
        if (parseDouble(str, &dv) && std::isfinite(dv) && std::abs(dv) < 9.2e18) {
            return static_cast<int64_t>(std::llround(dv));
        }
        return std::nullopt;
    }
    case Type::None:
        break;
    }
    return std::nullopt;
}

std::optional<double> AttrValue::asDouble() const {
    switch (type) {
    case Type::Int:
        return static_cast<double>(i);
    case Type::Double:
        return d;
    case Type::Bool:
        return b ? 1.0 : 0.0;
    case Type::String:
    case Type::StringArray: {
        double v = 0;
        if (parseDouble(str, &v)) {
            return v;
        }
        return std::nullopt;
    }
    case Type::None:
        break;
    }
    return std::nullopt;
}

EvalOutcome outcomeFromLabel(std::string_view label) {
    static constexpr std::string_view kPass[] = {"pass", "passed", "true", "yes", "correct", "ok", "success", "good"};
    static constexpr std::string_view kFail[] = {"fail",  "failed", "false",  "no",   "incorrect",
                                                 "error", "bad",    "unsafe", "hallucinated"};
    for (auto p : kPass) {
        if (equalsNoCase(label, p)) {
            return EvalOutcome::Pass;
        }
    }
    for (auto f : kFail) {
        if (equalsNoCase(label, f)) {
            return EvalOutcome::Fail;
        }
    }
    return EvalOutcome::Unknown;
}

void applyResourceDefaults(const RawSpan& resource, RawSpan& span) {
    auto fill = [](StringId& dst, StringId src) {
        if (dst.value == 0) {
            dst = src;
        }
    };
    fill(span.service, resource.service);
    fill(span.environment, resource.environment);
    fill(span.feature, resource.feature);
    fill(span.tenant, resource.tenant);
    fill(span.tenantTier, resource.tenantTier);
    fill(span.user, resource.user);
    fill(span.session, resource.session);
    fill(span.promptName, resource.promptName);
    fill(span.promptVersion, resource.promptVersion);
}

StringId SpanAttributeMapper::intern(std::string_view text) {
    if (text.size() > kMaxInternedLength) {
        size_t cut = kMaxInternedLength;
        // Step back over UTF-8 continuation bytes so the cut never splits a character.
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
            --cut;
        }
        text = text.substr(0, cut);
    }
    return strings_.intern(text);
}

void SpanAttributeMapper::begin(RawSpan* span) {
    span_ = span;
    priority_.fill(0);
    costPrompt_ = kNaN;
    costCompletion_ = kNaN;
    evalName_ = {};
    evalLabel_ = {};
    evalExplanation_ = {};
    evalScore_ = kNaN;
}

bool SpanAttributeMapper::claim(Field field, uint8_t priority) {
    if (priority < priority_[field]) {
        return false;
    }
    priority_[field] = priority;
    return true;
}

void SpanAttributeMapper::apply(std::string_view key, const AttrValue& value) {
    const Rule* rule = rules().find(key);
    if (!rule || !span_ || value.type == AttrValue::Type::None) {
        return;
    }
    RawSpan& s = *span_;
    const auto field = static_cast<Field>(rule->field);
    switch (rule->action) {
    case Action::String: {
        std::string_view text = value.str;
        std::string number;
        if (value.type == AttrValue::Type::Int) {
            number = std::to_string(value.i);
            text = number;
        } else if (value.type == AttrValue::Type::Double || value.type == AttrValue::Type::Bool) {
            if (auto iv = value.asInt(); iv && value.type == AttrValue::Type::Double && *iv == value.d) {
                number = std::to_string(*iv);
            } else if (value.type == AttrValue::Type::Bool) {
                number = value.b ? "true" : "false";
            } else {
                number = std::to_string(value.d);
            }
            text = number;
        }
        if (text.empty() || !claim(field, rule->priority)) {
            return;
        }
        const StringId id = intern(text);
        switch (field) {
        case kModel: s.model = id; break;
        case kProvider: s.provider = id; break;
        case kPromptName: s.promptName = id; break;
        case kPromptVersion: s.promptVersion = id; break;
        case kFeature: s.feature = id; break;
        case kUser: s.user = id; break;
        case kSession: s.session = id; break;
        case kTenant: s.tenant = id; break;
        case kTenantTier: s.tenantTier = id; break;
        case kEnvironment: s.environment = id; break;
        case kErrorType: s.errorType = id; break;
        case kService: s.service = id; break;
        case kStatusMessage: s.statusMessage = id; break;
        default: break;
        }
        return;
    }
    case Action::Int: {
        auto v = value.asInt();
        if (!v || *v < 0 || !claim(field, rule->priority)) {
            return;
        }
        switch (field) {
        case kInputTokens: s.inputTokens = *v; break;
        case kOutputTokens: s.outputTokens = *v; break;
        case kCachedTokens: s.cachedTokens = *v; break;
        case kReasoningTokens: s.reasoningTokens = *v; break;
        case kHttpStatus: s.httpStatus = static_cast<uint16_t>(std::min<int64_t>(*v, 65535)); break;
        default: break;
        }
        return;
    }
    case Action::Cost: {
        auto v = value.asDouble();
        if (v && std::isfinite(*v) && *v >= 0 && claim(field, rule->priority)) {
            s.costUsd = *v;
        }
        return;
    }
    case Action::CostPrompt:
    case Action::CostCompletion: {
        auto v = value.asDouble();
        if (v && std::isfinite(*v) && *v >= 0) {
            (rule->action == Action::CostPrompt ? costPrompt_ : costCompletion_) = *v;
        }
        return;
    }
    case Action::FinishReason:
        if (!value.str.empty() && claim(field, rule->priority)) {
            s.finishReason = intern(value.str);
        }
        return;
    case Action::TtftSeconds: {
        auto v = value.asDouble();
        if (v && std::isfinite(*v) && *v >= 0 && *v < 1e6 && claim(field, rule->priority)) {
            s.ttftNs = static_cast<int64_t>(*v * 1e9);
        }
        return;
    }
    case Action::KindGenAiOperation:
    case Action::KindName:
    case Action::KindLlmRequestType: {
        SpanKind kind = SpanKind::Other;
        bool known = false;
        if (rule->action == Action::KindGenAiOperation) {
            known = kindFromGenAiOperation(value.str, &kind);
        } else if (rule->action == Action::KindName) {
            known = kindFromName(value.str, &kind);
        } else {
            known = equalsNoCase(value.str, "chat") || equalsNoCase(value.str, "completion");
            kind = SpanKind::Llm;
        }
        if (known && claim(field, rule->priority)) {
            s.kind = kind;
        }
        return;
    }
    case Action::UsageJson:
        applyUsageJson(value.str, false);
        return;
    case Action::CostJson:
        applyUsageJson(value.str, true);
        return;
    case Action::LangfuseLevel:
        if (equalsNoCase(value.str, "ERROR")) {
            s.status = SpanStatus::Error;
        }
        return;
    case Action::EvalName:
        evalName_ = intern(value.str);
        return;
    case Action::EvalScore:
        if (auto v = value.asDouble()) {
            evalScore_ = *v;
        }
        return;
    case Action::EvalLabel:
        evalLabel_ = intern(value.str);
        return;
    case Action::EvalExplanation:
        evalExplanation_ = intern(value.str);
        return;
    }
}

// Langfuse usage_details / cost_details: a flat JSON object of numbers whose keys vary by provider
// ({"input":12,"output":30}, {"prompt_tokens":...}, {"total":0.0012}).
void SpanAttributeMapper::applyUsageJson(std::string_view json, bool cost) {
    double input = kNaN;
    double output = kNaN;
    double cached = kNaN;
    double total = kNaN;
    size_t pos = 0;
    while (true) {
        const size_t q = json.find('"', pos);
        if (q == std::string_view::npos) {
            break;
        }
        const size_t qe = json.find('"', q + 1);
        if (qe == std::string_view::npos) {
            break;
        }
        const std::string_view key = json.substr(q + 1, qe - q - 1);
        size_t v = qe + 1;
        while (v < json.size() && (json[v] == ' ' || json[v] == ':')) {
            ++v;
        }
        pos = v;
        double number = 0;
        const char* end = json.data() + json.size();
        auto r = std::from_chars(json.data() + v, end, number);
        if (r.ec != std::errc() || !std::isfinite(number)) {
            continue;
        }
        pos = static_cast<size_t>(r.ptr - json.data());
        if (key == "input" || key == "prompt_tokens" || key == "input_tokens" || key == "promptTokens") {
            input = number;
        } else if (key == "output" || key == "completion_tokens" || key == "output_tokens" ||
                   key == "completionTokens") {
            output = number;
        } else if (key == "input_cached_tokens" || key == "cache_read_input_tokens" || key == "input_cache_read") {
            cached = number;
        } else if (key == "total") {
            total = number;
        }
    }
    RawSpan& s = *span_;
    if (cost) {
        double c = !std::isnan(total) ? total : (std::isnan(input) ? 0 : input) + (std::isnan(output) ? 0 : output);
        if ((!std::isnan(total) || !std::isnan(input) || !std::isnan(output)) && c >= 0 && claim(kCost, kLangfuse)) {
            s.costUsd = c;
        }
        return;
    }
    if (!std::isnan(input) && input >= 0 && claim(kInputTokens, kLangfuse)) {
        s.inputTokens = static_cast<int64_t>(input);
    }
    if (!std::isnan(output) && output >= 0 && claim(kOutputTokens, kLangfuse)) {
        s.outputTokens = static_cast<int64_t>(output);
    }
    if (!std::isnan(cached) && cached >= 0 && claim(kCachedTokens, kLangfuse)) {
        s.cachedTokens = static_cast<int64_t>(cached);
    }
}

void SpanAttributeMapper::applyException(std::string_view type, std::string_view message) {
    if (!span_) {
        return;
    }
    if (span_->errorType.value == 0 && !type.empty()) {
        span_->errorType = intern(type);
    }
    if (span_->statusMessage.value == 0 && !message.empty()) {
        span_->statusMessage = intern(message);
    }
}

void SpanAttributeMapper::finish() {
    if (!span_) {
        return;
    }
    RawSpan& s = *span_;
    if ((!std::isnan(costPrompt_) || !std::isnan(costCompletion_)) && claim(kCost, kOpenInference - 1)) {
        s.costUsd = (std::isnan(costPrompt_) ? 0 : costPrompt_) + (std::isnan(costCompletion_) ? 0 : costCompletion_);
    }
    // A span that names a model or counts tokens but declares no kind is a model call.
    if (s.kind == SpanKind::Other && priority_[kKind] == 0 &&
        (s.model.value != 0 || s.inputTokens >= 0 || s.outputTokens >= 0)) {
        s.kind = SpanKind::Llm;
    }
    span_ = nullptr;
}

bool SpanAttributeMapper::spanEvaluation(RawEval* out) const {
    if (evalName_.value == 0 && std::isnan(evalScore_) && evalLabel_.value == 0) {
        return false;
    }
    out->name = evalName_;
    out->score = evalScore_;
    out->label = evalLabel_;
    out->explanation = evalExplanation_;
    out->outcome = outcomeFromLabel(strings_.view(evalLabel_));
    return true;
}

}  // namespace ps
