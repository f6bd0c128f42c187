#include "groupedquantile.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "percentile.h"

namespace ps {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr size_t kMaxGroups = 4096;
constexpr size_t kHistogramBytes = 64 * 1024;  // all groups' histograms together
constexpr uint32_t kNoBin = UINT32_MAX;

// Doubles as unsigned keys in the same order (negative values flipped).
uint64_t keyOf(double d) {
    uint64_t b;
    std::memcpy(&b, &d, sizeof b);
    return (b >> 63) ? ~b : (b | (uint64_t{1} << 63));
}

void byCountingSort(std::span<const double> values, std::span<const uint32_t> group, size_t groups, double q,
                    std::span<double> out) {
    std::vector<uint64_t> begin(groups + 1, 0);
    for (uint32_t g : group) {
        ++begin[g + 1];
    }
    for (size_t g = 0; g < groups; ++g) {
        begin[g + 1] += begin[g];
    }
    std::vector<double> sorted(values.size());
    std::vector<uint64_t> cursor(begin.begin(), begin.end() - 1);
    for (size_t i = 0; i < values.size(); ++i) {
        sorted[cursor[group[i]]++] = values[i];
    }
    for (size_t g = 0; g < groups; ++g) {
        out[g] = percentile(std::span<double>(sorted.data() + begin[g], begin[g + 1] - begin[g]), q);
    }
}

}  // namespace

KeyRange keyRangeOf(std::span<const double> values) {
    KeyRange r;
    for (double v : values) {
        const uint64_t k = keyOf(v);
        r.lo = std::min(r.lo, k);
        r.hi = std::max(r.hi, k);
    }
    return r;
}

void groupedQuantile(std::span<const double> values, std::span<const uint32_t> group, size_t groups, double q,
                     std::span<double> out, GroupedQuantileScratch& sc) {
    groupedQuantile(values, keyRangeOf(values), group, groups, q, out, sc);
}

void groupedQuantile(std::span<const double> values, KeyRange range, std::span<const uint32_t> group, size_t groups,
                     double q, std::span<double> out, GroupedQuantileScratch& sc) {
    std::fill(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(groups), kNan);
    if (values.empty() || groups == 0) {
        return;
    }
    if (groups > kMaxGroups) {
        byCountingSort(values, group, groups, q, out);
        return;
    }
    q = std::clamp(q, 0.0, 1.0);
    const uint64_t lo = range.lo;
    const uint64_t hi = range.hi;
    // As many bins per group as fit the histogram budget, at least 64.
    const size_t perGroup = std::max<size_t>(64, std::bit_floor(kHistogramBytes / sizeof(uint32_t) / groups));
    const int bits = std::countr_zero(perGroup);
    const int width = hi == lo ? 0 : 64 - std::countl_zero(hi - lo);
    const int shift = std::max(0, width - bits);
    auto binOf = [&](double v) { return static_cast<uint32_t>((keyOf(v) - lo) >> shift); };

    sc.hist.assign(groups * perGroup, 0);
    for (size_t i = 0; i < values.size(); ++i) {
        ++sc.hist[group[i] * perGroup + binOf(values[i])];
    }
    // Per group: the two ranks type 7 interpolates between, their bins, and how many values lie below each bin.
    sc.target.assign(groups * 2, kNoBin);
    sc.before.assign(groups * 2, 0);
    std::vector<uint64_t> count(groups, 0);
    std::vector<uint64_t> rank(groups * 2, 0);
    for (size_t g = 0; g < groups; ++g) {
        const uint32_t* h = sc.hist.data() + g * perGroup;
        uint64_t n = 0;
        for (size_t b = 0; b < perGroup; ++b) {
            n += h[b];
        }
        count[g] = n;
        if (n == 0) {
            continue;
        }
        const auto r = static_cast<uint64_t>(std::floor(static_cast<double>(n - 1) * q));
        rank[2 * g] = r;
        rank[2 * g + 1] = std::min(r + 1, n - 1);
        uint64_t cumulative = 0;
        size_t t = 0;
        for (uint32_t b = 0; b < perGroup && t < 2; ++b) {
            while (t < 2 && rank[2 * g + t] < cumulative + h[b]) {
                sc.target[2 * g + t] = b;
                sc.before[2 * g + t] = cumulative;
                ++t;
            }
            cumulative += h[b];
        }
    }
    sc.members.resize(groups * 2);
    for (size_t s = 0; s < groups * 2; ++s) {
        sc.members[s].clear();
    }
    for (size_t i = 0; i < values.size(); ++i) {
        const uint32_t g = group[i];
        const uint32_t b = binOf(values[i]);
        if (b == sc.target[2 * g]) {
            sc.members[2 * g].push_back(values[i]);
        } else if (b == sc.target[2 * g + 1]) {
            sc.members[2 * g + 1].push_back(values[i]);
        }
    }
    for (size_t g = 0; g < groups; ++g) {
        if (count[g] == 0) {
            continue;
        }
        auto valueAt = [&](size_t t) {
            // Both ranks may sit in the same bin: its values were collected under the first target.
            const size_t slot = sc.target[2 * g + t] == sc.target[2 * g] ? 2 * g : 2 * g + t;
            std::vector<double>& m = sc.members[slot];
            const auto within = static_cast<std::ptrdiff_t>(rank[2 * g + t] - sc.before[slot]);
            std::nth_element(m.begin(), m.begin() + within, m.end());
            return m[static_cast<size_t>(within)];
        };
        const double h = static_cast<double>(count[g] - 1) * q;
        const double frac = h - std::floor(h);
        const double a = valueAt(0);
        out[g] = frac > 0 ? a + frac * (valueAt(1) - a) : a;
    }
}

}  // namespace ps
