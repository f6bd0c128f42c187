// The rows behind an aggregated figure: in aggregation mode the pages that need requests in memory (traces,
// outliers, quality, versions) load only the rows a user drills into, that is the rows matching a filter, in an
// order and up to a limit, read by the same readers as a whole table (db::RowSubset).
#pragma once

#include <cstdint>

#include "filter.h"
#include "requestmapping.h"
#include "rowsubset.h"

namespace ps {

enum class DrillOrder : uint8_t {
    Newest,   // the most recent requests first (a filter's rows, as many as the limit allows)
    Slowest,  // the slowest first (the "slowest" links of the overview)
};

// The SELECT of at most limit rows of mapping.from matching filter, in order (ties by request id).
db::RowSubset drillDownRows(const db::RequestMapping& mapping, const Filter& filter, DrillOrder order,
                            uint64_t limit);

}  // namespace ps
