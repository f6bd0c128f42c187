#include "postgresimport.h"

#include <algorithm>
#include <iterator>
#include <random>

#include "ownschema.h"
#include "pgconnection.h"
#include "pgcopytablesink.h"

namespace ps {
namespace {

bool isRecordTable(std::string_view table) {
    return std::find(std::begin(kSpanRecordTables), std::end(kSpanRecordTables), table) !=
           std::end(kSpanRecordTables);
}

// "TRUNCATE a, b" over the own tables that are (or are not) span record tables.
std::string truncateTables(bool records) {
    std::string sql;
    for (const std::string_view table : db::ownTables()) {
        if (isRecordTable(table) == records) {
            sql += (sql.empty() ? "TRUNCATE " : ", ") + std::string(table);
        }
    }
    return sql;
}

// In `schema` (quoted), or in the current schema when it is empty.
std::string dropOwnTables(const std::string& schema) {
    std::string drop;
    for (const std::string_view table : db::ownTables()) {
        drop += "DROP TABLE IF EXISTS " + (schema.empty() ? std::string() : schema + ".") +
                std::string(table) + ";";
    }
    return drop;
}

// A schema name no other import picks: letters, digits and '_' only, so it needs no quoting.
std::string stagingSchemaName() {
    std::random_device random;
    const uint64_t token = (uint64_t{random()} << 32) ^ random();
    static constexpr char kHex[] = "0123456789abcdef";
    std::string name = "ps_import_";
    for (int shift = 44; shift >= 0; shift -= 4) {
        name += kHex[(token >> shift) & 0xf];
    }
    return name;
}

DatasetWriteResult importInOneTransaction(const DatasetPtr& data, const std::string& uri,
                                          db::PgConnection& connection, const DatasetImportOptions& options) {
    DatasetWriteResult result;
    auto fail = [&](const std::string& why) {
        std::string ignored;
        connection.execute("ROLLBACK", {}, &ignored);
        result.error = db::withoutPassword(uri) + ": " + why;
        return result;
    };
    std::string error;
    // One transaction around everything, DDL included (transactional in PostgreSQL): all or nothing. The
    // commit need not wait for the disk flush of each COPY; COMMIT itself is still durable.
    if (!connection.execute("BEGIN; SET LOCAL synchronous_commit = off", {}, &error)) {
        return fail(error);
    }
    const bool exists = hasOwnPostgresTables(connection, &error);
    if (!error.empty()) {
        return fail(error);
    }
    if (exists && !options.replace) {
        return fail("PromptScope tables are already there; give --replace to overwrite them");
    }
    if ((exists && !connection.execute(dropOwnTables({}), {}, &error)) ||
        !connection.execute(db::ownSchemaDdl(), {}, &error)) {
        return fail(error);
    }
    {
        PgCopyTableSink sink(connection.handle(),
                             true);  // tables created in this transaction: FREEZE applies
        result = writeDataset(data, sink, options.writeOptions());
    }
    if (result.ok() && !connection.execute(db::ownSchemaIndexDdl(), {}, &result.error)) {
        result.error = db::withoutPassword(uri) + ": " + result.error;
    }
    if (!result.ok() || !connection.execute("COMMIT", {}, &result.error)) {
        std::string ignored;
        connection.execute("ROLLBACK", {}, &ignored);
    }
    return result;
}

}  // namespace

bool hasOwnPostgresTables(db::Connection& connection, std::string* error) {
    bool found = false;
    connection.query(
        "SELECT to_regclass($1) IS NOT NULL", {std::string(db::kOwnSpansTable)},
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
    std::unique_ptr<db::PgConnection> main = db::PgConnection::open(uri, connect, &result.error);
    if (!main) {
        return result;
    }
    std::string target;
    std::string error;
    main->query(
        "SELECT current_schema()", {},
        [&](const db::Row& row) {
            target = std::string(row.text(0));
            return false;
        },
        &error);
    if (const bool exists = hasOwnPostgresTables(*main, &error); exists && !options.replace) {
        result.error = db::withoutPassword(uri) +
                       ": PromptScope tables are already there; give --replace to overwrite them";
        return result;
    }
    const std::string staging = stagingSchemaName();
    // A user who may not create schemas still gets the import, on one connection. (The statements run as one
    // implicit transaction: when one fails, none is left behind, search_path included.)
    if (!options.withRecords || target.empty() ||
        !main->execute("CREATE SCHEMA " + staging + "; SET search_path = " + staging + "; " +
                           std::string(db::ownSchemaDdl()),
                       {}, &error)) {
        return importInOneTransaction(data, uri, *main, options);
    }
    const std::string quotedTarget = db::quoteIdentifier(target);
    const std::string shownTarget = db::withoutPassword(uri);
    auto cleanUp = [&](db::Connection& connection) {
        std::string ignored;
        connection.execute("ROLLBACK", {}, &ignored);
    };
    std::unique_ptr<db::PgConnection> second = db::PgConnection::open(uri, connect, &error);
    if (!second) {  // no second session to be had (max_connections): one connection does it all
        std::string ignored;
        main->execute("DROP SCHEMA " + staging + " CASCADE; RESET search_path", {}, &ignored);
        return importInOneTransaction(data, uri, *main, options);
    }
    const std::string begin = "BEGIN; SET LOCAL synchronous_commit = off; ";
    // Truncated in the transaction that fills them, so COPY may write the rows frozen (no later rewrite of
    // each page to mark its rows visible to all).
    bool ok = second->execute("SET search_path = " + staging + "; " + begin + truncateTables(true), {},
                              &result.error) &&
              main->execute(begin + truncateTables(false), {}, &result.error);
    if (ok) {
        PgCopyTableSink tableSink(main->handle(), true);
        PgCopyTableSink recordSink(second->handle(), true);
        SplitWriteFinish finish;  // the indexes are built while the records are still being copied
        finish.tables = [&](std::string* error) { return main->execute(db::ownSchemaIndexDdl(), {}, error); };
        result = writeDatasetSplit(data, tableSink, recordSink, options.writeOptions(), finish);
        ok = result.ok() && second->execute("COMMIT", {}, &result.error) &&
             main->execute("COMMIT", {}, &result.error);
    }
    if (ok) {
        // The move: the target schema changes in this one transaction or not at all.
        std::string move = "BEGIN; ";
        if (options.replace) {
            move += dropOwnTables(quotedTarget);
        }
        for (const std::string_view table : db::ownTables()) {
            move += "ALTER TABLE " + staging + "." + std::string(table) + " SET SCHEMA " + quotedTarget + ";";
        }
        move += "DROP SCHEMA " + staging + "; COMMIT";
        ok = main->execute(move, {}, &result.error);
        if (!ok && !options.replace && result.error.find("already exists") != std::string::npos) {
            result.error = "PromptScope tables are already there; give --replace to overwrite them";
        }
    }
    if (!ok) {
        cleanUp(*second);
        second.reset();  // its locks go with it
        cleanUp(*main);
        std::string ignored;
        main->execute("DROP SCHEMA IF EXISTS " + staging + " CASCADE", {}, &ignored);
        if (!result.error.empty() && result.error.rfind(shownTarget, 0) != 0) {
            result.error = shownTarget + ": " + result.error;
        }
    }
    return result;
}

}  // namespace ps
