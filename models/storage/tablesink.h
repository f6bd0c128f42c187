// Where the rows of a bulk write go, one table at a time, value by value: SQLite through prepared INSERTs of
// many rows each, PostgreSQL through COPY FROM STDIN. Values are passed without building a row object (saving a
// dataset writes tens of millions of them). Texts given to text() must stay valid until endTable(): a sink may
// hold on to them until it sends a batch of rows; a text that goes away sooner is given to transientText().
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ps {

class TableSink {
public:
    virtual ~TableSink() = default;

    // Starts the rows of one table, with values given in the order of `columns`.
    virtual bool beginTable(std::string_view table, std::span<const std::string_view> columns,
                            std::string* error) = 0;
    virtual void null() = 0;
    virtual void integer(int64_t value) = 0;
    virtual void real(double value) = 0;  // NaN is written as NULL
    virtual void text(std::string_view value) = 0;
    // The value of the table's INTEGER PRIMARY KEY column. Rows are numbered 0, 1, 2... in the order they are
    // written into an empty table, so a sink may let the database number them (SQLite appends a row whose
    // key it picks itself without searching the table for that key).
    virtual void rowNumber(int64_t value) { integer(value); }
    // A text that may go away before endTable() (a sink that holds texts copies it).
    virtual void transientText(std::string_view value) { text(value); }
    // False with *error when the rows written so far could not be stored (a sink may store several at once).
    virtual bool endRow(std::string* error) = 0;
    virtual bool endTable(std::string* error) = 0;

    // An empty text is "not given": NULL.
    void textOrNull(std::string_view value) {
        if (value.empty()) {
            null();
        } else {
            text(value);
        }
    }
};

}  // namespace ps
