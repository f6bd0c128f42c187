#include "changedrequests.h"

#include <algorithm>

#include "databasereader.h"

namespace ps::live {

std::string spanRowIdentity(std::string_view traceId, uint64_t keyBits) {
    return std::string(traceId) + '/' + std::to_string(keyBits);
}

void ChangedRequests::add(std::string identity, int64_t timeNs, std::string_view requestId) {
    newest_ = std::max(newest_, timeNs);
    if (mark_.seen.count(identity) == 0) {
        ++newRows_;
        if (requests_.emplace(requestId).second) {
            requestIds_.emplace_back(requestId);
        }
    }
    rows_.push_back({std::move(identity), timeNs});
}

bool sinceCondition(db::Connection& connection, Watermark& mark, const std::string& shapeKey, std::string_view column,
                    std::string_view from, int64_t overlapNs, std::string* where, std::vector<db::Value>* params,
                    std::string* error) {
    TimeShape& shape = mark.shapes[shapeKey];
    if (!shape.known() && !sampleTimeShape(connection, column, from, &shape, error)) {
        return false;
    }
    where->clear();
    params->clear();
    if (shape.known()) {
        *where = " WHERE " + std::string(column) + " >= $1";
        params->push_back(shape.bound(mark.timeNs - overlapNs));
    }
    return true;
}

bool ChangedRequests::readAgainAndMoveMark(db::Connection& connection, const DatabaseSchema& schema,
                                           SourceIndex source, DatasetBuilder& into, Watermark& mark, uint64_t* rows,
                                           std::string* error) const {
    if (!requestIds_.empty()) {
        const DatabaseReadRequest request{source, connection.displayName()};
        const ReadOutcome outcome = readDatabaseTraces(connection, schema, request, into, requestIds_);
        if (!outcome.error.empty()) {
            *error = outcome.error;
            return false;
        }
    }
    *rows = newRows_;
    if (rows_.empty()) {
        mark.seen.clear();  // nothing lies in the window any more (rows were deleted)
        return true;
    }
    std::unordered_set<std::string> seen;
    const int64_t keepFrom = newest_ - overlapNs_;
    for (const ScannedRow& r : rows_) {
        if (r.timeNs >= keepFrom) {
            seen.insert(r.identity);
        }
    }
    mark.seen = std::move(seen);
    mark.timeNs = newest_;
    return true;
}

}  // namespace ps::live
