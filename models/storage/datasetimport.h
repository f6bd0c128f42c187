// Saves a Dataset into PromptScope's own tables in a SQLite file or a PostgreSQL database, all or nothing.
//
// SQLite: the file is written as PATH.partial (journal off and synchronous off while it is private: a crash
// leaves only the .partial, which the next import removes) and renamed onto PATH at the end, so PATH is
// either untouched or complete. With the span records, the other tables are written at the same time into
// PATH.partial-tables and moved into PATH.partial before the rename. PostgreSQL: one transaction around the DDL (transactional there) and COPY, so
// a cancel or an error rolls everything back. Existing data is refused unless `replace` is set: a SQLite
// PATH that exists at all, or own tables already in the PostgreSQL schema.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "dataset.h"
#include "datasetwriter.h"

struct sqlite3;

namespace ps {

struct DatasetImportOptions {
    bool replace = false;
    bool withRecords = true;
    ProgressFn progress;
    std::atomic<bool>* cancel = nullptr;
    std::string writtenBy;
    // SQLite only: called on the new file before the own tables are created (saving a workspace copies its
    // annotation tables in first). False with *error stops the import.
    std::function<bool(sqlite3*, std::string*)> prepareSqliteFile;

    [[nodiscard]] DatasetWriteOptions writeOptions() const;
};

// target: a SQLite path (or "sqlite:PATH") or a postgresql:// URI, as db::parseTarget reads them; a path
// that does not exist yet is a new SQLite file.
DatasetWriteResult importDataset(const DatasetPtr& data, const std::string& target,
                                 const DatasetImportOptions& options);

// What importDataset would refuse before writing anything (existing data without replace, a server that does
// not answer), checked before the sources are read so a mistake costs no loading. Empty when fine.
std::string importTargetProblem(const std::string& target, bool replace);

}  // namespace ps
