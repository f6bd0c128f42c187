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
    std::string source;       // as given to the load path; may carry a password, so never shown
    std::string displayName;  // the source without its password: the SourceInfo path of its rows
    LogSchema schema = LogSchema::Unknown;  // found on the first poll
    Watermark mark;
    bool marked = false;      // mark set (from the snapshot or by a read)
};

// The database sources among a window's sources (file paths are left out), matched to the snapshot's sources.
std::vector<LiveSource> liveSourcesOf(const std::vector<std::string>& sources);

struct PollResult {
    DatasetPtr dataset;       // the snapshot with the new rows; null when nothing was new or on failure
    AppendSummary appended;
    uint64_t rows = 0;        // rows read past the marks
    std::vector<LiveSource> sources;  // with the marks moved on
    std::string error;        // why a source could not be polled (the others may still have been read)
};

struct PollOptions {
    std::shared_ptr<const PricingTable> pricing;  // null: the bundled table
    std::string password;                          // for sources whose address carries none
    int connectTimeoutSeconds = 10;
};

// current may be null (nothing loaded yet): then the first poll reads every row.
PollResult pollSources(const DatasetPtr& current, std::vector<LiveSource> sources, const PollOptions& options);

}  // namespace ps::live
