#include "mannwhitney.h"

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "statspolicy.h"

namespace ps::stats {

double normalQuantile(double p) {
    return boost::math::quantile(boost::math::normal_distribution<double, BoostPolicy>(0.0, 1.0), p);
}

double normalUpperTail(double z) {
    return boost::math::cdf(boost::math::complement(boost::math::normal_distribution<double, BoostPolicy>(0.0, 1.0), z));
}

std::vector<double> exactUCdf(size_t m, size_t n) {
    if (m > n) {
        std::swap(m, n);  // U's distribution is the same for (m, n) and (n, m)
    }
    // prob[k] holds P(W = u) for samples of k and the current n' values, W counting the pairs the first sample
    // wins (W = m n - U, with the same distribution as U, which is symmetric about m n / 2). Built up
    // n' = 0..n with P_{k,n'}(u) = k/(k+n') P_{k-1,n'}(u - n') + n'/(k+n') P_{k,n'-1}(u): the largest of the
    // k + n' values belongs to the first sample (winning n' more pairs) or to the second. Probabilities rather than counts
    // keep every step an average of positive numbers, exact enough in doubles far beyond 2^53 arrangements.
    std::vector<std::vector<double>> prob(m + 1);
    for (size_t k = 0; k <= m; ++k) {
        prob[k].assign(1, 1.0);  // n' = 0: U = 0 for sure
    }
    for (size_t np = 1; np <= n; ++np) {
        for (size_t k = 1; k <= m; ++k) {
            std::vector<double> next(k * np + 1, 0.0);
            const double wFirst = static_cast<double>(k) / static_cast<double>(k + np);
            const double wSecond = 1.0 - wFirst;
            const std::vector<double>& fromFirst = prob[k - 1];  // already at n'
            const std::vector<double>& fromSecond = prob[k];     // still at n' - 1
            for (size_t u = 0; u < fromSecond.size(); ++u) {
                next[u] += wSecond * fromSecond[u];
            }
            for (size_t u = 0; u < fromFirst.size(); ++u) {
                next[u + np] += wFirst * fromFirst[u];
            }
            prob[k] = std::move(next);
        }
    }
    std::vector<double> cdf = std::move(prob[m]);
    double sum = 0;
    for (double& c : cdf) {
        sum += c;
        c = std::min(1.0, sum);
    }
    return cdf;
}

MannWhitneyResult mannWhitneyUSorted(std::span<const double> a, std::span<const double> b) {
    MannWhitneyResult r;
    r.nA = a.size();
    r.nB = b.size();
    if (a.empty() || b.empty()) {
        r.pValue = std::numeric_limits<double>::quiet_NaN();
        r.probBGreater = std::numeric_limits<double>::quiet_NaN();
        return r;
    }
    // Merge the two sorted samples group by group of equal values: each b in a group wins against every a below
    // the group and ties with the a's inside it.
    double u = 0;
    double tieTerm = 0;
    size_t i = 0;
    size_t j = 0;
    while (i < a.size() || j < b.size()) {
        const double v = j >= b.size() || (i < a.size() && a[i] < b[j]) ? a[i] : b[j];
        size_t ia = i;
        size_t jb = j;
        while (ia < a.size() && a[ia] == v) {
            ++ia;
        }
        while (jb < b.size() && b[jb] == v) {
            ++jb;
        }
        const auto tiedA = static_cast<double>(ia - i);
        const auto tiedB = static_cast<double>(jb - j);
        u += tiedB * (static_cast<double>(i) + 0.5 * tiedA);
        const double t = tiedA + tiedB;
        tieTerm += t * t * t - t;
        i = ia;
        j = jb;
    }
    const auto nA = static_cast<double>(a.size());
    const auto nB = static_cast<double>(b.size());
    r.u = u;
    r.tieTerm = tieTerm;
    r.probBGreater = u / (nA * nB);
    if (tieTerm == 0 && a.size() * b.size() <= kExactLimit) {
        const std::vector<double> cdf = exactUCdf(a.size(), b.size());
        const auto k = static_cast<size_t>(std::llround(u));
        const double lower = cdf[k];
        const double upper = k == 0 ? 1.0 : 1.0 - cdf[k - 1];
        r.exact = true;
        r.pValue = std::min(1.0, 2.0 * std::min(lower, upper));
        return r;
    }
    const double n = nA + nB;
    const double mean = nA * nB / 2.0;
    const double variance = nA * nB / 12.0 * ((n + 1.0) - tieTerm / (n * (n - 1.0)));
    if (variance <= 0) {  // every value the same: nothing to rank
        r.pValue = 1.0;
        return r;
    }
    const double distance = std::max(0.0, std::fabs(u - mean) - 0.5);
    r.z = std::copysign(distance / std::sqrt(variance), u - mean);
    r.pValue = std::min(1.0, 2.0 * normalUpperTail(std::fabs(r.z)));
    return r;
}

MannWhitneyResult mannWhitneyU(std::span<const double> a, std::span<const double> b) {
    std::vector<double> sa(a.begin(), a.end());
    std::vector<double> sb(b.begin(), b.end());
    std::sort(sa.begin(), sa.end());
    std::sort(sb.begin(), sb.end());
    return mannWhitneyUSorted(sa, sb);
}

}  // namespace ps::stats
