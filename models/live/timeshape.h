// How a time column stores its values, learnt from one of them, so that a high-water mark is bound as a
// parameter the column compares with correctly in SQL: text in the same shape (SQLite compares text as text,
// so '2025-01-24T09:00:00Z' must meet a bound with a 'T' and a 'Z', never one with a space), or an epoch number in
// the same unit. PostgreSQL's timestamp columns read the text bound as a timestamp whatever its shape.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dbconnection.h"

namespace ps::live {

struct TimeShape {
    enum class Kind : uint8_t { Unknown, Text, EpochSeconds, EpochMillis, EpochMicros, EpochNanos };

    Kind kind = Kind::Unknown;
    char separator = ' ';  // Text: between date and time ('T' or ' ')
    std::string suffix;    // Text: UTC in the notation the column uses ("", "Z", "+00:00", "+00", "+0000")

    [[nodiscard]] bool known() const { return kind != Kind::Unknown; }

    // The shape of one value of the column; Unknown for NULL or a value that is no time.
    static TimeShape of(const db::Row& row, int column);
    // The bound for `ns` (nanoseconds since 1970): a time at or after it compares >= with it in SQL. Text with a
    // suffix may also compare >= when it is up to a second earlier (what an overlap absorbs), never the reverse.
    [[nodiscard]] db::Value bound(int64_t ns) const;
};

// The shape of `column` in `from` (a table or "(SELECT ...) AS name"), from one non-NULL value; Unknown while the
// rows hold none. False with *error when the query fails.
bool sampleTimeShape(db::Connection& connection, std::string_view column, std::string_view from, TimeShape* shape,
                     std::string* error);

}  // namespace ps::live
