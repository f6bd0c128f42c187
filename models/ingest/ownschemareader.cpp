// PromptScope's own tables, read by the import side's reader (promptscopetables.h). Span details come from
// ps_span_records through ColdDataReader, which recognises these sources before any per-schema row lookup.
#include "ownschemareader.h"

#include "promptscopetables.h"

namespace ps {

ReadOutcome readOwnSchema(db::Connection& connection, const DatabaseSchema&, const DatabaseReadRequest& request,
                          DatasetBuilder& builder) {
    ReadRequest read;
    read.source = request.source;
    read.displayName = request.displayName;
    read.cancel = request.cancel;
    read.bytesDone = request.rowsDone;  // counts span rows, against countOwnSchemaRows
    return readPromptScopeTables(connection, read, builder);
}

uint64_t countOwnSchemaRows(db::Connection& connection, const DatabaseSchema&) {
    uint64_t n = 0;
    std::string error;
    connection.query("SELECT count(*) FROM ps_spans", {}, [&](const db::Row& row) {
        n = static_cast<uint64_t>(row.integer(0).value_or(0));
        return false;
    }, &error);
    return n;
}

SpanDetails readOwnSchemaSpan(db::Connection&, const DatabaseSchema&, const std::string&, uint64_t) {
    SpanDetails details;
    details.error = "the span's record is read from ps_span_records by its row, not by trace id";
    return details;
}

}  // namespace ps
