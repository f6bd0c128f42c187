// Loads sources (files and folders) into one Dataset: expands folders, recognises each file's format,
// runs the matching reader on worker threads, reports progress over all bytes, and can be cancelled.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "dataset.h"
#include "pricingtable.h"
#include "rowsubset.h"

namespace ps {

struct LoadOptions {
    unsigned threads = 0;                        // 0 = one per core
    std::shared_ptr<const PricingTable> pricing;  // null = the bundled table
    ProgressFn progress;                          // fraction of all bytes read, then of assembly; false cancels
    std::atomic<bool>* cancel = nullptr;          // optional external cancel flag
    size_t windowBytes = 0;                       // read buffer per worker; 0 = default (tests use tiny ones)
    // Log databases among the sources (sqlite:PATH, .sqlite/.db/.promptscope files, postgresql:// URIs):
    std::string databasePassword;  // for targets that carry none (libpq also reads PGPASSWORD and ~/.pgpass)
    std::string customSelect;      // read this SELECT (columns named after PromptScope's fields) instead of
                                   // detecting the tables
    uint64_t databaseSplitRows = 200000;  // a table this large is read in ranges on `threads` connections
    // Read only these rows of each database source (a drill-down in aggregation mode); null: every row.
    std::shared_ptr<const db::RowSubset> databaseRows;
};

struct LoadResult {
    DatasetPtr dataset;     // null when cancelled or when no source could be read
    std::string error;      // why nothing could be loaded; issues about individual records are in the dataset
    bool cancelled = false;
};

// Files are read in the order given; a folder contributes its regular files (recursively, sorted by name).
// Database sources are read through a read-only connection; their SourceInfo shows the target without password.
LoadResult loadSources(const std::vector<std::string>& paths, const LoadOptions& options = {});

// Which reader a file's first bytes call for. Exposed for tests and for the open dialog's preview.
SourceFormat detectFormat(std::string_view head);
std::string_view formatName(SourceFormat format);

}  // namespace ps
