// Where the rows of a bulk write go, one table at a time, value by value: SQLite through a prepared INSERT
// kept for the whole table, PostgreSQL through COPY FROM STDIN. Values are passed without building a row
// object (saving a dataset writes tens of millions of them); texts must stay valid until endRow().
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
