// The distribution of one numeric expression in SQL, the same in both dialects: count, sum, smallest value above
// zero, largest value and type-7 quantiles (PostgreSQL's percentile_cont; SQLite's ps_distribution, registered by
// prepareForAggregation). NULL values take no part. Returned as one text column, read back by parseDistribution.
// Also the histogram bin of a value for given inner edges (PostgreSQL width_bucket; SQLite ps_bin).
#pragma once

#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "dbconnection.h"
#include "sqlfilter.h"

namespace ps {

struct SqlDistribution {
    uint64_t count = 0;
    double sum = 0;
    double minPositive = std::numeric_limits<double>::quiet_NaN();
    double max = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> quantiles;  // NaN when count is 0
};

// The select item for expression's distribution with the quantiles qs (SQL literals, not user values).
std::string distributionSql(db::Dialect dialect, const std::string& expression, const std::vector<double>& qs);
// The column back; quantileCount says how many quantiles were asked for.
SqlDistribution parseDistribution(std::string_view text, size_t quantileCount);

// The select item for the bin of expression given the histogram's inner edges (bound as parameters).
std::string binSql(db::Dialect dialect, const std::string& expression, const std::vector<double>& innerEdges,
                   SqlParams& params);

// Registers SQLite's functions on a SQLite connection (nothing to do on PostgreSQL); false with *error if that
// fails.
bool prepareForAggregation(db::Connection& connection, std::string* error);

}  // namespace ps
