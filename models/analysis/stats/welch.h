// Welch's t-test of two means with unequal variances (Welch 1947; degrees of freedom by Welch-Satterthwaite),
// for mean judge scores: scores are bounded (1..5), so means behave and the t-test is the usual choice.
#pragma once

#include <cstdint>
#include <span>

#include "interval.h"

namespace ps::stats {

struct Moments {
    uint64_t n = 0;
    double mean = 0;
    double variance = 0;  // sample variance (n - 1 in the denominator); 0 for n < 2
};
Moments momentsOf(std::span<const double> values);  // two-pass, so a constant sample has variance exactly 0

struct WelchResult {
    double diff = 0;  // mean b - mean a
    Interval ci;      // t-based, Welch-Satterthwaite degrees of freedom
    double t = 0;
    double df = 0;
    double pValue = 1;  // two-sided
};

// NaN p-value and interval when a side has fewer than two values. Both variances 0 (every score the same on
// each side): no spread to weigh the difference against, so p = 1 and the interval is [0, 0] when the means are
// equal, and p = 0 with the interval [diff, diff] when they differ.
WelchResult welchTTest(const Moments& a, const Moments& b, double confidence = 0.95);

}  // namespace ps::stats
