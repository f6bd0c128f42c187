#include "sqlitetablesink.h"

#include <sqlite3.h>

#include <cmath>

namespace ps {

SqliteTableSink::SqliteTableSink(sqlite3* db) : db_(db) {}

SqliteTableSink::~SqliteTableSink() {
    sqlite3_finalize(insert_);
    if (inTransaction_) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

bool SqliteTableSink::exec(const char* sql, std::string* error) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        *error = message ? message : sqlite3_errmsg(db_);
        sqlite3_free(message);
        return false;
    }
    return true;
}

bool SqliteTableSink::beginTable(std::string_view table, std::span<const std::string_view> columns,
                                 std::string* error) {
    sqlite3_finalize(insert_);
    insert_ = nullptr;
    if (!inTransaction_) {
        if (!exec("BEGIN", error)) {
            return false;
        }
        inTransaction_ = true;
    }
    // Table and column names are this program's constants, never user text.
    std::string sql = "INSERT INTO " + std::string(table) + " (";
    std::string values;
    for (size_t i = 0; i < columns.size(); ++i) {
        sql += (i ? ", " : "") + std::string(columns[i]);
        values += i ? ", ?" : "?";
    }
    sql += ") VALUES (" + values + ")";
    if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &insert_,
                           nullptr) != SQLITE_OK) {
        *error = std::string(table) + ": " + sqlite3_errmsg(db_);
        return false;
    }
    column_ = 0;
    return true;
}

void SqliteTableSink::null() { sqlite3_bind_null(insert_, ++column_); }

void SqliteTableSink::integer(int64_t value) { sqlite3_bind_int64(insert_, ++column_, value); }

void SqliteTableSink::real(double value) {
    if (std::isnan(value)) {
        sqlite3_bind_null(insert_, ++column_);
    } else {
        sqlite3_bind_double(insert_, ++column_, value);
    }
}

void SqliteTableSink::text(std::string_view value) {
    sqlite3_bind_text64(insert_, ++column_, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8);
}

bool SqliteTableSink::endRow(std::string* error) {
    column_ = 0;
    const int rc = sqlite3_step(insert_);
    sqlite3_reset(insert_);
    if (rc != SQLITE_DONE) {
        *error = sqlite3_errmsg(db_);
        return false;
    }
    if (++rowsInTransaction_ >= kRowsPerTransaction) {
        rowsInTransaction_ = 0;
        return exec("COMMIT; BEGIN", error);
    }
    return true;
}

bool SqliteTableSink::endTable(std::string* /*error*/) {
    sqlite3_finalize(insert_);
    insert_ = nullptr;
    return true;
}

bool SqliteTableSink::finish(std::string* error) {
    sqlite3_finalize(insert_);
    insert_ = nullptr;
    if (!inTransaction_) {
        return true;
    }
    inTransaction_ = false;
    return exec("COMMIT", error);
}

}  // namespace ps
