// One connection to a log database (SQLite or PostgreSQL) behind one small interface, so readers, the import
// command and aggregation in the database are written once for both. Values reach SQL only as bound parameters
// ($1, $2... in the SQL text, for both dialects). Sources are opened read-only unless a caller asks otherwise.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ps::db {

enum class Dialect : uint8_t { Sqlite, Postgres };

// A parameter value: NULL, an integer, a real or a text.
using Value = std::variant<std::monostate, int64_t, double, std::string>;

// The current row of a query. Texts are valid until the next row.
class Row {
public:
    virtual ~Row() = default;
    [[nodiscard]] virtual int size() const = 0;
    [[nodiscard]] virtual std::string_view columnName(int column) const = 0;
    [[nodiscard]] virtual bool isNull(int column) const = 0;
    // The value as text, as the database renders it; empty for NULL.
    [[nodiscard]] virtual std::string_view text(int column) const = 0;
    // The value as a number; nullopt for NULL or a text that is not a number.
    [[nodiscard]] virtual std::optional<int64_t> integer(int column) const = 0;
    [[nodiscard]] virtual std::optional<double> real(int column) const = 0;
};

// Called for every row; returns false to stop early (not an error).
using RowFn = std::function<bool(const Row&)>;

class Connection {
public:
    virtual ~Connection() = default;
    [[nodiscard]] virtual Dialect dialect() const = 0;
    // Where the connection goes, never with a password: for titles, parse issues and logs.
    [[nodiscard]] virtual std::string displayName() const = 0;

    // Runs one statement and streams its rows to onRow. False with *error (a sentence for the user) when the
    // statement fails; stopping early from onRow is not a failure.
    virtual bool query(std::string_view sql, const std::vector<Value>& params, const RowFn& onRow,
                       std::string* error) = 0;
    // Runs statements that return no rows (DDL, inserts) on a writable connection. With no params, sql may hold
    // several statements separated by semicolons.
    virtual bool execute(std::string_view sql, const std::vector<Value>& params, std::string* error) = 0;

    // Tables and views the session can read (PostgreSQL: those on the search path), sorted by name.
    virtual std::vector<std::string> tables(std::string* error) = 0;
    // Column names of a table or view, in table order; empty with *error when there is no such table.
    virtual std::vector<std::string> columns(std::string_view table, std::string* error) = 0;

    // Asks a running query to stop soon; safe to call from another thread. The query then fails with an error
    // saying it was interrupted.
    virtual void interrupt() = 0;
};

struct ConnectOptions {
    bool readOnly = true;            // sources are only ever read; import and saving open writable connections
    std::string password;            // used when the target carries none (from the keychain or a prompt)
    int connectTimeoutSeconds = 10;
};

// What a source string names when it is a database.
struct Target {
    Dialect dialect = Dialect::Sqlite;
    std::string location;  // SQLite: the file path; PostgreSQL: the URI or libpq key=value string as given
};

// "sqlite:PATH", a path ending in .sqlite, .sqlite3, .db or .promptscope, an existing file that starts with
// SQLite's header, "postgresql://..." or "postgres://..." URIs. nullopt for anything else (trace files).
std::optional<Target> parseTarget(std::string_view source);

// Opens the target. Null with *error naming the cause (no such file, connection refused, authentication failed).
std::unique_ptr<Connection> openConnection(const Target& target, const ConnectOptions& options, std::string* error);

// The source string with any password replaced by "***", safe to show and to write to logs and settings.
std::string withoutPassword(std::string_view source);

// The source string with any password removed (not masked), to be remembered (recent sources, settings) and
// opened again later with a password from elsewhere (PGPASSWORD, ~/.pgpass, the keychain).
std::string withoutPasswordToReopen(std::string_view source);

// Quotes an identifier for SQL text (table and column names cannot be bound as parameters).
std::string quoteIdentifier(std::string_view name);

}  // namespace ps::db
