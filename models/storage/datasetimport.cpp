#include "datasetimport.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <iterator>

#include "dbconnection.h"
#include "ownschema.h"
#include "pgconnection.h"
#include "pgcopytablesink.h"
#include "sqliteconnection.h"
#include "sqlitepagesplicer.h"
#include "sqlitetablesink.h"

namespace ps {
namespace {

namespace fs = std::filesystem;

DatasetWriteOptions writeOptionsOf(const DatasetImportOptions& options) {
    DatasetWriteOptions w;
    w.progress = options.progress;
    w.cancel = options.cancel;
    w.withRecords = options.withRecords;
    w.writtenBy = options.writtenBy;
    return w;
}

// The file is private until it is renamed into place: no journal, no fsync per commit, one writer. A small
// page cache (16 MB) is faster than a large one here: pages are written once and spilled in order, and every
// page of a larger cache costs a fresh page fault before it is reused (2.8 s against 1.8 s for 270,000 spans
// with their records in bench_import). 64 KB pages: a quarter of the pages (and of the write calls) of 16 KB
// ones for the span records, 20% less CPU for that table; a span's record (800 bytes on average) never
// overflows one. The page size is set before anything is created in the file (it is fixed from then on); the
// rest after prepareSqliteFile, whose ATTACH of the open workspace must not inherit the exclusive locking.
constexpr const char* kPageSizePragma = "PRAGMA page_size = 65536";
constexpr const char* kPrivateFilePragmas =
    "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; "
    "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16384";

// A new private file with the own tables: the page size first (fixed once anything is created), then
// `prepare` (may be empty), then the private-file pragmas and the tables.
std::unique_ptr<db::SqliteConnection> createPrivateFile(const std::string& path,
                                                        const std::function<bool(sqlite3*, std::string*)>& prepare,
                                                        std::string* error) {
    db::ConnectOptions connect;
    connect.readOnly = false;
    std::unique_ptr<db::SqliteConnection> connection = db::SqliteConnection::open(path, connect, error);
    if (!connection || !connection->execute(kPageSizePragma, {}, error) ||
        (prepare && !prepare(connection->handle(), error)) ||
        !connection->execute(kPrivateFilePragmas, {}, error) ||
        !connection->execute(db::ownSchemaDdl(), {}, error)) {
        return nullptr;
    }
    return connection;
}

// Without the span records: one file, one thread, the indexes built at the end.
DatasetWriteResult writeOneFile(const DatasetPtr& data, const std::string& partial,
                                const DatasetImportOptions& options) {
    DatasetWriteResult result;
    std::unique_ptr<db::SqliteConnection> file = createPrivateFile(partial, options.prepareSqliteFile, &result.error);
    if (!file) {
        return result;
    }
    SqliteTableSink sink(file->handle());
    result = writeDataset(data, sink, writeOptionsOf(options));
    if (result.ok() && (!sink.finish(&result.error) || !file->execute(db::ownSchemaIndexDdl(), {}, &result.error))) {
        result.error = partial + ": " + result.error;
    }
    return result;
}

// With them: the records (three quarters of the bytes) go into the target file on one thread while every
// other table goes into a second file on this one, with its indexes; that file's tables are then moved into
// the target page by page (no row is inserted twice). SQLite writes a file from one thread at a time, so this
// is how an import uses two cores.
DatasetWriteResult writeTwoFiles(const DatasetPtr& data, const std::string& partial, const std::string& tablesPartial,
                                 const DatasetImportOptions& options) {
    DatasetWriteResult result;
    {
        std::unique_ptr<db::SqliteConnection> target =
            createPrivateFile(partial, options.prepareSqliteFile, &result.error);
        // The target's indexes are on tables that stay empty in it; each is replaced by its filled twin.
        std::unique_ptr<db::SqliteConnection> tables =
            target && target->execute(db::ownSchemaIndexDdl(), {}, &result.error)
                ? createPrivateFile(tablesPartial, nullptr, &result.error)
                : nullptr;
        if (!tables) {
            return result;
        }
        SqliteTableSink recordSink(target->handle());
        SqliteTableSink tableSink(tables->handle());
        result = writeDatasetSplit(data, tableSink, recordSink, writeOptionsOf(options));
        if (result.ok() && (!tableSink.finish(&result.error) || !recordSink.finish(&result.error) ||
                            !tables->execute(db::ownSchemaIndexDdl(), {}, &result.error))) {
            result.error = partial + ": " + result.error;
        }
    }  // both files closed: their pages are copied by hand below
    if (result.ok()) {
        std::vector<std::string_view> moved;
        for (const std::string_view table : db::ownTables()) {
            if (std::find(std::begin(kSpanRecordTables), std::end(kSpanRecordTables), table) ==
                std::end(kSpanRecordTables)) {
                moved.push_back(table);
            }
        }
        if (!spliceSqliteTables(tablesPartial, partial, moved, &result.error)) {
            result.error = partial + ": " + result.error;
        }
    }
    return result;
}

DatasetWriteResult importIntoSqlite(const DatasetPtr& data, const std::string& path,
                                    const DatasetImportOptions& options) {
    DatasetWriteResult result;
    std::error_code ec;
    if (fs::exists(path, ec) && !options.replace) {
        result.error = path + " already exists; give --replace to overwrite it";
        return result;
    }
    const std::string partial = path + ".partial";
    const std::string tablesPartial = path + ".partial-tables";
    fs::remove(partial, ec);  // left by an import that was killed
    fs::remove(tablesPartial, ec);
    result = options.withRecords ? writeTwoFiles(data, partial, tablesPartial, options)
                                 : writeOneFile(data, partial, options);
    fs::remove(tablesPartial, ec);
    if (result.ok()) {
        fs::rename(partial, path, ec);
        if (ec) {
            result.error = "cannot move " + partial + " to " + path + ": " + ec.message();
        }
    }
    if (!result.ok()) {
        fs::remove(partial, ec);
    }
    return result;
}

// The own tables already in the schema the connection writes to (its search path's first schema).
bool hasOwnTables(db::Connection& connection, std::string* error) {
    bool found = false;
    connection.query("SELECT to_regclass($1) IS NOT NULL", {std::string(db::kOwnSpansTable)},
                     [&](const db::Row& row) {
                         found = row.text(0) == "t" || row.text(0) == "true";
                         return false;
                     },
                     error);
    return found;
}

DatasetWriteResult importIntoPostgres(const DatasetPtr& data, const std::string& uri,
                                      const DatasetImportOptions& options) {
    DatasetWriteResult result;
    db::ConnectOptions connect;
    connect.readOnly = false;
    std::unique_ptr<db::PgConnection> connection = db::PgConnection::open(uri, connect, &result.error);
    if (!connection) {
        return result;
    }
    auto fail = [&](const std::string& why) {
        std::string ignored;
        connection->execute("ROLLBACK", {}, &ignored);
        result.error = db::withoutPassword(uri) + ": " + why;
        return result;
    };
    std::string error;
    // One transaction around everything, DDL included (transactional in PostgreSQL): all or nothing. The
    // commit need not wait for the disk flush of each COPY; COMMIT itself is still durable.
    if (!connection->execute("BEGIN; SET LOCAL synchronous_commit = off", {}, &error)) {
        return fail(error);
    }
    const bool exists = hasOwnTables(*connection, &error);
    if (!error.empty()) {
        return fail(error);
    }
    if (exists && !options.replace) {
        return fail("PromptScope tables are already there; give --replace to overwrite them");
    }
    if (exists) {
        std::string drop;
        for (const std::string_view table : db::ownTables()) {
            drop += "DROP TABLE IF EXISTS " + std::string(table) + ";";
        }
        if (!connection->execute(drop, {}, &error)) {
            return fail(error);
        }
    }
    if (!connection->execute(db::ownSchemaDdl(), {}, &error)) {
        return fail(error);
    }
    {
        PgCopyTableSink sink(connection->handle());
        result = writeDataset(data, sink, writeOptionsOf(options));
    }
    if (result.ok() && !connection->execute(db::ownSchemaIndexDdl(), {}, &result.error)) {
        result.error = db::withoutPassword(uri) + ": " + result.error;
    }
    if (!result.ok() || !connection->execute("COMMIT", {}, &result.error)) {
        std::string ignored;
        connection->execute("ROLLBACK", {}, &ignored);
    }
    return result;
}

}  // namespace

std::string importTargetProblem(const std::string& target, bool replace) {
    std::optional<db::Target> parsed = db::parseTarget(target);
    if (!parsed || parsed->dialect == db::Dialect::Sqlite) {
        const std::string path = parsed ? parsed->location : target;
        std::error_code ec;
        return fs::exists(path, ec) && !replace ? path + " already exists; give --replace to overwrite it"
                                                : std::string();
    }
    std::string error;
    auto connection = db::PgConnection::open(parsed->location, db::ConnectOptions{}, &error);
    if (!connection) {
        return error;
    }
    const bool exists = hasOwnTables(*connection, &error);
    if (!error.empty()) {
        return db::withoutPassword(target) + ": " + error;
    }
    return exists && !replace ? db::withoutPassword(target) +
                                    ": PromptScope tables are already there; give --replace to overwrite them"
                              : std::string();
}

DatasetWriteResult importDataset(const DatasetPtr& data, const std::string& target,
                                 const DatasetImportOptions& options) {
    std::optional<db::Target> parsed = db::parseTarget(target);
    if (!parsed) {
        parsed = db::Target{db::Dialect::Sqlite, target};  // a new file: any name will do
    }
    if (parsed->dialect == db::Dialect::Sqlite) {
        return importIntoSqlite(data, parsed->location, options);
    }
    return importIntoPostgres(data, parsed->location, options);
}

}  // namespace ps
