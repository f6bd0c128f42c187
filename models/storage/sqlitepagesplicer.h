// Moves whole tables, with their indexes, from one SQLite file into another by copying their pages: the cheap
// way to join two files that were written at the same time by two threads (SQLite writes a file with one
// writer at a time). Each b-tree's pages are appended to the target, renumbered, and its root page replaces
// the target's empty root of the same name, so the target's schema (and every root page number in it) stays
// as it is. No row is decoded or inserted again.
//
// Only for files this program has just written and nobody has open: both with the same page size, no
// auto-vacuum (its pointer-map pages would have to be rewritten too), each named b-tree present in both with
// the same definition and empty in the target; the same indexes on them in both. It reads the documented file
// format (https://www.sqlite.org/fileformat2.html): b-tree pages, cells, overflow chains and the header's
// page count.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace ps {

// False with *error (the target is then unusable: the caller removes it) when a file cannot be read or
// written or does not meet the conditions above.
bool spliceSqliteTables(const std::string& sourcePath, const std::string& targetPath,
                        std::span<const std::string_view> tables, std::string* error);

}  // namespace ps
