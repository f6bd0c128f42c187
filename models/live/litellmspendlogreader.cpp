#include "litellmspendlogreader.h"

#include <algorithm>
#include <array>
#include <ctime>

#include "timeparse.h"

namespace ps::live {
namespace {

// The columns read, in this order; older LiteLLM versions lack some of them, which then read as NULL.
enum Column { kRequestId, kStart, kEnd, kCompletionStart, kModel, kProvider, kUser, kEndUser, kSession, kTeam,
              kStatus, kPromptTokens, kCompletionTokens, kSpend, kCallType, kColumnCount };
constexpr std::array<std::string_view, kColumnCount> kColumns = {
    "request_id", "startTime", "endTime", "completionStartTime", "model", "custom_llm_provider", "user",
    "end_user", "session_id", "team_id", "status", "prompt_tokens", "completion_tokens", "spend", "call_type"};

// "YYYY-MM-DD HH:MM:SS.ffffff", the form LiteLLM's naive timestamps take, so that SQLite's text comparison and
// PostgreSQL's cast agree.
std::string naiveTimestamp(int64_t ns) {
    const int64_t seconds = ns >= 0 ? ns / 1000000000 : (ns - 999999999) / 1000000000;
    const auto micros = static_cast<long>((ns - seconds * 1000000000) / 1000);
    const auto t = static_cast<std::time_t>(seconds);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char text[96];  // room for any int the compiler cannot bound
    std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d.%06ld", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, micros);
    return text;
}

std::string selectStatement(db::Connection& connection, bool sinceMark, std::string* error) {
    const std::string table = db::quoteIdentifier(kLiteLlmSpendLogsTable);
    const std::vector<std::string> present = connection.columns(kLiteLlmSpendLogsTable, error);
    if (present.empty()) {
        return {};
    }
    error->clear();
    std::string sql = "SELECT ";
    for (size_t c = 0; c < kColumns.size(); ++c) {
        sql += c ? ", " : "";
        const bool has = std::find(present.begin(), present.end(), kColumns[c]) != present.end();
        sql += has ? db::quoteIdentifier(kColumns[c]) : "NULL AS " + db::quoteIdentifier(kColumns[c]);
    }
    sql += " FROM " + table;
    if (sinceMark) {
        sql += connection.dialect() == db::Dialect::Postgres ? R"( WHERE "startTime" >= CAST($1 AS timestamp))"
                                                             : R"( WHERE "startTime" >= $1)";
    }
    sql += R"( ORDER BY "startTime", request_id)";
    return sql;
}

int64_t count(const db::Row& row, int column) {
    const auto v = row.integer(column);
    if (v) {
        return *v;
    }
    const auto r = row.real(column);
    return r ? static_cast<int64_t>(*r) : -1;
}

}  // namespace

Watermark LiteLlmSpendLogReader::markAfter(const Dataset& loaded, SourceIndex source) const {
    Watermark mark;
    const RequestColumns& rq = loaded.requests;
    auto fromSource = [&](size_t r) { return loaded.spans.cold[rq.firstSpan[r]].source() == source; };
    for (size_t r = 0; r < loaded.requestCount(); ++r) {
        if (fromSource(r)) {
            mark.timeNs = std::max(mark.timeNs, rq.startNs[r]);
        }
    }
    if (mark.timeNs == Watermark::kNothingRead) {
        return mark;
    }
    // Requests are ordered by start: the ones within the overlap are at the end.
    for (size_t r = loaded.requestCount(); r-- > 0 && rq.startNs[r] >= mark.timeNs - overlapNs_;) {
        if (fromSource(r)) {
            mark.seen.emplace(loaded.str(rq.traceId[r]));
        }
    }
    return mark;
}

bool LiteLlmSpendLogReader::readSince(db::Connection& connection, Watermark& mark, SourceIndex source,
                                      DatasetBuilder& into, uint64_t* rows, std::string* error) {
    const bool sinceMark = mark.timeNs != Watermark::kNothingRead;
    const std::string sql = selectStatement(connection, sinceMark, error);
    if (sql.empty()) {
        return false;
    }
    std::vector<db::Value> params;
    if (sinceMark) {
        params.emplace_back(naiveTimestamp(mark.timeNs - overlapNs_));
    }
    RecordBatch batch;
    StringPool& s = batch.strings;
    const std::string displayName = connection.displayName();
    const StringId service = s.intern("litellm");
    struct SeenRow {
        std::string id;
        int64_t startNs;
    };
    std::vector<SeenRow> returned;
    int64_t newest = mark.timeNs;
    uint64_t read = 0;
    uint64_t rowNumber = 0;
    const bool ok = connection.query(sql, params, [&](const db::Row& row) {
        ++rowNumber;
        const std::string_view id = row.text(kRequestId);
        int64_t start = 0;
        const bool timed = parseTimestamp(row.text(kStart), &start);
        returned.push_back({std::string(id), timed ? start : Watermark::kNothingRead});
        if (mark.seen.count(returned.back().id) != 0) {
            return true;
        }
        ++read;
        if (id.empty()) {
            batch.addIssue(displayName, rowNumber, "row without a request_id");
            return true;
        }
        int64_t end = 0;
        if (!timed || !parseTimestamp(row.text(kEnd), &end)) {
            batch.addIssue(displayName, rowNumber, "request " + std::string(id) + ": no readable startTime / endTime");
            return true;
        }
        newest = std::max(newest, start);
        RawSpan span;
        span.traceId = s.intern(id);
        span.spanId = 1;
        span.startNs = start;
        span.endNs = std::max(start, end);
        const std::string_view callType = row.text(kCallType);
        span.name = s.intern(callType.empty() ? std::string_view("completion") : callType);
        span.service = service;
        span.kind = SpanKind::Llm;
        span.status = row.text(kStatus) == "failure" ? SpanStatus::Error : SpanStatus::Ok;
        span.model = s.intern(row.text(kModel));
        span.provider = s.intern(row.text(kProvider));
        span.inputTokens = count(row, kPromptTokens);
        span.outputTokens = count(row, kCompletionTokens);
        if (const auto spend = row.real(kSpend)) {
            span.costUsd = *spend;
        }
        int64_t firstToken = 0;
        if (parseTimestamp(row.text(kCompletionStart), &firstToken) && firstToken >= start) {
            span.ttftNs = firstToken - start;
        }
        span.user = s.intern(row.text(kUser).empty() ? row.text(kEndUser) : row.text(kUser));
        span.session = s.intern(row.text(kSession));
        span.tenant = s.intern(row.text(kTeam));
        span.cold = ColdRef::make(source, 0);
        batch.spans.push_back(span);
        return true;
    }, error);
    if (!ok) {
        return false;
    }
    // What the next poll skips: every row it will see again, those within the overlap before the new mark.
    std::unordered_set<std::string> seen;
    const int64_t keepFrom = newest == Watermark::kNothingRead ? newest : newest - overlapNs_;
    for (SeenRow& r : returned) {
        if (r.startNs == Watermark::kNothingRead || r.startNs >= keepFrom) {
            seen.insert(std::move(r.id));
        }
    }
    mark.seen = std::move(seen);
    mark.timeNs = newest;
    into.addBatch(std::move(batch));
    if (rows) {
        *rows = read;
    }
    return true;
}

}  // namespace ps::live
