// Bulk rows into SQLite: one prepared INSERT per table, values bound without copies, a COMMIT and a new
// transaction every kRowsPerTransaction rows so the page cache writes out in large sequential runs.
#pragma once

#include <cstdint>

#include "tablesink.h"

struct sqlite3;
struct sqlite3_stmt;

namespace ps {

class SqliteTableSink final : public TableSink {
public:
    static constexpr uint64_t kRowsPerTransaction = 1u << 20;

    // The sink opens its first transaction here and commits the last one in finish().
    explicit SqliteTableSink(sqlite3* db);
    ~SqliteTableSink() override;
    SqliteTableSink(const SqliteTableSink&) = delete;
    SqliteTableSink& operator=(const SqliteTableSink&) = delete;

    bool beginTable(std::string_view table, std::span<const std::string_view> columns, std::string* error) override;
    void null() override;
    void integer(int64_t value) override;
    void real(double value) override;
    void text(std::string_view value) override;
    bool endRow(std::string* error) override;
    bool endTable(std::string* error) override;

    // Commits what was written. False with *error when the commit fails.
    bool finish(std::string* error);

private:
    bool exec(const char* sql, std::string* error);

    sqlite3* db_;
    sqlite3_stmt* insert_ = nullptr;
    int column_ = 0;
    uint64_t rowsInTransaction_ = 0;
    bool inTransaction_ = false;
};

}  // namespace ps
