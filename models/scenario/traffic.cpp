#include "traffic.h"

#include <algorithm>
#include <cmath>

#include "random.h"

namespace ps::scenario {
namespace {

constexpr int64_t kMs = 1000000;
constexpr int64_t kSec = 1000 * kMs;
constexpr int64_t kMinute = 60 * kSec;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

struct Price {
    const char* model;
    double in, cached, out;
};
constexpr Price kPrices[] = {{"gpt-4.1", 2.0, 0.5, 8.0},
                             {"gpt-4.1-mini", 0.4, 0.1, 1.6},
                             {"gpt-4o-mini", 0.15, 0.075, 0.6},
                             {"claude-sonnet-4", 3.0, 0.3, 15.0},
                             {"gemini-2.5-flash", 0.3, 0.075, 2.5}};

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

int64_t ms(double v) {
    return static_cast<int64_t>(v * static_cast<double>(kMs));
}

// How each feature's spans name their attributes.
enum class Vocabulary { GenAi, GenAiDeprecated, OpenInference };

struct Flow {
    Request& r;
    Random& rng;
    Vocabulary vocab;
    int64_t cursor;  // where the next sequential child starts

    Span& add(uint64_t parent, std::string name, int kind, int64_t durationNs) {
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

    void kindAttr(Span& s, const char* genAiOperation, const char* openInferenceKind, const char* plainKind) {
        if (vocab == Vocabulary::OpenInference) {
            s.attrs.push_back(str("openinference.span.kind", openInferenceKind));
        } else if (vocab == Vocabulary::GenAi && genAiOperation) {
            s.attrs.push_back(str("gen_ai.operation.name", genAiOperation));
        } else {
            s.attrs.push_back(str("span.kind", plainKind));
        }
    }

    // One model call with the token counts and finish reason given, in the feature's vocabulary.
    Span& llm(uint64_t parent, const std::string& model, const std::string& provider, const std::string& prompt,
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
        return s;
    }

    void fail(Span& s, const std::string& type, const std::string& message, int http) {
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

    Span& tool(uint64_t parent, const std::string& name, double medianMs) {
        Span& s = add(parent, vocab == Vocabulary::GenAi ? "execute_tool " + name : name, 3,
                      ms(rng.lognormal(medianMs, 0.6)));
        kindAttr(s, "execute_tool", "TOOL", "tool");
        if (vocab == Vocabulary::GenAi) {
            s.attrs.push_back(str("gen_ai.tool.name", name));
        }
        ++r.toolCalls;
        return s;
    }
};

const char* const kFirstNames[] = {"ana", "ben", "chen", "dara", "eli", "fay", "gus", "hana", "ivo", "jun"};

std::string fakeMessages(Random& rng, bool input) {
    const char* name = kFirstNames[rng.below(10)];
    if (input) {
        return std::string("[{\"role\":\"system\",\"content\":\"You are a support assistant. Answer from the knowledge "
                           "base only.\"},{\"role\":\"user\",\"content\":\"Hi, this is ") +
               name + ". My order has not arrived. Reach me at " + name + "." + std::to_string(rng.below(900) + 100) +
               "@example.com or +1-555-01" + std::to_string(rng.below(90) + 10) + ".\"}]";
    }
    return "[{\"role\":\"assistant\",\"content\":\"Sorry about the delay, " + std::string(name) +
           ". Your order is in transit and should arrive within 2 business days.\",\"finish_reason\":\"stop\"}]";
}

}  // namespace

double callCost(const std::string& model, int64_t input, int64_t output, int64_t cached) {
    for (const Price& p : kPrices) {
        if (model == p.model) {
            return (static_cast<double>(input - cached) * p.in + static_cast<double>(cached) * p.cached +
                    static_cast<double>(output) * p.out) /
                   1e6;
        }
    }
    return 0;
}

Traffic::Traffic(const TrafficOptions& options) : options_(options) {
    const int64_t minutes = static_cast<int64_t>(std::max(1, options.days)) * 1440;
    cumulative_.resize(static_cast<size_t>(minutes) + 1);
    double sum = 0;
    cumulative_[0] = 0;
    for (int64_t m = 0; m < minutes; ++m) {
        const double hour = static_cast<double>(m % 1440) / 60.0;
        // Busiest around 15:00 UTC, quietest around 03:00; weekends at 60%.
        double w = 0.3 + 0.7 * std::pow(std::sin((hour - 3.0) / 24.0 * 3.141592653589793), 2.0);
        const int64_t dayOfWeek = (options.startNs / kDay + m / 1440 + 4) % 7;  // 1970-01-01 was a Thursday
        if (dayOfWeek == 0 || dayOfWeek == 6) {
            w *= 0.6;
        }
        const int64_t t = options.startNs + m * kMinute;
        if (t >= at(10, 14) && t < at(10, 18)) {
            w *= 1.6;  // the northwind spike adds its own traffic
        }
        sum += w;
        cumulative_[static_cast<size_t>(m) + 1] = sum;
    }
    const char* named[] = {"northwind", "acme", "globex", "initech", "umbrella", "hooli", "vandelay", "stark"};
    for (int t = 0; t < 30; ++t) {
        TenantInfo info;
        info.id = t < 8 ? named[t] : "tenant-" + std::to_string(t);
        info.tier = t == 0 ? "business" : (t % 6 == 1) ? "enterprise" : (t % 3 == 0) ? "business" : "free";
        tenants_.push_back(info);
    }
}

int64_t Traffic::at(int day, int hour, int minute) const {
    return options_.startNs + (day - 1) * kDay + hour * kHour + minute * kMinute;
}

int64_t Traffic::arrival(uint64_t i) const {
    const double target = (static_cast<double>(i) + 0.5) / static_cast<double>(options_.requests) * cumulative_.back();
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), target);
    const auto m = static_cast<size_t>(std::max<std::ptrdiff_t>(1, it - cumulative_.begin())) - 1;
    const double within = (target - cumulative_[m]) / std::max(1e-12, cumulative_[m + 1] - cumulative_[m]);
    return options_.startNs + static_cast<int64_t>(m) * kMinute + static_cast<int64_t>(within * kMinute);
}

std::vector<PromptVersionInfo> Traffic::promptVersions() const {
    return {
        {"support_answer", "41", "gpt-4.1", "maria.lopez", "Baseline answer prompt", "support-regression-v4", 0.2,
         at(1, 10) - 20 * kDay},
        {"support_answer", "42", "gpt-4.1", "maria.lopez", "Shorter answers; ask one clarifying question at most",
         "support-regression-v5", 0.2, at(1, 10) - 6 * kDay},
        {"support_answer", "43", "gpt-4.1", "tom.becker", "Cite knowledge-base articles inline; fuller answers",
         "support-regression-v5", 0.3, at(8, 9)},
        {"support_classify", "3", "gpt-4.1-mini", "maria.lopez", "Adds the billing intent", "intent-v2", 0.0,
         at(1, 10) - 30 * kDay},
        {"invoice_extract", "11", "gpt-4o-mini", "priya.nair", "JSON schema output", "invoice-golden-200", 0.0,
         at(1, 10) - 30 * kDay},
        {"invoice_extract", "12", "gpt-4o-mini", "priya.nair", "Handles multi-currency totals", "invoice-golden-200",
         0.0, at(4, 10)},
        {"sales_email", "7", "claude-sonnet-4", "jonas.weber", "Warmer tone, shorter subject lines", "sales-tone-v1",
         0.7, at(1, 10) - 15 * kDay},
    };
}

std::vector<DeploymentInfo> Traffic::deployments() const {
    return {
        {"support_answer", "42", "production", "maria.lopez", "Full rollout", 100, at(1, 10) - 6 * kDay},
        {"support_answer", "43", "canary", "tom.becker", "Canary at 5%", 5, at(8, 9)},
        {"support_answer", "43", "canary", "tom.becker", "Canary raised to 25%", 25, at(11, 9)},
        {"invoice_extract", "12", "production", "priya.nair", "Full rollout", 100, at(4, 10)},
        {"sales_email", "7", "production", "jonas.weber", "Full rollout", 100, at(1, 10) - 15 * kDay},
    };
}

void Traffic::generate(uint64_t i, Request& r) const {
    uint64_t mix = options_.seed * 0x9E3779B97F4A7C15ULL + i;
    Random rng(splitmix64(mix));
    r = Request{};
    r.spans.reserve(16);  // Flow hands out references into this vector
    r.startNs = arrival(i);
    r.traceId = hex(rng.next(), 16) + hex(rng.next(), 16);

    // Who is asking.
    const bool spike = r.startNs >= at(10, 14) && r.startNs < at(10, 18);
    const size_t tenant = spike && rng.chance(0.4) ? 0 : static_cast<size_t>(rng.below(tenants_.size()));
    r.tenant = tenants_[tenant].id;
    r.tier = tenants_[tenant].tier;
    const uint64_t userNo = rng.below(r.tier == "enterprise" ? 300 : r.tier == "business" ? 120 : 40);
    r.user = "u-" + std::to_string(tenant) + "-" + std::to_string(userNo);
    const uint64_t sessionSlot = static_cast<uint64_t>(r.startNs / (30 * kMinute));
    uint64_t sessionMix = (tenant * 1000003 + userNo) * 0x9E3779B97F4A7C15ULL ^ sessionSlot ^ options_.seed;
    r.session = "s-" + hex(splitmix64(sessionMix), 12);

    const double pick = rng.uniform();
    const int feature = pick < 0.60 ? 0 : pick < 0.85 ? 1 : 2;
    bool v43 = false;
    if (feature == 0) {
        const double canaryShare = r.startNs >= at(11, 9) ? 0.25 : r.startNs >= at(8, 9) ? 0.05 : 0.0;
        v43 = rng.chance(canaryShare);
    }
    r.environment = v43 ? "canary" : rng.chance(0.03) ? "staging" : "production";
    const bool enterprise = r.tier == "enterprise";

    // What goes wrong in this request.
    double failRate = feature == 0 ? (v43 ? 0.05 : 0.025) : feature == 1 ? 0.03 : 0.02;
    const bool fails = rng.chance(failRate);
    const double kindPick = rng.uniform();
    const int failKind = kindPick < 0.35 ? 0 : kindPick < 0.55 ? 1 : kindPick < 0.80 ? 2 : 3;  // 429, 500, timeout, tool
    const bool retriedOk = !fails && rng.chance(0.03);
    const bool refusal = !fails && rng.chance(0.01);
    const bool truncated = !fails && !refusal && rng.chance(0.02);

    static const char* const kFeatures[] = {"support_chatbot", "invoice_parser", "sales_email_writer"};
    static const char* const kServices[] = {"support-bot", "invoice-service", "sales-assistant"};
    r.feature = kFeatures[feature];
    r.service = kServices[feature];
    const Vocabulary vocab =
        feature == 0 ? Vocabulary::GenAi : feature == 1 ? Vocabulary::GenAiDeprecated : Vocabulary::OpenInference;
    Flow f{r, rng, vocab, r.startNs + ms(rng.uniform() * 4 + 1)};

    Span root;
    root.id = rng.next() | 1;
    root.name = std::string(kFeatures[feature]) + ".request";
    root.kind = 2;
    root.startNs = r.startNs;
    r.spans.push_back(root);
    const uint64_t rootId = root.id;

    std::string finish = "stop";
    if (refusal) {
        finish = "content_filter";
    } else if (truncated) {
        finish = "length";
    }
    Span* failed = nullptr;
    std::string failType;
    std::string failMessage;
    int failHttp = 0;
    auto failureFor = [&](int kind) {
        switch (kind) {
        case 0: failType = "RateLimitError"; failMessage = "429 Rate limit reached for requests"; failHttp = 429; break;
        case 1: failType = "InternalServerError"; failMessage = "500 The server had an error while processing"; failHttp = 500; break;
        case 2: failType = "timeout"; failMessage = "Request timed out after 30 s"; failHttp = 0; break;
        default: failType = "ToolError"; failMessage = "crm_account_lookup: upstream returned 503"; failHttp = 0; break;
        }
    };

    if (feature == 0) {
        r.promptName = "support_answer";
        r.promptVersion = v43 ? "43" : "42";
        const bool claude = rng.chance(0.15);
        r.model = claude ? "claude-sonnet-4" : "gpt-4.1";
        r.provider = claude ? "anthropic" : "openai";
        f.llm(rootId, "gpt-4.1-mini", "openai", "support_classify", "3", static_cast<int64_t>(rng.lognormal(320, 0.3)),
              static_cast<int64_t>(rng.lognormal(12, 0.3)) + 1, 0, "stop", 8);
        Span& retrieval = f.add(rootId, "retrieval kb_articles", 1, ms(rng.lognormal(90, 0.5)));
        f.kindAttr(retrieval, "retrieval", "RETRIEVER", "retriever");
        if ((fails && failKind == 0) || retriedOk) {
            Span& limited = f.add(rootId, "chat " + r.model, 3, ms(rng.lognormal(180, 0.3)));
            limited.attrs.push_back(str("gen_ai.operation.name", "chat"));
            limited.attrs.push_back(str("gen_ai.provider.name", r.provider));
            limited.attrs.push_back(str("gen_ai.request.model", r.model));
            failureFor(0);
            f.fail(limited, failType, failMessage, 429);
            f.cursor += ms(rng.lognormal(800, 0.3));  // back-off before the retry
            if (fails) {
                failed = &limited;
            }
        }
        if (!(fails && failKind == 0)) {
            const int64_t in = static_cast<int64_t>(rng.lognormal(1400, 0.35));
            double outMedian = 230;
            if (v43) {
                outMedian *= 1.7;
            }
            if (r.model == "gpt-4.1" && r.startNs >= at(6, 0)) {
                outMedian *= 1.35;  // the provider changed the model behind the same name
            }
            int64_t out = static_cast<int64_t>(rng.lognormal(outMedian, 0.5)) + 5;
            if (truncated) {
                out = 1024;
            } else if (refusal) {
                out = 18;
            }
            const int64_t cached = rng.chance(0.4) ? in / 2 : 0;
            Span& answer = f.llm(rootId, r.model, r.provider, "support_answer", r.promptVersion, in, out, cached, finish,
                               r.model == "gpt-4.1" ? 14 : 18);
            if (rng.uniform() < options_.contentRate) {
                answer.attrs.push_back(str("gen_ai.input.messages", fakeMessages(rng, true)));
                answer.attrs.push_back(str("gen_ai.output.messages", fakeMessages(rng, false)));
            }
            if (fails && (failKind == 1 || failKind == 2)) {
                failureFor(failKind);
                if (failKind == 2) {
                    answer.endNs = answer.startNs + 30 * kSec;
                    f.cursor = answer.endNs + ms(2);
                }
                f.fail(answer, failType, failMessage, failHttp);
                failed = &answer;
            }
        }
        if (!failed || failKind == 3) {
            Span& lookup = f.tool(rootId, "crm_account_lookup", 140);
            if (fails && failKind == 3) {
                failureFor(3);
                f.fail(lookup, failType, failMessage, 0);
                failed = &lookup;
            } else if (rng.chance(0.3)) {
                f.tool(rootId, "order_status", 90);
            }
        }
    } else if (feature == 1) {
        r.promptName = "invoice_extract";
        r.promptVersion = r.startNs >= at(4, 10) ? "12" : "11";
        const bool gemini = rng.chance(0.2);
        r.model = gemini ? "gemini-2.5-flash" : "gpt-4o-mini";
        r.provider = gemini ? "google" : "openai";
        // The total latency is drawn first: enterprise workflows have a heavy tail (p50 ~1.2 s, p99 ~28 s).
        const double totalMs = enterprise ? (rng.chance(0.96) ? rng.lognormal(1200, 0.45) : rng.lognormal(22000, 0.35))
                                          : rng.lognormal(1500, 0.5);
        Span& ocr = f.tool(rootId, "ocr_extract", 120);
        const int64_t in = static_cast<int64_t>(rng.lognormal(2200, 0.4));
        int64_t out = truncated ? 1024 : refusal ? 12 : static_cast<int64_t>(rng.lognormal(380, 0.35));
        const double spent = static_cast<double>(ocr.endNs - r.startNs) / 1e6;
        const double llmMs = std::max(150.0, totalMs - spent - 60);
        Span& call = f.llm(rootId, r.model, r.provider, "invoice_extract", r.promptVersion, in, out, 0, finish,
                           std::max(0.5, (llmMs - 350) / static_cast<double>(out)));
        call.endNs = call.startNs + ms(llmMs);
        f.cursor = call.endNs + ms(1);
        if (fails && failKind != 3) {
            failureFor(failKind);
            f.fail(call, failType, failMessage, failHttp);
            failed = &call;
        } else {
            Span& validate = f.tool(rootId, "validate_totals", 25);
            if (fails) {
                failType = "ToolError";
                failMessage = "validate_totals: line items do not add up";
                f.fail(validate, failType, failMessage, 0);
                failed = &validate;
            }
        }
    } else {
        r.promptName = "sales_email";
        r.promptVersion = "7";
        r.model = "claude-sonnet-4";
        r.provider = "anthropic";
        Span& search = f.add(rootId, "crm_search", 1, ms(rng.lognormal(120, 0.5)));
        f.kindAttr(search, "retrieval", "RETRIEVER", "retriever");
        const int64_t in = static_cast<int64_t>(rng.lognormal(900, 0.3));
        const int64_t out = truncated ? 1024 : refusal ? 15 : static_cast<int64_t>(rng.lognormal(320, 0.4));
        Span& call = f.llm(rootId, r.model, r.provider, "sales_email", "7", in, out, 0, finish, 20);
        if (fails && failKind != 3) {
            failureFor(failKind);
            f.fail(call, failType, failMessage, failHttp);
            failed = &call;
        } else {
            Span& send = f.tool(rootId, "send_email_draft", 200);
            if (fails) {
                failType = "ToolError";
                failMessage = "send_email_draft: mailbox quota exceeded";
                f.fail(send, failType, failMessage, 0);
                failed = &send;
            }
        }
    }

    // Rule checks on a policy span (also after a failure: the guard still runs on what there is).
    Span& policy = f.add(rootId, "policy_check", 1, ms(rng.lognormal(15, 0.4)));
    f.kindAttr(policy, nullptr, "EVALUATOR", "evaluator");
    for (const char* rule : {"pii_check", "format_check"}) {
        Eval e;
        e.name = rule;
        e.pass = !rng.chance(rule[0] == 'p' ? 0.01 : (feature == 1 ? 0.05 : 0.03));
        e.score = e.pass ? 1 : 0;
        e.source = "rule";
        r.rules.push_back(e);
        Event ev;
        ev.name = "gen_ai.evaluation.result";
        ev.timeNs = policy.endNs;
        ev.attrs.push_back(str("gen_ai.evaluation.name", rule));
        ev.attrs.push_back(real("gen_ai.evaluation.score.value", e.score));
        ev.attrs.push_back(str("gen_ai.evaluation.score.label", e.pass ? "pass" : "fail"));
        policy.events.push_back(std::move(ev));
    }

    Span& rootSpan = r.spans.front();
    rootSpan.endNs = f.cursor + ms(rng.uniform() * 5 + 1);
    r.endNs = rootSpan.endNs;
    rootSpan.attrs = {str("feature", r.feature),           str("prompt.name", r.promptName),
                      str("prompt.version", r.promptVersion), str("session.id", r.session),
                      str("user.id", r.user),              str("tenant.id", r.tenant),
                      str("tenant.tier", r.tier),          str("app.request_id", r.traceId)};
    if (vocab == Vocabulary::OpenInference) {
        rootSpan.attrs.push_back(str("openinference.span.kind", "CHAIN"));
    }
    if (failed) {
        r.error = true;
        r.errorType = failType;
        r.errorMessage = failMessage;
        r.httpStatus = failHttp;
        rootSpan.error = true;
        rootSpan.statusMessage = failMessage;
    }
    r.finishReason = r.error ? "error" : refusal ? "refusal" : truncated ? "max_tokens" : "end_turn";

    // LLM-judge evals on a third of the requests; the canary fails them twice as often.
    if (rng.chance(0.35)) {
        const double failP = feature == 0 ? (v43 ? 0.12 : 0.06) : feature == 1 ? 0.04 : 0.05;
        const bool bad = rng.chance(failP) || r.error;
        const std::pair<const char*, double> dims[] = {
            {"correctness", bad ? 1 + rng.below(2) : 3 + rng.below(3)},
            {"completeness", bad ? 1 + rng.below(3) : 3 + rng.below(3)},
            {"tone", 3 + rng.below(3)}};
        for (const auto& [name, score] : dims) {
            Eval e;
            e.name = name;
            e.score = score;
            e.pass = score >= 3;
            e.source = "llm_judge";
            if (!e.pass) {
                e.explanation = std::string(name) == "correctness" ? "States a refund window the policy does not have"
                                                                    : "Leaves the second question unanswered";
            }
            r.judge.push_back(e);
            Event ev;
            ev.name = "gen_ai.evaluation.result";
            ev.timeNs = r.endNs;
            ev.attrs.push_back(str("gen_ai.evaluation.name", name));
            ev.attrs.push_back(real("gen_ai.evaluation.score.value", score));
            ev.attrs.push_back(str("gen_ai.evaluation.score.label", e.pass ? "pass" : "fail"));
            if (!e.explanation.empty()) {
                ev.attrs.push_back(str("gen_ai.evaluation.explanation", e.explanation));
            }
            rootSpan.events.push_back(std::move(ev));
        }
        r.flagged = bad;
    }

    // What users did afterwards. sales_email_writer: explicit feedback is glowing, yet 40% walk away.
    auto signal = [&](const char* type, double p) {
        if (rng.chance(p)) {
            r.signals.push_back({type, r.endNs + ms(rng.lognormal(20000, 1.0))});
        }
    };
    const bool judgedBad = r.flagged;
    if (feature == 0) {
        signal("thumbs_up", judgedBad ? 0.02 : 0.07);
        signal("thumbs_down", (v43 ? 0.05 : 0.025) + (judgedBad || r.error ? 0.2 : 0));
        signal("correction", 0.02);
        signal("follow_up", 0.12);
        signal("abandoned", r.error ? 0.3 : 0.07);
    } else if (feature == 1) {
        signal("thumbs_up", 0.03);
        signal("thumbs_down", r.error ? 0.1 : 0.01);
        signal("correction", 0.05);
        signal("abandoned", 0.03);
    } else {
        signal("thumbs_up", 0.09);
        signal("thumbs_down", 0.01);
        signal("abandoned", 0.40);
    }
}

}  // namespace ps::scenario
