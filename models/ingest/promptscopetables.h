// Reads PromptScope's own tables (models/db/ownschema.h, written by `promptscope import` and by saving a
// workspace) back into RecordBatches, so the DatasetBuilder rebuilds exactly the Dataset that was saved: the
// same requests in the same order, the same figures (costs are kept as saved, never priced again), the same
// evals, signals, prompt versions, deployments, tenants and parse issues. Each span's ColdRef points at its
// row in ps_span_records, where the span details are read from on demand (readStoredSpanRecord).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dbconnection.h"
#include "sourcereader.h"

namespace ps {

// The format of a stored span record, as ps_span_records.format names it.
enum class RecordFormat : uint8_t { OtlpJson, RequestLog };
std::string_view recordFormatName(RecordFormat format);  // "otlp_json", "request_log"
bool parseRecordFormat(std::string_view text, RecordFormat* out);

// Which ps_requests rows to read: [first, end). The whole dataset by default; live refresh reads the requests
// appended since its last read, with their spans, evals and the signals tied to them (signals tied only to a
// session, and parse issues, come with a whole read). Prompt versions, deployments and tenants are read whole
// either way: they are few, and appending them again keeps the last of each.
struct OwnRequestRange {
    int64_t first = 0;
    int64_t end = INT64_MAX;
    [[nodiscard]] bool whole() const { return first == 0 && end == INT64_MAX; }
};

// Reads the own tables of `connection` into the builder. request.source must be the database's SourceIndex
// (its SourceInfo has format Database and the connection's target as path); request.bytesDone, when set,
// counts span rows read (for progress over ps_spans' count). Fails (outcome.error) on a database without the
// own tables or written by a newer PromptScope.
ReadOutcome readPromptScopeTables(db::Connection& connection, const ReadRequest& request, DatasetBuilder& builder,
                                  const OwnRequestRange& range = {});

// True when the database holds PromptScope's own tables (it has ps_spans and ps_schema).
bool hasPromptScopeTables(db::Connection& connection);

struct StoredSpanRecord {
    RecordFormat format = RecordFormat::OtlpJson;
    std::string record;  // the span's JSON object as it was in its source file
    bool hasEnvelope = false;
    std::string resourceJson;  // OTLP: the resource and scope objects the span was exported under
    std::string scopeJson;
};

// The stored record of the span at ps_spans.span_row = spanRow. False with *error when there is none.
bool readStoredSpanRecord(db::Connection& connection, uint64_t spanRow, StoredSpanRecord* out, std::string* error);

}  // namespace ps
