// A Connection to PostgreSQL through libpq. Read-only connections set `default_transaction_read_only` for the
// session and run every query inside `BEGIN READ ONLY`, so even a function with side effects cannot write.
// Rows are streamed: SELECTs through a cursor fetched a few thousand rows at a time, other statements in
// libpq's single-row mode, so a million-row table never sits in memory as one result.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>

#include "dbconnection.h"

struct pg_conn;
struct pg_cancel;

namespace ps::db {

class PgConnection final : public Connection {
public:
    // `target` is a postgresql:// URI or a libpq key=value string. Null with *error (a sentence: connection
    // refused, authentication failed, no such database, timed out) when the session cannot be opened.
    static std::unique_ptr<PgConnection> open(const std::string& target, const ConnectOptions& options,
                                              std::string* error);
    ~PgConnection() override;
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    [[nodiscard]] Dialect dialect() const override { return Dialect::Postgres; }
    [[nodiscard]] std::string displayName() const override;
    bool query(std::string_view sql, const std::vector<Value>& params, const RowFn& onRow,
               std::string* error) override;
    bool execute(std::string_view sql, const std::vector<Value>& params, std::string* error) override;
    std::vector<std::string> tables(std::string* error) override;
    std::vector<std::string> columns(std::string_view table, std::string* error) override;
    void interrupt() override;

    // The raw handle, for bulk writers (COPY) that need more than the interface offers.
    [[nodiscard]] pg_conn* handle() const { return conn_; }

private:
    PgConnection(pg_conn* conn, std::string display, bool readOnly);
    bool runStreamed(std::string_view sql, const std::vector<Value>& params, const RowFn& onRow,
                     std::string* error);
    bool runCursor(std::string_view sql, const std::vector<Value>& params, const RowFn& onRow,
                   std::string* error);
    bool simple(const char* sql, std::string* error);
    bool prepareSession(std::string* error);  // encoding, date style, time zone, read-only default

    pg_conn* conn_ = nullptr;
    pg_cancel* cancel_ = nullptr;  // made once at connect: PQgetCancel is not safe against a running query
    std::mutex cancelMutex_;       // PQcancel and PQfreeCancel must not overlap
    std::atomic<bool> interrupted_{false};
    std::string display_;
    bool readOnly_ = true;
};

}  // namespace ps::db
