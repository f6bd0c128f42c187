// Assembles readers' RecordBatches into an immutable Dataset: merges string pools, groups spans into traces,
// resolves parents (missing parents become roots, cycles are cut), orders each trace depth-first, inherits
// prompt/feature/user/session context down the tree, derives generations and per-request totals, prices model
// calls that carry no cost, and joins evals and user signals by trace or request id.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "dataset.h"
#include "pricingtable.h"
#include "rawrecords.h"

namespace ps {

class DatasetBuilder {
public:
    static constexpr size_t kMaxStoredIssues = 10000;

    explicit DatasetBuilder(std::shared_ptr<const PricingTable> pricing = nullptr);
    ~DatasetBuilder();
    DatasetBuilder(const DatasetBuilder&) = delete;
    DatasetBuilder& operator=(const DatasetBuilder&) = delete;

    SourceIndex addSource(SourceInfo info);
    // Thread-safe. Re-interns the batch's strings into the dataset's pool; the batch's own pool is dropped.
    void addBatch(RecordBatch&& batch);
    void addIssue(ParseIssue issue);

    [[nodiscard]] size_t rawSpanCount() const;

    // Consumes the builder's records. Progress covers assembly only; readers report their own. Traces are
    // ordered and written on `threads` threads (the calling one included), with the same result for any count.
    DatasetPtr build(const ProgressFn& progress = {}, unsigned threads = 1);

private:
    struct Batch;
    void storeIssue(ParseIssue&& issue);

    std::shared_ptr<const PricingTable> pricing_;
    mutable std::mutex mutex_;
    std::unique_ptr<Dataset> data_;
    std::vector<std::unique_ptr<Batch>> batches_;
};

}  // namespace ps
