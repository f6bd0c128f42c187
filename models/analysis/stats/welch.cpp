#include "welch.h"

#include <boost/math/distributions/students_t.hpp>

#include <cmath>
#include <limits>

#include "statspolicy.h"

namespace ps::stats {

Moments momentsOf(std::span<const double> values) {
    Moments m;
    m.n = values.size();
    if (values.empty()) {
        return m;
    }
    double sum = 0;
    for (double v : values) {
        sum += v;
    }
    m.mean = sum / static_cast<double>(values.size());
    if (values.size() > 1) {
        double squares = 0;
        for (double v : values) {
            squares += (v - m.mean) * (v - m.mean);
        }
        m.variance = squares / static_cast<double>(values.size() - 1);
    }
    return m;
}

WelchResult welchTTest(const Moments& a, const Moments& b, double confidence) {
    constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
    WelchResult r;
    r.diff = b.mean - a.mean;
    if (a.n < 2 || b.n < 2) {
        r.t = kNan;
        r.df = kNan;
        r.pValue = kNan;
        return r;
    }
    const double va = a.variance / static_cast<double>(a.n);
    const double vb = b.variance / static_cast<double>(b.n);
    const double se2 = va + vb;
    if (se2 == 0) {
        r.t = r.diff == 0 ? 0 : std::copysign(INFINITY, r.diff);
        r.df = static_cast<double>(a.n + b.n - 2);
        r.pValue = r.diff == 0 ? 1.0 : 0.0;
        r.ci = {r.diff, r.diff};
        return r;
    }
    const double se = std::sqrt(se2);
    r.t = r.diff / se;
    r.df = se2 * se2 /
           (va * va / static_cast<double>(a.n - 1) + vb * vb / static_cast<double>(b.n - 1));
    const boost::math::students_t_distribution<double, BoostPolicy> t(r.df);
    r.pValue = std::min(1.0, 2 * boost::math::cdf(boost::math::complement(t, std::fabs(r.t))));
    const double q = boost::math::quantile(t, 1 - (1 - confidence) / 2);
    r.ci = {r.diff - q * se, r.diff + q * se};
    return r;
}

}  // namespace ps::stats
