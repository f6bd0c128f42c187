#include "flow.h"

#include <algorithm>
#include <cmath>

namespace ps::scenario {

std::string hex(uint64_t v, int digits) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(static_cast<size_t>(digits), '0');
    for (int i = digits - 1; i >= 0; --i) {
        out[static_cast<size_t>(i)] = kDigits[v & 15];
        v >>= 4;
    }
    return out;
}

Attr str(std::string key, std::string value) {
    Attr a;
    a.key = std::move(key);
    a.s = std::move(value);
    return a;
}
Attr num(std::string key, int64_t value) {
    Attr a;
    a.key = std::move(key);
    a.type = Attr::Type::Int;
    a.i = value;
    return a;
}
Attr real(std::string key, double value) {
    Attr a;
    a.key = std::move(key);
    a.type = Attr::Type::Double;
    a.d = value;
    return a;
}
Attr list(std::string key, std::string first) {
    Attr a = str(std::move(key), std::move(first));
    a.type = Attr::Type::StringArray;
    return a;
}

Span& Flow::add(uint64_t parent, std::string name, int kind, int64_t durationNs) {
    Span s;
    s.id = rng.next() | 1;
    s.parent = parent;
    s.name = std::move(name);
    s.kind = kind;
    s.startNs = cursor;
    s.endNs = cursor + std::max<int64_t>(durationNs, 100000);
    cursor = s.endNs + ms(rng.uniform() * 3);
    r.spans.push_back(std::move(s));
    return r.spans.back();
}

void Flow::kindAttr(Span& s, const char* genAiOperation, const char* openInferenceKind, const char* plainKind) {
    if (vocab == Vocabulary::OpenInference) {
        s.attrs.push_back(str("openinference.span.kind", openInferenceKind));
    } else if (vocab == Vocabulary::GenAi && genAiOperation) {
        s.attrs.push_back(str("gen_ai.operation.name", genAiOperation));
    } else {
        s.attrs.push_back(str("span.kind", plainKind));
    }
}

Span& Flow::llm(uint64_t parent, const std::string& model, const std::string& provider, const std::string& prompt,
                const std::string& version, int64_t in, int64_t out, int64_t cached, const std::string& finish,
                double msPerToken) {
    const double ttft = rng.lognormal(350, 0.35);
    const double duration = ttft + static_cast<double>(out) * msPerToken * rng.lognormal(1.0, 0.15);
    Span& s = add(parent, vocab == Vocabulary::OpenInference ? std::string("ChatCompletion") : "chat " + model, 3,
                  ms(duration));
    const std::string responseModel = model == "gpt-4.1"            ? "gpt-4.1-2025-04-14"
                                      : model == "gpt-4.1-mini"     ? "gpt-4.1-mini-2025-04-14"
                                      : model == "claude-sonnet-4"  ? "claude-sonnet-4-20250514"
                                      : model == "gpt-4o-mini"      ? "gpt-4o-mini-2024-07-18"
                                                                    : model;
    switch (vocab) {
    case Vocabulary::GenAi:
        s.attrs.push_back(str("gen_ai.operation.name", "chat"));
        s.attrs.push_back(str("gen_ai.provider.name", provider));
        s.attrs.push_back(str("gen_ai.request.model", model));
        s.attrs.push_back(str("gen_ai.response.model", responseModel));
        s.attrs.push_back(num("gen_ai.usage.input_tokens", in));
        s.attrs.push_back(num("gen_ai.usage.output_tokens", out));
        if (cached > 0) {
            s.attrs.push_back(num("gen_ai.usage.cache_read.input_tokens", cached));
        }
        s.attrs.push_back(list("gen_ai.response.finish_reasons", finish));
        s.attrs.push_back(real("gen_ai.response.time_to_first_chunk", std::round(ttft) / 1000.0));
        break;
    case Vocabulary::GenAiDeprecated:
        s.attrs.push_back(str("gen_ai.system", provider));
        s.attrs.push_back(str("gen_ai.request.model", model));
        s.attrs.push_back(num("gen_ai.usage.prompt_tokens", in));
        s.attrs.push_back(num("gen_ai.usage.completion_tokens", out));
        s.attrs.push_back(list("gen_ai.response.finish_reasons", finish));
        break;
    case Vocabulary::OpenInference:
        s.attrs.push_back(str("openinference.span.kind", "LLM"));
        s.attrs.push_back(str("llm.model_name", responseModel));
        s.attrs.push_back(str("llm.provider", provider));
        s.attrs.push_back(num("llm.token_count.prompt", in));
        s.attrs.push_back(num("llm.token_count.completion", out));
        s.attrs.push_back(real("llm.cost.total", callCost(model, in, out, cached)));
        s.attrs.push_back(str("llm.finish_reason", finish));
        break;
    }
    s.attrs.push_back(str("prompt.name", prompt));
    s.attrs.push_back(str("prompt.version", version));
    r.inputTokens += in;
    r.outputTokens += out;
    r.cachedTokens += cached;
    r.costUsd += callCost(model, in, out, cached);
    lastFinish = finish;
    return s;
}

void Flow::fail(Span& s, const std::string& type, const std::string& message, int http) {
    s.error = true;
    s.statusMessage = message;
    if (vocab != Vocabulary::OpenInference) {
        s.attrs.push_back(str("error.type", type));
    }
    if (http) {
        s.attrs.push_back(num("http.response.status_code", http));
    }
    Event e;
    e.name = "exception";
    e.timeNs = s.endNs;
    e.attrs.push_back(str("exception.type", type));
    e.attrs.push_back(str("exception.message", message));
    s.events.push_back(std::move(e));
}

Span& Flow::tool(uint64_t parent, const std::string& name, double medianMs) {
    Span& s = add(parent, vocab == Vocabulary::GenAi ? "execute_tool " + name : name, 3,
                  ms(rng.lognormal(medianMs, 0.6)));
    kindAttr(s, "execute_tool", "TOOL", "tool");
    if (vocab == Vocabulary::GenAi) {
        s.attrs.push_back(str("gen_ai.tool.name", name));
    }
    ++r.toolCalls;
    return s;
}

void Failure::set(int kind) {
    switch (kind) {
    case 0: type = "RateLimitError"; message = "429 Rate limit reached for requests"; http = 429; break;
    case 1: type = "InternalServerError"; message = "500 The server had an error while processing"; http = 500; break;
    case 2: type = "timeout"; message = "Request timed out after 30 s"; http = 0; break;
    default: type = "ToolError"; message = "crm_account_lookup: upstream returned 503"; http = 0; break;
    }
}

}  // namespace ps::scenario
