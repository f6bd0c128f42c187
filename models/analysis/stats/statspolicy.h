// How the statistics call Boost.Math: no exceptions (a domain error gives NaN, which the callers read as "no
// answer"), and doubles kept as doubles (Boost otherwise promotes to long double, several times slower in
// ibeta_inv, which the bootstrap calls thousands of times). Internal to models/analysis/stats.
#pragma once

#include <boost/math/policies/policy.hpp>

namespace ps::stats {

using BoostPolicy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::pole_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>,
    boost::math::policies::promote_double<false>>;

// The standard normal's quantile and upper tail, through Boost.Math with the policy above.
double normalQuantile(double p);
double normalUpperTail(double z);  // P(Z > z)

}  // namespace ps::stats
