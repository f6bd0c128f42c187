#include "outliers.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "percentile.h"

namespace ps {
namespace {

// Whether a metric is a count where zero means "nothing to show" (a request with no tool calls is no agent loop).
bool needsPositive(OutlierKind kind) {
    return kind == OutlierKind::MostRetried || kind == OutlierKind::LongestAgentLoops ||
           kind == OutlierKind::LargestTokenUsers;
}

// A candidate for a table: `badness` larger is worse; `tie` breaks equal badness (larger is worse), then the
// earlier request wins.
struct Candidate {
    double badness;
    double tie;
    uint32_t request;
};

bool worse(const Candidate& a, const Candidate& b) {
    return std::tie(a.badness, a.tie) != std::tie(b.badness, b.tie)
               ? std::tie(a.badness, a.tie) > std::tie(b.badness, b.tie)
               : a.request < b.request;
}

// The `limit` worst candidates, worst first, by a bounded heap whose top is the mildest kept candidate:
// O(n log N).
template <typename Produce>
std::vector<Candidate> topCandidates(size_t limit, Produce&& produce, uint64_t* count) {
    std::vector<Candidate> heap;
    if (limit == 0) {
        return heap;
    }
    heap.reserve(limit + 1);
    produce([&](const Candidate& c) {
        ++*count;
        if (heap.size() < limit) {
            heap.push_back(c);
            std::push_heap(heap.begin(), heap.end(), worse);
        } else if (worse(c, heap.front())) {
            std::pop_heap(heap.begin(), heap.end(), worse);
            heap.back() = c;
            std::push_heap(heap.begin(), heap.end(), worse);
        }
    });
    std::sort(heap.begin(), heap.end(), worse);
    return heap;
}

// Fills in the rows' percentile ranks within their feature: the rows' values per feature are sorted, and one pass
// over the selection counts, for each, the values below and equal by binary search: O(n log N).
void rankRows(const Dataset& d, const FacetIndex& index, const Selection& selection, OutlierKind kind,
              const std::vector<double>& scores, const std::vector<uint32_t>& retries, std::vector<OutlierRow>& rows) {
    if (rows.empty()) {
        return;
    }
    const std::vector<uint32_t>& featureCode = index.code[static_cast<size_t>(Dimension::Feature)];
    constexpr uint32_t kNoSlot = UINT32_MAX;
    std::vector<uint32_t> slotOf(index.valueOf[static_cast<size_t>(Dimension::Feature)].size(), kNoSlot);
    std::vector<std::vector<double>> queries;
    for (const OutlierRow& row : rows) {
        uint32_t& slot = slotOf[featureCode[row.request.value]];
        if (slot == kNoSlot) {
            slot = static_cast<uint32_t>(queries.size());
            queries.emplace_back();
        }
        queries[slot].push_back(row.value);
    }
    const size_t k = queries.size();
    std::vector<std::vector<uint64_t>> less(k), equal(k);
    std::vector<uint64_t> n(k, 0);
    for (size_t f = 0; f < k; ++f) {
        std::sort(queries[f].begin(), queries[f].end());
        queries[f].erase(std::unique(queries[f].begin(), queries[f].end()), queries[f].end());
        less[f].assign(queries[f].size() + 1, 0);
        equal[f].assign(queries[f].size(), 0);
    }
    for (uint32_t r : selection.requests) {
        const uint32_t f = slotOf[featureCode[r]];
        if (f == kNoSlot) {
            continue;
        }
        const double v = outlierValue(d, kind, r, scores, retries);
        if (std::isnan(v)) {
            continue;
        }
        ++n[f];
        const std::vector<double>& q = queries[f];
        const auto j = static_cast<size_t>(std::lower_bound(q.begin(), q.end(), v) - q.begin());
        if (j < q.size() && q[j] == v) {
            ++equal[f][j];
        } else {
            ++less[f][j];  // between q[j-1] and q[j]
        }
    }
    for (OutlierRow& row : rows) {
        const uint32_t f = slotOf[featureCode[row.request.value]];
        const std::vector<double>& q = queries[f];
        const auto j = static_cast<size_t>(std::lower_bound(q.begin(), q.end(), row.value) - q.begin());
        uint64_t below = 0;
        for (size_t i = 0; i <= j; ++i) {
            below += less[f][i] + (i < j ? equal[f][i] : 0);
        }
        row.percentile = midRankPercentile(below, equal[f][j], n[f]);
        row.distributionSize = static_cast<uint32_t>(n[f]);
    }
}

OutlierTable tableFrom(const Dataset& d, const FacetIndex& index, const Selection& selection, OutlierKind kind,
                       const OutlierOptions& options,
                       const std::vector<double>& scores, const std::vector<uint32_t>& retries,
                       const std::vector<uint8_t>& lastOfChain) {
    OutlierTable table;
    table.kind = kind;
    const bool positive = needsPositive(kind);
    const std::vector<Candidate> top = topCandidates(
        options.limit,
        [&](auto&& offer) {
            for (uint32_t r : selection.requests) {
                const double v = outlierValue(d, kind, r, scores, retries);
                if (std::isnan(v) || (positive && v <= 0)) {
                    continue;
                }
                if (kind == OutlierKind::MostRetried && !lastOfChain[r]) {
                    continue;  // a later attempt at the same input stands for the chain
                }
                if (kind == OutlierKind::LowestScoring) {
                    offer(Candidate{-v, static_cast<double>(d.requests.evalFail[r]), r});
                } else {
                    offer(Candidate{v, 0, r});
                }
            }
        },
        &table.candidates);
    for (const Candidate& c : top) {
        OutlierRow row;
        row.request = RequestIndex(c.request);
        row.value = outlierValue(d, kind, c.request, scores, retries);
        table.rows.push_back(row);
    }
    rankRows(d, index, selection, kind, scores, retries, table.rows);
    return table;
}

// Feature x tenant tier groups of one metric, heaviest tail first.
std::vector<TailRow> tailsOf(const Dataset& d, const Selection& selection, OutlierKind kind,
                             const std::vector<uint32_t>& groupOf,
                             const std::vector<std::pair<StringId, StringId>>& keys) {
    const size_t groups = keys.size();
    std::vector<uint64_t> begin(groups + 1, 0);
    const std::vector<double> none;
    const std::vector<uint32_t> noRetries;
    for (size_t i = 0; i < selection.requests.size(); ++i) {
        if (!std::isnan(outlierValue(d, kind, selection.requests[i], none, noRetries))) {
            ++begin[groupOf[i] + 1];
        }
    }
    for (size_t g = 0; g < groups; ++g) {
        begin[g + 1] += begin[g];
    }
    std::vector<double> values(begin[groups]);
    std::vector<uint64_t> at(begin.begin(), begin.end() - 1);
    for (size_t i = 0; i < selection.requests.size(); ++i) {
        const double v = outlierValue(d, kind, selection.requests[i], none, noRetries);
        if (!std::isnan(v)) {
            values[at[groupOf[i]]++] = v;
        }
    }
    std::vector<TailRow> out;
    static constexpr double kQs[] = {0.5, 0.95, 0.99, 1.0};
    for (size_t g = 0; g < groups; ++g) {
        if (begin[g + 1] == begin[g]) {
            continue;
        }
        TailRow row;
        row.feature = keys[g].first;
        row.tier = keys[g].second;
        row.count = begin[g + 1] - begin[g];
        double q[4];
        quantiles(std::span<double>(values.data() + begin[g], row.count), kQs, q);
        row.p50 = q[0];
        row.p95 = q[1];
        row.p99 = q[2];
        row.max = q[3];
        out.push_back(row);
    }
    std::sort(out.begin(), out.end(), [](const TailRow& a, const TailRow& b) {
        const bool bigA = a.count >= kMinTailCount;
        const bool bigB = b.count >= kMinTailCount;
        if (bigA != bigB) {
            return bigA;
        }
        const double ra = a.p50 > 0 ? a.ratio() : 0;
        const double rb = b.p50 > 0 ? b.ratio() : 0;
        return ra != rb ? ra > rb : a.count > b.count;
    });
    return out;
}

}  // namespace

std::string_view outlierMetricName(OutlierKind kind) {
    switch (kind) {
    case OutlierKind::Slowest: return "latency";
    case OutlierKind::MostExpensive: return "cost";
    case OutlierKind::LowestScoring: return "score";
    case OutlierKind::MostRetried: return "retries";
    case OutlierKind::LongestAgentLoops: return "tool_calls";
    case OutlierKind::LargestTokenUsers: return "tokens";
    }
    return {};
}

bool parseOutlierMetric(std::string_view text, OutlierKind* out) {
    for (size_t k = 0; k < kOutlierKindCount; ++k) {
        if (outlierMetricName(static_cast<OutlierKind>(k)) == text) {
            *out = static_cast<OutlierKind>(k);
            return true;
        }
    }
    return false;
}

double outlierValue(const Dataset& d, OutlierKind kind, uint32_t r, const std::vector<double>& scores,
                    const std::vector<uint32_t>& retries) {
    const RequestColumns& q = d.requests;
    switch (kind) {
    case OutlierKind::Slowest: return static_cast<double>(q.durationNs[r]) / 1e6;
    case OutlierKind::MostExpensive:
        return (q.flags[r] & kRequestCostUnknown) && q.costUsd[r] == 0 ? kNaN : q.costUsd[r];
    case OutlierKind::LowestScoring: return scores.empty() ? kNaN : scores[r];
    case OutlierKind::MostRetried: return retries.empty() ? kNaN : static_cast<double>(retries[r]);
    case OutlierKind::LongestAgentLoops: return static_cast<double>(q.toolCalls[r]);
    case OutlierKind::LargestTokenUsers:
        return static_cast<double>(q.inputTokens[r]) + static_cast<double>(q.outputTokens[r]);
    }
    return kNaN;
}

std::vector<double> requestScores(const Dataset& d) {
    const EvalColumns& e = d.evals;
    struct Range {
        StringId name;
        double lo, hi;
    };
    std::vector<Range> ranges;  // per eval name; names are few, so a linear search with the last hit first
    size_t last = 0;
    auto rangeOf = [&](StringId name) -> Range* {
        if (last < ranges.size() && ranges[last].name == name) {
            return &ranges[last];
        }
        for (last = 0; last < ranges.size(); ++last) {
            if (ranges[last].name == name) {
                return &ranges[last];
            }
        }
        return nullptr;
    };
    for (size_t i = 0; i < e.size(); ++i) {
        const double s = e.score[i];
        if (!std::isfinite(s)) {
            continue;
        }
        if (Range* r = rangeOf(e.name[i])) {
            r->lo = std::min(r->lo, s);
            r->hi = std::max(r->hi, s);
        } else {
            ranges.push_back({e.name[i], s, s});
        }
    }
    // The eval table is ordered by request: sum each request's run of rows.
    std::vector<double> out(d.requestCount(), kNaN);
    size_t i = 0;
    while (i < e.size()) {
        const uint32_t r = e.request[i];
        double sum = 0;
        uint32_t count = 0;
        for (; i < e.size() && e.request[i] == r; ++i) {
            const double s = e.score[i];
            const Range* range = std::isfinite(s) ? rangeOf(e.name[i]) : nullptr;
            if (range != nullptr && range->hi > range->lo) {
                sum += (s - range->lo) / (range->hi - range->lo);
                ++count;
            }
        }
        if (count > 0 && r < out.size()) {
            out[r] = sum / count;
        }
    }
    return out;
}

std::vector<uint32_t> retryCounts(const Dataset& d, const Selection& selection, int64_t windowNs,
                                  std::vector<uint8_t>* lastOfChain) {
    std::vector<uint32_t> retries(d.requestCount(), 0);
    if (lastOfChain) {
        lastOfChain->assign(d.requestCount(), 1);
    }
    const GenerationColumns& g = d.generations;
    // An attempt's input identity in two words (session and first-call tokens, then feature and prompt), so that
    // sorting a million of them compares integers.
    struct Attempt {
        uint64_t who;
        uint64_t what;
        int64_t start;
        uint32_t request;
    };
    std::vector<Attempt> attempts;
    attempts.reserve(selection.requests.size());
    std::vector<std::pair<StringId, StringId>> failed;  // prompt name (or model) of failed calls not yet retried
    for (uint32_t r : selection.requests) {
        failed.clear();
        uint32_t firstTokens = 0;
        const uint32_t end = d.generationEnd(RequestIndex(r));
        for (uint32_t c = d.requests.firstGeneration[r]; c < end; ++c) {
            // A retry may go to another model (a fallback), or name it differently (request against response
            // model): the prompt says what was asked; only calls without a prompt name match by model.
            const std::pair<StringId, StringId> call =
                g.promptName[c].isEmpty() ? std::pair{StringId{}, g.model[c]} : std::pair{g.promptName[c], StringId{}};
            const auto it = std::find(failed.begin(), failed.end(), call);
            if (it != failed.end()) {
                ++retries[r];
                failed.erase(it);
            }
            if (d.spans.status[g.span[c]] == SpanStatus::Error) {
                failed.push_back(call);
            }
            if (firstTokens == 0) {
                firstTokens = g.inputTokens[c];
            }
        }
        if (!d.requests.session[r].isEmpty() && firstTokens > 0) {
            attempts.push_back({(uint64_t{d.requests.session[r].value} << 32) | firstTokens,
                                (uint64_t{d.requests.feature[r].value} << 32) | d.requests.promptName[r].value,
                                d.requests.startNs[r], r});
        }
    }
    std::sort(attempts.begin(), attempts.end(), [](const Attempt& a, const Attempt& b) {
        if (a.who != b.who) {
            return a.who < b.who;
        }
        return std::tie(a.what, a.start, a.request) < std::tie(b.what, b.start, b.request);
    });
    uint32_t position = 0;  // earlier attempts in the current chain
    for (size_t i = 0; i < attempts.size(); ++i) {
        const Attempt& a = attempts[i];
        const bool chained = i > 0 && attempts[i - 1].who == a.who && attempts[i - 1].what == a.what &&
                             a.start - attempts[i - 1].start <= windowNs;
        position = chained ? position + 1 : 0;
        retries[a.request] += position;
        if (chained && lastOfChain) {
            (*lastOfChain)[attempts[i - 1].request] = 0;
        }
    }
    return retries;
}

double midRankPercentile(uint64_t below, uint64_t equal, uint64_t n) {
    if (n == 0) {
        return kNaN;
    }
    return (static_cast<double>(below) + 0.5 * static_cast<double>(equal)) / static_cast<double>(n) * 100.0;
}

OutlierTable computeOutlierTable(const Dataset& d, const FacetIndex& index, const Selection& selection,
                                 OutlierKind kind, const OutlierOptions& options) {
    std::vector<double> scores;
    std::vector<uint32_t> retries;
    std::vector<uint8_t> last;
    if (kind == OutlierKind::LowestScoring) {
        scores = requestScores(d);
    }
    if (kind == OutlierKind::MostRetried) {
        retries = retryCounts(d, selection, options.retryWindowNs, &last);
    }
    return tableFrom(d, index, selection, kind, options, scores, retries, last);
}

OutlierResult computeOutliers(const Dataset& d, const FacetIndex& index, const Selection& selection,
                              const OutlierOptions& options, const std::atomic<bool>* cancel) {
    OutlierResult result;
    result.requests = selection.requests.size();
    auto stopped = [&] {
        result.cancelled = cancel && cancel->load(std::memory_order_relaxed);
        return result.cancelled;
    };
    const std::vector<double> scores = requestScores(d);
    std::vector<uint8_t> last;
    const std::vector<uint32_t> retries = retryCounts(d, selection, options.retryWindowNs, &last);
    for (size_t k = 0; k < kOutlierKindCount; ++k) {
        if (stopped()) {
            return result;
        }
        result.tables[k] =
            tableFrom(d, index, selection, static_cast<OutlierKind>(k), options, scores, retries, last);
    }

    // Group codes for the tails: feature x tenant tier, per selected request, from the facet codes.
    const std::vector<uint32_t>& featureCode = index.code[static_cast<size_t>(Dimension::Feature)];
    const std::vector<uint32_t>& tierCode = index.code[static_cast<size_t>(Dimension::TenantTier)];
    const std::vector<StringId>& featureOf = index.valueOf[static_cast<size_t>(Dimension::Feature)];
    const std::vector<StringId>& tierOf = index.valueOf[static_cast<size_t>(Dimension::TenantTier)];
    std::vector<uint32_t> groupOfCodes(featureOf.size() * tierOf.size(), UINT32_MAX);
    std::vector<std::pair<StringId, StringId>> keys;
    std::vector<uint32_t> groupOf(selection.requests.size());
    for (size_t i = 0; i < selection.requests.size(); ++i) {
        const uint32_t r = selection.requests[i];
        uint32_t& g = groupOfCodes[featureCode[r] * tierOf.size() + tierCode[r]];
        if (g == UINT32_MAX) {
            g = static_cast<uint32_t>(keys.size());
            keys.emplace_back(featureOf[featureCode[r]], tierOf[tierCode[r]]);
        }
        groupOf[i] = g;
    }
    for (OutlierKind kind : {OutlierKind::Slowest, OutlierKind::MostExpensive, OutlierKind::LargestTokenUsers}) {
        if (stopped()) {
            return result;
        }
        result.tails[static_cast<size_t>(kind)] = tailsOf(d, selection, kind, groupOf, keys);
    }
    return result;
}

}  // namespace ps
