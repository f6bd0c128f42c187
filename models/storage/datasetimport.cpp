#include "datasetimport.h"

#include <sqlite3.h>

#include <filesystem>

#include "dbconnection.h"
#include "ownschema.h"
#include "pgconnection.h"
#include "pgcopytablesink.h"
#include "sqliteconnection.h"
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
// with their records in bench_import).
constexpr const char* kPrivateFilePragmas =
    "PRAGMA page_size = 16384; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
    "PRAGMA locking_mode = EXCLUSIVE; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16384";

DatasetWriteResult importIntoSqlite(const DatasetPtr& data, const std::string& path,
                                    const DatasetImportOptions& options) {
    DatasetWriteResult result;
    std::error_code ec;
    if (fs::exists(path, ec) && !options.replace) {
        result.error = path + " already exists; give --replace to overwrite it";
        return result;
    }
    const std::string partial = path + ".partial";
    fs::remove(partial, ec);  // left by an import that was killed
    {
        db::ConnectOptions connect;
        connect.readOnly = false;
        std::unique_ptr<db::SqliteConnection> connection = db::SqliteConnection::open(partial, connect, &result.error);
        if (!connection) {
            return result;
        }
        sqlite3* handle = connection->handle();
        const bool prepared = !options.prepareSqliteFile || options.prepareSqliteFile(handle, &result.error);
        if (prepared && connection->execute(kPrivateFilePragmas, {}, &result.error) &&
            connection->execute(db::ownSchemaDdl(), {}, &result.error)) {
            SqliteTableSink sink(handle);
            result = writeDataset(data, sink, writeOptionsOf(options));
            if (result.ok() && !sink.finish(&result.error)) {
                result.error = partial + ": " + result.error;
            }
        }
        if (result.ok() && !connection->execute(db::ownSchemaIndexDdl(), {}, &result.error)) {
            result.error = partial + ": " + result.error;
        }
    }
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
