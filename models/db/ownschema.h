// PromptScope's own tables in a log database: one DDL text that both SQLite and PostgreSQL accept, the
// version it is at, and the names other code detects it by. The README's "PromptScope's own schema" section
// documents every table and column; keep the two in step.
//
// Portable types only: INTEGER row numbers (a rowid alias in SQLite, so rows are appended in key order
// without a second index; 32-bit in PostgreSQL, which caps a dataset at 2^31 - 1 spans), BIGINT for times in
// nanoseconds and counts, DOUBLE PRECISION for costs and scores, TEXT for everything else. No AUTOINCREMENT:
// the writer numbers rows itself, in the Dataset's order.
#pragma once

#include <span>
#include <string_view>

namespace ps::db {

// The table whose presence says "this database holds PromptScope's own schema".
inline constexpr std::string_view kOwnSpansTable = "ps_spans";
inline constexpr std::string_view kOwnSchemaTable = "ps_schema";
// Bumped whenever a table or column changes meaning; readers refuse versions newer than theirs.
inline constexpr int kOwnSchemaVersion = 1;

// CREATE TABLE statements for every own table, separated by semicolons (run with Connection::execute).
std::string_view ownSchemaDdl();
// CREATE INDEX statements, run after a bulk import (building an index once is faster than keeping it up to
// date row by row).
std::string_view ownSchemaIndexDdl();
// Every own table, in the order they are created (drop in reverse).
std::span<const std::string_view> ownTables();

}  // namespace ps::db
