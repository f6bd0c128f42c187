#include "sqlitetablesink.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>

namespace ps {

SqliteTableSink::SqliteTableSink(sqlite3* db) : db_(db) {}

SqliteTableSink::~SqliteTableSink() {
    clearStatements();
    if (inTransaction_) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

void SqliteTableSink::clearStatements() {
    sqlite3_finalize(fullInsert_);
    fullInsert_ = nullptr;
    valueCount_ = 0;
    transient_.clear();
    rowsInBatch_ = 0;
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

sqlite3_stmt* SqliteTableSink::prepareInsert(int rows, std::string* error) {
    // Table and column names are this program's constants, never user text.
    std::string sql = "INSERT INTO " + table_ + " (";
    std::string row = "(";
    for (size_t i = 0; i < columns_.size(); ++i) {
        sql += (i ? ", " : "") + columns_[i];
        row += i ? ", ?" : "?";
    }
    row += ")";
    sql += ") VALUES ";
    for (int r = 0; r < rows; ++r) {
        sql += (r ? ", " : "") + row;
    }
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &statement, nullptr) != SQLITE_OK) {
        *error = table_ + ": " + sqlite3_errmsg(db_);
        sqlite3_finalize(statement);
        return nullptr;
    }
    return statement;
}

bool SqliteTableSink::beginTable(std::string_view table, std::span<const std::string_view> columns,
                                 std::string* error) {
    clearStatements();
    if (!inTransaction_) {
        if (!exec("BEGIN", error)) {
            return false;
        }
        inTransaction_ = true;
    }
    table_.assign(table);
    columns_.assign(columns.begin(), columns.end());
    const int columnCount = std::max<int>(1, static_cast<int>(columns.size()));
    const int maxParameters = sqlite3_limit(db_, SQLITE_LIMIT_VARIABLE_NUMBER, -1);
    rowsPerInsert_ = std::clamp(maxParameters / columnCount, 1, kMaxRowsPerInsert);
    values_.resize(static_cast<size_t>(rowsPerInsert_) * columns.size());
    nextRowNumber_ = -1;  // an empty table: SQLite would number the first row 1, the writer numbers it 0
    fullInsert_ = prepareInsert(rowsPerInsert_, error);
    return fullInsert_ != nullptr;
}

void SqliteTableSink::null() {
    nextValue().type = Value::Type::Null;
}

void SqliteTableSink::integer(int64_t value) {
    Value& v = nextValue();
    v.type = Value::Type::Integer;
    v.integer = value;
}

void SqliteTableSink::real(double value) {
    if (std::isnan(value)) {
        null();
        return;
    }
    Value& v = nextValue();
    v.type = Value::Type::Real;
    v.real = value;
}

void SqliteTableSink::text(std::string_view value) {
    Value& v = nextValue();
    v.type = Value::Type::Text;
    v.text = value.data();
    v.size = value.size();
}

void SqliteTableSink::rowNumber(int64_t value) {
    if (value == nextRowNumber_) {
        null();  // SQLite picks the last key + 1, which is this one
    } else {
        integer(value);
    }
    nextRowNumber_ = value + 1;
}

void SqliteTableSink::transientText(std::string_view value) {
    text(transient_.emplace_back(value));
}

bool SqliteTableSink::insertBatch(sqlite3_stmt* statement, std::string* error) {
    int parameter = 0;
    for (size_t i = 0; i < valueCount_; ++i) {
        const Value& v = values_[i];
        ++parameter;
        switch (v.type) {
            case Value::Type::Null:
                sqlite3_bind_null(statement, parameter);
                break;
            case Value::Type::Integer:
                sqlite3_bind_int64(statement, parameter, v.integer);
                break;
            case Value::Type::Real:
                sqlite3_bind_double(statement, parameter, v.real);
                break;
            case Value::Type::Text:
                sqlite3_bind_text64(statement, parameter, v.text, v.size, SQLITE_STATIC, SQLITE_UTF8);
                break;
        }
    }
    const int rc = sqlite3_step(statement);
    sqlite3_reset(statement);
    valueCount_ = 0;
    transient_.clear();
    if (rc != SQLITE_DONE) {
        *error = table_ + ": " + sqlite3_errmsg(db_);
        return false;
    }
    return true;
}

bool SqliteTableSink::endRow(std::string* error) {
    ++rowsInTransaction_;
    if (++rowsInBatch_ < rowsPerInsert_) {
        return true;
    }
    rowsInBatch_ = 0;
    if (!insertBatch(fullInsert_, error)) {
        return false;
    }
    if (rowsInTransaction_ >= kRowsPerTransaction) {
        rowsInTransaction_ = 0;
        return exec("COMMIT; BEGIN", error);
    }
    return true;
}

bool SqliteTableSink::endTable(std::string* error) {
    bool ok = true;
    if (rowsInBatch_ > 0 && fullInsert_ != nullptr) {
        sqlite3_stmt* rest = prepareInsert(rowsInBatch_, error);
        ok = rest != nullptr && insertBatch(rest, error);
        sqlite3_finalize(rest);
    }
    clearStatements();
    return ok;
}

bool SqliteTableSink::finish(std::string* error) {
    clearStatements();
    if (!inTransaction_) {
        return true;
    }
    inTransaction_ = false;
    return exec("COMMIT", error);
}

}  // namespace ps
