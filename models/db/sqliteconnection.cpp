#include "sqliteconnection.h"

#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <filesystem>

namespace ps::db {
namespace {

class StatementRow final : public Row {
public:
    explicit StatementRow(sqlite3_stmt* stmt) : stmt_(stmt) {}
    [[nodiscard]] int size() const override { return sqlite3_column_count(stmt_); }
    [[nodiscard]] std::string_view columnName(int column) const override {
        const char* name = sqlite3_column_name(stmt_, column);
        return name ? std::string_view(name) : std::string_view();
    }
    [[nodiscard]] bool isNull(int column) const override {
        return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
    }
    [[nodiscard]] std::string_view text(int column) const override {
        const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
        return data ? std::string_view(data, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)))
                    : std::string_view();
    }
    [[nodiscard]] std::optional<int64_t> integer(int column) const override {
        switch (sqlite3_column_type(stmt_, column)) {
        case SQLITE_INTEGER: return sqlite3_column_int64(stmt_, column);
        case SQLITE_FLOAT: return static_cast<int64_t>(sqlite3_column_double(stmt_, column));
        case SQLITE_NULL: return std::nullopt;
        default: {
            const std::string_view t = text(column);
            int64_t v = 0;
            const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
            if (ec != std::errc() || end != t.data() + t.size()) {
                return std::nullopt;
            }
            return v;
        }
        }
    }
    [[nodiscard]] std::optional<double> real(int column) const override {
        switch (sqlite3_column_type(stmt_, column)) {
        case SQLITE_INTEGER:
        case SQLITE_FLOAT: return sqlite3_column_double(stmt_, column);
        case SQLITE_NULL: return std::nullopt;
        default: {
            const std::string_view t = text(column);
            double v = 0;
            const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
            if (ec != std::errc() || end != t.data() + t.size()) {
                return std::nullopt;
            }
            return v;
        }
        }
    }

private:
    sqlite3_stmt* stmt_;
};

std::string lastError(sqlite3* db) { return sqlite3_errmsg(db); }

// Binds $1, $2... by name, so the order in which they appear in the SQL does not matter.
bool bindAll(sqlite3_stmt* stmt, const std::vector<Value>& params, std::string* error) {
    for (size_t i = 0; i < params.size(); ++i) {
        const std::string name = "$" + std::to_string(i + 1);
        const int index = sqlite3_bind_parameter_index(stmt, name.c_str());
        if (index == 0) {
            continue;  // a parameter the statement does not use
        }
        int rc = SQLITE_OK;
        const Value& v = params[i];
        if (std::holds_alternative<std::monostate>(v)) {
            rc = sqlite3_bind_null(stmt, index);
        } else if (const auto* n = std::get_if<int64_t>(&v)) {
            rc = sqlite3_bind_int64(stmt, index, *n);
        } else if (const auto* d = std::get_if<double>(&v)) {
            rc = sqlite3_bind_double(stmt, index, *d);
        } else {
            const auto& s = std::get<std::string>(v);
            rc = sqlite3_bind_text64(stmt, index, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
        }
        if (rc != SQLITE_OK) {
            *error = "cannot bind parameter " + name + ": " + sqlite3_errstr(rc);
            return false;
        }
    }
    return true;
}

}  // namespace

SqliteConnection::SqliteConnection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

SqliteConnection::~SqliteConnection() { sqlite3_close_v2(db_); }

bool SqliteConnection::disableMemoryStatistics() {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
}

std::unique_ptr<SqliteConnection> SqliteConnection::open(const std::string& path, const ConnectOptions& options,
                                                         std::string* error) {
    std::error_code ec;
    if (options.readOnly && !std::filesystem::is_regular_file(path, ec)) {
        *error = "no such database file: " + path;
        return nullptr;
    }
    sqlite3* db = nullptr;
    const int flags = (options.readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) |
                      SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        *error = "cannot open " + path + ": " + (db ? lastError(db) : std::string(sqlite3_errstr(rc)));
        sqlite3_close_v2(db);
        return nullptr;
    }
    sqlite3_busy_timeout(db, std::max(0, options.connectTimeoutSeconds) * 1000);
    std::unique_ptr<SqliteConnection> connection(new SqliteConnection(db, path));
    // Reading the schema proves the file is a database (SQLite opens any file lazily).
    std::string why;
    if (!connection->query("SELECT count(*) FROM sqlite_master", {}, [](const Row&) { return true; }, &why)) {
        *error = path + " is not a SQLite database: " + why;
        return nullptr;
    }
    if (options.readOnly && !connection->execute("PRAGMA query_only = ON", {}, &why)) {
        *error = "cannot make the session read-only: " + why;
        return nullptr;
    }
    return connection;
}

std::string SqliteConnection::displayName() const { return path_; }

bool SqliteConnection::query(std::string_view sql, const std::vector<Value>& params, const RowFn& onRow,
                             std::string* error) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), 0, &stmt, nullptr) != SQLITE_OK) {
        *error = lastError(db_);
        sqlite3_finalize(stmt);
        return false;
    }
    if (!bindAll(stmt, params, error)) {
        sqlite3_finalize(stmt);
        return false;
    }
    const StatementRow row(stmt);
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (onRow && !onRow(row)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    const bool ok = rc == SQLITE_DONE;
    if (!ok) {
        *error = rc == SQLITE_INTERRUPT ? std::string("the query was interrupted") : lastError(db_);
    }
    sqlite3_finalize(stmt);
    return ok;
}

bool SqliteConnection::execute(std::string_view sql, const std::vector<Value>& params, std::string* error) {
    if (params.empty()) {
        char* message = nullptr;
        const std::string text(sql);
        if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
            *error = message ? message : lastError(db_);
            sqlite3_free(message);
            return false;
        }
        return true;
    }
    return query(sql, params, {}, error);
}

std::vector<std::string> SqliteConnection::tables(std::string* error) {
    std::vector<std::string> names;
    query("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' "
          "ORDER BY name",
          {},
          [&](const Row& row) {
              names.emplace_back(row.text(0));
              return true;
          },
          error);
    return names;
}

std::vector<std::string> SqliteConnection::columns(std::string_view table, std::string* error) {
    std::vector<std::string> names;
    const bool ok = query("SELECT name FROM pragma_table_info($1) ORDER BY cid", {std::string(table)},
                          [&](const Row& row) {
                              names.emplace_back(row.text(0));
                              return true;
                          },
                          error);
    if (ok && names.empty()) {
        *error = "no such table: " + std::string(table);
    }
    return names;
}

void SqliteConnection::interrupt() { sqlite3_interrupt(db_); }

}  // namespace ps::db
