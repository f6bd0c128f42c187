#include "comparisonside.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace ps {
namespace {

bool cancelled(const std::atomic<bool>* cancel) {
    return cancel && cancel->load(std::memory_order_relaxed);
}

template <typename Value>
std::vector<double> sortedColumn(const std::vector<uint32_t>& rows, Value value) {
    std::vector<double> out;
    out.reserve(rows.size());
    for (uint32_t r : rows) {
        const double v = value(r);
        if (!std::isnan(v)) {
            out.push_back(v);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

bool isFailure(const Dataset& d, uint32_t request) {
    return (d.requests.flags[request] & kRequestError) != 0 || d.requests.evalFail[request] > 0;
}

ComparisonSide readComparisonSide(const Dataset& d, std::string label, std::vector<uint32_t> requests,
                                  const std::atomic<bool>* cancel) {
    ComparisonSide s;
    s.label = std::move(label);
    s.requests = std::move(requests);
    const RequestColumns& rq = d.requests;
    for (uint32_t r : s.requests) {
        const uint16_t f = rq.flags[r];
        s.errors += (f & kRequestError) != 0;
        s.refusals += (f & kRequestRefusal) != 0;
        s.failures += (f & kRequestError) != 0 || rq.evalFail[r] > 0;
        s.thumbsUp += (f & kRequestThumbsUp) != 0;
        s.thumbsDown += (f & kRequestThumbsDown) != 0;
        s.corrections += (f & kRequestCorrection) != 0;
        s.abandoned += (f & kRequestAbandoned) != 0;
    }
    if (cancelled(cancel)) {
        return s;
    }
    s.latencyMs = sortedColumn(s.requests, [&](uint32_t r) { return static_cast<double>(rq.durationNs[r]) / 1e6; });
    s.costUsd = sortedColumn(s.requests, [&](uint32_t r) {
        return (rq.flags[r] & kRequestCostUnknown) && rq.costUsd[r] == 0 ? kNaN : rq.costUsd[r];
    });
    if (cancelled(cancel)) {
        return s;
    }
    s.inputTokens = sortedColumn(s.requests, [&](uint32_t r) { return static_cast<double>(rq.inputTokens[r]); });
    s.outputTokens = sortedColumn(s.requests, [&](uint32_t r) { return static_cast<double>(rq.outputTokens[r]); });
    s.tokenEfficiency = sortedColumn(s.requests, [&](uint32_t r) {
        return rq.inputTokens[r] > 0 ? static_cast<double>(rq.outputTokens[r]) / rq.inputTokens[r] : kNaN;
    });
    if (cancelled(cancel)) {
        return s;
    }
    // Evals are a table joined by request: mark this side's requests, then one pass over the table.
    std::vector<uint8_t> member(d.requestCount(), 0);
    for (uint32_t r : s.requests) {
        member[r] = 1;
    }
    std::unordered_map<uint32_t, size_t> slotOfName;
    const EvalColumns& ev = d.evals;
    for (size_t e = 0; e < ev.size(); ++e) {
        if (ev.request[e] >= member.size() || !member[ev.request[e]]) {
            continue;
        }
        const auto [it, added] = slotOfName.try_emplace(ev.name[e].value, s.evals.size());
        if (added) {
            s.evals.push_back(EvalSide{std::string(d.str(ev.name[e])), 0, 0, {}});
        }
        EvalSide& side = s.evals[it->second];
        side.pass += ev.outcome[e] == EvalOutcome::Pass;
        side.fail += ev.outcome[e] == EvalOutcome::Fail;
        s.evalPass += ev.outcome[e] == EvalOutcome::Pass;
        s.evalFail += ev.outcome[e] == EvalOutcome::Fail;
        if (!std::isnan(ev.score[e])) {
            side.scores.push_back(ev.score[e]);
        }
    }
    std::sort(s.evals.begin(), s.evals.end(), [](const EvalSide& x, const EvalSide& y) { return x.name < y.name; });
    return s;
}

}  // namespace ps
