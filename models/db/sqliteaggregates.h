// SQL functions SQLite lacks, for aggregation in the database.
//
// ps_distribution(value, p1, p2, ...): an aggregate over the non-NULL values: "count,sum,min above 0,max,q1,q2..."
// as text, each number with 17 significant digits (exact for a double); the quantiles with PostgreSQL's
// percentile_cont definition (Hyndman and Fan type 7, as everywhere in PromptScope): for the n non-NULL values
// sorted, h = (n - 1) p and the value is x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]). Exact: every
// value of the group is kept until the end (8 bytes a row), then selected, never binned or sampled.
// "0" for a group without values. One aggregate instead of five, so that SQLite evaluates the value's expression
// once a row.
//
// ps_bin(value, e1, e2, ...): the number of edges <= value (edges ascending), as PostgreSQL's
// width_bucket(value, thresholds array): the bin of a histogram with those inner edges. NULL for a NULL value.
#pragma once

struct sqlite3;

namespace ps::db {

// Registers both on the connection; false when SQLite refuses.
bool registerAggregateFunctions(sqlite3* db);

}  // namespace ps::db
