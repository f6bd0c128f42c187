// The Mann-Whitney U test (Wilcoxon rank-sum) of two independent samples: do values of b tend to be larger or
// smaller than values of a? Used for latency, cost and tokens, whose distributions are skewed and heavy-tailed,
// where a t-test's mean is ruled by a few outliers.
//
// - U counts the pairs (a_i, b_j) with b_j > a_i, a tie counting one half, so U / (n_a n_b) is the chance that a
//   random b exceeds a random a (0.5: no tendency).
// - Without ties and with n_a n_b <= kExactLimit, the p-value comes from U's exact null distribution.
// - Otherwise from the normal approximation with the tie correction of the variance and a continuity correction
//   of 0.5 (as R's wilcox.test(correct = TRUE) and SciPy's mannwhitneyu(method="asymptotic")).
// The p-value is two-sided.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace ps::stats {

inline constexpr size_t kExactLimit = 2500;  // n_a * n_b up to this (e.g. 50 x 50) uses the exact distribution

struct MannWhitneyResult {
    double u = 0;             // U of b: pairs with b_j > a_i, plus half the tied pairs
    double probBGreater = 0;  // u / (n_a n_b)
    double z = 0;             // normal approximation (0 when exact)
    double pValue = 1;        // two-sided; NaN when a sample is empty
    double tieTerm = 0;       // sum of t^3 - t over groups of tied values (0: no ties)
    bool exact = false;
    size_t nA = 0;
    size_t nB = 0;
};

// Both samples ascending (NaN-free). O(n_a + n_b), plus the exact distribution when used.
MannWhitneyResult mannWhitneyUSorted(std::span<const double> a, std::span<const double> b);
// Sorts copies, then as above.
MannWhitneyResult mannWhitneyU(std::span<const double> a, std::span<const double> b);

// The null distribution of U for samples of m and n values without ties: cdf[u] = P(U <= u), u = 0..m n.
std::vector<double> exactUCdf(size_t m, size_t n);

}  // namespace ps::stats
