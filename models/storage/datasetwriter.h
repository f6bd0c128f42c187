// Writes a Dataset into PromptScope's own tables (models/db/ownschema.h) through a TableSink: requests,
// spans with their model-call and failure columns, every span's source record and envelope, evals, user
// signals, prompt versions, deployments, tenants, parse issues and the sources it was loaded from. The tables
// must exist and be empty; transactions, files and dialects are the caller's (DatasetImport).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "dataset.h"
#include "tablesink.h"

namespace ps {

struct DatasetWriteOptions {
    ProgressFn progress;                  // fraction of rows written; false cancels
    std::atomic<bool>* cancel = nullptr;  // optional external cancel flag
    bool withRecords = true;              // the span records (cold data) too
    std::string writtenBy;                // ps_schema.written_by, e.g. "promptscope 0.9 import"
};

struct DatasetWriteResult {
    bool cancelled = false;
    std::string error;
    uint64_t spans = 0;
    uint64_t records = 0;
    uint64_t recordBytes = 0;
    [[nodiscard]] bool ok() const { return !cancelled && error.empty(); }
};

DatasetWriteResult writeDataset(const DatasetPtr& data, TableSink& sink, const DatasetWriteOptions& options);

// What to do with each sink once its tables are written, on the thread that wrote them, while the other thread
// may still be writing (commits, indexes). False with *error fails the write.
struct SplitWriteFinish {
    std::function<bool(std::string*)> tables;
    std::function<bool(std::string*)> records;
};

// The same, with the span records (ps_span_records and ps_envelopes, most of the bytes) written into `records`
// by a thread of its own while every other table goes into `tables` on the calling thread: two SQLite files or
// two database connections filled at once. options.progress is called on the calling thread only.
DatasetWriteResult writeDatasetSplit(const DatasetPtr& data, TableSink& tables, TableSink& records,
                                     const DatasetWriteOptions& options, const SplitWriteFinish& finish = {});

// The tables writeDatasetSplit writes into its `records` sink.
inline constexpr std::string_view kSpanRecordTables[] = {"ps_span_records", "ps_envelopes"};

}  // namespace ps
