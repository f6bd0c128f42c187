// A confidence interval: the plain pair every test in models/analysis/stats returns. NaN bounds: no interval
// (too few rows for the confidence asked).
#pragma once

#include <cmath>
#include <limits>

namespace ps::stats {

struct Interval {
    double low = std::numeric_limits<double>::quiet_NaN();
    double high = std::numeric_limits<double>::quiet_NaN();

    [[nodiscard]] bool isFinite() const { return std::isfinite(low) && std::isfinite(high); }
    [[nodiscard]] bool excludesZero() const { return isFinite() && (low > 0 || high < 0); }
};

}  // namespace ps::stats
