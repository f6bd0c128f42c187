#include "sqlitestatement.h"

#include <sqlite3.h>

namespace ps {

SqliteStatement::SqliteStatement(sqlite3* db, std::string_view sql) {
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) != SQLITE_OK) {
        stmt_ = nullptr;
        ok_ = false;
    }
}

SqliteStatement::~SqliteStatement() {
    sqlite3_finalize(stmt_);
}

SqliteStatement& SqliteStatement::bind(int index, std::string_view text) {
    // SQLITE_TRANSIENT: SQLite copies the bytes, so the caller's string may go away before step().
    if (stmt_ && sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8) !=
                     SQLITE_OK) {
        ok_ = false;
    }
    return *this;
}

SqliteStatement& SqliteStatement::bind(int index, int64_t number) {
    if (stmt_ && sqlite3_bind_int64(stmt_, index, number) != SQLITE_OK) {
        ok_ = false;
    }
    return *this;
}

SqliteStatement& SqliteStatement::bindNull(int index) {
    if (stmt_ && sqlite3_bind_null(stmt_, index) != SQLITE_OK) {
        ok_ = false;
    }
    return *this;
}

SqliteStatement& SqliteStatement::bindOptional(int index, const std::string* text) {
    return text ? bind(index, std::string_view(*text)) : bindNull(index);
}

bool SqliteStatement::next() {
    if (!stmt_ || !ok_) {
        ok_ = false;
        return false;
    }
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    ok_ = rc == SQLITE_DONE;
    return false;
}

bool SqliteStatement::run() {
    while (next()) {
    }
    return ok_;
}

void SqliteStatement::reset() {
    if (stmt_) {
        sqlite3_reset(stmt_);
    }
}

std::string SqliteStatement::text(int column) const {
    const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
    const int size = sqlite3_column_bytes(stmt_, column);
    return bytes ? std::string(bytes, static_cast<size_t>(size)) : std::string();
}

int64_t SqliteStatement::integer(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

bool SqliteStatement::isNull(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

}  // namespace ps
