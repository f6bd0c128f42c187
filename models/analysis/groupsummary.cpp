#include "groupsummary.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace ps {
namespace {

constexpr uint32_t kNoGroup = UINT32_MAX;

bool isRefusalReason(std::string_view reason) {
    auto equals = [&](std::string_view word) {
        return reason.size() == word.size() &&
               std::equal(reason.begin(), reason.end(), word.begin(),
                          [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
    };
    return equals("content_filter") || equals("refusal");
}

struct Accumulator {
    GroupSummary summary;
    std::vector<double> latencies;

    // cost: the known part (NaN counts as zero); costUnknown: some model call of the row has no known cost.
    void add(double latencyMs, bool error, bool refusal, uint64_t in, uint64_t out, uint64_t cached, double cost,
             bool costUnknown, uint64_t pass, uint64_t fail) {
        ++summary.count;
        summary.errors += error;
        summary.refusals += refusal;
        summary.inputTokens += in;
        summary.outputTokens += out;
        summary.cachedTokens += cached;
        summary.costUnknown += costUnknown;
        if (!std::isnan(cost)) {
            summary.costUsd += cost;
        }
        summary.evalPass += pass;
        summary.evalFail += fail;
        latencies.push_back(latencyMs);
    }

    GroupSummary finish() {
        GroupSummary& s = summary;
        s.errorRate = s.count ? static_cast<double>(s.errors) / static_cast<double>(s.count) : kNaN;
        if (s.evalPass + s.evalFail > 0) {
            s.evalPassRate = static_cast<double>(s.evalPass) / static_cast<double>(s.evalPass + s.evalFail);
        }
        s.latencyMs = summarize(latencies);
        latencies = {};
        return std::move(s);
    }
};

}  // namespace

Report buildReport(const Dataset& d, GroupField field, Grain grain, const std::vector<uint32_t>* rows,
                   size_t maxIssues) {
    Report report;
    report.grain = grain;
    report.groupBy = field;
    report.issueCount = d.issueCount;
    report.firstIssues.assign(d.issues.begin(), d.issues.begin() + static_cast<std::ptrdiff_t>(
                                                                       std::min(maxIssues, d.issues.size())));

    // Evals per generation: counted once over the eval table instead of searched per row.
    std::vector<uint32_t> genPass;
    std::vector<uint32_t> genFail;
    std::vector<uint32_t> generationOfSpan;
    if (grain == Grain::Generation) {
        genPass.assign(d.generationCount(), 0);
        genFail.assign(d.generationCount(), 0);
        generationOfSpan.assign(d.spanCount(), kNoGroup);
        for (uint32_t g = 0; g < d.generationCount(); ++g) {
            generationOfSpan[d.generations.span[g]] = g;
        }
        for (size_t e = 0; e < d.evals.size(); ++e) {
            const uint32_t span = d.evals.span[e];
            const uint32_t g = span == SpanIndex::kInvalid ? kNoGroup : generationOfSpan[span];
            if (g != kNoGroup) {
                genPass[g] += d.evals.outcome[e] == EvalOutcome::Pass;
                genFail[g] += d.evals.outcome[e] == EvalOutcome::Fail;
            }
        }
    }

    std::vector<uint32_t> groupOfString(d.strings.size(), kNoGroup);
    std::vector<Accumulator> groups;
    std::vector<StringId> keys;
    Accumulator total;
    const size_t rowCount = rows ? rows->size() : (grain == Grain::Request ? d.requestCount() : d.generationCount());
    total.latencies.reserve(rowCount);
    for (size_t i = 0; i < rowCount; ++i) {
        const uint32_t row = rows ? (*rows)[i] : static_cast<uint32_t>(i);
        const StringId key = groupKey(d, field, grain, row);
        uint32_t& slot = groupOfString[key.value];
        if (slot == kNoGroup) {
            slot = static_cast<uint32_t>(groups.size());
            groups.emplace_back();
            keys.push_back(key);
        }
        Accumulator& acc = groups[slot];
        if (grain == Grain::Request) {
            const RequestColumns& r = d.requests;
            const uint16_t flags = r.flags[row];
            const double ms = static_cast<double>(r.durationNs[row]) / 1e6;
            for (Accumulator* a : {&acc, &total}) {
                a->add(ms, flags & kRequestError, flags & kRequestRefusal, r.inputTokens[row], r.outputTokens[row],
                       r.cachedTokens[row], r.costUsd[row], flags & kRequestCostUnknown, r.evalPass[row],
                       r.evalFail[row]);
            }
        } else {
            const GenerationColumns& g = d.generations;
            const uint32_t span = g.span[row];
            const double ms = static_cast<double>(d.spans.durationNs[span]) / 1e6;
            const bool error = d.spans.status[span] == SpanStatus::Error;
            const bool refusal = isRefusalReason(d.str(g.finishReason[row]));
            const bool unknown = g.costSource[row] == CostSource::None;
            for (Accumulator* a : {&acc, &total}) {
                a->add(ms, error, refusal, g.inputTokens[row], g.outputTokens[row], g.cachedTokens[row],
                       unknown ? kNaN : g.costUsd[row], unknown, genPass[row], genFail[row]);
            }
        }
    }

    report.groups.reserve(groups.size());
    for (size_t i = 0; i < groups.size(); ++i) {
        GroupSummary s = groups[i].finish();
        s.key = keys[i].value == 0 ? std::string("(none)") : std::string(d.str(keys[i]));
        report.groups.push_back(std::move(s));
    }
    std::sort(report.groups.begin(), report.groups.end(), [](const GroupSummary& a, const GroupSummary& b) {
        return a.count != b.count ? a.count > b.count : a.key < b.key;
    });
    report.total = total.finish();
    report.total.key = "(all)";
    return report;
}

}  // namespace ps
