#include "selection.h"

#include <algorithm>
#include <cctype>
#include <type_traits>

#include "sideworker.h"
#include "textsearch.h"

namespace ps {
namespace {

constexpr uint32_t kAll = UINT32_MAX;

const std::vector<StringId>& columnOf(const Dataset& d, const std::vector<StringId>& tiers, Dimension dim) {
    const RequestColumns& r = d.requests;
    switch (dim) {
    case Dimension::Feature: return r.feature;
    case Dimension::PromptName: return r.promptName;
    case Dimension::PromptVersion: return r.promptVersion;
    case Dimension::Model: return r.model;
    case Dimension::Provider: return r.provider;
    case Dimension::Environment: return r.environment;
    case Dimension::Tenant: return r.tenant;
    case Dimension::TenantTier: return tiers;
    case Dimension::User: return r.user;
    case Dimension::Session: return r.session;
    case Dimension::FinishReason: return r.finishReason;
    }
    return r.feature;
}

// The text filter looks at the trace id, the root span's name, the user and the messages of failed spans. The
// strings, then the requests, are looked at in two halves at once, one on the side thread (idle at this point).
std::vector<uint8_t> textMatches(const Dataset& d, const std::string& text) {
    std::vector<uint8_t> stringMatches(d.strings.size(), 0);
    SideWorker& side = SideWorker::instance();
    const auto strings = static_cast<uint32_t>(d.strings.size());
    side.start([&] { markStringsContaining(d.strings, text, strings / 2, strings, stringMatches); });
    markStringsContaining(d.strings, text, 0, strings / 2, stringMatches);
    side.wait();
    auto matchesId = [&](StringId id) { return stringMatches[id.value] != 0; };
    std::vector<uint8_t> out(d.requestCount(), 0);
    const RequestColumns& r = d.requests;
    auto requestsFrom = [&](uint32_t from, uint32_t to) {
        for (uint32_t i = from; i < to; ++i) {
            out[i] = matchesId(r.traceId[i]) || matchesId(d.spans.name[r.firstSpan[i]]) || matchesId(r.user[i]);
        }
    };
    const auto requests = static_cast<uint32_t>(out.size());
    side.start([&] { requestsFrom(requests / 2, requests); });
    requestsFrom(0, requests / 2);
    side.wait();
    for (size_t e = 0; e < d.errors.size(); ++e) {
        if (matchesId(d.errors.message[e]) || matchesId(d.errors.type[e])) {
            const RequestIndex req = d.requestOfSpan(SpanIndex{d.errors.span[e]});
            if (req.value < out.size()) {
                out[req.value] = 1;
            }
        }
    }
    return out;
}

struct ScanPart {
    std::vector<uint32_t> requests;
    std::array<std::vector<uint32_t>, kDimensionCount> counts;
    std::vector<std::vector<uint32_t>> packCounts;  // per FacetIndex pack
    std::array<uint32_t, 3> status{};
    bool cancelled = false;
};

ScanPart& scanPartForThisThread() {
    thread_local ScanPart part;
    return part;
}

}  // namespace

std::vector<StringId> tenantTierColumn(const Dataset& d) {
    std::vector<StringId> tierOf(d.strings.size());
    for (const TenantRecord& t : d.tenants) {
        tierOf[t.tenant.value] = t.tier;
    }
    std::vector<StringId> out(d.requestCount());
    for (size_t i = 0; i < out.size(); ++i) {
        out[i] = tierOf[d.requests.tenant[i].value];
    }
    return out;
}

namespace {

constexpr uint32_t kMaxPack = 4096;  // a pack's counts stay in the first-level cache

// First fit: each dimension joins the first pack it fits in, by its number of values.
void packDimensions(FacetIndex& index) {
    const size_t n = index.code[0].size();
    for (size_t k = 0; k < kDimensionCount; ++k) {
        const auto values = static_cast<uint32_t>(std::max<size_t>(index.valueOf[k].size(), 1));
        if (values > kMaxPack) {
            index.loneDims.push_back(static_cast<uint8_t>(k));
            continue;
        }
        auto fits = [&](const FacetIndex::Pack& p) { return p.size * values <= kMaxPack; };
        auto it = std::find_if(index.packs.begin(), index.packs.end(), fits);
        if (it == index.packs.end()) {
            it = index.packs.insert(index.packs.end(), FacetIndex::Pack{});
            it->code.assign(n, 0);
        }
        for (size_t i = 0; i < n; ++i) {
            it->code[i] = static_cast<uint16_t>(it->code[i] + it->size * index.code[k][i]);
        }
        it->dims.push_back(static_cast<uint8_t>(k));
        it->radix.push_back(values);
        it->size *= values;
    }
}

}  // namespace

FacetIndex buildFacetIndex(const Dataset& d) {
    FacetIndex index;
    const std::vector<StringId> tiers = tenantTierColumn(d);
    std::vector<uint32_t> codeOf(d.strings.size(), kAll);
    auto encode = [&](const std::vector<StringId>& column, std::vector<uint32_t>& code, std::vector<StringId>& values) {
        code.resize(column.size());
        for (size_t i = 0; i < column.size(); ++i) {
            uint32_t& c = codeOf[column[i].value];
            if (c == kAll) {
                c = static_cast<uint32_t>(values.size());
                values.push_back(column[i]);
            }
            code[i] = c;
        }
        for (StringId v : values) {
            codeOf[v.value] = kAll;
        }
    };
    for (size_t k = 0; k < kDimensionCount; ++k) {
        encode(columnOf(d, tiers, static_cast<Dimension>(k)), index.code[k], index.valueOf[k]);
    }
    packDimensions(index);
    encode(d.generations.model, index.callModel, index.callModelOf);
    encode(d.generations.promptVersion, index.callVersion, index.callVersionOf);
    encode(d.generations.promptName, index.callPrompt, index.callPromptOf);

    const GenerationColumns& g = d.generations;
    const size_t calls = g.size();
    index.callFlags.assign(calls, 0);
    index.callErrorClass.assign(calls, ErrorClass::None);
    index.callEvalPass.assign(calls, 0);
    index.callEvalFail.assign(calls, 0);
    for (size_t k = 0; k < calls; ++k) {
        const uint32_t span = g.span[k];
        const std::string_view finish = d.str(g.finishReason[k]);
        if (finish == "refusal" || finish == "content_filter" || finish == "refused") {
            index.callFlags[k] |= kCallRefusal;
        }
        if (d.spans.status[span] == SpanStatus::Error) {
            index.callFlags[k] |= kCallError;
            auto it = std::lower_bound(d.errors.span.begin(), d.errors.span.end(), span);
            index.callErrorClass[k] = it != d.errors.span.end() && *it == span
                                          ? d.errors.errorClass[static_cast<size_t>(it - d.errors.span.begin())]
                                          : ErrorClass::Other;
        }
    }
    for (size_t e = 0; e < d.evals.size(); ++e) {
        const uint32_t span = d.evals.span[e];
        if (span == SpanIndex::kInvalid || d.spans.kind[span] != SpanKind::Llm) {
            continue;
        }
        auto it = std::lower_bound(g.span.begin(), g.span.end(), span);
        if (it != g.span.end() && *it == span) {
            const auto k = static_cast<size_t>(it - g.span.begin());
            auto bump = [](uint8_t& v) { v = v == 255 ? v : static_cast<uint8_t>(v + 1); };
            if (d.evals.outcome[e] == EvalOutcome::Pass) {
                bump(index.callEvalPass[k]);
            } else if (d.evals.outcome[e] == EvalOutcome::Fail) {
                bump(index.callEvalFail[k]);
            }
        }
    }
    return index;
}

Selection selectRequests(const Dataset& d, const FacetIndex& index, const Filter& filter,
                         const std::atomic<bool>* cancel, bool countFacets,
                         std::shared_ptr<const std::vector<uint8_t>> textMatch) {
    Selection sel;
    const RequestColumns& r = d.requests;
    const uint32_t n = static_cast<uint32_t>(d.requestCount());
    if (n > 0) {
        sel.dataBeginNs = r.startNs.front();
        sel.dataEndNs = r.startNs.back();
    }
    // Per dimension with a filter: which codes it accepts. A value the data never mentions matches nothing;
    // "(none)" matches requests without a value.
    std::array<std::vector<uint8_t>, kDimensionCount> accepts;
    uint32_t activeDims = 0;
    for (size_t k = 0; k < kDimensionCount; ++k) {
        const auto& values = filter.of(static_cast<Dimension>(k));
        if (values.empty()) {
            continue;
        }
        activeDims |= 1u << k;
        accepts[k].assign(index.valueOf[k].size(), 0);
        for (size_t c = 0; c < index.valueOf[k].size(); ++c) {
            const StringId id = index.valueOf[k][c];
            const std::string_view text = id.isEmpty() ? std::string_view("(none)") : d.str(id);
            accepts[k][c] = std::find(values.begin(), values.end(), text) != values.end();
        }
    }
    if (!filter.text.empty() && (!textMatch || textMatch->size() != d.requestCount())) {
        textMatch = std::make_shared<const std::vector<uint8_t>>(textMatches(d, filter.text));
    }
    if (filter.text.empty()) {
        textMatch.reset();
    }
    sel.textMatch = textMatch;
    static const std::vector<uint8_t> kNoText;
    const std::vector<uint8_t>& text = textMatch ? *textMatch : kNoText;
    const bool timeFrom = filter.beginNs != Filter::kNoLimit;
    const bool timeTo = filter.endNs != Filter::kNoLimit;
    const double minLat = filter.minLatencyMs;
    const double maxLat = filter.maxLatencyMs;
    const bool latencyBound = minLat >= 0 || maxLat >= 0;
    const bool costBound = filter.minCostUsd >= 0 || filter.maxCostUsd >= 0;
    // Requests are sorted by start: the time range is a row range.
    const auto first = static_cast<uint32_t>(
        timeFrom ? std::lower_bound(r.startNs.begin(), r.startNs.end(), filter.beginNs) - r.startNs.begin() : 0);
    const auto last = std::max(
        first, static_cast<uint32_t>(
                   timeTo ? std::lower_bound(r.startNs.begin(), r.startNs.end(), filter.endNs) - r.startNs.begin() : n));

    // The scan of a row range into the calling thread's part (kept between calls: no fresh memory to fault in).
    auto scan = [&](uint32_t from, uint32_t to) -> ScanPart& {
        ScanPart& part = scanPartForThisThread();
        part.requests.clear();
        part.status = {};
        part.cancelled = false;
        for (size_t k = 0; k < kDimensionCount; ++k) {
            part.counts[k].assign(countFacets ? index.valueOf[k].size() : 0, 0);
        }
        part.packCounts.resize(index.packs.size());
        for (size_t p = 0; p < index.packs.size(); ++p) {
            part.packCounts[p].assign(countFacets ? index.packs[p].size : 0, 0);
        }
        // Plain pointers for the counting loop (through the vectors, every store could move them: reloads).
        std::array<uint32_t*, kDimensionCount> packCount{}, loneCount{};
        std::array<const uint16_t*, kDimensionCount> packCode{};
        std::array<const uint32_t*, kDimensionCount> loneCode{};
        const size_t packs = countFacets ? index.packs.size() : 0;
        const size_t lones = countFacets ? index.loneDims.size() : 0;
        for (size_t p = 0; p < packs; ++p) {
            packCount[p] = part.packCounts[p].data();
            packCode[p] = index.packs[p].code.data();
        }
        for (size_t j = 0; j < lones; ++j) {
            loneCount[j] = part.counts[index.loneDims[j]].data();
            loneCode[j] = index.code[index.loneDims[j]].data();
        }
        std::array<const uint8_t*, kDimensionCount> accept{};
        std::array<const uint32_t*, kDimensionCount> dimCode{};
        for (size_t k = 0; k < kDimensionCount; ++k) {
            accept[k] = accepts[k].data();
            dimCode[k] = index.code[k].data();
        }
        const uint16_t* flags = r.flags.data();
        const int64_t* duration = r.durationNs.data();
        const double* costs = r.costUsd.data();
        const double minCost = filter.minCostUsd;
        const double maxCost = filter.maxCostUsd;
        const bool refusalsOnly = filter.refusalsOnly;
        const bool anyStatus = filter.status == StatusFilter::Any;
        const bool wantError = filter.status == StatusFilter::Error;
        std::array<uint32_t*, kDimensionCount> failedCount{};
        for (size_t k = 0; k < kDimensionCount; ++k) {
            failedCount[k] = part.counts[k].data();
        }
        // The rows [from, to), compiled twice: with the filters that are not dimensions (latency, cost, refusals,
        // text) and without them, so that most filter changes test nothing they do not need per row.
        auto rows = [&](auto withExtras, uint32_t from, uint32_t to) {
            for (uint32_t i = from; i < to; ++i) {
                if constexpr (decltype(withExtras)::value) {
                    // A row failing these counts nowhere. (The latency is only computed when there is a bound: a
                    // division per row is a quarter of an unfiltered scan.)
                    if (latencyBound) {
                        const double ms = static_cast<double>(duration[i]) / 1e6;
                        if ((minLat >= 0 && ms < minLat) || (maxLat >= 0 && ms > maxLat)) {
                            continue;
                        }
                    }
                    if (costBound && ((minCost >= 0 && costs[i] < minCost) || (maxCost >= 0 && costs[i] > maxCost))) {
                        continue;
                    }
                    if (refusalsOnly && !(flags[i] & kRequestRefusal)) {
                        continue;
                    }
                    if (!text.empty() && !text[i]) {
                        continue;
                    }
                }
                uint32_t failed = 0;  // dimensions whose filter this row fails
                for (uint32_t active = activeDims; active != 0; active &= active - 1) {
                    const int k = __builtin_ctz(active);
                    failed |= static_cast<uint32_t>(accept[k][dimCode[k][i]] == 0) << k;
                }
                const bool error = flags[i] & kRequestError;
                if (failed == 0) {
                    ++part.status[0];
                    ++part.status[error ? 2 : 1];
                }
                if (!(anyStatus || wantError == error) || (failed & (failed - 1)) != 0) {
                    continue;  // fails the status filter, or two dimensions: counts for no facet
                }
                if (failed == 0) {
                    part.requests.push_back(i);
                    for (size_t p = 0; p < packs; ++p) {
                        ++packCount[p][packCode[p][i]];
                    }
                    for (size_t j = 0; j < lones; ++j) {
                        ++loneCount[j][loneCode[j][i]];
                    }
                } else if (countFacets) {
                    const int k = __builtin_ctz(failed);
                    ++failedCount[k][dimCode[k][i]];
                }
            }
        };
        const bool extras = latencyBound || costBound || refusalsOnly || !text.empty();
        for (uint32_t chunk = from; chunk < to;) {
            if (cancel && cancel->load(std::memory_order_relaxed)) {
                part.cancelled = true;
                return part;
            }
            const uint32_t end = std::min(to, chunk + 4096);
            if (extras) {
                rows(std::true_type{}, chunk, end);
            } else {
                rows(std::false_type{}, chunk, end);
            }
            chunk = end;
        }
        return part;
    };
    // Big scans in two halves at once; the previous-period selection (no counts) runs while the side thread is
    // busy with the overview, so it stays on this thread.
    const uint32_t mid = first + (last - first) / 2;
    const bool split = countFacets && last - first >= 65536;
    ScanPart* second = nullptr;
    SideWorker& side = SideWorker::instance();
    if (split) {
        side.start([&] { second = &scan(mid, last); });
    }
    ScanPart& part = scan(first, split ? mid : last);
    if (split) {
        side.wait();
    }
    if (part.cancelled || (second && second->cancelled)) {
        sel.cancelled = true;
        return sel;
    }
    sel.requests.reserve(part.requests.size() + (second ? second->requests.size() : 0));
    sel.requests.assign(part.requests.begin(), part.requests.end());
    sel.statusCounts = part.status;
    if (second) {
        sel.requests.insert(sel.requests.end(), second->requests.begin(), second->requests.end());
        for (size_t k = 0; k < 3; ++k) {
            sel.statusCounts[k] += second->status[k];
        }
    }
    if (!countFacets) {
        return sel;
    }
    std::array<std::vector<uint32_t>, kDimensionCount>& counts = part.counts;
    if (second) {
        for (size_t k = 0; k < kDimensionCount; ++k) {
            for (size_t c = 0; c < counts[k].size(); ++c) {
                counts[k][c] += second->counts[k][c];
            }
        }
    }
    // Unpack: each pack code adds its count to the value of each of its dimensions.
    for (size_t p = 0; p < index.packs.size(); ++p) {
        const FacetIndex::Pack& pack = index.packs[p];
        for (uint32_t c = 0; c < pack.size; ++c) {
            const uint32_t count = part.packCounts[p][c] + (second ? second->packCounts[p][c] : 0);
            if (count == 0) {
                continue;
            }
            uint32_t rest = c;
            for (size_t j = 0; j < pack.dims.size(); ++j) {
                counts[pack.dims[j]][rest % pack.radix[j]] += count;
                rest /= pack.radix[j];
            }
        }
    }
    for (size_t k = 0; k < kDimensionCount; ++k) {
        std::vector<FacetValue>& out = sel.facets[k];
        for (size_t c = 0; c < counts[k].size(); ++c) {
            if (counts[k][c] > 0) {
                out.push_back({index.valueOf[k][c], counts[k][c]});
            }
        }
        sel.valueCount[k] = static_cast<uint32_t>(out.size());
        // Users and sessions have hundreds of thousands of values: pick the top ones by count (ties by id, no
        // string compares), then order only those for display.
        auto byCountThenId = [](const FacetValue& a, const FacetValue& b) {
            return a.count != b.count ? a.count > b.count : a.value.value < b.value.value;
        };
        if (out.size() > kMaxFacetValues) {
            std::nth_element(out.begin(), out.begin() + kMaxFacetValues, out.end(), byCountThenId);
            out.resize(kMaxFacetValues);
        }
        std::sort(out.begin(), out.end(), [&](const FacetValue& a, const FacetValue& b) {
            return a.count != b.count ? a.count > b.count : d.str(a.value) < d.str(b.value);
        });
    }
    return sel;
}

}  // namespace ps
