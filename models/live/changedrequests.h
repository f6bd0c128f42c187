// What a reader's scan of the rows past a high-water mark found: which requests got rows not read before (to be
// read again whole) and where the mark goes next. The scan looks back by an overlap, so rows it has already
// read come again; their identities (Watermark::seen) tell them apart.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "incrementalreader.h"

namespace ps::live {

// The identity of a span row that a snapshot and a later read agree on: its request's trace id and the key bits
// its ColdRef keeps (FieldRowMapper).
std::string spanRowIdentity(std::string_view traceId, uint64_t keyBits);

// " WHERE column >= $1" for a scan of `from`, the mark minus the overlap bound in the column's own shape (learnt
// from a value once and kept in the mark under shapeKey); nothing while the rows hold no time yet (then every row
// is scanned). False with *error when the column cannot be sampled.
bool sinceCondition(db::Connection& connection, Watermark& mark, const std::string& shapeKey, std::string_view column,
                    std::string_view from, int64_t overlapNs, std::string* where, std::vector<db::Value>* params,
                    std::string* error);

class ChangedRequests {
public:
    ChangedRequests(const Watermark& mark, int64_t overlapNs)
        : mark_(mark), overlapNs_(overlapNs), newest_(mark.timeNs) {}

    // A row the scan returned: its identity (the same while the row is unchanged), its time, and its request's id
    // as the database stores it.
    void add(std::string identity, int64_t timeNs, std::string_view requestId);
    [[nodiscard]] const std::vector<std::string>& requestIds() const { return requestIds_; }
    [[nodiscard]] uint64_t newRows() const { return newRows_; }
    // Reads the requests that got rows not read before again, whole (readDatabaseTraces), then moves the mark:
    // the newest time seen; seen = the rows the scan returned within the overlap before it (the scan covered
    // that window whole, since it started an overlap before the old mark). *rows: the rows not read before.
    bool readAgainAndMoveMark(db::Connection& connection, const DatabaseSchema& schema, SourceIndex source,
                              DatasetBuilder& into, Watermark& mark, uint64_t* rows, std::string* error) const;

private:
    struct ScannedRow {
        std::string identity;
        int64_t timeNs;
    };
    const Watermark& mark_;
    int64_t overlapNs_;
    std::vector<ScannedRow> rows_;
    std::unordered_set<std::string> requests_;
    std::vector<std::string> requestIds_;
    uint64_t newRows_ = 0;
    int64_t newest_;
};

}  // namespace ps::live
