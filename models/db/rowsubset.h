// Part of a log table, read instead of all of it: the rows a user drills into when the table is aggregated in
// place (aggregation mode). A SELECT over the table's own columns (or a custom SELECT's field-named ones), with
// its values bound as parameters, that the readers put where they would name the table.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dbconnection.h"

namespace ps::db {

struct RowSubset {
    std::string select;         // "SELECT * FROM <table> WHERE ... ORDER BY ... LIMIT n"
    std::vector<Value> params;  // $1, $2... of select
    uint64_t limit = 0;         // at most this many rows (the progress bar's total)
};

}  // namespace ps::db
