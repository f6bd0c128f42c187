#include "proportions.h"

#include <boost/math/distributions/hypergeometric.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "statspolicy.h"

namespace ps::stats {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

}  // namespace

Interval wilsonInterval(uint64_t k, uint64_t n, double confidence) {
    if (n == 0) {
        return {};
    }
    const double z = normalQuantile(1.0 - (1.0 - confidence) / 2);
    const auto nn = static_cast<double>(n);
    const double p = static_cast<double>(k) / nn;
    const double z2 = z * z;
    const double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
    const double half = z / (1 + z2 / nn) * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
    // At k = 0 or k = n one bound is exactly 0 or 1; rounding must not leave it a hair off.
    return {k == 0 ? 0.0 : std::max(0.0, centre - half), k == n ? 1.0 : std::min(1.0, centre + half)};
}

Interval newcombeDifference(uint64_t kA, uint64_t nA, uint64_t kB, uint64_t nB, double confidence) {
    if (nA == 0 || nB == 0) {
        return {};
    }
    const double pA = static_cast<double>(kA) / static_cast<double>(nA);
    const double pB = static_cast<double>(kB) / static_cast<double>(nB);
    const Interval a = wilsonInterval(kA, nA, confidence);
    const Interval b = wilsonInterval(kB, nB, confidence);
    const double d = pB - pA;
    const double below = std::sqrt((pB - b.low) * (pB - b.low) + (a.high - pA) * (a.high - pA));
    const double above = std::sqrt((b.high - pB) * (b.high - pB) + (pA - a.low) * (pA - a.low));
    return {d - below, d + above};
}

double twoProportionZTest(uint64_t kA, uint64_t nA, uint64_t kB, uint64_t nB, double* z) {
    if (z) {
        *z = 0;
    }
    if (nA == 0 || nB == 0) {
        return kNan;
    }
    const auto na = static_cast<double>(nA);
    const auto nb = static_cast<double>(nB);
    const double pooled = static_cast<double>(kA + kB) / (na + nb);
    const double se = std::sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb));
    if (se == 0) {
        return 1.0;
    }
    const double zz = (static_cast<double>(kB) / nb - static_cast<double>(kA) / na) / se;
    if (z) {
        *z = zz;
    }
    return std::min(1.0, 2 * normalUpperTail(std::fabs(zz)));
}

double fisherExactTest(uint64_t kA, uint64_t nA, uint64_t kB, uint64_t nB) {
    if (nA == 0 || nB == 0) {
        return kNan;
    }
    // The table's margins fixed: x events among the nA rows of a, given kA + kB events in nA + nB rows.
    const uint64_t events = kA + kB;
    const uint64_t total = nA + nB;
    const boost::math::hypergeometric_distribution<double, BoostPolicy> h(events, nA, total);
    const uint64_t lo = events > nB ? events - nB : 0;
    const uint64_t hi = std::min(events, nA);
    const double observed = boost::math::pdf(h, kA);
    // Tables "no more likely" than the observed one, with R's relative tolerance against rounding.
    const double limit = observed * (1 + 1e-7);
    double p = 0;
    for (uint64_t x = lo; x <= hi; ++x) {
        const double px = boost::math::pdf(h, x);
        if (px <= limit) {
            p += px;
        }
    }
    return std::min(1.0, p);
}

ProportionComparison compareProportions(uint64_t kA, uint64_t nA, uint64_t kB, uint64_t nB, double confidence) {
    ProportionComparison c;
    if (nA == 0 || nB == 0) {
        c.rateA = nA ? static_cast<double>(kA) / static_cast<double>(nA) : kNan;
        c.rateB = nB ? static_cast<double>(kB) / static_cast<double>(nB) : kNan;
        c.diff = kNan;
        c.pValue = kNan;
        return c;
    }
    const auto na = static_cast<double>(nA);
    const auto nb = static_cast<double>(nB);
    c.rateA = static_cast<double>(kA) / na;
    c.rateB = static_cast<double>(kB) / nb;
    c.diff = c.rateB - c.rateA;
    c.ci = newcombeDifference(kA, nA, kB, nB, confidence);
    // Expected counts of the four cells under "no difference": rows times column share.
    const double events = static_cast<double>(kA + kB);
    const double share = events / (na + nb);
    const double smallest = std::min({na * share, nb * share, na * (1 - share), nb * (1 - share)});
    c.fisher = smallest < 5;
    c.pValue = c.fisher ? fisherExactTest(kA, nA, kB, nB) : twoProportionZTest(kA, nA, kB, nB);
    return c;
}

}  // namespace ps::stats
