#include "pgconnection.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>

namespace ps::db {
namespace {

constexpr const char* kSqlstateQueryCanceled = "57014";

// A row of single-row mode: each row arrives as its own PGresult.
class ResultRow final : public Row {
public:
    void reset(const PGresult* result, int index = 0) {
        result_ = result;
        row_ = index;
    }
    [[nodiscard]] int size() const override { return PQnfields(result_); }
    [[nodiscard]] std::string_view columnName(int column) const override {
        const char* name = PQfname(result_, column);
        return name ? std::string_view(name) : std::string_view();
    }
    [[nodiscard]] bool isNull(int column) const override { return PQgetisnull(result_, row_, column) != 0; }
    [[nodiscard]] std::string_view text(int column) const override {
        return {PQgetvalue(result_, row_, column), static_cast<size_t>(PQgetlength(result_, row_, column))};
    }
    [[nodiscard]] std::optional<int64_t> integer(int column) const override {
        if (isNull(column)) {
            return std::nullopt;
        }
        const std::string_view t = text(column);
        int64_t v = 0;
        const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec == std::errc() && end == t.data() + t.size()) {
            return v;
        }
        if (t == "t" || t == "f") {  // booleans, as SQLite would store them
            return t == "t" ? 1 : 0;
        }
        // numeric and double precision columns: truncated like SQLite does for a real read as an integer
        const std::optional<double> d = real(column);
        if (d && std::isfinite(*d) && std::fabs(*d) < 9.2e18) {
            return static_cast<int64_t>(*d);
        }
        return std::nullopt;
    }
    [[nodiscard]] std::optional<double> real(int column) const override {
        if (isNull(column)) {
            return std::nullopt;
        }
        const std::string_view t = text(column);
        double v = 0;
        const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec != std::errc() || end != t.data() + t.size()) {
            return std::nullopt;
        }
        return v;
    }

private:
    const PGresult* result_ = nullptr;
    int row_ = 0;
};

// Parameters as libpq takes them: text with a type only where it is certain (integers, doubles); texts are
// left for the server to infer, so '$1' compares with a uuid, timestamp or jsonb column without casts in the
// SQL.
struct BoundParams {
    explicit BoundParams(const std::vector<Value>& params)
        : texts(params.size()), values(params.size(), nullptr), types(params.size(), 0) {
        for (size_t i = 0; i < params.size(); ++i) {
            const Value& v = params[i];
            if (const auto* n = std::get_if<int64_t>(&v)) {
                texts[i] = std::to_string(*n);
                types[i] = 20;  // int8
            } else if (const auto* d = std::get_if<double>(&v)) {
                char buffer[32];
                const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, *d);
                texts[i] = ec == std::errc() ? std::string(buffer, end) : std::string("NaN");
                types[i] = 701;  // float8
            } else if (const auto* s = std::get_if<std::string>(&v)) {
                texts[i] = *s;
            }
            if (!std::holds_alternative<std::monostate>(v)) {
                values[i] = texts[i].c_str();
            }
        }
    }
    [[nodiscard]] int count() const { return static_cast<int>(values.size()); }

    std::vector<std::string> texts;
    std::vector<const char*> values;
    std::vector<Oid> types;
};

// A plain query the server can put behind a cursor (DECLARE takes SELECT, VALUES and WITH ... SELECT).
bool isSelect(std::string_view sql) {
    size_t i = 0;
    while (i < sql.size() && (std::isspace(static_cast<unsigned char>(sql[i])) || sql[i] == '(')) {
        ++i;
    }
    const auto startsWith = [&](std::string_view word) {
        if (sql.size() - i < word.size()) {
            return false;
        }
        for (size_t k = 0; k < word.size(); ++k) {
            if (std::tolower(static_cast<unsigned char>(sql[i + k])) != word[k]) {
                return false;
            }
        }
        return sql.size() - i == word.size() ||
               !std::isalnum(static_cast<unsigned char>(sql[i + word.size()]));
    };
    return startsWith("select") || startsWith("with") || startsWith("values");
}

constexpr int kFetchRows = 4096;

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\t')) {
        s.pop_back();
    }
    return s;
}

bool contains(const std::string& haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
}

std::string orDefault(const char* s, const char* fallback) {
    return s && *s ? s : fallback;
}

// libpq's connection errors are precise but long and technical; the first words say what happened in terms a
// user can act on, libpq's own text follows for the details.
std::string connectError(PGconn* conn) {
    const std::string raw = trimmed(orDefault(PQerrorMessage(conn), "unknown error"));
    const std::string host = orDefault(PQhost(conn), "localhost");
    const std::string port = orDefault(PQport(conn), "5432");
    const std::string where = host + ":" + port;
    std::string sentence;
    if (contains(raw, "Connection refused")) {
        sentence = "connection refused: no PostgreSQL server is listening at " + where;
    } else if (contains(raw, "password authentication failed") || contains(raw, "authentication failed")) {
        sentence = "authentication failed for user \"" + orDefault(PQuser(conn), "?") + "\" at " + where +
                   ": wrong user name or password";
    } else if (contains(raw, "no password supplied")) {
        sentence = "authentication failed: the server at " + where +
                   " asks for a password and none was given (put it in the URI, PGPASSWORD or ~/.pgpass)";
    } else if (contains(raw, "does not exist") && contains(raw, "database")) {
        sentence = "no such database \"" + orDefault(PQdb(conn), "?") + "\" on " + where;
    } else if (contains(raw, "role") && contains(raw, "does not exist")) {
        sentence = "authentication failed: no such user \"" + orDefault(PQuser(conn), "?") + "\" on " + where;
    } else if (contains(raw, "timeout expired")) {
        sentence = "the connection to " + where + " timed out";
    } else if (contains(raw, "could not translate host name")) {
        sentence = "unknown host \"" + host + "\"";
    } else {
        return "cannot connect to PostgreSQL: " + raw;
    }
    return sentence + " (" + raw + ")";
}

// Turns a failed result into a sentence that starts with what a user can act on.
std::string describeFailure(PGconn* conn, const PGresult* result, bool interrupted) {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    const std::string message =
        primary ? std::string(primary) : trimmed(orDefault(PQerrorMessage(conn), "?"));
    const std::string code = state ? state : "";
    if (code == kSqlstateQueryCanceled) {
        return interrupted ? "the query was interrupted" : "the query was cancelled: " + message;
    }
    if (PQstatus(conn) == CONNECTION_BAD) {
        return "the connection to the PostgreSQL server was lost: " + message;
    }
    if (code == "42P01") {
        return "no such table: " + message;
    }
    if (code == "42703") {
        return "no such column: " + message;
    }
    if (code == "25006") {
        return "the connection is read-only: " + message;
    }
    if (code == "42501") {
        return "permission denied: " + message;
    }
    return message;
}

}  // namespace

PgConnection::PgConnection(PGconn* conn, std::string display, bool readOnly)
    : conn_(conn), cancel_(PQgetCancel(conn)), display_(std::move(display)), readOnly_(readOnly) {}

PgConnection::~PgConnection() {
    {
        const std::lock_guard lock(cancelMutex_);
        PQfreeCancel(cancel_);
        cancel_ = nullptr;
    }
    PQfinish(conn_);
}

std::unique_ptr<PgConnection> PgConnection::open(const std::string& target, const ConnectOptions& options,
                                                 std::string* error) {
    // Keywords before dbname are defaults the URI may override (its own password, timeout); libpq keeps the
    // last value it sees. A password given in the URI therefore wins over ConnectOptions::password, and
    // PGPASSWORD or
    // ~/.pgpass are read by libpq itself when neither gives one.
    const std::string timeout = std::to_string(std::max(2, options.connectTimeoutSeconds));
    std::vector<const char*> keys{"application_name", "connect_timeout"};
    std::vector<const char*> values{"PromptScope", timeout.c_str()};
    if (!options.password.empty()) {
        keys.push_back("password");
        values.push_back(options.password.c_str());
    }
    keys.push_back("dbname");
    values.push_back(target.c_str());
    keys.push_back(nullptr);
    values.push_back(nullptr);
    PGconn* conn = PQconnectdbParams(keys.data(), values.data(), 1);
    if (!conn) {
        *error = "cannot connect to PostgreSQL: out of memory";
        return nullptr;
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        *error = connectError(conn);
        PQfinish(conn);
        return nullptr;
    }
    // Server notices (NOTICE: drop cascades...) are for psql users; the program has nowhere sensible to print
    // them.
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    std::unique_ptr<PgConnection> connection(
        new PgConnection(conn, withoutPassword(target), options.readOnly));
    if (!connection->prepareSession(error)) {
        return nullptr;
    }
    return connection;
}

bool PgConnection::prepareSession(std::string* error) {
    // Texts the readers can parse whatever the server's configuration: UTF-8, ISO dates, UTC offsets.
    std::string why;
    if (PQsetClientEncoding(conn_, "UTF8") != 0 ||
        !simple("SET DateStyle = ISO; SET TimeZone = 'UTC'; SET IntervalStyle = iso_8601", &why)) {
        *error =
            "cannot prepare the PostgreSQL session: " + (why.empty() ? trimmed(PQerrorMessage(conn_)) : why);
        return false;
    }
    if (readOnly_ && !simple("SET default_transaction_read_only = on", &why)) {
        *error = "cannot make the PostgreSQL session read-only: " + why;
        return false;
    }
    return true;
}

std::string PgConnection::displayName() const {
    return display_;
}

bool PgConnection::simple(const char* sql, std::string* error) {
    PGresult* result = PQexec(conn_, sql);
    const ExecStatusType status = PQresultStatus(result);
    const bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
    if (!ok) {
        *error = describeFailure(conn_, result, interrupted_.load());
    }
    PQclear(result);
    return ok;
}

bool PgConnection::runStreamed(std::string_view sql, const std::vector<Value>& params, const RowFn& onRow,
                               std::string* error) {
    const BoundParams bound(params);
    const std::string text(sql);
    if (!PQsendQueryParams(conn_, text.c_str(), bound.count(), bound.types.data(), bound.values.data(),
                           nullptr, nullptr, 0)) {
        *error = describeFailure(conn_, nullptr, false);
        return false;
    }
    if (onRow) {
        PQsetSingleRowMode(conn_);
    }
    ResultRow row;
    bool stopped = false;
    bool ok = true;
    // Every result must be read before the connection takes the next command, even after an early stop.
    while (PGresult* result = PQgetResult(conn_)) {
        switch (PQresultStatus(result)) {
            case PGRES_SINGLE_TUPLE:
                if (!stopped) {
                    row.reset(result);
                    if (!onRow(row)) {
                        // The rest is not wanted: ask the server to stop sending rather than reading them
                        // all.
                        stopped = true;
                        char why[256];
                        const std::lock_guard lock(cancelMutex_);
                        if (cancel_) {
                            PQcancel(cancel_, why, sizeof why);
                        }
                    }
                }
                break;
            case PGRES_TUPLES_OK:
            case PGRES_COMMAND_OK:
            case PGRES_EMPTY_QUERY:
                break;
            default: {
                const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
                const bool ourCancel = stopped && state && std::strcmp(state, kSqlstateQueryCanceled) == 0;
                if (!ourCancel && ok) {
                    ok = false;
                    *error = describeFailure(conn_, result, interrupted_.load());
                }
                break;
            }
        }
        PQclear(result);
    }
    return ok;
}

bool PgConnection::runCursor(std::string_view sql, const std::vector<Value>& params, const RowFn& onRow,
                             std::string* error) {
    // Rows come in chunks of a few thousand: one result per chunk instead of one per row as in single-row
    // mode, and an early stop just closes the cursor.
    const BoundParams bound(params);
    const std::string declare = "DECLARE promptscope_rows NO SCROLL CURSOR FOR " + std::string(sql);
    PGresult* declared = PQexecParams(conn_, declare.c_str(), bound.count(), bound.types.data(),
                                      bound.values.data(), nullptr, nullptr, 0);
    const bool ok = PQresultStatus(declared) == PGRES_COMMAND_OK;
    if (!ok) {
        *error = describeFailure(conn_, declared, interrupted_.load());
    }
    PQclear(declared);
    if (!ok) {
        return false;
    }
    static const std::string fetch = "FETCH FORWARD " + std::to_string(kFetchRows) + " FROM promptscope_rows";
    ResultRow row;
    for (bool more = true; more;) {
        PGresult* chunk = PQexec(conn_, fetch.c_str());
        if (PQresultStatus(chunk) != PGRES_TUPLES_OK) {
            *error = describeFailure(conn_, chunk, interrupted_.load());
            PQclear(chunk);
            return false;  // the caller rolls the transaction back, which closes the cursor
        }
        const int n = PQntuples(chunk);
        more = n == kFetchRows;
        for (int i = 0; i < n; ++i) {
            row.reset(chunk, i);
            if (!onRow(row)) {
                more = false;
                break;
            }
        }
        PQclear(chunk);
    }
    return simple("CLOSE promptscope_rows", error);
}

bool PgConnection::query(std::string_view sql, const std::vector<Value>& params, const RowFn& onRow,
                         std::string* error) {
    interrupted_ = false;
    if (PQstatus(conn_) != CONNECTION_OK) {
        PQreset(conn_);  // a dropped connection (server restart) is tried again once
        if (PQstatus(conn_) != CONNECTION_OK) {
            *error = connectError(conn_);
            return false;
        }
        {
            const std::lock_guard lock(cancelMutex_);  // the new backend has a new cancel key
            PQfreeCancel(cancel_);
            cancel_ = PQgetCancel(conn_);
        }
        if (!prepareSession(error)) {
            return false;
        }
    }
    if (!readOnly_) {
        return runStreamed(sql, params, onRow ? onRow : RowFn([](const Row&) { return true; }), error);
    }
    // The session default already forbids writes; the explicit READ ONLY transaction makes each query's
    // intent visible in the server's logs and keeps a multi-statement read consistent.
    if (!simple("BEGIN READ ONLY", error)) {
        return false;
    }
    const RowFn each = onRow ? onRow : RowFn([](const Row&) { return true; });
    const bool ok =
        isSelect(sql) ? runCursor(sql, params, each, error) : runStreamed(sql, params, each, error);
    std::string ignored;
    simple(ok ? "COMMIT" : "ROLLBACK", ok ? error : &ignored);
    return ok;
}

bool PgConnection::execute(std::string_view sql, const std::vector<Value>& params, std::string* error) {
    if (readOnly_) {
        // One statement in a READ ONLY transaction: a script could otherwise COMMIT and switch the session
        // back.
        return query(sql, params, {}, error);
    }
    interrupted_ = false;
    if (params.empty()) {
        // The simple protocol accepts several statements separated by semicolons.
        const std::string text(sql);
        PGresult* result = PQexec(conn_, text.c_str());  // the last statement's result; it stops at a failure
        const ExecStatusType status = PQresultStatus(result);
        const bool ok =
            status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY;
        if (!ok) {
            *error = describeFailure(conn_, result, interrupted_.load());
        }
        PQclear(result);
        return ok;
    }
    return runStreamed(
        sql, params, [](const Row&) { return true; }, error);
}

std::vector<std::string> PgConnection::tables(std::string* error) {
    std::vector<std::string> names;
    query(
        "SELECT DISTINCT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') AND n.nspname = ANY (current_schemas(false))",
        {},
        [&](const Row& row) {
            names.emplace_back(row.text(0));
            return true;
        },
        error);
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<std::string> PgConnection::columns(std::string_view table, std::string* error) {
    std::vector<std::string> names;
    // to_regclass follows the search path like an unqualified name in a query would; quote_ident keeps
    // "LiteLLM_SpendLogs" from being folded to lower case.
    const bool ok = query(
        "SELECT a.attname::text FROM pg_attribute a "
        "WHERE a.attrelid = to_regclass(quote_ident($1::text)) AND a.attnum > 0 "
        "AND NOT a.attisdropped ORDER BY a.attnum",
        {std::string(table)},
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

void PgConnection::interrupt() {
    interrupted_ = true;
    char why[256];
    const std::lock_guard lock(cancelMutex_);
    if (cancel_) {
        PQcancel(cancel_, why, sizeof why);
    }
}

}  // namespace ps::db
