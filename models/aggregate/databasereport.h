// `promptscope report` on a log database in aggregation mode: the same Report as buildReport (groupsummary.h),
// at either grain (the rows of grainrows.h), computed by one GROUP BY in the database plus one statement for the
// total. Percentiles are type 7 (percentile_cont on PostgreSQL, ps_distribution on SQLite); a row with a model
// call of unknown cost counts in costUnknown; eval pass rates where the tables have evals.
#pragma once

#include <atomic>
#include <string>

#include "dbconnection.h"
#include "filter.h"
#include "groupsummary.h"
#include "requestmapping.h"

namespace ps {

// The Dimension a report's group field reads.
Dimension dimensionOfGroupField(GroupField field);

// False with *error when a statement fails.
bool buildDatabaseReport(db::Connection& connection, const db::RequestMapping& mapping, GroupField field,
                         Grain grain, const Filter& filter, Report* out, std::string* error,
                         const std::atomic<bool>* cancel = nullptr);

}  // namespace ps
