#include "hodgeslehmann.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "mannwhitney.h"
#include "statspolicy.h"

namespace ps::stats {
namespace {

// Differences b_j - a_i <= bound. For a fixed j the difference falls as i grows, and the first i where it is
// <= bound only moves right as j grows, so one pass suffices.
uint64_t countAtMost(std::span<const double> a, std::span<const double> b, double bound) {
    uint64_t count = 0;
    size_t i = 0;
    for (const double bj : b) {
        while (i < a.size() && bj - a[i] > bound) {
            ++i;
        }
        count += a.size() - i;
    }
    return count;
}

// Appends the differences in (lo, hi] to out.
void collectBetween(std::span<const double> a, std::span<const double> b, double lo, double hi,
                    std::vector<double>& out) {
    size_t first = 0;  // first i with b_j - a_i <= hi
    size_t last = 0;   // first i with b_j - a_i <= lo
    for (const double bj : b) {
        while (first < a.size() && bj - a[first] > hi) {
            ++first;
        }
        last = std::max(last, first);
        while (last < a.size() && bj - a[last] > lo) {
            ++last;
        }
        for (size_t i = first; i < last; ++i) {
            out.push_back(bj - a[i]);
        }
    }
}

}  // namespace

double pairwiseDifference(std::span<const double> a, std::span<const double> b, uint64_t k) {
    // Invariant: count(lo) <= k < count(hi), so the answer lies in (lo, hi].
    double lo = std::nextafter(b.front() - a.back(), -INFINITY);
    double hi = b.back() - a.front();
    uint64_t countLo = 0;
    uint64_t countHi = static_cast<uint64_t>(a.size()) * b.size();
    const uint64_t enough = std::max<uint64_t>(4096, 4 * (a.size() + b.size()));
    while (countHi - countLo > enough) {
        const double mid = lo + (hi - lo) / 2;
        if (mid <= lo || mid >= hi) {
            return hi;  // adjacent doubles: hi is the only value in (lo, hi]
        }
        const uint64_t c = countAtMost(a, b, mid);
        if (c > k) {
            hi = mid;
            countHi = c;
        } else {
            lo = mid;
            countLo = c;
        }
    }
    std::vector<double> between;
    between.reserve(countHi - countLo);
    collectBetween(a, b, lo, hi, between);
    const auto at = static_cast<std::ptrdiff_t>(k - countLo);
    std::nth_element(between.begin(), between.begin() + at, between.end());
    return between[static_cast<size_t>(at)];
}

ShiftEstimate hodgesLehmannShift(std::span<const double> a, std::span<const double> b, double confidence) {
    ShiftEstimate s;
    const uint64_t pairs = static_cast<uint64_t>(a.size()) * b.size();
    s.estimate = pairs % 2 == 1
                     ? pairwiseDifference(a, b, pairs / 2)
                     : 0.5 * (pairwiseDifference(a, b, pairs / 2 - 1) + pairwiseDifference(a, b, pairs / 2));
    const double alpha = 1.0 - confidence;
    // C: the interval is [D_(C), D_(pairs + 1 - C)] (1-based), covering with probability 1 - 2 P(U <= C - 1).
    uint64_t c = 0;
    const MannWhitneyResult test = mannWhitneyUSorted(a, b);
    if (test.exact) {
        const std::vector<double> cdf = exactUCdf(a.size(), b.size());
        while (c < cdf.size() && cdf[c] <= alpha / 2) {
            ++c;
        }
    } else {
        const auto nA = static_cast<double>(a.size());
        const auto nB = static_cast<double>(b.size());
        const double n = nA + nB;
        const double variance = nA * nB / 12.0 * ((n + 1.0) - test.tieTerm / (n * (n - 1.0)));
        const double below = nA * nB / 2.0 - normalQuantile(1.0 - alpha / 2) * std::sqrt(std::max(0.0, variance));
        c = below >= 1 ? static_cast<uint64_t>(std::floor(below)) : 0;
    }
    if (c >= 1 && c <= pairs / 2) {
        s.ci.low = pairwiseDifference(a, b, c - 1);
        s.ci.high = pairwiseDifference(a, b, pairs - c);
    }
    return s;
}

}  // namespace ps::stats
