#include "fieldselectreader.h"

#include <algorithm>

#include "changedrequests.h"
#include "databasereader.h"  // fieldSelect, traceKeyField
#include "fieldrow.h"

namespace ps::live {

Watermark FieldSelectReader::markAfter(const Dataset& loaded, SourceIndex source) const {
    Watermark mark;
    const SpanColumns& spans = loaded.spans;
    const auto fromSource = [&](uint32_t s) { return spans.cold[s].source() == source; };
    for (uint32_t s = 0; s < spans.size(); ++s) {
        if (fromSource(s)) {
            mark.timeNs = std::max(mark.timeNs, spans.startNs[s]);
        }
    }
    if (mark.timeNs == Watermark::kNothingRead) {
        return mark;
    }
    for (size_t r = 0; r < loaded.requestCount(); ++r) {
        const RequestIndex request{static_cast<uint32_t>(r)};
        for (uint32_t s = loaded.requests.firstSpan[r]; s < loaded.spanEnd(request); ++s) {
            if (fromSource(s) && spans.startNs[s] >= mark.timeNs - overlapNs_) {
                mark.seen.insert(spanRowIdentity(loaded.str(loaded.requests.traceId[r]), spans.cold[s].offset()));
            }
        }
    }
    return mark;
}

std::string FieldSelectReader::scanColumns() const {
    if (schema_.kind == DatabaseSchemaKind::LiteLlmSpendLogs) {
        return "trace_id, start_time";
    }
    if (!schema_.columnsKnown()) {
        return "*";
    }
    std::string out;
    for (const Field f : {Field::TraceId, Field::SpanId, Field::StartTime}) {
        const auto& columns = schema_.tables.front().columns;
        if (std::any_of(columns.begin(), columns.end(), [&](const std::string& c) { return isField(c, f); })) {
            out += (out.empty() ? "" : ", ") + std::string(fieldName(f));
        }
    }
    return out;
}

bool FieldSelectReader::readSince(db::Connection& connection, Watermark& mark, SourceIndex source,
                                  DatasetBuilder& into, uint64_t* rows, std::string* error) {
    const std::string from = "(" + fieldSelect(schema_) + ") AS promptscope_rows";
    const std::string start(fieldName(Field::StartTime));
    std::string where;
    std::vector<db::Value> params;
    if (!sinceCondition(connection, mark, start, start, from, overlapNs_, &where, &params, error)) {
        return false;
    }
    const std::string sql = "SELECT " + scanColumns() + " FROM " + from + where;
    const Field keyField = traceKeyField(schema_) == fieldName(Field::SpanId) ? Field::SpanId : Field::TraceId;
    ChangedRequests changed(mark, overlapNs_);
    FieldRowMapper mapper;
    StringPool scratch;  // the rows' trace ids, canonical as the snapshot holds them
    int keyColumn = -1;
    const bool ok = connection.query(
        sql, params,
        [&](const db::Row& row) {
            if (!mapper.bound()) {
                mapper.bind(row);
                for (int c = 0; c < row.size() && keyColumn < 0; ++c) {
                    keyColumn = isField(row.columnName(c), keyField) ? c : -1;
                }
            }
            RawSpan span;
            std::string key;
            std::string problem;
            std::string warning;
            if (keyColumn >= 0 && mapper.read(row, source, scratch, &span, &key, &problem, &warning)) {
                changed.add(spanRowIdentity(scratch.view(span.traceId), span.cold.offset()), span.startNs,
                            row.text(keyColumn));
            }
            return true;
        },
        error);
    return ok && changed.readAgainAndMoveMark(connection, schema_, source, into, mark, rows, error);
}

}  // namespace ps::live
