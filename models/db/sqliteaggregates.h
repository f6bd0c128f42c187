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
//
// ps_epoch_ns(text): an ISO 8601 time ('T' or a space, any fraction, an optional zone; naive times are UTC) as
// nanoseconds since 1970, exactly; NULL for anything else. SQLite's date functions keep only milliseconds and are
// several times slower: on ten million rows the time expressions dominated every statement.
//
// ps_stats(spec, key, v1, v2, ...): an aggregate that groups its rows by key in a hash table (GROUP BY in SQLite
// sorts every row with all its columns, which on ten million rows cost half a minute per statement) and gives,
// per key, the row count and per value a sum ('s' in spec) or a distribution ('q0.5:0.95': as ps_distribution
// gives it, NULLs left out). spec is "LIMIT COLUMN...": only the LIMIT groups with the most rows are listed (ties
// by key bytes; 0: all), after the number of groups. Several ps_stats in one SELECT group one scan's rows in
// several ways. Read back by parseGroupedStats (models/aggregate/groupedstats.h).
#pragma once

#include <string>

struct sqlite3;

namespace ps::db {

class Connection;

// Registers them all on the connection; false when SQLite refuses.
bool registerAggregateFunctions(sqlite3* db);

// Registers them on a SQLite connection (nothing to do on PostgreSQL): every statement built from a request
// mapping (requestmapping.h) may call ps_epoch_ns. False with *error if that fails.
bool prepareSqlFunctions(Connection& connection, std::string* error);

}  // namespace ps::db
