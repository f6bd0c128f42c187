// Live refresh of the schemas read through one field-named SELECT (fieldSelect): LiteLLM's "LiteLLM_SpendLogs",
// where a row is a request and its one model call, and a custom SELECT, where a row is a span (or a request when
// it returns no span_id). The SELECT is wrapped as a subquery filtered on start_time at or after the mark minus
// an overlap, the mark bound as a parameter in the column's own shape (TimeShape). Rows already read are
// skipped by their identity; the requests of the others are read again whole (readDatabaseTraces), so a trace
// whose spans arrive over several polls replaces its older self each time.
//
// The overlap (ten minutes by default) is how late a row may be written after rows that started later: LiteLLM
// writes a row when its call ends and batches its writes, and a custom table's spans may arrive in any order.
#pragma once

#include "incrementalreader.h"

namespace ps::live {

class FieldSelectReader final : public IncrementalReader {
public:
    FieldSelectReader(DatabaseSchema schema, int64_t overlapNs) : schema_(std::move(schema)), overlapNs_(overlapNs) {}

    [[nodiscard]] Watermark markAfter(const Dataset& loaded, SourceIndex source) const override;
    bool readSince(db::Connection& connection, Watermark& mark, SourceIndex source, DatasetBuilder& into,
                   uint64_t* rows, std::string* error) override;

private:
    // The scan's columns: only those that identify and time a row, when they are known.
    [[nodiscard]] std::string scanColumns() const;

    DatabaseSchema schema_;
    int64_t overlapNs_;
};

}  // namespace ps::live
