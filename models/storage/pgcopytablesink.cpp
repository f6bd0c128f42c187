#include "pgcopytablesink.h"

#include <libpq-fe.h>

#include <charconv>
#include <cmath>

#include "utf8repair.h"

namespace ps {
namespace {

bool needsRepair(std::string_view text) {
    for (const char c : text) {
        if (c == '\0' || static_cast<unsigned char>(c) >= 0x80) {
            return true;  // checked properly below; plain ASCII (most values) skips the copy
        }
    }
    return false;
}

}  // namespace

PgCopyTableSink::~PgCopyTableSink() {
    if (copying_) {
        PQputCopyEnd(conn_, "the import stopped");
        std::string ignored;
        finishCommand(&ignored);
    }
}

bool PgCopyTableSink::beginTable(std::string_view table, std::span<const std::string_view> columns,
                                 std::string* error) {
    // Table and column names are this program's constants, never user text.
    std::string sql = "COPY " + std::string(table) + " (";
    for (size_t i = 0; i < columns.size(); ++i) {
        sql += (i ? ", " : "") + std::string(columns[i]);
    }
    sql += freeze_ ? ") FROM STDIN WITH (FREEZE)" : ") FROM STDIN";
    PGresult* result = PQexec(conn_, sql.c_str());
    const bool ok = PQresultStatus(result) == PGRES_COPY_IN;
    if (!ok) {
        *error = std::string(table) + ": " + PQerrorMessage(conn_);
    }
    PQclear(result);
    copying_ = ok;
    firstInRow_ = true;
    buffer_.clear();
    return ok;
}

void PgCopyTableSink::separate() {
    if (!firstInRow_) {
        buffer_.push_back('\t');
    }
    firstInRow_ = false;
}

void PgCopyTableSink::null() {
    separate();
    buffer_.append("\\N");
}

void PgCopyTableSink::integer(int64_t value) {
    separate();
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    buffer_.append(digits, end);
}

void PgCopyTableSink::real(double value) {
    if (std::isnan(value)) {
        null();
        return;
    }
    separate();
    char digits[32];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;  // shortest text that reads back
    buffer_.append(digits, end);
}

void PgCopyTableSink::text(std::string_view value) {
    separate();
    if (needsRepair(value)) {
        repaired_.assign(value);
        repairUtf8(repaired_);
        for (char& c : repaired_) {
            if (c == '\0') {
                c = '?';
            }
        }
        value = repaired_;
    }
    for (const char c : value) {
        switch (c) {
            case '\\': buffer_.append("\\\\"); break;
            case '\t': buffer_.append("\\t"); break;
            case '\n': buffer_.append("\\n"); break;
            case '\r': buffer_.append("\\r"); break;
            default: buffer_.push_back(c);
        }
    }
}

bool PgCopyTableSink::flush(std::string* error) {
    if (!buffer_.empty() &&
        PQputCopyData(conn_, buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
        *error = PQerrorMessage(conn_);
        return false;
    }
    buffer_.clear();
    return true;
}

bool PgCopyTableSink::endRow(std::string* error) {
    buffer_.push_back('\n');
    firstInRow_ = true;
    return buffer_.size() < kFlushBytes || flush(error);
}

bool PgCopyTableSink::finishCommand(std::string* error) {
    bool ok = true;
    while (PGresult* result = PQgetResult(conn_)) {
        if (PQresultStatus(result) != PGRES_COMMAND_OK) {
            ok = false;
            *error = PQresultErrorMessage(result);
        }
        PQclear(result);
    }
    return ok;
}

bool PgCopyTableSink::endTable(std::string* error) {
    if (!copying_) {
        return true;
    }
    copying_ = false;
    const bool sent = flush(error);
    if (PQputCopyEnd(conn_, sent ? nullptr : "cancelled") != 1) {
        *error = PQerrorMessage(conn_);
        return false;
    }
    return finishCommand(error) && sent;
}

}  // namespace ps
