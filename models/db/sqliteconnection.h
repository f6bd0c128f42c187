// A Connection to a SQLite file through SQLite's C API. Read-only connections use SQLITE_OPEN_READONLY and
// `PRAGMA query_only`, so not even a temporary table is written; the file must exist (it is never created).
#pragma once

#include <memory>

#include "dbconnection.h"

struct sqlite3;

namespace ps::db {

class SqliteConnection final : public Connection {
public:
    // Null with *error when the file cannot be opened or is not a SQLite database.
    static std::unique_ptr<SqliteConnection> open(const std::string& path, const ConnectOptions& options,
                                                  std::string* error);
    ~SqliteConnection() override;
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    [[nodiscard]] Dialect dialect() const override { return Dialect::Sqlite; }
    [[nodiscard]] std::string displayName() const override;
    bool query(std::string_view sql, const std::vector<Value>& params, const RowFn& onRow,
               std::string* error) override;
    bool execute(std::string_view sql, const std::vector<Value>& params, std::string* error) override;
    std::vector<std::string> tables(std::string* error) override;
    std::vector<std::string> columns(std::string_view table, std::string* error) override;
    void interrupt() override;

    // For a process that writes in bulk (promptscope import): turns off SQLite's memory statistics, which take
    // a process-wide mutex around every allocation SQLite makes (4% of the instructions of an import). Only
    // works before the process's first SQLite call (false after, changing nothing).
    static bool disableMemoryStatistics();

    // The raw handle, for bulk writers that need prepared statements kept across many rows.
    [[nodiscard]] sqlite3* handle() const { return db_; }

private:
    SqliteConnection(sqlite3* db, std::string path);

    sqlite3* db_ = nullptr;
    std::string path_;
};

}  // namespace ps::db
