#include "bigtrace.h"

#include <algorithm>

#include "random.h"

namespace ps::scenario {
namespace {

constexpr int64_t kMs = 1000000;

struct BigTrace {
    Random rng;
    uint64_t remaining;
    std::vector<Span> pending;
    size_t batch;
    std::string traceId;
    const std::function<void(const std::vector<Span>&, const std::string&)>& emit;

    void push(Span s) {
        pending.push_back(std::move(s));
        if (pending.size() >= batch) {
            emit(pending, traceId);
            pending.clear();
        }
    }

    Span make(uint64_t parent, std::string name, const char* kind, int64_t start, int64_t duration) {
        Span s;
        s.id = rng.next() | 1;
        s.parent = parent;
        s.name = std::move(name);
        s.kind = 1;
        s.startNs = start;
        s.endNs = start + std::max<int64_t>(duration, 1000);
        s.attrs.push_back({"openinference.span.kind", Attr::Type::String, kind, 0, 0});
        --remaining;
        return s;
    }

    // An agent run at `depth` starting at `start`; returns its end time. Uses at most `budget` spans.
    int64_t agent(uint64_t parent, int depth, int64_t start, uint64_t budget, const std::string& name) {
        Span self = make(parent, name, "AGENT", start, 0);
        uint64_t left = budget - 1;
        int64_t t = start + kMs;
        int step = 0;
        while (left > 0 && remaining > 0) {
            Span stepSpan = make(self.id, "step " + std::to_string(++step), "CHAIN", t, 0);
            --left;
            int64_t u = t + kMs / 10;
            const uint64_t children = std::min<uint64_t>(left, 2 + rng.below(4));
            for (uint64_t c = 0; c < children && left > 0; ++c) {
                const double kind = rng.uniform();
                if (kind < 0.1 && depth < 7 && left > 40) {
                    const uint64_t sub = std::min<uint64_t>(left - 1, 20 + rng.below(std::max<uint64_t>(1, left / 4)));
                    u = agent(stepSpan.id, depth + 1, u, sub, "sub_agent " + std::to_string(depth + 1));
                    left -= sub;
                } else {
                    const bool llm = kind < 0.55;
                    const char* tools[] = {"web_search", "crm_account_lookup", "code_interpreter", "order_status"};
                    Span call = llm ? make(stepSpan.id, "llm gpt-4.1", "LLM", u, static_cast<int64_t>(rng.lognormal(900, 0.6) * kMs))
                                    : make(stepSpan.id, tools[rng.below(4)], kind < 0.9 ? "TOOL" : "RETRIEVER", u,
                                           static_cast<int64_t>(rng.lognormal(120, 0.8) * kMs));
                    if (llm) {
                        call.attrs.push_back({"llm.model_name", Attr::Type::String, "gpt-4.1", 0, 0});
                        call.attrs.push_back({"llm.token_count.prompt", Attr::Type::Int, {}, static_cast<int64_t>(rng.lognormal(1500, 0.4)), 0});
                        call.attrs.push_back({"llm.token_count.completion", Attr::Type::Int, {}, static_cast<int64_t>(rng.lognormal(150, 0.5)), 0});
                    }
                    if (!llm && rng.chance(0.01)) {
                        call.error = true;
                        call.statusMessage = "tool call failed";
                    }
                    u = call.endNs + kMs / 10;
                    push(std::move(call));
                    --left;
                }
            }
            stepSpan.endNs = u + kMs / 10;
            t = stepSpan.endNs + kMs / 10;
            push(std::move(stepSpan));
        }
        self.endNs = t + kMs;
        const int64_t end = self.endNs;
        push(std::move(self));
        return end;
    }
};

}  // namespace

std::string generateBigTrace(uint64_t seed, uint64_t t, uint64_t spanCount, int64_t startNs, size_t batch,
                             const std::function<void(const std::vector<Span>&, const std::string&)>& emit) {
    uint64_t mix = seed * 0xD1B54A32D192ED03ULL + t;
    BigTrace g{Random(splitmix64(mix)), spanCount, {}, batch, {}, emit};
    static constexpr char kHex[] = "0123456789abcdef";
    for (int i = 0; i < 32; ++i) {
        g.traceId += kHex[g.rng.below(16)];
    }
    g.agent(0, 0, startNs, spanCount, "agent_run");
    if (!g.pending.empty()) {
        emit(g.pending, g.traceId);
    }
    return g.traceId;
}

}  // namespace ps::scenario
