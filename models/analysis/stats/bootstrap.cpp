#include "bootstrap.h"

#include <boost/math/special_functions/beta.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "statspolicy.h"

namespace ps::stats {
namespace {

double type7(std::span<const double> sorted, double p) {
    const double h = static_cast<double>(sorted.size() - 1) * p;
    const auto lo = static_cast<size_t>(std::floor(h));
    const double frac = h - static_cast<double>(lo);
    const double x = sorted[lo];
    return frac > 0 && lo + 1 < sorted.size() ? x + frac * (sorted[lo + 1] - x) : x;
}

size_t indexOf(double u, size_t n) {
    return std::min(n - 1, static_cast<size_t>(u * static_cast<double>(n)));
}

}  // namespace

double resampledPercentile(std::span<const double> sorted, double p, SplitMix64& rng) {
    const size_t n = sorted.size();
    const double h = static_cast<double>(n - 1) * p;
    const auto lo = static_cast<size_t>(std::floor(h));
    const double frac = h - static_cast<double>(lo);
    const double r = static_cast<double>(lo + 1);  // 1-based rank of the lower order statistic
    const double u1 = boost::math::ibeta_inv(r, static_cast<double>(n) - r + 1, rng.uniform(), BoostPolicy());
    const double x1 = sorted[indexOf(u1, n)];
    if (frac == 0 || lo + 1 >= n) {
        return x1;
    }
    const double above = static_cast<double>(n) - r;  // uniforms above the r-th
    const double u2 = u1 + (1 - u1) * -std::expm1(std::log(rng.uniform()) / above);
    const double x2 = sorted[indexOf(u2, n)];
    return x1 + frac * (x2 - x1);
}

PercentileDifference bootstrapPercentileDifference(std::span<const double> a, std::span<const double> b, double p,
                                                   const BootstrapOptions& options) {
    PercentileDifference d;
    d.a = type7(a, p);
    d.b = type7(b, p);
    d.diff = d.b - d.a;
    const int resamples = std::max(1, options.resamples);
    SplitMix64 rng(options.seed);
    std::vector<double> diffs(static_cast<size_t>(resamples));
    int atMost = 0;
    int atLeast = 0;
    double sum = 0;
    for (double& x : diffs) {
        const double qa = resampledPercentile(a, p, rng);
        const double qb = resampledPercentile(b, p, rng);
        x = qb - qa;
        atMost += x <= 0;
        atLeast += x >= 0;
        sum += x;
    }
    const double mean = sum / resamples;
    double squares = 0;
    for (double x : diffs) {
        squares += (x - mean) * (x - mean);
    }
    d.standardError = resamples > 1 ? std::sqrt(squares / (resamples - 1)) : 0;
    std::sort(diffs.begin(), diffs.end());
    const double alpha = 1 - options.confidence;
    d.ci = {type7(diffs, alpha / 2), type7(diffs, 1 - alpha / 2)};
    d.pValue = std::min(1.0, 2.0 * (std::min(atMost, atLeast) + 1) / (resamples + 1));
    return d;
}

}  // namespace ps::stats
