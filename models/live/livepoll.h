// One live-refresh poll, without widgets: for each database source of a snapshot, open it, read the rows past its
// high-water mark with the reader of its schema, assemble them into a delta and append the delta to the
// snapshot. Blocking: the window runs it on the thread pool and shows the new snapshot when it comes back.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "datasetappend.h"
#include "incrementalreader.h"
#include "pricingtable.h"

namespace ps::live {

// A database source being watched, and how far it has been read.
struct LiveSource {
    std::string source;        // as given to the load path; may carry a password, so never shown
    std::string displayName;   // the source without its password: the SourceInfo path of its rows
    std::string customSelect;  // read instead of the detected tables, as the load path did
    DatabaseSchema schema;     // as the load found it, else found on the first poll
    Watermark mark;
    bool marked = false;          // mark set (from the snapshot or by a read)
    std::string notRefreshable;   // why its new rows cannot be read; such a source is not polled

    [[nodiscard]] bool refreshable() const { return notRefreshable.empty(); }
};

// The database sources among a window's sources (file paths are left out), with the schema the load path found
// for each (and so whether it can be refreshed) when it was loaded in this process.
std::vector<LiveSource> liveSourcesOf(const std::vector<std::string>& sources, const std::string& customSelect = {});

struct PollResult {
    DatasetPtr dataset;       // the snapshot with the new rows; null when nothing was new or on failure
    AppendSummary appended;
    uint64_t rows = 0;        // rows read past the marks (every row of a source read for the first time)
    std::vector<LiveSource> sources;  // with the marks moved on
    std::string error;        // why a source could not be polled (the others may still have been read)
};

struct PollOptions {
    std::shared_ptr<const PricingTable> pricing;  // null: the bundled table
    std::string password;                          // for sources whose address carries none
    int connectTimeoutSeconds = 10;
    int64_t overlapNs = IncrementalReader::kDefaultOverlapNs;
};

// current may be null (nothing loaded yet): then the first poll reads every row, as the load path does.
PollResult pollSources(const DatasetPtr& current, std::vector<LiveSource> sources, const PollOptions& options);

}  // namespace ps::live
