#include "samplesize.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "statspolicy.h"

namespace ps::stats {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

double zAlpha(const PowerTarget& t) {
    return normalQuantile(1 - t.alpha / 2);
}
double zBeta(const PowerTarget& t) {
    return normalQuantile(t.power);
}

// Extra rows when side a needs nANeeded rows and b keeps k times as many.
double extra(double nANeeded, uint64_t nA, uint64_t nB) {
    const double k = static_cast<double>(nB) / static_cast<double>(nA);
    return std::max(0.0, std::ceil(nANeeded * (1 + k) - static_cast<double>(nA + nB)));
}

}  // namespace

double moreRowsForProportions(double pA, uint64_t nA, double pB, uint64_t nB, const PowerTarget& target) {
    if (nA == 0 || nB == 0 || !std::isfinite(pA) || !std::isfinite(pB)) {
        return kNan;
    }
    if (pA == pB) {
        return kInf;
    }
    const double k = static_cast<double>(nB) / static_cast<double>(nA);
    const double pbar = (pA + k * pB) / (1 + k);
    const double first = zAlpha(target) * std::sqrt(pbar * (1 - pbar) * (1 + 1 / k));
    const double second = zBeta(target) * std::sqrt(pA * (1 - pA) + pB * (1 - pB) / k);
    const double n = (first + second) * (first + second) / ((pB - pA) * (pB - pA));
    return extra(n, nA, nB);
}

double moreRowsForMeans(double sdA, uint64_t nA, double sdB, uint64_t nB, double diff, const PowerTarget& target) {
    if (nA == 0 || nB == 0 || !std::isfinite(diff) || !std::isfinite(sdA) || !std::isfinite(sdB)) {
        return kNan;
    }
    if (diff == 0) {
        return kInf;
    }
    const double k = static_cast<double>(nB) / static_cast<double>(nA);
    const double z = zAlpha(target) + zBeta(target);
    const double n = z * z * (sdA * sdA + sdB * sdB / k) / (diff * diff);
    return extra(n, nA, nB);
}

double moreRowsForRankTest(double probBGreater, uint64_t nA, uint64_t nB, const PowerTarget& target) {
    if (nA == 0 || nB == 0 || !std::isfinite(probBGreater)) {
        return kNan;
    }
    if (probBGreater == 0.5) {
        return kInf;
    }
    const double c = static_cast<double>(nA) / static_cast<double>(nA + nB);
    const double z = zAlpha(target) + zBeta(target);
    const double shift = probBGreater - 0.5;
    const double total = z * z / (12 * c * (1 - c) * shift * shift);
    return std::max(0.0, std::ceil(total - static_cast<double>(nA + nB)));
}

double moreRowsFromStandardError(double standardError, uint64_t nNow, double diff, const PowerTarget& target) {
    if (nNow == 0 || !std::isfinite(standardError) || !std::isfinite(diff)) {
        return kNan;
    }
    if (diff == 0) {
        return kInf;
    }
    const double ratio = standardError * (zAlpha(target) + zBeta(target)) / std::fabs(diff);
    return std::max(0.0, std::ceil(static_cast<double>(nNow) * ratio * ratio - static_cast<double>(nNow)));
}

}  // namespace ps::stats
