#include "datasetimport.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iterator>

#include "dbconnection.h"
#include "ownschema.h"
#include "pgconnection.h"
#include "postgresimport.h"
#include "sqliteconnection.h"
#include "sqlitepagesplicer.h"
#include "sqlitetablesink.h"

namespace ps {
namespace {

namespace fs = std::filesystem;

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
    result = writeDataset(data, sink, options.writeOptions());
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
        SplitWriteFinish finish;
        finish.tables = [&](std::string* error) {
            if (tableSink.finish(error) && tables->execute(db::ownSchemaIndexDdl(), {}, error)) {
                return true;
            }
            *error = tablesPartial + ": " + *error;
            return false;
        };
        finish.records = [&](std::string* error) {
            if (recordSink.finish(error)) {
                return true;
            }
            *error = partial + ": " + *error;
            return false;
        };
        result = writeDatasetSplit(data, tableSink, recordSink, options.writeOptions(), finish);
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

// PATH.partial, created empty (or emptied: left by an import that was killed) and locked (flock) until the
// import has renamed it or given up, so that a second import into the same PATH is refused instead of removing
// this one's files under it and renaming its own half-written one into place.
class PartialFileLock {
public:
    explicit PartialFileLock(const std::string& partial, std::string* error) {
        // Opened, locked, and checked to be still the file at that name: an import that renamed it into place
        // a moment ago may hold a lock on it no longer, but it is PATH now, not to be emptied.
        for (int attempt = 0; attempt < 3 && fd_ < 0; ++attempt) {
            const int fd = ::open(partial.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
            if (fd < 0) {
                *error = "cannot create " + partial + ": " + std::strerror(errno);
                return;
            }
            if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
                ::close(fd);
                *error = "another import is writing " + partial + "; try again when it has finished";
                return;
            }
            struct stat opened {};
            struct stat named {};
            if (::fstat(fd, &opened) == 0 && ::stat(partial.c_str(), &named) == 0 && opened.st_dev == named.st_dev &&
                opened.st_ino == named.st_ino && ::ftruncate(fd, 0) == 0) {
                fd_ = fd;
            } else {
                ::close(fd);
            }
        }
        if (fd_ < 0 && error->empty()) {
            *error = "cannot lock " + partial;
        }
    }
    ~PartialFileLock() {
        if (fd_ >= 0) {
            ::close(fd_);  // releases the lock
        }
    }
    PartialFileLock(const PartialFileLock&) = delete;
    PartialFileLock& operator=(const PartialFileLock&) = delete;
    [[nodiscard]] bool locked() const { return fd_ >= 0; }

private:
    int fd_ = -1;
};

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
    const PartialFileLock lock(partial, &result.error);
    if (!lock.locked()) {
        return result;
    }
    fs::remove(tablesPartial, ec);  // left by an import that was killed
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

}  // namespace

DatasetWriteOptions DatasetImportOptions::writeOptions() const {
    DatasetWriteOptions w;
    w.progress = progress;
    w.cancel = cancel;
    w.withRecords = withRecords;
    w.writtenBy = writtenBy;
    return w;
}

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
    const bool exists = hasOwnPostgresTables(*connection, &error);
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
