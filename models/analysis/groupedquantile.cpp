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

// Doubles as unsigned keys in the same order (negative values flipped).
uint64_t keyOf(double d) {
    uint64_t b;
    std::memcpy(&b, &d, sizeof b);
    return (b >> 63) ? ~b : (b | (uint64_t{1} << 63));
}

void byCopies(std::span<const double> values, std::span<const uint32_t> group, size_t groups,
              std::span<const double> qs, std::span<double> out) {
    std::vector<std::vector<double>> by(groups);
    for (size_t i = 0; i < values.size(); ++i) {
        if (group[i] != kSkipRow) {
            by[group[i]].push_back(values[i]);
        }
    }
    for (size_t g = 0; g < groups; ++g) {
        quantiles(by[g], qs, out.data() + g * qs.size());
    }
}

}  // namespace

KeyRange keyRangeOf(std::span<const double> values) {
    KeyRange r;
    for (double v : values) {
        if (!std::isnan(v)) {
            const uint64_t k = keyOf(v);
            r.lo = std::min(r.lo, k);
            r.hi = std::max(r.hi, k);
        }
    }
    return r;
}

void groupedQuantiles(std::span<const double> values, KeyRange range, std::span<const uint32_t> group,
                      size_t groups, std::span<const double> qs, std::span<double> out, GroupedQuantileScratch& sc) {
    const size_t nq = qs.size();
    std::fill(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(groups * nq), kNan);
    if (values.empty() || groups == 0 || nq == 0 || range.lo > range.hi) {
        return;
    }
    if (groups > kMaxGroups && !group.empty()) {
        byCopies(values, group, groups, qs, out);
        return;
    }
    // As many bins per group as fit the histogram budget, at least 64.
    const size_t perGroup = std::max<size_t>(64, std::bit_floor(kHistogramBytes / sizeof(uint32_t) / groups));
    const int bits = std::countr_zero(perGroup);
    const int width = range.hi == range.lo ? 0 : 64 - std::countl_zero(range.hi - range.lo);
    const int shift = std::max(0, width - bits);
    const uint64_t lo = range.lo;
    // Without groups: one group of every value but NaN.
    const bool oneGroup = group.empty();
    auto groupOf = [&](size_t i) { return oneGroup ? (std::isnan(values[i]) ? kSkipRow : 0) : group[i]; };
    auto cell = [&](size_t i, uint32_t g) { return g * perGroup + static_cast<size_t>((keyOf(values[i]) - lo) >> shift); };

    sc.hist.assign(groups * perGroup, 0);
    for (size_t i = 0; i < values.size(); ++i) {
        if (const uint32_t g = groupOf(i); g != kSkipRow) {
            ++sc.hist[cell(i, g)];
        }
    }
    // Per group and quantile: the two ranks type 7 interpolates between. Each wanted bin gets a member slot; the
    // histogram cell of a wanted bin becomes its slot + 1, of any other bin 0, for the second pass.
    sc.rank.assign(groups * nq * 2, 0);
    sc.before.clear();
    sc.slotOf.assign(groups * nq * 2, 0);
    std::vector<uint64_t> count(groups, 0);
    uint32_t slots = 0;
    for (size_t g = 0; g < groups; ++g) {
        uint32_t* h = sc.hist.data() + g * perGroup;
        uint64_t n = 0;
        for (size_t b = 0; b < perGroup; ++b) {
            n += h[b];
        }
        count[g] = n;
        uint64_t* ranks = sc.rank.data() + g * nq * 2;
        for (size_t j = 0; j < nq && n > 0; ++j) {
            const auto r = static_cast<uint64_t>(std::floor(static_cast<double>(n - 1) * std::clamp(qs[j], 0.0, 1.0)));
            ranks[2 * j] = r;
            ranks[2 * j + 1] = std::min(r + 1, n - 1);
        }
        // Walk the bins once, ranks visited in ascending order.
        std::vector<size_t> order(nq * 2);
        for (size_t t = 0; t < order.size(); ++t) {
            order[t] = t;
        }
        std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ranks[a] < ranks[b]; });
        uint64_t cumulative = 0;
        size_t t = 0;
        for (size_t b = 0; b < perGroup && n > 0; ++b) {
            const uint32_t inBin = h[b];
            bool wanted = false;
            while (t < order.size() && ranks[order[t]] < cumulative + inBin) {
                wanted = true;
                sc.slotOf[g * nq * 2 + order[t]] = slots;
                ++t;
            }
            h[b] = wanted ? ++slots : 0;
            if (wanted) {
                sc.before.push_back(cumulative);
            }
            cumulative += inBin;
        }
        if (n == 0) {
            std::fill(h, h + perGroup, 0);
        }
    }
    sc.members.resize(std::max<size_t>(sc.members.size(), slots));
    for (uint32_t s = 0; s < slots; ++s) {
        sc.members[s].clear();
    }
    for (size_t i = 0; i < values.size(); ++i) {
        if (const uint32_t g = groupOf(i); g != kSkipRow) {
            if (const uint32_t s = sc.hist[cell(i, g)]) {
                sc.members[s - 1].push_back(values[i]);
            }
        }
    }
    for (size_t g = 0; g < groups; ++g) {
        if (count[g] == 0) {
            continue;
        }
        const uint64_t* ranks = sc.rank.data() + g * nq * 2;
        auto valueAt = [&](size_t t) {
            const uint32_t slot = sc.slotOf[g * nq * 2 + t];
            std::vector<double>& m = sc.members[slot];
            const auto within = static_cast<std::ptrdiff_t>(ranks[t] - sc.before[slot]);
            std::nth_element(m.begin(), m.begin() + within, m.end());
            return m[static_cast<size_t>(within)];
        };
        for (size_t j = 0; j < nq; ++j) {
            const double h = static_cast<double>(count[g] - 1) * std::clamp(qs[j], 0.0, 1.0);
            const double frac = h - std::floor(h);
            const double a = valueAt(2 * j);
            out[g * nq + j] = frac > 0 ? a + frac * (valueAt(2 * j + 1) - a) : a;
        }
    }
}

void groupedQuantile(std::span<const double> values, KeyRange range, std::span<const uint32_t> group, size_t groups,
                     double q, std::span<double> out, GroupedQuantileScratch& sc) {
    groupedQuantiles(values, range, group, groups, std::span<const double>(&q, 1), out, sc);
}

void groupedQuantile(std::span<const double> values, std::span<const uint32_t> group, size_t groups, double q,
                     std::span<double> out, GroupedQuantileScratch& sc) {
    groupedQuantile(values, keyRangeOf(values), group, groups, q, out, sc);
}

}  // namespace ps
