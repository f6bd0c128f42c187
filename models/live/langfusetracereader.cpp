#include "langfusetracereader.h"

#include <algorithm>
#include <array>

#include "changedrequests.h"
#include "fieldrow.h"

namespace ps::live {
namespace {

// A table scanned for changes: the column naming its trace, and its own time.
struct ScannedTable {
    std::string_view name;
    std::string_view traceColumn;
    std::string_view ownTime;
};
constexpr std::array kScanned = {ScannedTable{"traces", "id", "timestamp"},
                                 ScannedTable{"observations", "trace_id", "start_time"},
                                 ScannedTable{"scores", "trace_id", "timestamp"}};

}  // namespace

LangfuseTraceReader::LangfuseTraceReader(DatabaseSchema schema, int64_t overlapNs)
    : schema_(std::move(schema)), overlapNs_(overlapNs) {
    byUpdatedAt_ = std::all_of(kScanned.begin(), kScanned.end(), [&](const ScannedTable& t) {
        const DatabaseTable* table = schema_.table(t.name);
        return !table || table->has("updated_at");
    });
}

Watermark LangfuseTraceReader::markAfter(const Dataset& loaded, SourceIndex source) const {
    // A row written after the snapshot was read is updated after every time in it (clocks allowing); by their own
    // times, rows are compared with the newest start.
    Watermark mark;
    const SpanColumns& spans = loaded.spans;
    for (uint32_t s = 0; s < spans.size(); ++s) {
        if (spans.cold[s].source() == source) {
            const int64_t t = spans.startNs[s] + (byUpdatedAt_ ? spans.durationNs[s] : 0);
            mark.timeNs = std::max(mark.timeNs, t);
        }
    }
    return mark;
}

bool LangfuseTraceReader::readSince(db::Connection& connection, Watermark& mark, SourceIndex source,
                                    DatasetBuilder& into, uint64_t* rows, std::string* error) {
    ChangedRequests changed(mark, overlapNs_);
    for (const ScannedTable& t : kScanned) {
        const DatabaseTable* table = schema_.table(t.name);
        const std::string time(byUpdatedAt_ ? std::string_view("updated_at") : t.ownTime);
        if (!table || !table->has(time) || !table->has("id") || !table->has(t.traceColumn)) {
            continue;
        }
        const std::string from = db::quoteIdentifier(t.name);
        std::string where;
        std::vector<db::Value> params;
        if (!sinceCondition(connection, mark, std::string(t.name), db::quoteIdentifier(time), from, overlapNs_, &where,
                            &params, error)) {
            return false;
        }
        const std::string sql =
            "SELECT id, " + std::string(t.traceColumn) + ", " + db::quoteIdentifier(time) + " FROM " + from + where;
        const std::string prefix = std::string(t.name) + ':';
        const bool ok = connection.query(
            sql, params,
            [&](const db::Row& row) {
                int64_t ns = 0;
                if (!row.isNull(1) && readRowTime(row, 2, &ns)) {
                    // The time is part of the identity: a row updated since it was read is a change.
                    changed.add(prefix + std::string(row.text(0)) + '@' + std::string(row.text(2)), ns, row.text(1));
                }
                return true;
            },
            error);
        if (!ok) {
            return false;
        }
    }
    return changed.readAgainAndMoveMark(connection, schema_, source, into, mark, rows, error);
}

}  // namespace ps::live
