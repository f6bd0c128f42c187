// The row-fetching side of live refresh: a reader for one log-database schema reads only the rows past a
// high-water mark, so a poll costs what is new, not the whole table. Readers of every schema (LiteLLM, Langfuse,
// PromptScope's own, custom SELECTs) implement this one interface; live refresh assembles what they hand over
// into a delta Dataset and appends it to the snapshot on screen (appendToDataset), where a request the delta
// brings again replaces the old one whole. The first read of a source is the load path's (readDatabase); readers
// only read what came after it.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <unordered_set>

#include "databaseschema.h"
#include "datasetbuilder.h"
#include "dbconnection.h"
#include "timeshape.h"

namespace ps::live {

// How far a source has been read. What "time" means is the schema's: the start_time of LiteLLM rows and of a
// custom SELECT's rows, Langfuse rows' updated_at (else their own time); rowId is PromptScope's own span rows.
struct Watermark {
    static constexpr int64_t kNothingRead = std::numeric_limits<int64_t>::min();

    int64_t timeNs = kNothingRead;  // the newest row time read
    int64_t rowId = 0;              // the next row number to read, where the schema numbers rows
    // Identities of the rows read whose time lies within the reader's overlap before timeNs. Rows are written
    // when a call ends (and batched), so a long call can land after shorter ones that started later: readers
    // look back by an overlap and skip the rows they have already read.
    std::unordered_set<std::string> seen;
    // How each time column compares (by table name), learnt once from a value of it.
    std::map<std::string, TimeShape, std::less<>> shapes;

    [[nodiscard]] bool nothingRead() const { return timeNs == kNothingRead && rowId == 0; }
};

class IncrementalReader {
public:
    static constexpr int64_t kDefaultOverlapNs = 10LL * 60 * 1000000000;  // ten minutes

    virtual ~IncrementalReader() = default;

    // The mark just after what a snapshot holds from `source`, read in full by the load path: the next read then
    // brings only newer rows. Nothing read when the snapshot has no row of the source.
    [[nodiscard]] virtual Watermark markAfter(const Dataset& loaded, SourceIndex source) const = 0;

    // Reads the requests that have rows past `mark` into `into`, whole (a new row of a request read before brings
    // its other rows again), and moves the mark past what it found. *rows: the rows past the mark not read
    // before. False with *error (a sentence for the user) when a query fails. Requires a mark (not nothingRead).
    virtual bool readSince(db::Connection& connection, Watermark& mark, SourceIndex source, DatasetBuilder& into,
                           uint64_t* rows, std::string* error) = 0;
};

// The reader for a schema as detectSchema found it; null with *whyNot (a sentence for the user) when its new rows
// cannot be told from the old ones.
std::unique_ptr<IncrementalReader> makeIncrementalReader(const DatabaseSchema& schema, std::string* whyNot,
                                                         int64_t overlapNs = IncrementalReader::kDefaultOverlapNs);

}  // namespace ps::live
