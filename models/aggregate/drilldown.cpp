#include "drilldown.h"

#include "sqlfilter.h"

namespace ps {

db::RowSubset drillDownRows(const db::RequestMapping& mapping, const Filter& filter, DrillOrder order,
                            uint64_t limit) {
    SqlParams params(mapping.dialect);
    db::RowSubset subset;
    std::string where = whereClause(mapping, filter, params);
    // The raw start column sorts like the time it holds in every storage (ISO text, timestamps, epochs), and
    // lets the database walk its index on it backwards; rows without one cannot be read, so they take no place.
    where += (where.empty() ? " WHERE " : " AND ") + mapping.startColumn + " IS NOT NULL";
    subset.select = "SELECT * FROM " + mapping.from + where + " ORDER BY ";
    subset.select += order == DrillOrder::Newest ? mapping.startColumn + " DESC"
                                                 : mapping.latencyMs + " DESC NULLS LAST";
    if (!mapping.id.empty()) {
        subset.select += ", " + mapping.id;
    }
    subset.select += " LIMIT " + std::to_string(limit);  // a count the window computed, never user text
    subset.params = params.values();
    subset.limit = limit;
    return subset;
}

}  // namespace ps
