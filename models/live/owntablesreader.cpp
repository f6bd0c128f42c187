#include "owntablesreader.h"

#include <algorithm>

#include "promptscopetables.h"

namespace ps::live {

Watermark OwnTablesReader::markAfter(const Dataset& loaded, SourceIndex source) const {
    Watermark mark;
    // The own-table reader keeps each span's ps_spans row number as its ColdRef offset.
    for (const ColdRef cold : loaded.spans.cold) {
        if (cold.source() == source) {
            mark.rowId = std::max(mark.rowId, static_cast<int64_t>(cold.offset()) + 1);
        }
    }
    return mark;
}

bool OwnTablesReader::readSince(db::Connection& connection, Watermark& mark, SourceIndex source,
                                DatasetBuilder& into, uint64_t* rows, std::string* error) {
    // The first request past the mark (its span rows are the first past it), then how far the requests go now.
    int64_t first = -1;
    if (!connection.query("SELECT request_row FROM ps_spans WHERE span_row >= $1 ORDER BY span_row LIMIT 1",
                          {mark.rowId},
                          [&](const db::Row& row) {
                              first = row.integer(0).value_or(-1);
                              return false;
                          },
                          error)) {
        return false;
    }
    *rows = 0;
    if (first < 0) {
        return true;
    }
    int64_t last = -1;
    int64_t nextSpan = mark.rowId;
    if (!connection.query("SELECT max(request_row), max(first_span_row + span_count) FROM ps_requests "
                          "WHERE request_row >= $1",
                          {first},
                          [&](const db::Row& row) {
                              last = row.integer(0).value_or(-1);
                              nextSpan = row.integer(1).value_or(nextSpan);
                              return false;
                          },
                          error)) {
        return false;
    }
    if (last < first) {
        return true;  // spans without their request yet
    }
    ReadRequest request;
    request.source = source;
    request.displayName = connection.displayName();
    const ReadOutcome outcome = readPromptScopeTables(connection, request, into, {first, last + 1});
    if (!outcome.error.empty()) {
        *error = outcome.error;
        return false;
    }
    mark.rowId = std::max(mark.rowId, nextSpan);
    *rows = outcome.records;
    return true;
}

}  // namespace ps::live
