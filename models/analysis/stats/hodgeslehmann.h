// How far b is shifted from a, in the metric's own unit: the Hodges-Lehmann estimate (the median of all n_a n_b
// differences b_j - a_i) with its distribution-free confidence interval (Moses; Hollander & Wolfe, Nonparametric
// Statistical Methods, 3rd ed., section 4.3): the interval between the C-th smallest and the C-th largest
// difference, C taken from U's null distribution (exact when mannwhitney.h uses the exact distribution, else the
// normal approximation with the tie-corrected variance, rounded down so the interval errs on the wide side).
// The companion of the Mann-Whitney U test: its interval excludes 0 when the test (without continuity
// correction) rejects.
//
// n_a n_b can be 10^10 or more, so the differences are never listed: the k-th smallest is narrowed down between
// two bounds, each round counting the differences below both bounds in one merge-like pass over the sorted
// samples and choosing the next bounds from a uniform draw of the differences still between them, until few
// enough remain to select among them. Exact: the draws only decide how fast the bounds close in.
#pragma once

#include <cstdint>
#include <span>
#include <utility>

#include "interval.h"

namespace ps::stats {

struct ShiftEstimate {
    double estimate = 0;  // median of b_j - a_i
    Interval ci;          // NaN bounds when the samples are too small for the confidence asked
};

// Both samples ascending, non-empty, NaN-free.
ShiftEstimate hodgesLehmannShift(std::span<const double> a, std::span<const double> b, double confidence = 0.95);

// The k-th smallest (0-based) of the n_a n_b differences b_j - a_i.
double pairwiseDifference(std::span<const double> a, std::span<const double> b, uint64_t k);
// The k-th and (k+1)-th smallest, for the median of an even number of differences: one pass more than the k-th.
std::pair<double, double> pairwiseDifferencePair(std::span<const double> a, std::span<const double> b, uint64_t k);

}  // namespace ps::stats
