// The one percentile definition PromptScope uses everywhere: linear interpolation between closest ranks
// (Hyndman and Fan type 7, the default of R and NumPy). For sorted x[0..n-1] and 0 <= p <= 1, h = (n-1)p and
// P(p) = x[floor h] + (h - floor h) * (x[floor h + 1] - x[floor h]). Exact on the selection: computed with
// nth_element, no sketches or bins.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace ps {

struct DistributionSummary {
    double p50, p90, p95, p99, max, mean;
    size_t count = 0;
};

// NaN for an empty input. Reorders values.
double percentile(std::vector<double>& values, double p);
double percentile(std::span<double> values, double p);
// Several quantiles at once, qs ascending, into out[0..qs.size()); NaN for empty values. Reorders values.
void quantiles(std::span<double> values, std::span<const double> qs, double* out);

// p50, p90, p95, p99, max and mean in one pass of selections over shrinking ranges. Reorders values.
DistributionSummary summarize(std::vector<double>& values);

}  // namespace ps
