// The row-fetching side of live refresh: a reader for one log-database schema reads only the rows past a
// high-water mark, so a poll costs what is new, not the whole table. Readers of every schema (LiteLLM, Langfuse,
// PromptScope's own, custom SELECTs) implement this one interface; live refresh assembles what they hand over
// into a delta Dataset and appends it to the snapshot on screen (appendToDataset).
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <unordered_set>

#include "datasetbuilder.h"
#include "dbconnection.h"
#include "logschema.h"

namespace ps::live {

// How far a source has been read. What "time" means is the schema's: LiteLLM "startTime", Langfuse observations
// updated_at (else start_time), PromptScope's own schema the span start; rowId is for schemas that number rows.
struct Watermark {
    static constexpr int64_t kNothingRead = std::numeric_limits<int64_t>::min();

    int64_t timeNs = kNothingRead;  // the newest row time read
    int64_t rowId = 0;              // the largest row number read, where the schema has one
    // Ids of the rows read whose time lies within the reader's overlap before timeNs. Rows are written when a
    // call ends, so a long call can land after shorter ones that started later: readers look back by an overlap
    // and skip what they have already read.
    std::unordered_set<std::string> seen;

    [[nodiscard]] bool nothingRead() const { return timeNs == kNothingRead && rowId == 0; }
};

class IncrementalReader {
public:
    virtual ~IncrementalReader() = default;
    [[nodiscard]] virtual LogSchema schema() const = 0;

    // The mark just after what a snapshot holds from `source`, for a source loaded in full by the normal load
    // path: the first poll then reads only newer rows. Requires the snapshot's trace ids to be the schema's
    // request or trace ids.
    [[nodiscard]] virtual Watermark markAfter(const Dataset& loaded, SourceIndex source) const = 0;

    // Reads the rows past `mark` (all rows when nothing was read) into `into`, as whole traces: a new row of a
    // trace read before brings that trace's other rows again. Moves the mark past what it read. Returns the
    // number of rows read; false with *error (a sentence for the user) when the query fails.
    virtual bool readSince(db::Connection& connection, Watermark& mark, SourceIndex source, DatasetBuilder& into,
                           uint64_t* rows, std::string* error) = 0;
};

// The reader for a schema; null when live refresh does not read that schema yet.
std::unique_ptr<IncrementalReader> makeIncrementalReader(LogSchema schema);

}  // namespace ps::live
