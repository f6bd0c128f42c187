#include "overview.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>

#include "groupedquantile.h"
#include "percentile.h"
#include "sideworker.h"
#include "versionlabel.h"

namespace ps {
namespace {

constexpr int64_t kMinuteNs = 60LL * 1000000000;
constexpr uint32_t kNone = UINT32_MAX;

enum RowFlag : uint8_t { kError = 1, kRefusal = 2, kUp = 4, kDown = 8 };

// Working memory kept per worker thread between recomputes: on a virtual machine a page fault of fresh memory
// costs microseconds, and a recompute at a million rows would otherwise fault in tens of megabytes each time.
struct Scratch {
    std::vector<uint32_t> row, request, prevRow, prevRequest;
    std::vector<uint32_t> bucketOfRow, byBucket, bucketBegin, groupOfRow, identity;
    GroupedQuantileScratch quantiles;
    std::vector<double> bucketQuantiles, bucketCostP95;
    std::vector<double> values;
    std::vector<double> ms, cost;  // per row, read by both threads
    KeyRange msRange;
    std::vector<uint8_t> flags;
};

Scratch& scratchForThisThread() {
    thread_local Scratch scratch;
    return scratch;
}


// The rows of one grain, read through the Dataset's columns: row[i] is a request row (request grain) or a
// model-call row (generation grain); request[i] is its request.
struct Rows {
    const Dataset& d;
    const FacetIndex& index;
    Grain grain;
    const std::vector<uint32_t>& row;
    const std::vector<uint32_t>& request;

    [[nodiscard]] size_t size() const { return row.size(); }
    [[nodiscard]] uint32_t span(size_t i) const { return d.generations.span[row[i]]; }
    [[nodiscard]] int64_t time(size_t i) const {
        return grain == Grain::Request ? d.requests.startNs[row[i]] : d.spans.startNs[span(i)];
    }
    [[nodiscard]] double ms(size_t i) const {
        return static_cast<double>(grain == Grain::Request ? d.requests.durationNs[row[i]]
                                                           : d.spans.durationNs[span(i)]) / 1e6;
    }
    [[nodiscard]] double cost(size_t i) const {
        if (grain == Grain::Request) {
            const uint32_t r = row[i];
            return (d.requests.flags[r] & kRequestCostUnknown) && d.requests.costUsd[r] == 0 ? kNaN
                                                                                             : d.requests.costUsd[r];
        }
        return d.generations.costSource[row[i]] == CostSource::None ? kNaN : d.generations.costUsd[row[i]];
    }
    [[nodiscard]] uint8_t flags(size_t i) const {
        const uint16_t f = d.requests.flags[request[i]];
        const uint8_t signal = static_cast<uint8_t>(((f & kRequestThumbsUp) ? kUp : 0) |
                                                    ((f & kRequestThumbsDown) ? kDown : 0));
        if (grain == Grain::Request) {
            return static_cast<uint8_t>(signal | ((f & kRequestError) ? kError : 0) |
                                        ((f & kRequestRefusal) ? kRefusal : 0));
        }
        const uint8_t c = index.callFlags[row[i]];
        return static_cast<uint8_t>(signal | ((c & kCallError) ? kError : 0) | ((c & kCallRefusal) ? kRefusal : 0));
    }
    [[nodiscard]] ErrorClass errorClass(size_t i) const {
        return grain == Grain::Request ? d.requests.errorClass[row[i]] : index.callErrorClass[row[i]];
    }
    [[nodiscard]] uint32_t input(size_t i) const {
        return grain == Grain::Request ? d.requests.inputTokens[row[i]] : d.generations.inputTokens[row[i]];
    }
    [[nodiscard]] uint32_t output(size_t i) const {
        return grain == Grain::Request ? d.requests.outputTokens[row[i]] : d.generations.outputTokens[row[i]];
    }
    [[nodiscard]] uint32_t cached(size_t i) const {
        return grain == Grain::Request ? d.requests.cachedTokens[row[i]] : d.generations.cachedTokens[row[i]];
    }
    [[nodiscard]] uint32_t evalPass(size_t i) const {
        return grain == Grain::Request ? d.requests.evalPass[row[i]] : index.callEvalPass[row[i]];
    }
    [[nodiscard]] uint32_t evalFail(size_t i) const {
        return grain == Grain::Request ? d.requests.evalFail[row[i]] : index.callEvalFail[row[i]];
    }
};

// The rows of the grain for the selected requests, into row/request (capacity reused).
void expandRows(const Dataset& d, const std::vector<uint32_t>& requests, Grain grain, std::vector<uint32_t>& row,
                std::vector<uint32_t>& request) {
    row.clear();
    request.clear();
    if (grain == Grain::Request) {
        row.assign(requests.begin(), requests.end());
        request.assign(requests.begin(), requests.end());
        return;
    }
    for (uint32_t r : requests) {
        const uint32_t end = d.generationEnd(RequestIndex{r});
        for (uint32_t k = d.requests.firstGeneration[r]; k < end; ++k) {
            row.push_back(k);
            request.push_back(r);
        }
    }
}

double p95Of(std::vector<double>& values) {
    return values.empty() ? kNaN : percentile(values, 0.95);
}

// KPI values over rows index[0..n) (all rows when index is null). latencyP95: already computed by the caller,
// which needs the other latency percentiles too.
std::array<double, kKpiCount> kpisOf(const Rows& rows, const uint32_t* index, size_t n, double latencyP95,
                                     std::vector<double>& scratch, bool withCostP95 = true) {
    std::array<double, kKpiCount> out{};
    uint64_t errors = 0, refusals = 0, pass = 0, fail = 0, up = 0, down = 0;
    scratch.clear();
    for (size_t j = 0; j < n; ++j) {
        const size_t i = index ? index[j] : j;
        const uint8_t f = rows.flags(i);
        errors += (f & kError) != 0;
        refusals += (f & kRefusal) != 0;
        up += (f & kUp) != 0;
        down += (f & kDown) != 0;
        pass += rows.evalPass(i);
        fail += rows.evalFail(i);
        if (withCostP95) {
            const double c = rows.cost(i);
            if (!std::isnan(c)) {
                scratch.push_back(c);
            }
        }
    }
    const double count = static_cast<double>(n);
    out[static_cast<size_t>(Kpi::Volume)] = count;
    out[static_cast<size_t>(Kpi::ErrorRate)] = n ? static_cast<double>(errors) / count : kNaN;
    out[static_cast<size_t>(Kpi::RefusalRate)] = n ? static_cast<double>(refusals) / count : kNaN;
    out[static_cast<size_t>(Kpi::P95Latency)] = latencyP95;
    out[static_cast<size_t>(Kpi::P95Cost)] = withCostP95 ? p95Of(scratch) : kNaN;
    out[static_cast<size_t>(Kpi::EvalPassRate)] =
        pass + fail ? static_cast<double>(pass) / static_cast<double>(pass + fail) : kNaN;
    out[static_cast<size_t>(Kpi::ThumbsDownRate)] =
        up + down ? static_cast<double>(down) / static_cast<double>(up + down) : kNaN;
    return out;
}

// A histogram on log-spaced bins with p50/p95/p99 of the values; NaN values (unknown costs) are left out.
Histogram logHistogram(std::span<const double> values, KeyRange range, size_t bins, DistributionSummary* summary,
                       GroupedQuantileScratch& scratch) {
    Histogram h;
    uint64_t count = 0;
    double sum = 0;
    double lo = INFINITY;
    double hi = -INFINITY;
    for (double v : values) {
        if (std::isnan(v)) {
            continue;
        }
        ++count;
        sum += v;
        hi = std::max(hi, v);
        if (v > 0 && v < lo) {
            lo = v;
        }
    }
    h.total = count;
    *summary = DistributionSummary{kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, count};
    if (count == 0) {
        return h;
    }
    static constexpr double kQs[] = {0.50, 0.90, 0.95, 0.99};
    double q[4];
    groupedQuantiles(values, range, {}, 1, kQs, q, scratch);
    *summary = DistributionSummary{q[0], q[1], q[2], q[3], hi, sum / static_cast<double>(count), count};
    h.p50 = summary->p50;
    h.p95 = summary->p95;
    h.p99 = summary->p99;
    h.edges = logHistogramEdges(lo, hi, bins);
    if (!(hi > 0)) {  // all zero
        h.counts = {count};
        return h;
    }
    bins = h.edges.size() - 1;
    h.counts.assign(bins, 0);
    // Branch-free binary search over the inner edges, padded to 64 with +inf: bin = number of inner edges <= v.
    std::array<double, 64> inner;
    inner.fill(INFINITY);
    for (size_t b = 1; b < bins; ++b) {
        inner[b - 1] = h.edges[b];
    }
    for (double v : values) {
        if (std::isnan(v)) {
            continue;
        }
        size_t pos = 0;
        for (size_t step = 32; step > 0; step >>= 1) {
            pos += inner[pos + step - 1] <= v ? step : 0;
        }
        ++h.counts[pos];
    }
    return h;
}

// shared: the rows' latency, cost and flags, filled once per recompute.
std::vector<BreakdownRow> breakdownOf(const Dataset& d, const Rows& rows, const std::vector<uint32_t>& code,
                                      const std::vector<StringId>& valueOf, bool byCall, const Scratch& shared,
                                      Scratch& sc) {
    const size_t groups = valueOf.size();
    std::vector<uint64_t> count(groups, 0), errors(groups, 0);
    std::vector<double> cost(groups, 0);
    sc.groupOfRow.resize(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        const uint32_t g = code[byCall ? rows.row[i] : rows.request[i]];
        sc.groupOfRow[i] = g;
        ++count[g];
        errors[g] += (shared.flags[i] & kError) != 0;
        const double c = shared.cost[i];
        if (!std::isnan(c)) {
            cost[g] += c;
        }
    }
    std::vector<double> p95(groups);
    groupedQuantile(shared.ms, shared.msRange, sc.groupOfRow, groups, 0.95, p95, sc.quantiles);
    std::vector<BreakdownRow> out;
    for (size_t g = 0; g < groups; ++g) {
        if (count[g] == 0) {
            continue;
        }
        BreakdownRow row;
        row.key = valueOf[g].isEmpty() ? std::string("(none)") : std::string(d.str(valueOf[g]));
        row.count = count[g];
        row.errorRate = static_cast<double>(errors[g]) / static_cast<double>(count[g]);
        row.p95LatencyMs = p95[g];
        row.costUsd = cost[g];
        out.push_back(std::move(row));
    }
    std::sort(out.begin(), out.end(), [](const BreakdownRow& a, const BreakdownRow& b) {
        return a.count != b.count ? a.count > b.count : a.key < b.key;
    });
    if (out.size() > kMaxBreakdownRows) {
        out.resize(kMaxBreakdownRows);
    }
    return out;
}

TokenSummary tokenSummary(const Dataset& d, const FacetIndex& index, const Rows& rows) {
    TokenSummary tk;
    const bool calls = rows.grain == Grain::Generation;
    const std::vector<uint32_t>& nameCode = calls ? index.callPrompt : index.code[static_cast<size_t>(Dimension::PromptName)];
    const std::vector<uint32_t>& versionCode =
        calls ? index.callVersion : index.code[static_cast<size_t>(Dimension::PromptVersion)];
    const std::vector<StringId>& nameOf =
        calls ? index.callPromptOf : index.valueOf[static_cast<size_t>(Dimension::PromptName)];
    const std::vector<StringId>& versionOf =
        calls ? index.callVersionOf : index.valueOf[static_cast<size_t>(Dimension::PromptVersion)];
    // Tokens per (prompt, version) in a dense table when it is small, else in a hash map.
    const size_t versions = std::max<size_t>(versionOf.size(), 1);
    const bool dense = nameOf.size() * versions <= (size_t{1} << 20);
    std::vector<uint64_t> table(dense ? nameOf.size() * versions : 0, 0);
    std::unordered_map<uint64_t, uint64_t> map;
    for (size_t i = 0; i < rows.size(); ++i) {
        const uint32_t in = rows.input(i);
        const uint32_t out = rows.output(i);
        tk.input += in;
        tk.output += out;
        tk.cached += rows.cached(i);
        const uint64_t key = uint64_t{nameCode[rows.row[i]]} * versions + versionCode[rows.row[i]];
        if (dense) {
            table[key] += in + out;
        } else {
            map[key] += in + out;
        }
    }
    if (dense) {
        for (size_t key = 0; key < table.size(); ++key) {
            if (table[key] > 0) {
                map[key] = table[key];
            }
        }
    }
    tk.efficiency = tk.input > 0 ? static_cast<double>(tk.output) / static_cast<double>(tk.input) : kNaN;
    for (const auto& [key, tokens] : map) {
        const StringId name = nameOf[key / versions];
        const StringId version = versionOf.empty() ? StringId{} : versionOf[key % versions];
        std::string label = name.isEmpty() ? std::string("(no prompt)") : std::string(d.str(name));
        if (!version.isEmpty()) {
            label += " " + versionLabel(d.str(version));
        }
        tk.topPrompts.emplace_back(std::move(label), tokens);
    }
    std::sort(tk.topPrompts.begin(), tk.topPrompts.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    if (tk.topPrompts.size() > 10) {
        tk.topPrompts.resize(10);
    }
    return tk;
}

std::vector<BreakdownRow> breakdownFor(const Dataset& d, const FacetIndex& index, const Rows& rows, Dimension dim,
                                       const Scratch& shared, Scratch& sc) {
    const bool calls = rows.grain == Grain::Generation;
    // At the generation grain a call's own model and prompt version count, the rest its request's.
    if (calls && dim == Dimension::Model) {
        return breakdownOf(d, rows, index.callModel, index.callModelOf, true, shared, sc);
    }
    if (calls && dim == Dimension::PromptVersion) {
        return breakdownOf(d, rows, index.callVersion, index.callVersionOf, true, shared, sc);
    }
    const auto k = static_cast<size_t>(dim);
    return breakdownOf(d, rows, index.code[k], index.valueOf[k], false, shared, sc);
}

constexpr std::pair<GroupField, Dimension> kBreakdownFields[] = {{GroupField::Model, Dimension::Model},
                                                                 {GroupField::Feature, Dimension::Feature},
                                                                 {GroupField::PromptVersion, Dimension::PromptVersion},
                                                                 {GroupField::Tenant, Dimension::Tenant},
                                                                 {GroupField::Environment, Dimension::Environment}};
constexpr size_t kBreakdownsOnSide = 3;  // the side thread also does the cost histogram and the tokens

}  // namespace

std::vector<double> logHistogramEdges(double minPositive, double max, size_t maxBins) {
    if (!(max > 0)) {
        return {0, 1};
    }
    const double logLo = std::floor(std::log10(minPositive) * 4) / 4;
    const double logHi = std::ceil(std::log10(max) * 4 + 1e-9) / 4;
    const double span = std::max(logHi - logLo, 0.25);
    const size_t bins = std::clamp<size_t>(static_cast<size_t>(std::lround(span * 8)), 8, maxBins);
    std::vector<double> edges(bins + 1);
    for (size_t b = 0; b <= bins; ++b) {
        edges[b] = std::pow(10.0, logLo + span * static_cast<double>(b) / static_cast<double>(bins));
    }
    return edges;
}

int64_t bucketFor(int64_t rangeNs) {
    static constexpr int64_t kSteps[] = {1, 5, 15, 60, 180, 360, 1440};
    for (int64_t minutes : kSteps) {
        if (rangeNs / (minutes * kMinuteNs) <= 300) {
            return minutes * kMinuteNs;
        }
    }
    return 1440 * kMinuteNs;
}

OverviewResult computeOverview(const Dataset& d, const FacetIndex& index, const Filter& filter,
                               const Selection& selection, Grain grain, const std::atomic<bool>* cancel) {
    OverviewResult out;
    out.grain = grain;
    auto stopped = [&] { return cancel && cancel->load(std::memory_order_relaxed); };
    Scratch& sc = scratchForThisThread();
    expandRows(d, selection.requests, grain, sc.row, sc.request);
    const Rows rows{d, index, grain, sc.row, sc.request};
    out.rows = rows.size();

    // Meanwhile on the side thread: the cost histogram, the tokens and the first breakdowns.
    out.breakdowns.resize(std::size(kBreakdownFields));
    DistributionSummary cost;
    SideWorker& side = SideWorker::instance();
    // Each row's latency, cost and flags once, read by both threads.
    sc.ms.resize(rows.size());
    sc.cost.resize(rows.size());
    sc.flags.resize(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        sc.ms[i] = rows.ms(i);
        sc.cost[i] = rows.cost(i);
        sc.flags[i] = rows.flags(i);
    }
    sc.msRange = keyRangeOf(sc.ms);
    const Scratch& shared = sc;
    side.start([&] {
        Scratch& own = scratchForThisThread();
        out.costUsd = logHistogram(shared.cost, keyRangeOf(shared.cost), 40, &cost, own.quantiles);
        out.tokens = tokenSummary(d, index, rows);
        for (size_t b = 0; b < kBreakdownsOnSide; ++b) {
            out.breakdowns[b] = {kBreakdownFields[b].first, breakdownFor(d, index, rows, kBreakdownFields[b].second, shared, own)};
        }
    });
    struct JoinSide {
        SideWorker& side;
        ~JoinSide() { side.wait(); }
    } join{side};

    // The period shown, and the previous one of equal length.
    int64_t begin = filter.beginNs;
    int64_t end = filter.endNs;
    if (begin == Filter::kNoLimit) {
        begin = selection.requests.empty() ? selection.dataBeginNs : d.requests.startNs[selection.requests.front()];
    }
    if (end == Filter::kNoLimit) {
        end = (selection.requests.empty() ? selection.dataEndNs : d.requests.startNs[selection.requests.back()]) + 1;
    }
    end = std::max(end, begin + 1);
    out.beginNs = begin;
    out.endNs = end;

    TimeSeries& ts = out.series;
    ts.bucketNs = bucketFor(end - begin);
    ts.firstBucketNs = begin - ((begin % ts.bucketNs) + ts.bucketNs) % ts.bucketNs;
    const auto buckets = static_cast<size_t>((end - ts.firstBucketNs + ts.bucketNs - 1) / ts.bucketNs);
    sc.bucketBegin.assign(buckets + 1, 0);
    sc.bucketOfRow.resize(rows.size());
    bool inTimeOrder = true;  // always at the request grain: requests are stored by start time
    uint32_t previousBucket = 0;
    // The bucket of a time by a multiplication by the reciprocal, corrected to the exact quotient (a 64-bit
    // division per row costs more than everything else in this loop).
    const double perBucket = 1.0 / static_cast<double>(ts.bucketNs);
    for (size_t i = 0; i < rows.size(); ++i) {
        const int64_t offset = rows.time(i) - ts.firstBucketNs;
        auto b = static_cast<int64_t>(static_cast<double>(offset) * perBucket);
        while (b > 0 && b * ts.bucketNs > offset) {
            --b;
        }
        while ((b + 1) * ts.bucketNs <= offset) {
            ++b;
        }
        const auto bucket = static_cast<uint32_t>(std::clamp<int64_t>(b, 0, static_cast<int64_t>(buckets) - 1));
        sc.bucketOfRow[i] = bucket;
        inTimeOrder = inTimeOrder && bucket >= previousBucket;
        previousBucket = bucket;
        ++sc.bucketBegin[bucket + 1];
    }
    for (size_t b = 0; b < buckets; ++b) {
        sc.bucketBegin[b + 1] += sc.bucketBegin[b];
    }
    // The rows of each bucket: when they already come in time order, the identity (kept between recomputes),
    // else a counting sort.
    if (inTimeOrder) {
        const size_t had = sc.identity.size();
        if (had < rows.size()) {
            sc.identity.resize(rows.size());
            for (size_t i = had; i < rows.size(); ++i) {
                sc.identity[i] = static_cast<uint32_t>(i);
            }
        }
    } else {
        sc.byBucket.resize(rows.size());
        std::vector<uint32_t> cursor(sc.bucketBegin.begin(), sc.bucketBegin.end() - 1);
        for (size_t i = 0; i < rows.size(); ++i) {
            sc.byBucket[cursor[sc.bucketOfRow[i]]++] = static_cast<uint32_t>(i);
        }
    }
    const uint32_t* rowsByBucket = inTimeOrder ? sc.identity.data() : sc.byBucket.data();
    if (stopped()) {
        side.wait();  // the side task writes into out
        out.cancelled = true;
        return out;
    }
    // Every bucket's latency p50/p95/p99 and cost p95 at once (rows without a known cost take no part).
    static constexpr double kLatencyQs[] = {0.50, 0.95, 0.99};
    sc.bucketQuantiles.resize(buckets * 3);
    groupedQuantiles(sc.ms, sc.msRange, sc.bucketOfRow, buckets, kLatencyQs, sc.bucketQuantiles, sc.quantiles);
    sc.groupOfRow.resize(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        sc.groupOfRow[i] = std::isnan(sc.cost[i]) ? kSkipRow : sc.bucketOfRow[i];
    }
    sc.bucketCostP95.resize(buckets);
    groupedQuantile(sc.cost, keyRangeOf(sc.cost), sc.groupOfRow, buckets, 0.95, sc.bucketCostP95, sc.quantiles);
    ts.count.assign(buckets, 0);
    for (auto& v : ts.errorRate) {
        v.assign(buckets, 0);
    }
    ts.p50.assign(buckets, kNaN);
    ts.p95.assign(buckets, kNaN);
    ts.p99.assign(buckets, kNaN);
    ts.costUsd.assign(buckets, 0);
    ts.inputTokens.assign(buckets, 0);
    ts.outputTokens.assign(buckets, 0);
    for (auto& k : out.kpis) {
        k.spark.assign(buckets, kNaN);
    }
    for (size_t b = 0; b < buckets; ++b) {
        const uint32_t* idx = rowsByBucket + sc.bucketBegin[b];
        const size_t n = sc.bucketBegin[b + 1] - sc.bucketBegin[b];
        ts.count[b] = static_cast<double>(n);
        for (size_t j = 0; j < n; ++j) {
            const uint32_t i = idx[j];
            if (sc.flags[i] & kError) {
                ts.errorRate[static_cast<size_t>(rows.errorClass(i))][b] += 1;
            }
            const double c = sc.cost[i];
            if (!std::isnan(c)) {
                ts.costUsd[b] += c;
            }
            ts.inputTokens[b] += rows.input(i);
            ts.outputTokens[b] += rows.output(i);
        }
        if (n > 0) {
            ts.p50[b] = sc.bucketQuantiles[3 * b];
            ts.p95[b] = sc.bucketQuantiles[3 * b + 1];
            ts.p99[b] = sc.bucketQuantiles[3 * b + 2];
            auto k = kpisOf(rows, idx, n, ts.p95[b], sc.values, false);
            k[static_cast<size_t>(Kpi::P95Cost)] = sc.bucketCostP95[b];
            for (auto& v : ts.errorRate) {
                v[b] /= static_cast<double>(n);
            }
            for (size_t m = 0; m < kKpiCount; ++m) {
                out.kpis[m].spark[b] = k[m];
            }
        } else {
            out.kpis[static_cast<size_t>(Kpi::Volume)].spark[b] = 0;
        }
    }

    DistributionSummary latency;
    out.latencyMs = logHistogram(sc.ms, sc.msRange, 40, &latency, sc.quantiles);
    const auto now = kpisOf(rows, nullptr, rows.size(), latency.p95, sc.values, false);
    Filter previous = filter;
    previous.beginNs = begin - (end - begin);
    previous.endNs = begin;
    const Selection prevSel = selectRequests(d, index, previous, cancel, false, selection.textMatch);
    expandRows(d, prevSel.requests, grain, sc.prevRow, sc.prevRequest);
    const Rows prevRows{d, index, grain, sc.prevRow, sc.prevRequest};
    sc.values.resize(prevRows.size());
    for (size_t i = 0; i < prevRows.size(); ++i) {
        sc.values[i] = prevRows.ms(i);
    }
    const double prevP95 = p95Of(sc.values);
    const auto before = kpisOf(prevRows, nullptr, prevRows.size(), prevP95, sc.values);
    for (size_t m = 0; m < kKpiCount; ++m) {
        out.kpis[m].current = now[m];
        out.kpis[m].previous = prevRows.size() > 0 ? before[m] : kNaN;
    }
    if (stopped()) {
        side.wait();  // the side task writes into out
        out.cancelled = true;
        return out;
    }

    for (size_t b = kBreakdownsOnSide; b < std::size(kBreakdownFields); ++b) {
        out.breakdowns[b] = {kBreakdownFields[b].first,
                             breakdownFor(d, index, rows, kBreakdownFields[b].second, shared, sc)};
    }
    side.wait();
    out.kpis[static_cast<size_t>(Kpi::P95Cost)].current = cost.p95;
    return out;
}

}  // namespace ps
