#include "overview.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>

#include "binnedquantiles.h"
#include "codehistogram.h"
#include "overviewbreakdowns.h"
#include "overviewindex.h"
#include "sideworker.h"

namespace ps {
namespace {

constexpr int64_t kMinuteNs = 60LL * 1000000000;

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

// Working memory kept per thread between recomputes: on a virtual machine a page fault of fresh memory costs
// microseconds, and a recompute at a million rows would otherwise fault in megabytes each time.
struct Scratch {
    std::vector<uint32_t> bucketOfRow, bucketBegin;
    CodeCounts ms, cost;
    BinnedQuantiles bucketMs, bucketCost;
};

Scratch& scratchForThisThread() {
    thread_local Scratch scratch;
    return scratch;
}

// What a KPI and a time bucket count: rows per kind (OverviewIndex::kind), and the rows' passed and failed evals.
struct Tally {
    std::array<uint32_t, kKinds> kinds{};
    uint64_t pass = 0, fail = 0;

    void add(uint8_t kind, uint32_t evalPass, uint32_t evalFail) {
        ++kinds[kind];
        pass += evalPass;
        fail += evalFail;
    }
    void add(const Tally& t) {
        for (size_t k = 0; k < kKinds; ++k) {
            kinds[k] += t.kinds[k];
        }
        pass += t.pass;
        fail += t.fail;
    }
};

// A Tally's counts.
struct Counts {
    uint64_t rows = 0, errors = 0, refusals = 0, up = 0, down = 0, pass = 0, fail = 0;
    std::array<uint64_t, kErrorClassCount> byClass{};

    explicit Counts(const Tally& t) : pass(t.pass), fail(t.fail) {
        for (size_t k = 0; k < kKinds; ++k) {
            const uint64_t n = t.kinds[k];
            rows += n;
            if (k & kKindErrorMask) {
                errors += n;
                byClass[(k & kKindErrorMask) - 1] += n;
            }
            refusals += (k & kKindRefusal) ? n : 0;
            up += (k & kKindThumbsUp) ? n : 0;
            down += (k & kKindThumbsDown) ? n : 0;
        }
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

// What a time bucket sums up.
struct BucketSums {
    Tally tally;
    double cost = 0;
    uint64_t rows = 0, input = 0, output = 0, costed = 0;
};

// Every row of the selection with its time bucket: fn(row, request, bucket), twice in the same order. Requests come
// in start order, so each bucket is a slice of the selection found by binary searches; model calls start after
// their request, sometimes in a later bucket, so the first visit computes their buckets and keeps them.
template <Grain G>
class RowsWithBuckets {
public:
    RowsWithBuckets(const GrainRows<G>& rows, const Selection& sel, const BucketOf& bucketOf, Scratch& sc)
        : rows_(rows), sel_(sel.requests), bucketOf_(bucketOf), sc_(sc) {
        if constexpr (!GrainRows<G>::kCalls) {
            const std::vector<int64_t>& start = rows.d.requests.startNs;
            sc.bucketBegin.assign(bucketOf.buckets + 1, 0);
            for (size_t b = 1; b < bucketOf.buckets; ++b) {
                const int64_t t = bucketOf.first + static_cast<int64_t>(b) * bucketOf.width;
                sc.bucketBegin[b] = static_cast<uint32_t>(
                    std::lower_bound(sel_.begin(), sel_.end(), t,
                                     [&](uint32_t r, int64_t v) { return start[r] < v; }) -
                    sel_.begin());
            }
            sc.bucketBegin[bucketOf.buckets] = static_cast<uint32_t>(sel_.size());
        }
    }
    template <typename Fn>
    void first(Fn fn) {
        if constexpr (GrainRows<G>::kCalls) {
            // Calls come nearly in time order: the bucket of the previous one is the likely one.
            uint32_t* bucket = sc_.bucketOfRow.data();
            const int64_t* start = rows_.oi.startNs.data();
            uint32_t b = 0;
            int64_t lo = bucketOf_.first;
            int64_t hi = lo + bucketOf_.width;
            const size_t last = bucketOf_.buckets - 1;
            rows_.forEach(sel_, [&](uint32_t row, uint32_t request) {
                const int64_t t = start[row];
                if (t < lo || t >= hi) {
                    b = bucketOf_(t);
                    lo = b == 0 ? INT64_MIN : bucketOf_.first + static_cast<int64_t>(b) * bucketOf_.width;
                    hi = b == last ? INT64_MAX : bucketOf_.first + static_cast<int64_t>(b + 1) * bucketOf_.width;
                }
                *bucket++ = b;
                fn(row, request, b);
            });
        } else {
            again(fn);
        }
    }
    // The rows visited (to be sized before first()).
    void reserve(size_t rows) {
        if constexpr (GrainRows<G>::kCalls) {
            sc_.bucketOfRow.resize(rows);
        }
    }
    template <typename Fn>
    void again(Fn fn) {
        if constexpr (GrainRows<G>::kCalls) {
            const uint32_t* bucket = sc_.bucketOfRow.data();
            rows_.forEach(sel_, [&](uint32_t row, uint32_t request) { fn(row, request, *bucket++); });
        } else {
            for (uint32_t b = 0; b < bucketOf_.buckets; ++b) {
                for (uint32_t i = sc_.bucketBegin[b]; i < sc_.bucketBegin[b + 1]; ++i) {
                    fn(sel_[i], sel_[i], b);
                }
            }
        }
    }

private:
    const GrainRows<G>& rows_;
    const std::vector<uint32_t>& sel_;
    const BucketOf& bucketOf_;
    Scratch& sc_;
};

// Time series, sparklines, and the KPIs with the previous period (but the selection's p95s, which come with the
// histograms): the calling thread's share. False when cancelled.
template <Grain G>
bool timeSeriesAndKpis(const GrainRows<G>& rows, const Filter& filter, const Selection& sel, OverviewResult& out,
                       const std::atomic<bool>* cancel) {
    auto stopped = [&] { return cancel && cancel->load(std::memory_order_relaxed); };
    Scratch& sc = scratchForThisThread();
    TimeSeries& ts = out.series;
    const size_t buckets = ts.size();
    const BucketOf bucketOf{ts.firstBucketNs, ts.bucketNs, buckets};
    RowsWithBuckets<G> visit(rows, sel, bucketOf, sc);
    const OverviewIndex& oi = rows.oi;
    const uint16_t* msCode = oi.ms.code.data();
    const uint16_t* costCode = oi.cost.code.data();
    // Each bucket's histograms: as many bins as keep all of them within 64 KB, between 64 and 1,024 (more bins
    // collect fewer values in the second pass, but cost more to clear and to plan).
    const int bits = std::clamp(static_cast<int>(std::bit_width(std::max<size_t>(1, 16384 / buckets))) - 1, 6, 10);
    sc.bucketMs.reset(buckets, bits);
    sc.bucketCost.reset(buckets, bits);
    std::vector<BucketSums> sums(buckets);
    visit.reserve(out.rows);
    uint32_t* msHist = sc.bucketMs.hist();
    uint32_t* costHist = sc.bucketCost.hist();
    const int shift = sc.bucketMs.shift();
    const uint8_t* kind = oi.kind.data();
    sc.ms.reset();
    uint32_t* msCount = sc.ms.data();
    visit.first([&](uint32_t row, uint32_t, uint32_t b) {
        BucketSums& s = sums[b];
        ++s.rows;
        s.tally.add(kind[row], rows.evalPass(row), rows.evalFail(row));
        const double c = rows.cost(row);
        s.cost += std::isnan(c) ? 0.0 : c;
        s.input += rows.input(row);
        s.output += rows.output(row);
        const uint16_t mc = msCode[row];
        const uint16_t cc = costCode[row];
        const size_t base = size_t{b} << bits;
        ++msHist[base | (mc >> shift)];
        ++msCount[mc];
        if (cc != ValueCodes::kNoValue) {
            ++s.costed;
            ++costHist[base | (cc >> shift)];
        }
    });
    if (stopped()) {
        return false;
    }
    static constexpr double kLatencyQs[] = {0.50, 0.95, 0.99};
    static constexpr double kCostQs[] = {0.95};
    for (uint32_t b = 0; b < buckets; ++b) {
        sc.bucketMs.plan(b, sums[b].rows, kLatencyQs);
        sc.bucketCost.plan(b, sums[b].costed, kCostQs);
    }
    if (sc.bucketMs.anyPlanned() || sc.bucketCost.anyPlanned()) {
        const uint32_t* msSlot = sc.bucketMs.slots();
        const uint32_t* costSlot = sc.bucketCost.slots();
        visit.again([&](uint32_t row, uint32_t, uint32_t b) {
            const size_t base = size_t{b} << bits;
            if (msSlot[base | (msCode[row] >> shift)] != BinnedQuantiles::kNone) {
                sc.bucketMs.collect(b, msCode[row], rows.ms(row));
            }
            const uint16_t cc = costCode[row];
            if (cc != ValueCodes::kNoValue && costSlot[base | (cc >> shift)] != BinnedQuantiles::kNone) {
                sc.bucketCost.collect(b, cc, rows.cost(row));
            }
        });
    }
    Tally all;
    for (uint32_t b = 0; b < buckets; ++b) {
        const BucketSums& s = sums[b];
        const uint64_t n = s.rows;
        ts.count[b] = static_cast<double>(n);
        if (n == 0) {
            out.kpis[static_cast<size_t>(Kpi::Volume)].spark[b] = 0;
            continue;
        }
        all.add(s.tally);
        const Counts counts(s.tally);
        for (size_t c = 0; c < kErrorClassCount; ++c) {
            ts.errorRate[c][b] = static_cast<double>(counts.byClass[c]) / static_cast<double>(n);
        }
        ts.costUsd[b] = s.cost;
        ts.inputTokens[b] = static_cast<double>(s.input);
        ts.outputTokens[b] = static_cast<double>(s.output);
        double latency[3];
        double costP95 = kNaN;
        sc.bucketMs.finish(b, latency);
        sc.bucketCost.finish(b, &costP95);
        ts.p50[b] = latency[0];
        ts.p95[b] = latency[1];
        ts.p99[b] = latency[2];
        const std::array<double, kKpiCount> spark = counts.kpis(latency[1], costP95);
        for (size_t m = 0; m < kKpiCount; ++m) {
            out.kpis[m].spark[b] = spark[m];
        }
    }
    if (stopped()) {
        return false;
    }

    // The whole selection's latency histogram (rows of a code looked into are members when their request is in the
    // selection) and KPIs (the p95 cost comes with the cost histogram, from the side thread).
    auto member = [&](uint32_t row) {
        return std::binary_search(sel.requests.begin(), sel.requests.end(), rows.requestOf(row));
    };
    out.latencyMs = histogramOf(sc.ms, oi.ms, member, [&](uint32_t row) { return rows.ms(row); });
    const std::array<double, kKpiCount> now = Counts(all).kpis(out.latencyMs.p95, kNaN);

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
    uint32_t* costCount = sc.cost.data();
    Tally then;
    rows.forEach(before.requests, [&](uint32_t row, uint32_t) {
        then.add(kind[row], rows.evalPass(row), rows.evalFail(row));
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
    const Counts earlierCounts(then);
    const std::array<double, kKpiCount> earlier = earlierCounts.kpis(msP95, costP95);
    for (size_t m = 0; m < kKpiCount; ++m) {
        out.kpis[m].current = now[m];
        out.kpis[m].previous = earlierCounts.rows > 0 ? earlier[m] : kNaN;
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

    // The breakdowns, tokens and histograms on the side thread meanwhile.
    SideWorker& side = SideWorker::instance();
    side.start([&] { computeBreakdowns(d, index, rows, selection, out, cancel); });
    struct JoinSide {
        SideWorker& side;
        ~JoinSide() { side.wait(); }
    } join{side};
    const bool done = rows.grain == Grain::Request
                          ? timeSeriesAndKpis(GrainRows<Grain::Request>{d, index, rows}, filter, selection, out, cancel)
                          : timeSeriesAndKpis(GrainRows<Grain::Generation>{d, index, rows}, filter, selection, out,
                                              cancel);
    side.wait();
    out.kpis[static_cast<size_t>(Kpi::P95Cost)].current = out.costUsd.p95;
    out.cancelled = !done || (cancel && cancel->load(std::memory_order_relaxed));
    return out;
}

OverviewResult computeOverview(const Dataset& d, const FacetIndex& index, const Filter& filter,
                               const Selection& selection, Grain grain, const std::atomic<bool>* cancel) {
    const OverviewIndex rows = buildOverviewIndex(d, index, grain);
    return computeOverview(d, index, rows, filter, selection, cancel);
}

}  // namespace ps
