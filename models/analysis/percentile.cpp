#include "percentile.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ps {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// Type-7 value at p, given that values[from..] holds every element of rank >= from (selection narrows left to
// right, so successive calls with increasing p reuse the work).
double select(std::vector<double>& v, double p, size_t* from) {
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

}  // namespace

double percentile(std::vector<double>& values, double p) {
    if (values.empty()) {
        return kNan;
    }
    size_t from = 0;
    return select(values, std::clamp(p, 0.0, 1.0), &from);
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
    size_t from = 0;
    s.p50 = select(values, 0.50, &from);
    s.p90 = select(values, 0.90, &from);
    s.p95 = select(values, 0.95, &from);
    s.p99 = select(values, 0.99, &from);
    s.max = max;
    s.mean = sum / static_cast<double>(values.size());
    return s;
}

}  // namespace ps
