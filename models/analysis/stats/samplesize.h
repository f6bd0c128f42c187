// "How many more requests would settle it?": the rows a two-sided test at level alpha needs to detect the effect
// observed so far with the given power (80% at 5% by default), if it is real, at the current split between the
// two sides (a canary at 5% needs many more rows in all than a 50/50 split). The answer is the extra rows over
// both sides together: 0 when there are already enough, +infinity when the observed effect is zero (nothing to
// settle), NaN when the inputs do not allow an answer.
//
// Formulas (k = n_b / n_a, z_a = z(1 - alpha/2), z_b = z(power)):
// - two proportions (Fleiss, Statistical Methods for Rates and Proportions, 3rd ed., eq. 4.19 without the
//   continuity correction, for unequal groups): n_a = (z_a sqrt(pbar qbar (1 + 1/k)) + z_b sqrt(p_a q_a +
//   p_b q_b / k))^2 / (p_b - p_a)^2, pbar = (p_a + k p_b) / (1 + k);
// - two means (normal approximation to Welch's test): n_a = (z_a + z_b)^2 (s_a^2 + s_b^2 / k) / diff^2;
// - the rank test (Noether 1987, JASA 82): N = (z_a + z_b)^2 / (12 c (1 - c) (P - 1/2)^2), c = n_a / N,
//   P = P(b > a) as estimated by U / (n_a n_b);
// - a bootstrapped difference: the standard error shrinks as 1/sqrt(N), so N = N_now (se (z_a + z_b) / diff)^2.
#pragma once

#include <cstdint>

namespace ps::stats {

struct PowerTarget {
    double alpha = 0.05;
    double power = 0.80;
};

double moreRowsForProportions(double pA, uint64_t nA, double pB, uint64_t nB, const PowerTarget& target = {});
double moreRowsForMeans(double sdA, uint64_t nA, double sdB, uint64_t nB, double diff,
                        const PowerTarget& target = {});
double moreRowsForRankTest(double probBGreater, uint64_t nA, uint64_t nB, const PowerTarget& target = {});
double moreRowsFromStandardError(double standardError, uint64_t nNow, double diff, const PowerTarget& target = {});

}  // namespace ps::stats
