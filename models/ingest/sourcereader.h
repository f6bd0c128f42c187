// The contract every format reader follows: read one mapped file into RecordBatches handed to the builder,
// keep every valid record, report every bad one as a ParseIssue with its line, honour progress and cancel.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "datasetbuilder.h"
#include "mappedfile.h"

namespace ps {

struct ReadRequest {
    SourceIndex source;         // index returned by DatasetBuilder::addSource, used in ColdRefs
    std::string displayName;    // how issues name the file
    unsigned threads = 1;
    std::atomic<bool>* cancel = nullptr;   // set to stop; readers poll it between records
    std::atomic<uint64_t>* bytesDone = nullptr;  // readers add the bytes they have consumed
    size_t windowBytes = 0;  // JSON Lines read buffer per worker; 0 = the default (8 MB)
};

struct ReadOutcome {
    uint64_t records = 0;  // spans, or records for non-span formats
    bool cancelled = false;
    std::string error;  // non-empty when nothing in the file could be used
};

}  // namespace ps
