// Comparing two rates (error rate, refusal rate, eval pass rate, ...): k_a of n_a against k_b of n_b.
//
// - Wilson's score interval for one proportion (Wilson 1927), which stays inside [0, 1] and behaves at 0 and 1,
//   unlike the textbook p +- z sqrt(p(1-p)/n).
// - Newcombe's hybrid score interval for the difference p_b - p_a (Newcombe 1998, Statistics in Medicine 17,
//   method 10), built from the two Wilson intervals, without continuity correction.
// - The p-value: the pooled two-proportion z-test when every expected cell count of the 2x2 table is at least 5,
//   else Fisher's exact test (two-sided: the sum of the probabilities of all tables with the same margins that
//   are no more likely than the one observed, as R's fisher.test).
#pragma once

#include <cstdint>

#include "interval.h"

namespace ps::stats {

Interval wilsonInterval(uint64_t k, uint64_t n, double confidence = 0.95);
Interval newcombeDifference(uint64_t kA, uint64_t nA, uint64_t kB, uint64_t nB, double confidence = 0.95);

// Two-sided p-value of the pooled z-test; z (b minus a) into *z when given. 1 when both rates are 0 or both 1.
double twoProportionZTest(uint64_t kA, uint64_t nA, uint64_t kB, uint64_t nB, double* z = nullptr);
double fisherExactTest(uint64_t kA, uint64_t nA, uint64_t kB, uint64_t nB);

struct ProportionComparison {
    double rateA = 0;
    double rateB = 0;
    double diff = 0;  // rateB - rateA
    Interval ci;      // Newcombe
    double pValue = 1;
    bool fisher = false;  // which test gave pValue
};

// NaN rates and p-value when a side has no rows.
ProportionComparison compareProportions(uint64_t kA, uint64_t nA, uint64_t kB, uint64_t nB,
                                        double confidence = 0.95);

}  // namespace ps::stats
