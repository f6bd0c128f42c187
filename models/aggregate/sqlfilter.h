// A Filter as a SQL WHERE clause over a RequestMapping, with every value bound as a parameter ($1, $2...; never
// pasted into the text), for both dialects. The same conditions as selectRequests() (selection.h): time range on
// the start, chosen values per dimension ("(none)" = no value), status, refusals, latency and cost bounds, and the
// text as a case-insensitive substring of the request id, its name, the user or the error.
#pragma once

#include <string>
#include <vector>

#include "dbconnection.h"
#include "filter.h"
#include "requestmapping.h"

namespace ps {

// The parameters of one statement, numbered in the order they are added.
class SqlParams {
public:
    explicit SqlParams(db::Dialect dialect) : dialect_(dialect) {}
    // "$N" for the value; on PostgreSQL cast to sqlType (a text parameter is otherwise of unknown type).
    std::string bind(db::Value value, const char* sqlType);
    [[nodiscard]] const std::vector<db::Value>& values() const { return values_; }

private:
    db::Dialect dialect_;
    std::vector<db::Value> values_;
};

struct WhereOptions {
    int skipDimension = -1;  // a Dimension whose values are ignored (the sidebar's counts for that dimension)
    bool skipStatus = false;
    bool replaceTime = false;  // use beginNs/endNs below instead of the filter's
    int64_t beginNs = Filter::kNoLimit;
    int64_t endNs = Filter::kNoLimit;
};

// " WHERE ..." (or "" when nothing narrows the rows).
std::string whereClause(const db::RequestMapping& mapping, const Filter& filter, SqlParams& params,
                        const WhereOptions& options = {});

// The SQL for a request's flags as 0/1 integers (NULL conditions count as 0).
std::string errorFlag(const db::RequestMapping& mapping);
std::string refusalFlag(const db::RequestMapping& mapping);
// A dimension's value as text, '(none)' when the row has none: the key of breakdowns and sidebar counts.
std::string dimensionKeyExpression(const db::RequestMapping& mapping, Dimension dimension);

}  // namespace ps
