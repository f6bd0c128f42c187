// One prepared SQLite statement, finalized on destruction. Values only ever reach SQL through bind(): no
// value is pasted into SQL text, so quotes, NULs and invalid UTF-8 in a note or a trace id are stored byte
// for byte.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace ps {

class SqliteStatement {
public:
    SqliteStatement(sqlite3* db, std::string_view sql);
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;
    ~SqliteStatement();

    [[nodiscard]] bool isValid() const { return stmt_ != nullptr; }

    // Parameters are numbered from 1, as in SQLite.
    SqliteStatement& bind(int index, std::string_view text);
    SqliteStatement& bind(int index, int64_t number);
    SqliteStatement& bindNull(int index);
    // A text, or NULL when the pointer is null.
    SqliteStatement& bindOptional(int index, const std::string* text);

    // Steps once: true when a row is available. After false, succeeded() tells a finished statement from an
    // error.
    bool next();
    // Steps to the end; true when the statement finished without error.
    bool run();
    [[nodiscard]] bool succeeded() const { return ok_; }
    // Makes the statement ready to run again (with new bindings) after a successful run.
    void reset();

    [[nodiscard]] std::string text(int column) const;
    [[nodiscard]] int64_t integer(int column) const;
    [[nodiscard]] bool isNull(int column) const;

private:
    sqlite3_stmt* stmt_ = nullptr;
    bool ok_ = true;
};

}  // namespace ps
