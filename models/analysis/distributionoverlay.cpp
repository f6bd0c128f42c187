#include "distributionoverlay.h"

#include <algorithm>
#include <cmath>

namespace ps {
namespace {

double type7(const std::vector<double>& v, double p) {
    const double h = static_cast<double>(v.size() - 1) * p;
    const auto lo = static_cast<size_t>(std::floor(h));
    const double frac = h - static_cast<double>(lo);
    return frac > 0 && lo + 1 < v.size() ? v[lo] + frac * (v[lo + 1] - v[lo]) : v[lo];
}

}  // namespace

OverlaidDistributions overlayDistributions(std::vector<std::string> groups,
                                           const std::vector<const std::vector<double>*>& samples, size_t bins,
                                           size_t ecdfPoints) {
    OverlaidDistributions o;
    o.groups = std::move(groups);
    const size_t g = samples.size();
    o.share.assign(g, {});
    o.ecdf.assign(g, {});
    o.counts.assign(g, 0);
    o.p50.assign(g, kNaN);
    o.p95.assign(g, kNaN);
    double lo = INFINITY;
    double hi = -INFINITY;
    for (size_t k = 0; k < g; ++k) {
        const std::vector<double>& s = *samples[k];
        o.counts[k] = s.size();
        if (s.empty()) {
            continue;
        }
        o.p50[k] = type7(s, 0.5);
        o.p95[k] = type7(s, 0.95);
        const auto positive = std::upper_bound(s.begin(), s.end(), 0.0);
        if (positive != s.end()) {
            lo = std::min(lo, *positive);
            hi = std::max(hi, s.back());
        }
    }
    if (!(lo <= hi) || bins == 0) {
        return o;
    }
    if (hi <= lo * 1.0001) {  // one value: a narrow range around it
        lo /= 1.1;
        hi *= 1.1;
    }
    o.lowest = lo;
    o.highest = hi;
    const double logLo = std::log(lo);
    const double span = std::log(hi) - logLo;
    o.edges.resize(bins + 1);
    for (size_t i = 0; i <= bins; ++i) {
        o.edges[i] = std::exp(logLo + span * static_cast<double>(i) / static_cast<double>(bins));
    }
    o.edges.front() = lo;
    o.edges.back() = hi;
    for (size_t k = 0; k < g; ++k) {
        const std::vector<double>& s = *samples[k];
        o.share[k].assign(bins, 0.0);
        if (s.empty()) {
            continue;
        }
        const auto n = static_cast<double>(s.size());
        // Sorted values: each bin's count is the difference of two positions.
        size_t from = 0;
        for (size_t i = 0; i < bins; ++i) {
            const size_t to = i + 1 == bins ? s.size()
                                            : static_cast<size_t>(std::lower_bound(s.begin(), s.end(), o.edges[i + 1]) -
                                                                  s.begin());
            o.share[k][i] = static_cast<double>(to - from) / n;
            from = to;
        }
        o.ecdf[k].reserve(ecdfPoints);
        for (size_t j = 0; j < ecdfPoints; ++j) {
            const double x = j + 1 == ecdfPoints ? hi
                             : j == 0        ? lo
                                             : std::exp(logLo + span * static_cast<double>(j) /
                                                                    static_cast<double>(ecdfPoints - 1));
            const auto below = std::upper_bound(s.begin(), s.end(), x) - s.begin();
            o.ecdf[k].emplace_back(x, static_cast<double>(below) / n);
        }
    }
    return o;
}

}  // namespace ps
