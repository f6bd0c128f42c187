// Rows grouped several ways in as few scans as the database allows. A Grouping is a key (SQL expressions) and,
// per group, a row count and per value expression a sum or a distribution (count, sum, extremes, type-7
// quantiles). SQLite runs all groupings of one WHERE clause in one statement, one ps_stats aggregate each
// (sqliteaggregates.h: a hash table, where GROUP BY would sort every row with its columns); PostgreSQL runs one
// GROUP BY per grouping, which it answers with hash aggregation where no percentile is asked.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "dbconnection.h"
#include "sqldistribution.h"
#include "sqlfilter.h"

namespace ps {

struct StatColumn {
    std::string expression;
    std::vector<double> quantiles;  // empty: the column's sum; else its distribution with these quantiles
};

struct GroupStats {
    std::vector<std::string> key;  // one text per key expression; "" for NULL
    uint64_t count = 0;
    std::vector<double> sums;                  // per column (0 for a distribution column)
    std::vector<SqlDistribution> distributions;  // per column (empty for a sum column)
};

struct Grouping {
    std::vector<std::string> keys;
    std::vector<StatColumn> columns;
    size_t limit = 0;  // only the groups with the most rows (ties by key bytes); 0: all

    std::vector<GroupStats> groups;  // results, most rows first when limited
    uint64_t groupCount = 0;         // how many groups there are, listed or not
};

// Runs a statement and streams its rows (the overview's Runner: counts statements, stops on cancel).
using RunStatement = std::function<bool(const std::string& sql, const SqlParams& params, const db::RowFn& onRow)>;

// Groups the rows of "FROM from" + where (whose parameters are in params) in every grouping. extraItems, when
// not empty, are plain select items over the same rows (totals) whose one row goes to onExtra; SQLite computes
// them in the same scan.
bool runGroupings(const RunStatement& run, db::Dialect dialect, const std::string& from, const std::string& where,
                  const SqlParams& params, std::vector<Grouping*> groupings, const std::string& extraItems = {},
                  const db::RowFn& onExtra = {});

}  // namespace ps
