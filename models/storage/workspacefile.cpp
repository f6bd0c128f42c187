#include "workspacefile.h"

#include <sqlite3.h>

#include "ownschema.h"
#include "sqlitestatement.h"
#include "workspaceschema.h"

namespace ps {
namespace {

bool exec(sqlite3* db, const char* sql, std::string* error) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        *error = message ? message : sqlite3_errmsg(db);
        sqlite3_free(message);
        return false;
    }
    return true;
}

// Gives the new file the workspace schema, then copies every workspace table's rows from the open workspace,
// in one transaction so the copy is one consistent snapshot even while the window writes a label.
bool copyWorkspace(sqlite3* db, const std::string& workspacePath, std::string* error) {
    if (!migrateWorkspace(db, kWorkspaceSchemaVersion, error)) {
        return false;
    }
    if (workspacePath.empty()) {
        return true;
    }
    {
        SqliteStatement attach(db, "ATTACH DATABASE ?1 AS saved_from");
        attach.bind(1, workspacePath);
        if (!attach.run()) {
            *error = "cannot read the workspace " + workspacePath + ": " + sqlite3_errmsg(db);
            return false;
        }
    }
    bool ok = exec(db, "BEGIN", error);
    std::vector<std::string> tables;
    if (ok) {
        SqliteStatement list(db, "SELECT name FROM saved_from.sqlite_schema WHERE type = 'table' AND name NOT LIKE "
                                 "'sqlite_%' AND name IN (SELECT name FROM main.sqlite_schema WHERE type = 'table')");
        while (list.next()) {
            tables.push_back(list.text(0));
        }
    }
    for (const std::string& table : tables) {
        // Names come from the workspace's own schema, which this program created; quoted all the same.
        const std::string quoted = "\"" + table + "\"";
        const std::string copy = "INSERT INTO main." + quoted + " SELECT * FROM saved_from." + quoted;
        ok = ok && exec(db, copy.c_str(), error);
    }
    ok = ok && exec(db, "COMMIT", error);
    if (!ok) {
        std::string ignored;
        exec(db, "ROLLBACK", &ignored);
    }
    std::string ignored;
    exec(db, "DETACH DATABASE saved_from", &ignored);
    return ok;
}

}  // namespace

DatasetWriteResult saveWorkspaceFile(const DatasetPtr& data, const std::string& workspacePath,
                                     const std::string& target, DatasetImportOptions options) {
    options.prepareSqliteFile = [workspacePath](sqlite3* db, std::string* error) {
        return copyWorkspace(db, workspacePath, error);
    };
    return importDataset(data, "sqlite:" + target, options);
}

bool isWorkspaceFileWithData(const std::string& path) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return false;
    }
    bool yes = false;
    {
        SqliteStatement probe(db, "SELECT (SELECT application_id FROM pragma_application_id), (SELECT count(*) "
                                  "FROM sqlite_schema WHERE type = 'table' AND name = ?1)");
        probe.bind(1, std::string(db::kOwnSpansTable));
        yes = probe.isValid() && probe.next() && probe.integer(0) == kWorkspaceApplicationId && probe.integer(1) == 1;
    }
    sqlite3_close(db);
    return yes;
}

}  // namespace ps
