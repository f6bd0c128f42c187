// Bulk rows into PostgreSQL through COPY ... FROM STDIN in text format: rows are escaped into a buffer and
// handed to libpq a megabyte at a time, one COPY per table, inside the caller's transaction. PostgreSQL
// refuses NUL bytes and invalid UTF-8 in text: such bytes (only ever in broken source records) are written
// as '?', as the readers show them.
#pragma once

#include <string>

#include "tablesink.h"

struct pg_conn;

namespace ps {

class PgCopyTableSink final : public TableSink {
public:
    // freeze: COPY ... WITH (FREEZE), rows written already visible to all (no later rewrite of each page to mark
    // them so); only for tables created or truncated in the current transaction (PostgreSQL refuses it otherwise).
    explicit PgCopyTableSink(pg_conn* connection, bool freeze = false) : conn_(connection), freeze_(freeze) {}
    // A COPY still open (the write stopped inside a table) is ended as failed, so the connection can roll back.
    ~PgCopyTableSink() override;
    PgCopyTableSink(const PgCopyTableSink&) = delete;
    PgCopyTableSink& operator=(const PgCopyTableSink&) = delete;

    bool beginTable(std::string_view table, std::span<const std::string_view> columns, std::string* error) override;
    void null() override;
    void integer(int64_t value) override;
    void real(double value) override;
    void text(std::string_view value) override;
    bool endRow(std::string* error) override;
    bool endTable(std::string* error) override;

private:
    static constexpr size_t kFlushBytes = 1u << 20;
    void separate();
    bool flush(std::string* error);
    bool finishCommand(std::string* error);

    pg_conn* conn_;
    std::string buffer_;
    std::string repaired_;
    bool firstInRow_ = true;
    bool copying_ = false;
    bool freeze_ = false;
};

}  // namespace ps
