#include "percentile.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <span>
#include <limits>

namespace ps {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// Type-7 value at p, given that values[from..] holds every element of rank >= from (selection narrows left to
// right, so successive calls with increasing p reuse the work).
double select(std::span<double> v, double p, size_t* from) {
    const double h = static_cast<double>(v.size() - 1) * p;
    const auto lo = static_cast<size_t>(std::floor(h));
    const double frac = h - static_cast<double>(lo);
    auto begin = v.begin() + static_cast<std::ptrdiff_t>(*from);
    std::nth_element(begin, v.begin() + static_cast<std::ptrdiff_t>(lo), v.end());
    const double a = v[lo];
    double b = a;
    if (frac > 0 && lo + 1 < v.size()) {
        b = *std::min_element(v.begin() + static_cast<std::ptrdiff_t>(lo + 1), v.end());
    }
    *from = lo;
    return a + frac * (b - a);
}

// Doubles as unsigned keys in the same order (negative values flipped), for radix partitioning.
uint64_t keyOf(double d) {
    uint64_t b;
    std::memcpy(&b, &d, sizeof b);
    return (b >> 63) ? ~b : (b | (uint64_t{1} << 63));
}

constexpr size_t kRadixMin = 1 << 15;  // below this, selections stay in cache and are as fast
constexpr int kRadixBits = 16;

// Type-7 values at the quantiles qs of values (no NaN), in two passes over the data: a histogram of each value's
// top key bits, then the values of only the bins that hold the ranks wanted, each finished by a selection.
// Exact: the same numbers as selecting on the whole array.
void radixQuantiles(std::span<const double> values, const double* qs, size_t nq, double* out) {
    const size_t n = values.size();
    uint64_t lo = UINT64_MAX;
    uint64_t hi = 0;
    for (double v : values) {
        const uint64_t k = keyOf(v);
        lo = std::min(lo, k);
        hi = std::max(hi, k);
    }
    const int width = hi == lo ? 0 : 64 - __builtin_clzll(hi - lo);
    const int shift = std::max(0, width - kRadixBits);
    std::vector<uint32_t> hist(size_t{1} << kRadixBits, 0);
    for (double v : values) {
        ++hist[(keyOf(v) - lo) >> shift];
    }
    // The ranks wanted: floor(h) and the one above it, for each quantile.
    std::vector<uint64_t> ranks;
    for (size_t j = 0; j < nq; ++j) {
        const double h = static_cast<double>(n - 1) * std::clamp(qs[j], 0.0, 1.0);
        const auto r = static_cast<uint64_t>(std::floor(h));
        ranks.push_back(r);
        ranks.push_back(std::min<uint64_t>(r + 1, n - 1));
    }
    std::vector<uint64_t> sortedRanks = ranks;
    std::sort(sortedRanks.begin(), sortedRanks.end());
    sortedRanks.erase(std::unique(sortedRanks.begin(), sortedRanks.end()), sortedRanks.end());
    // Bin of each wanted rank, and the rank within its bin.
    std::vector<uint32_t> binOf(sortedRanks.size());
    std::vector<uint64_t> before(sortedRanks.size());
    std::vector<int32_t> slotOfBin(hist.size(), -1);
    std::vector<uint32_t> bins;
    uint64_t cumulative = 0;
    size_t t = 0;
    for (uint32_t b = 0; b < hist.size() && t < sortedRanks.size(); ++b) {
        while (t < sortedRanks.size() && sortedRanks[t] < cumulative + hist[b]) {
            binOf[t] = b;
            before[t] = cumulative;
            if (slotOfBin[b] < 0) {
                slotOfBin[b] = static_cast<int32_t>(bins.size());
                bins.push_back(b);
            }
            ++t;
        }
        cumulative += hist[b];
    }
    std::vector<std::vector<double>> members(bins.size());
    for (size_t i = 0; i < bins.size(); ++i) {
        members[i].reserve(hist[bins[i]]);
    }
    for (double v : values) {
        const int32_t slot = slotOfBin[(keyOf(v) - lo) >> shift];
        if (slot >= 0) {
            members[static_cast<size_t>(slot)].push_back(v);
        }
    }
    std::vector<double> valueAt(sortedRanks.size());
    for (size_t i = 0; i < sortedRanks.size(); ++i) {
        std::vector<double>& m = members[static_cast<size_t>(slotOfBin[binOf[i]])];
        const auto within = static_cast<ptrdiff_t>(sortedRanks[i] - before[i]);
        std::nth_element(m.begin(), m.begin() + within, m.end());
        valueAt[i] = m[static_cast<size_t>(within)];
    }
    auto at = [&](uint64_t rank) {
        return valueAt[static_cast<size_t>(std::lower_bound(sortedRanks.begin(), sortedRanks.end(), rank) -
                                           sortedRanks.begin())];
    };
    for (size_t j = 0; j < nq; ++j) {
        const double h = static_cast<double>(n - 1) * std::clamp(qs[j], 0.0, 1.0);
        const double frac = h - std::floor(h);
        const double a = at(ranks[2 * j]);
        const double b = frac > 0 ? at(ranks[2 * j + 1]) : a;
        out[j] = a + frac * (b - a);
    }
}

}  // namespace

double percentile(std::vector<double>& values, double p) {
    return percentile(std::span<double>(values), p);
}

double percentile(std::span<double> values, double p) {
    if (values.empty()) {
        return kNan;
    }
    if (values.size() >= kRadixMin) {
        double out = kNan;
        radixQuantiles(std::span<const double>(values.data(), values.size()), &p, 1, &out);
        return out;
    }
    size_t from = 0;
    return select(values, std::clamp(p, 0.0, 1.0), &from);
}

void quantiles(std::span<double> values, std::span<const double> qs, double* out) {
    if (values.empty()) {
        std::fill(out, out + qs.size(), kNan);
        return;
    }
    if (values.size() >= kRadixMin) {
        radixQuantiles(std::span<const double>(values.data(), values.size()), qs.data(), qs.size(), out);
        return;
    }
    size_t from = 0;
    for (size_t j = 0; j < qs.size(); ++j) {
        out[j] = select(values, std::clamp(qs[j], 0.0, 1.0), &from);
    }
}

DistributionSummary summarize(std::vector<double>& values) {
    DistributionSummary s{kNan, kNan, kNan, kNan, kNan, kNan, values.size()};
    if (values.empty()) {
        return s;
    }
    double sum = 0;
    double max = values.front();
    for (double v : values) {
        sum += v;
        max = std::max(max, v);
    }
    if (values.size() >= kRadixMin) {
        const double qs[] = {0.50, 0.90, 0.95, 0.99};
        double out[4];
        radixQuantiles(std::span<const double>(values.data(), values.size()), qs, 4, out);
        s.p50 = out[0];
        s.p90 = out[1];
        s.p95 = out[2];
        s.p99 = out[3];
    } else {
        size_t from = 0;
        s.p50 = select(values, 0.50, &from);
        s.p90 = select(values, 0.90, &from);
        s.p95 = select(values, 0.95, &from);
        s.p99 = select(values, 0.99, &from);
    }
    s.max = max;
    s.mean = sum / static_cast<double>(values.size());
    return s;
}

}  // namespace ps
