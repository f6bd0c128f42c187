// Bulk rows into SQLite: values are kept (texts by reference) until a batch of rows is full, then bound to
// one prepared multi-row INSERT and stepped once; a COMMIT and a new transaction every kRowsPerTransaction
// rows so the page cache writes out in large sequential runs.
//
// Why batches: a one-row INSERT pays SQLite's statement start, halt and reset for every row, 15-25% of the
// cost of a narrow row. Why rowNumber() binds NULL: SQLite then picks the key as the last one + 1 (the same
// number, since rows arrive in key order into an empty table) and appends without first searching the table
// for that key.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "tablesink.h"

struct sqlite3;
struct sqlite3_stmt;

namespace ps {

class SqliteTableSink final : public TableSink {
public:
    static constexpr uint64_t kRowsPerTransaction = 1u << 20;
    static constexpr int kMaxRowsPerInsert = 32;

    // The sink opens its first transaction here and commits the last one in finish().
    explicit SqliteTableSink(sqlite3* db);
    ~SqliteTableSink() override;
    SqliteTableSink(const SqliteTableSink&) = delete;
    SqliteTableSink& operator=(const SqliteTableSink&) = delete;

    bool beginTable(std::string_view table, std::span<const std::string_view> columns,
                    std::string* error) override;
    void null() override;
    void integer(int64_t value) override;
    void real(double value) override;
    void text(std::string_view value) override;
    void rowNumber(int64_t value) override;
    void transientText(std::string_view value) override;
    bool endRow(std::string* error) override;
    bool endTable(std::string* error) override;

    // Commits what was written. False with *error when the commit fails.
    bool finish(std::string* error);

private:
    // One value waiting for its batch; texts point at the caller's bytes (or at transient_).
    struct Value {
        enum class Type : uint8_t { Null, Integer, Real, Text } type = Type::Null;
        union {
            int64_t integer;
            double real;
            const char* text;
        };
        uint64_t size = 0;
    };

    Value& nextValue() {
        if (valueCount_ == values_.size()) {
            values_.emplace_back();  // only when rows have more values than columns (a writer mistake)
        }
        return values_[valueCount_++];
    }
    bool exec(const char* sql, std::string* error);
    sqlite3_stmt* prepareInsert(int rows, std::string* error);
    bool insertBatch(sqlite3_stmt* statement, std::string* error);
    void clearStatements();

    sqlite3* db_;
    std::string table_;
    std::vector<std::string> columns_;
    sqlite3_stmt* fullInsert_ = nullptr;  // rowsPerInsert_ rows
    int rowsPerInsert_ = 1;
    std::vector<Value> values_;  // the batch, row after row (sized for a full one)
    size_t valueCount_ = 0;
    std::deque<std::string> transient_;  // copies of transient texts of the batch (a deque never moves them)
    int rowsInBatch_ = 0;
    int64_t nextRowNumber_ = 0;  // the key SQLite would pick for the next row
    uint64_t rowsInTransaction_ = 0;
    bool inTransaction_ = false;
};

}  // namespace ps
