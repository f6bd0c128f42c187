#include "traffic.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "flow.h"

namespace ps::scenario {
namespace {

struct Price {
    const char* model;
    double in, cached, out;
};
constexpr Price kPrices[] = {{"gpt-4.1", 2.0, 0.5, 8.0},
                             {"gpt-4.1-mini", 0.4, 0.1, 1.6},
                             {"gpt-4o-mini", 0.15, 0.075, 0.6},
                             {"claude-sonnet-4", 3.0, 0.3, 15.0},
                             {"gemini-2.5-flash", 0.3, 0.075, 2.5}};

constexpr size_t kSessionWindowMinutes = 30;
constexpr uint64_t kSessionGroup = 64;      // requests dealt to sessions together (bounds the work per request)
constexpr double kRequestsPerSession = 3.9;  // per slot; with empty slots about 4 per session

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

size_t Traffic::minuteOf(uint64_t i) const {
    const double target = (static_cast<double>(i) + 0.5) / static_cast<double>(options_.requests) * cumulative_.back();
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), target);
    return static_cast<size_t>(std::max<std::ptrdiff_t>(1, it - cumulative_.begin())) - 1;
}

int64_t Traffic::arrival(uint64_t i) const {
    const double target = (static_cast<double>(i) + 0.5) / static_cast<double>(options_.requests) * cumulative_.back();
    const size_t m = minuteOf(i);
    const double within = (target - cumulative_[m]) / std::max(1e-12, cumulative_[m + 1] - cumulative_[m]);
    return options_.startNs + static_cast<int64_t>(m) * kMinute + static_cast<int64_t>(within * kMinute);
}

uint64_t Traffic::firstFrom(size_t minute) const {
    const uint64_t n = options_.requests;
    const double guess = cumulative_[minute] / cumulative_.back() * static_cast<double>(n) - 0.5;
    uint64_t i = guess <= 0 ? 0 : std::min(n, static_cast<uint64_t>(std::ceil(guess)));
    while (i > 0 && minuteOf(i - 1) >= minute) {
        --i;
    }
    while (i < n && minuteOf(i) < minute) {
        ++i;
    }
    return i;
}

Traffic::SessionPlace Traffic::sessionOf(uint64_t i) const {
    const size_t minutes = cumulative_.size() - 1;
    const size_t window = std::min(minuteOf(i), minutes - 1) / kSessionWindowMinutes * kSessionWindowMinutes;
    const uint64_t first = firstFrom(window);
    const uint64_t end = firstFrom(std::min(minutes, window + kSessionWindowMinutes));
    const uint64_t groupStart = first + (i - first) / kSessionGroup * kSessionGroup;
    const uint64_t groupEnd = std::min(end, groupStart + kSessionGroup);
    const auto slots = static_cast<uint64_t>(
        std::max<int64_t>(1, std::llround(static_cast<double>(groupEnd - groupStart) / kRequestsPerSession)));
    const uint64_t salt = options_.seed * 0xD1B54A32D192ED03ULL;
    auto slotOf = [&](uint64_t j) {
        uint64_t x = salt + j;
        return splitmix64(x) % slots;
    };
    const uint64_t slot = slotOf(i);
    SessionPlace place;
    place.last = true;
    for (uint64_t j = i + 1; j < groupEnd && place.last; ++j) {
        place.last = slotOf(j) != slot;
    }
    uint64_t key = (salt ^ 0x5E5510A5ULL) + groupStart * kSessionGroup + slot;
    place.key = splitmix64(key);
    place.windowNs = options_.startNs + static_cast<int64_t>(window) * kMinute;
    return place;
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

    // Who is asking, with which feature, on which deployment: drawn once per session.
    const SessionPlace place = sessionOf(i);
    Random who(place.key);
    const bool spike = place.windowNs >= at(10, 14) && place.windowNs < at(10, 18);
    const size_t tenant = spike && who.chance(0.4) ? 0 : static_cast<size_t>(who.below(tenants_.size()));
    r.tenant = tenants_[tenant].id;
    r.tier = tenants_[tenant].tier;
    const uint64_t userNo = who.below(r.tier == "enterprise" ? 300 : r.tier == "business" ? 120 : 40);
    r.user = "u-" + std::to_string(tenant) + "-" + std::to_string(userNo);
    r.session = "s-" + hex(place.key, 12);

    const double pick = who.uniform();
    const int feature = pick < 0.60 ? 0 : pick < 0.85 ? 1 : 2;
    bool v43 = false;
    if (feature == 0) {  // canary routing is sticky per session
        const double canaryShare = place.windowNs >= at(11, 9) ? 0.25 : place.windowNs >= at(8, 9) ? 0.05 : 0.0;
        v43 = who.chance(canaryShare);
    }
    r.environment = v43 ? "canary" : who.chance(0.03) ? "staging" : "production";
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

    Plan plan;
    plan.feature = feature;
    plan.v43 = v43;
    plan.enterprise = enterprise;
    plan.fails = fails;
    plan.failKind = failKind;
    plan.retriedOk = retriedOk;
    plan.refusal = refusal;
    plan.truncated = truncated;
    plan.finish = refusal ? "content_filter" : truncated ? "length" : "stop";
    plan.driftAtNs = at(6, 0);
    plan.multiCurrencyAtNs = at(4, 10);
    // Message content comes from a stream of its own: recording it or not changes no other draw.
    uint64_t contentMix = (options_.seed ^ 0xC0117E475EED0001ULL) * 0x9E3779B97F4A7C15ULL + i;
    Random content(splitmix64(contentMix));
    std::optional<Transcript> transcript;
    // The canary records every conversation (for its review), the rest a sample.
    if (content.uniform() < options_.contentRate || (v43 && options_.contentRate > 0)) {
        f.transcript = &transcript.emplace(content, feature);
    }
    Failure failure;
    if (feature == 0) {
        supportChatbot(f, rootId, plan, failure);
    } else if (feature == 1) {
        invoiceParser(f, rootId, plan, failure);
    } else {
        salesEmailWriter(f, rootId, plan, failure);
    }

    // Rule checks on a policy span (also after a failure: the guard still runs on what there is). v43's inline
    // citations break the answer format more than twice as often.
    const double formatFailure = feature == 1 ? 0.05 : v43 ? 0.07 : 0.03;
    Span& policy = f.add(rootId, "policy_check", 1, ms(rng.lognormal(15, 0.4)));
    f.kindAttr(policy, nullptr, "EVALUATOR", "evaluator");
    for (const char* rule : {"pii_check", "format_check"}) {
        Eval e;
        e.name = rule;
        e.pass = !rng.chance(rule[0] == 'p' ? 0.01 : formatFailure);
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
    if (failure.span) {
        r.error = true;
        r.errorType = failure.type;
        r.errorMessage = failure.message;
        r.httpStatus = failure.http;
        rootSpan.error = true;
        rootSpan.statusMessage = failure.message;
    }
    // The request log's finish reason is the last model call's, in Anthropic's stop-reason words.
    r.finishReason = r.error                           ? "error"
                     : f.lastFinish == "tool_calls"     ? "tool_use"
                     : f.lastFinish == "content_filter" ? "refusal"
                     : f.lastFinish == "length"         ? "max_tokens"
                                                        : "end_turn";

    // LLM-judge evals on a third of the requests; the canary fails them more than twice as often. All told (errors,
    // judges, rules) a v43 request fails about twice as often as a v42 one.
    if (rng.chance(0.35)) {
        const double failP = feature == 0 ? (v43 ? 0.14 : 0.06) : feature == 1 ? 0.04 : 0.05;
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

    // What users did afterwards. A follow-up keeps the session going; abandonment ends it, so it is signalled on
    // the session's last request. sales_email_writer: explicit feedback is glowing (about 90% thumbs-up), yet 40%
    // of its sessions are abandoned.
    auto signal = [&](const char* type, double p) {
        if (rng.chance(p)) {
            r.signals.push_back({type, r.endNs + ms(rng.lognormal(20000, 1.0))});
        }
    };
    const bool judgedBad = r.flagged;
    const bool last = place.last;
    if (feature == 0) {
        signal("thumbs_up", judgedBad ? 0.02 : 0.07);
        signal("thumbs_down", (v43 ? 0.05 : 0.025) + (judgedBad || r.error ? 0.2 : 0));
        signal("correction", 0.02);
        signal("follow_up", last ? 0 : 0.16);
        signal("abandoned", !last ? 0 : r.error ? 0.6 : 0.2);
    } else if (feature == 1) {
        signal("thumbs_up", 0.03);
        signal("thumbs_down", r.error ? 0.1 : 0.01);
        signal("correction", 0.05);
        signal("abandoned", last ? 0.1 : 0);
    } else {
        signal("thumbs_up", 0.09);
        signal("thumbs_down", 0.01);
        signal("abandoned", last ? 0.40 : 0);
    }
}

}  // namespace ps::scenario
