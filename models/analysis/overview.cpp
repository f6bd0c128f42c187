#include "overview.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "overviewbreakdowns.h"
#include "overviewindex.h"
#include "sideworker.h"

namespace ps {
namespace {

constexpr int64_t kMinuteNs = 60LL * 1000000000;
constexpr size_t kHistogramBins = 40;

// A time bucket's histograms hold the codes' top 10 bits. Codes stop below 65,001, so the last bin (that of
// ValueCodes::kNoValue) only ever counts rows without a value.
constexpr int kLocalShift = 6;
constexpr size_t kLocalBins = ValueCodes::kSlots >> kLocalShift;
constexpr size_t kNoValueBin = ValueCodes::kNoValue >> kLocalShift;

// The bucket of a time, floor((t - first) / width) clamped to the buckets, by a multiplication by the reciprocal
// corrected to the exact quotient (a 64-bit division per row costs more than the rest of the pass).
struct BucketOf {
    int64_t first;
    int64_t width;
    size_t buckets;
    double perBucket = 1.0 / static_cast<double>(width);

    [[nodiscard]] uint32_t operator()(int64_t t) const {
        const int64_t offset = t - first;
        auto b = static_cast<int64_t>(static_cast<double>(offset) * perBucket);
        while (b > 0 && b * width > offset) {
            --b;
        }
        while ((b + 1) * width <= offset) {
            ++b;
        }
        return static_cast<uint32_t>(std::clamp<int64_t>(b, 0, static_cast<int64_t>(buckets) - 1));
    }
};

// Quantiles of one time bucket's rows: a histogram of their codes' top bits, then a second look at the bucket's
// rows (still in cache) for the values in the bins that hold the wanted ranks, finished by selections.
class LocalQuantiles {
public:
    LocalQuantiles() { slot_.fill(-1); }
    void clear() { hist_.fill(0); }
    void add(uint16_t code) { ++hist_[code >> kLocalShift]; }
    [[nodiscard]] uint64_t valued(uint64_t rows) const { return rows - hist_[kNoValueBin]; }
    // The ranks of the quantiles qs (at most 3) over n values, and the bins to collect for them.
    void plan(uint64_t n, std::span<const double> qs) {
        n_ = n;
        qs_ = qs;
        slots_ = 0;
        if (n == 0) {
            return;
        }
        std::array<uint64_t, 6> sorted{};
        for (size_t j = 0; j < qs.size(); ++j) {
            const auto lo = static_cast<uint64_t>(std::floor(static_cast<double>(n - 1) * qs[j]));
            sorted[2 * j] = lo;
            sorted[2 * j + 1] = std::min(lo + 1, n - 1);
        }
        std::sort(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(2 * qs.size()));
        uint64_t cumulative = 0;
        size_t t = 0;
        for (size_t b = 0; b < kLocalBins && t < 2 * qs.size(); ++b) {
            bool wanted = false;
            while (t < 2 * qs.size() && sorted[t] < cumulative + hist_[b]) {
                wanted = true;
                ++t;
            }
            if (wanted) {
                slot_[b] = static_cast<int8_t>(slots_);
                bin_[slots_] = b;
                before_[slots_] = cumulative;
                members_[slots_].clear();
                ++slots_;
            }
            cumulative += hist_[b];
        }
    }
    [[nodiscard]] bool wants(uint16_t code) const { return slot_[code >> kLocalShift] >= 0; }
    void collect(uint16_t code, double value) {
        members_[static_cast<size_t>(slot_[code >> kLocalShift])].push_back(value);
    }
    // out[j] = the quantile qs[j]; forgets the plan.
    void finish(double* out) {
        for (size_t j = 0; j < qs_.size(); ++j) {
            if (n_ == 0) {
                out[j] = kNaN;
                continue;
            }
            const double h = static_cast<double>(n_ - 1) * qs_[j];
            const auto lo = static_cast<uint64_t>(std::floor(h));
            const double frac = h - std::floor(h);
            const double a = valueAt(lo);
            out[j] = frac > 0 ? a + frac * (valueAt(std::min(lo + 1, n_ - 1)) - a) : a;
        }
        for (size_t s = 0; s < slots_; ++s) {
            slot_[bin_[s]] = -1;
        }
        slots_ = 0;
    }
    [[nodiscard]] bool planned() const { return slots_ > 0; }

private:
    [[nodiscard]] double valueAt(uint64_t rank) {
        size_t s = 0;
        while (s + 1 < slots_ && before_[s + 1] <= rank) {
            ++s;
        }
        std::vector<double>& m = members_[s];
        const auto within = static_cast<std::ptrdiff_t>(rank - before_[s]);
        std::nth_element(m.begin(), m.begin() + within, m.end());
        return m[static_cast<size_t>(within)];
    }

    std::array<uint32_t, kLocalBins> hist_{};
    std::array<int8_t, kLocalBins> slot_{};
    std::array<size_t, 6> bin_{};
    std::array<uint64_t, 6> before_{};
    std::array<std::vector<double>, 6> members_;
    size_t slots_ = 0;
    uint64_t n_ = 0;
    std::span<const double> qs_;
};

// Working memory kept per thread between recomputes: on a virtual machine a page fault of fresh memory costs
// microseconds, and a recompute at a million rows would otherwise fault in megabytes each time.
struct Scratch {
    std::vector<uint32_t> byBucket, bucketOfRow, bucketBegin;
    CodeCounts ms, cost;
    LocalQuantiles bucketMs, bucketCost;
};

Scratch& scratchForThisThread() {
    thread_local Scratch scratch;
    return scratch;
}

struct Tally {
    uint64_t rows = 0, errors = 0, refusals = 0, up = 0, down = 0, pass = 0, fail = 0;

    void add(uint8_t f, uint32_t evalPass, uint32_t evalFail) {
        ++rows;
        errors += (f & kRowError) != 0;
        refusals += (f & kRowRefusal) != 0;
        up += (f & kRowThumbsUp) != 0;
        down += (f & kRowThumbsDown) != 0;
        pass += evalPass;
        fail += evalFail;
    }
    void add(const Tally& t) {
        rows += t.rows;
        errors += t.errors;
        refusals += t.refusals;
        up += t.up;
        down += t.down;
        pass += t.pass;
        fail += t.fail;
    }
    [[nodiscard]] std::array<double, kKpiCount> kpis(double p95Latency, double p95Cost) const {
        std::array<double, kKpiCount> out{};
        const auto n = static_cast<double>(rows);
        out[static_cast<size_t>(Kpi::Volume)] = n;
        out[static_cast<size_t>(Kpi::ErrorRate)] = rows ? static_cast<double>(errors) / n : kNaN;
        out[static_cast<size_t>(Kpi::RefusalRate)] = rows ? static_cast<double>(refusals) / n : kNaN;
        out[static_cast<size_t>(Kpi::P95Latency)] = p95Latency;
        out[static_cast<size_t>(Kpi::P95Cost)] = p95Cost;
        out[static_cast<size_t>(Kpi::EvalPassRate)] =
            pass + fail ? static_cast<double>(pass) / static_cast<double>(pass + fail) : kNaN;
        out[static_cast<size_t>(Kpi::ThumbsDownRate)] =
            up + down ? static_cast<double>(down) / static_cast<double>(up + down) : kNaN;
        return out;
    }
};

// The log-binned histogram of a subset's values, with its p50, p95 and p99, from its counts per code.
template <typename Member, typename Value>
Histogram histogramOf(const CodeCounts& counts, const ValueCodes& codes, Member member, Value value) {
    Histogram h;
    h.total = counts.total();
    if (h.total == 0) {
        return h;
    }
    static constexpr double kQs[] = {0.50, 0.95, 0.99};
    double q[3];
    counts.quantiles(codes, kQs, q, member, value);
    h.p50 = q[0];
    h.p95 = q[1];
    h.p99 = q[2];
    double lo = INFINITY;
    double hi = -INFINITY;
    counts.extremes(codes, &lo, &hi, member, value);
    h.edges = logHistogramEdges(lo, hi, kHistogramBins);
    if (!(hi > 0)) {  // all zero (or below)
        h.counts = {h.total};
        return h;
    }
    h.counts.assign(h.edges.size() - 1, 0);
    counts.binCounts(codes, LogBins(h.edges), h.counts, member, value);
    return h;
}

// The rows of the selection by time bucket: sc.bucketBegin[b] .. [b + 1) index the returned list.
template <Grain G>
const uint32_t* rowsByBucket(const GrainRows<G>& rows, const Selection& sel, const BucketOf& bucketOf,
                             Scratch& sc) {
    sc.bucketBegin.assign(bucketOf.buckets + 1, 0);
    if constexpr (!GrainRows<G>::kCalls) {
        // Requests come in start order: each bucket is a slice of the selection, found by binary searches.
        const std::vector<uint32_t>& sel0 = sel.requests;
        const std::vector<int64_t>& start = rows.d.requests.startNs;
        for (size_t b = 1; b < bucketOf.buckets; ++b) {
            const int64_t t = bucketOf.first + static_cast<int64_t>(b) * bucketOf.width;
            sc.bucketBegin[b] = static_cast<uint32_t>(
                std::lower_bound(sel0.begin(), sel0.end(), t, [&](uint32_t r, int64_t v) { return start[r] < v; }) -
                sel0.begin());
        }
        sc.bucketBegin[bucketOf.buckets] = static_cast<uint32_t>(sel0.size());
        return sel0.data();
    } else {
        // Model calls start after their request, sometimes in a later bucket: a counting sort, stable.
        sc.bucketOfRow.clear();
        rows.forEach(sel.requests, [&](uint32_t row, uint32_t) {
            const uint32_t b = bucketOf(rows.time(row));
            sc.bucketOfRow.push_back(b);
            ++sc.bucketBegin[b + 1];
        });
        for (size_t b = 0; b < bucketOf.buckets; ++b) {
            sc.bucketBegin[b + 1] += sc.bucketBegin[b];
        }
        sc.byBucket.resize(sc.bucketOfRow.size());
        std::vector<uint32_t> cursor(sc.bucketBegin.begin(), sc.bucketBegin.end() - 1);
        size_t i = 0;
        rows.forEach(sel.requests, [&](uint32_t row, uint32_t) { sc.byBucket[cursor[sc.bucketOfRow[i++]]++] = row; });
        return sc.byBucket.data();
    }
}

// Time series, sparklines, KPIs with the previous period, and both histograms: the calling thread's share.
// False when cancelled.
template <Grain G>
bool timeSeriesAndKpis(const GrainRows<G>& rows, const Filter& filter, const Selection& sel, OverviewResult& out,
                       const std::atomic<bool>* cancel) {
    auto stopped = [&] { return cancel && cancel->load(std::memory_order_relaxed); };
    Scratch& sc = scratchForThisThread();
    TimeSeries& ts = out.series;
    const BucketOf bucketOf{ts.firstBucketNs, ts.bucketNs, ts.size()};
    const uint32_t* list = rowsByBucket(rows, sel, bucketOf, sc);
    const OverviewIndex& oi = rows.oi;
    const uint16_t* msCode = oi.ms.code.data();
    const uint16_t* costCode = oi.cost.code.data();
    sc.ms.reset();
    sc.cost.reset();
    uint32_t* msCount = sc.ms.data();
    uint32_t* costCount = sc.cost.data();
    Tally all;
    static constexpr double kLatencyQs[] = {0.50, 0.95, 0.99};
    static constexpr double kCostQs[] = {0.95};
    for (size_t b = 0; b < ts.size(); ++b) {
        const uint32_t* slice = list + sc.bucketBegin[b];
        const size_t n = sc.bucketBegin[b + 1] - sc.bucketBegin[b];
        ts.count[b] = static_cast<double>(n);
        if (n == 0) {
            out.kpis[static_cast<size_t>(Kpi::Volume)].spark[b] = 0;
            continue;
        }
        sc.bucketMs.clear();
        sc.bucketCost.clear();
        Tally t;
        std::array<uint64_t, kErrorClassCount> errors{};
        double cost = 0;
        uint64_t input = 0, output = 0;
        for (size_t j = 0; j < n; ++j) {
            const uint32_t row = slice[j];
            const uint8_t f = rows.flags(row, rows.requestOf(row));
            t.add(f, rows.evalPass(row), rows.evalFail(row));
            if (f & kRowError) {
                ++errors[static_cast<size_t>(rows.errorClass(row))];
            }
            const double c = rows.cost(row);
            cost += std::isnan(c) ? 0.0 : c;
            input += rows.input(row);
            output += rows.output(row);
            sc.bucketMs.add(msCode[row]);
            sc.bucketCost.add(costCode[row]);
            ++msCount[msCode[row]];
            ++costCount[costCode[row]];
        }
        all.add(t);
        for (size_t c = 0; c < kErrorClassCount; ++c) {
            ts.errorRate[c][b] = static_cast<double>(errors[c]) / static_cast<double>(n);
        }
        ts.costUsd[b] = cost;
        ts.inputTokens[b] = static_cast<double>(input);
        ts.outputTokens[b] = static_cast<double>(output);
        sc.bucketMs.plan(n, kLatencyQs);
        sc.bucketCost.plan(sc.bucketCost.valued(n), kCostQs);
        if (sc.bucketMs.planned() || sc.bucketCost.planned()) {
            for (size_t j = 0; j < n; ++j) {
                const uint32_t row = slice[j];
                if (sc.bucketMs.wants(msCode[row])) {
                    sc.bucketMs.collect(msCode[row], rows.ms(row));
                }
                if (sc.bucketCost.wants(costCode[row])) {
                    sc.bucketCost.collect(costCode[row], rows.cost(row));
                }
            }
        }
        double latency[3];
        double costP95 = kNaN;
        sc.bucketMs.finish(latency);
        sc.bucketCost.finish(&costP95);
        ts.p50[b] = latency[0];
        ts.p95[b] = latency[1];
        ts.p99[b] = latency[2];
        const std::array<double, kKpiCount> spark = t.kpis(latency[1], costP95);
        for (size_t m = 0; m < kKpiCount; ++m) {
            out.kpis[m].spark[b] = spark[m];
        }
        if ((b & 15) == 15 && stopped()) {
            return false;
        }
    }
    if (stopped()) {
        return false;
    }

    // The whole selection: its histograms and KPIs. Rows of a code looked into are members when their request is
    // in the selection.
    const std::vector<uint32_t>& chosen = sel.requests;
    auto member = [&](uint32_t row) { return std::binary_search(chosen.begin(), chosen.end(), rows.requestOf(row)); };
    out.latencyMs = histogramOf(sc.ms, oi.ms, member, [&](uint32_t row) { return rows.ms(row); });
    out.costUsd = histogramOf(sc.cost, oi.cost, member, [&](uint32_t row) { return rows.cost(row); });
    const std::array<double, kKpiCount> now = all.kpis(out.latencyMs.p95, out.costUsd.p95);

    // The previous period of equal length, same filter.
    Filter previous = filter;
    previous.beginNs = out.beginNs - (out.endNs - out.beginNs);
    previous.endNs = out.beginNs;
    const Selection before = selectRequests(rows.d, rows.index, previous, cancel, false, sel.textMatch);
    if (before.cancelled || stopped()) {
        return false;
    }
    sc.ms.reset();
    sc.cost.reset();
    Tally then;
    rows.forEach(before.requests, [&](uint32_t row, uint32_t request) {
        then.add(rows.flags(row, request), rows.evalPass(row), rows.evalFail(row));
        ++msCount[msCode[row]];
        ++costCount[costCode[row]];
    });
    auto wasMember = [&](uint32_t row) {
        return std::binary_search(before.requests.begin(), before.requests.end(), rows.requestOf(row));
    };
    static constexpr double kP95[] = {0.95};
    double msP95 = kNaN;
    double costP95 = kNaN;
    sc.ms.quantiles(oi.ms, kP95, &msP95, wasMember, [&](uint32_t row) { return rows.ms(row); });
    sc.cost.quantiles(oi.cost, kP95, &costP95, wasMember, [&](uint32_t row) { return rows.cost(row); });
    const std::array<double, kKpiCount> earlier = then.kpis(msP95, costP95);
    for (size_t m = 0; m < kKpiCount; ++m) {
        out.kpis[m].current = now[m];
        out.kpis[m].previous = then.rows > 0 ? earlier[m] : kNaN;
    }
    return true;
}

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

OverviewResult computeOverview(const Dataset& d, const FacetIndex& index, const OverviewIndex& rows,
                               const Filter& filter, const Selection& selection, const std::atomic<bool>* cancel) {
    OverviewResult out;
    out.grain = rows.grain;
    const std::vector<uint32_t>& sel = selection.requests;
    if (rows.grain == Grain::Request) {
        out.rows = sel.size();
    } else {
        for (uint32_t r : sel) {
            out.rows += d.generationEnd(RequestIndex{r}) - d.requests.firstGeneration[r];
        }
    }
    // The period shown, and its time buckets.
    int64_t begin = filter.beginNs;
    int64_t end = filter.endNs;
    if (begin == Filter::kNoLimit) {
        begin = sel.empty() ? selection.dataBeginNs : d.requests.startNs[sel.front()];
    }
    if (end == Filter::kNoLimit) {
        end = (sel.empty() ? selection.dataEndNs : d.requests.startNs[sel.back()]) + 1;
    }
    end = std::max(end, begin + 1);
    out.beginNs = begin;
    out.endNs = end;
    TimeSeries& ts = out.series;
    ts.bucketNs = bucketFor(end - begin);
    ts.firstBucketNs = begin - ((begin % ts.bucketNs) + ts.bucketNs) % ts.bucketNs;
    const auto buckets = static_cast<size_t>((end - ts.firstBucketNs + ts.bucketNs - 1) / ts.bucketNs);
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

    // The breakdowns and tokens on the side thread meanwhile.
    SideWorker& side = SideWorker::instance();
    side.start([&] { computeBreakdownsAndTokens(d, index, rows, selection, out.breakdowns, out.tokens, cancel); });
    struct JoinSide {
        SideWorker& side;
        ~JoinSide() { side.wait(); }
    } join{side};
    const bool done = rows.grain == Grain::Request
                          ? timeSeriesAndKpis(GrainRows<Grain::Request>{d, index, rows}, filter, selection, out, cancel)
                          : timeSeriesAndKpis(GrainRows<Grain::Generation>{d, index, rows}, filter, selection, out,
                                              cancel);
    side.wait();
    out.cancelled = !done || (cancel && cancel->load(std::memory_order_relaxed));
    return out;
}

OverviewResult computeOverview(const Dataset& d, const FacetIndex& index, const Filter& filter,
                               const Selection& selection, Grain grain, const std::atomic<bool>* cancel) {
    const OverviewIndex rows = buildOverviewIndex(d, index, grain);
    return computeOverview(d, index, rows, filter, selection, cancel);
}

}  // namespace ps
