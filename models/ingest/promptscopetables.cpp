#include "promptscopetables.h"

#include <algorithm>
#include <array>

#include "ownschema.h"

namespace ps {
namespace {

constexpr size_t kSpansPerBatch = 1u << 20;
constexpr uint64_t kCancelPoll = 1u << 14;

// An enum from the name its ...Name() function gives; `fallback` for NULL or an unknown name.
template <typename Enum, typename NameFn>
Enum parseName(std::string_view text, int count, NameFn name, Enum fallback) {
    for (int i = 0; i < count; ++i) {
        const auto e = static_cast<Enum>(i);
        if (name(e) == text) {
            return e;
        }
    }
    return fallback;
}

// The HTTP status that makes the builder classify a failure as it was classified when saved: the type and
// message are kept, the status is not (only its effect is), and 429 or 500 decide the two classes it affects.
uint16_t httpStatusFor(ErrorClass c) {
    switch (c) {
        case ErrorClass::RateLimited: return 429;
        case ErrorClass::ProviderError: return 500;
        default: return 0;
    }
}

// Texts of a request are ids in the reader's own pool (requestStrings_): span batches come and go with theirs.
struct RequestRow {
    StringId traceId;
    uint32_t firstSpan = 0;
    uint32_t spanCount = 0;
    std::array<StringId, 5> dims{};  // feature, user, session, tenant, environment
    StringId promptName;
    StringId promptVersion;
    StringId model;
    StringId provider;
};

class TableReader {
public:
    TableReader(db::Connection& connection, const ReadRequest& request, DatasetBuilder& builder,
                const OwnRequestRange& range)
        : db_(connection), request_(request), builder_(builder), range_(range) {}

    ReadOutcome run();

private:
    StringId str(const db::Row& row, int column) {
        return row.isNull(column) ? StringId{} : batch_.strings.intern(row.text(column));
    }
    StringId requestStr(const db::Row& row, int column) {
        return row.isNull(column) ? StringId{} : requestStrings_.intern(row.text(column));
    }
    // A request's text (its trace id, a dimension) in the current batch's pool.
    StringId inBatch(StringId requestText) { return batch_.strings.intern(requestStrings_.view(requestText)); }
    static int64_t integer(const db::Row& row, int column, int64_t fallback = 0) {
        return row.integer(column).value_or(fallback);
    }
    static double real(const db::Row& row, int column) { return row.real(column).value_or(kNaN); }
    bool keepGoing() {
        if (++polled_ % kCancelPoll == 0 && request_.cancel != nullptr && request_.cancel->load()) {
            outcome_.cancelled = true;
        }
        return !outcome_.cancelled;
    }
    bool query(std::string_view sql, const db::RowFn& onRow, const std::vector<db::Value>& params = {});
    // The request a row's request_row names, or SIZE_MAX when it is outside the range read.
    [[nodiscard]] size_t requestAt(const db::Row& row, int column) const {
        const int64_t r = integer(row, column, -1) - range_.first;
        return r >= 0 && static_cast<uint64_t>(r) < requests_.size() ? static_cast<size_t>(r) : SIZE_MAX;
    }
    [[nodiscard]] std::vector<db::Value> rangeParams() const { return {range_.first, range_.end}; }
    bool readSchema();
    bool readRequests();
    bool readSpans();
    void finishRequest(size_t request, size_t firstRaw);
    bool readEvals();
    bool readSignals();
    bool readRecords();
    void flush();

    db::Connection& db_;
    const ReadRequest& request_;
    DatasetBuilder& builder_;
    OwnRequestRange range_;
    ReadOutcome outcome_;
    RecordBatch batch_;
    StringPool requestStrings_;
    std::vector<RequestRow> requests_;
    uint64_t issueCount_ = 0;
    uint64_t polled_ = 0;
};

bool TableReader::query(std::string_view sql, const db::RowFn& onRow, const std::vector<db::Value>& params) {
    std::string error;
    if (!db_.query(sql, params, onRow, &error) && !outcome_.cancelled) {
        outcome_.error = db_.displayName() + ": " + error;
        return false;
    }
    return !outcome_.cancelled;
}

bool TableReader::readSchema() {
    int64_t version = -1;
    if (!query("SELECT version, issue_count FROM ps_schema", [&](const db::Row& row) {
            version = integer(row, 0, -1);
            issueCount_ = static_cast<uint64_t>(integer(row, 1));
            return false;
        })) {
        return false;
    }
    if (version < 1 || version > db::kOwnSchemaVersion) {
        outcome_.error = db_.displayName() + ": PromptScope tables of schema version " + std::to_string(version) +
                         "; this PromptScope reads version " + std::to_string(db::kOwnSchemaVersion);
        return false;
    }
    return true;
}

bool TableReader::readRequests() {
    return query("SELECT trace_id, first_span_row, span_count, feature, user_id, session_id, tenant, environment, "
                 "prompt_name, prompt_version, model, provider FROM ps_requests WHERE request_row >= $1 AND "
                 "request_row < $2 ORDER BY request_row",
                 [&](const db::Row& row) {
                     RequestRow r;
                     r.traceId = requestStrings_.intern(row.text(0));
                     r.firstSpan = static_cast<uint32_t>(integer(row, 1));
                     r.spanCount = static_cast<uint32_t>(integer(row, 2));
                     requests_.push_back(r);
                     RequestRow& q = requests_.back();
                     for (int d = 0; d < 5; ++d) {
                         q.dims[static_cast<size_t>(d)] = requestStr(row, 3 + d);
                     }
                     q.promptName = requestStr(row, 8);
                     q.promptVersion = requestStr(row, 9);
                     q.model = requestStr(row, 10);
                     q.provider = requestStr(row, 11);
                     return keepGoing();
                 },
                 rangeParams());
}

// The builder derives a request's dimensions from the first span in depth-first order that carries each one,
// and a model call's prompt from the nearest ancestor that does. Only the results were saved, so the spans get
// back values that lead to the same results: the root carries the request's dimensions, model calls their own
// (inherited) prompt, and where the request's prompt, model or provider came from a span that is not a model
// call, a stand-in for it carries the value without passing it to any model call that had none.
void TableReader::finishRequest(size_t request, size_t firstRaw) {
    const RequestRow& r = requests_[request];
    auto* spans = batch_.spans.data() + firstRaw;
    const size_t k = batch_.spans.size() - firstRaw;
    if (k == 0) {
        return;
    }
    const StringId traceId = inBatch(r.traceId);
    for (size_t j = 0; j < k; ++j) {
        spans[j].traceId = traceId;
    }
    RawSpan& root = spans[0];
    root.feature = inBatch(r.dims[0]);
    root.user = inBatch(r.dims[1]);
    root.session = inBatch(r.dims[2]);
    root.tenant = inBatch(r.dims[3]);
    root.environment = inBatch(r.dims[4]);

    auto isCall = [&](size_t j) { return spans[j].kind == SpanKind::Llm; };
    const auto firstNonCall = [&]() -> size_t {
        for (size_t j = 0; j < k; ++j) {
            if (!isCall(j)) {
                return j;
            }
        }
        return k;
    }();
    for (auto [field, wanted] : {std::pair{&RawSpan::model, inBatch(r.model)},
                                 std::pair{&RawSpan::provider, inBatch(r.provider)}}) {
        const auto first = std::find_if(spans, spans + k, [&](const RawSpan& s) { return !(s.*field).isEmpty(); });
        const StringId got = first == spans + k ? StringId{} : (*first).*field;
        if (got != wanted && firstNonCall < k) {
            spans[firstNonCall].*field = wanted;
        }
    }

    for (auto [field, wanted] : {std::pair{&RawSpan::promptName, inBatch(r.promptName)},
                                 std::pair{&RawSpan::promptVersion, inBatch(r.promptVersion)}}) {
        size_t firstWithValue = k;
        for (size_t j = 0; j < k && firstWithValue == k; ++j) {
            if (!(spans[j].*field).isEmpty()) {
                firstWithValue = j;
            }
        }
        const StringId got = firstWithValue == k ? StringId{} : spans[firstWithValue].*field;
        if (got == wanted || wanted.isEmpty()) {
            continue;
        }
        // A model call without the value must not inherit it: mark every span above one (parents come first).
        std::vector<uint8_t> coversEmptyCall(k, 0);
        const uint64_t base = spans[0].spanId;
        for (size_t j = k; j-- > 0;) {
            if (isCall(j) && (spans[j].*field).isEmpty()) {
                coversEmptyCall[j] = 1;
            }
            const uint64_t parent = spans[j].parentSpanId - base;  // wraps for a root: out of range
            if (coversEmptyCall[j] && spans[j].parentSpanId != 0 && parent < k) {
                coversEmptyCall[parent] = 1;
            }
        }
        for (size_t j = 0; j < firstWithValue; ++j) {
            if (!isCall(j) && !coversEmptyCall[j]) {
                spans[j].*field = wanted;
                break;
            }
        }
    }
}

bool TableReader::readSpans() {
    if (requests_.empty()) {
        return true;
    }
    const RequestRow& last = requests_.back();
    const std::vector<db::Value> spanRange = {int64_t{requests_.front().firstSpan},
                                              int64_t{last.firstSpan} + last.spanCount};
    size_t request = 0;
    size_t requestFirstRaw = 0;
    uint32_t requestEnd = requests_.empty() ? 0 : requests_[0].firstSpan + requests_[0].spanCount;
    const bool ok = query(
        "SELECT span_row, parent_row, start_ns, duration_ns, name, service, kind, status, model, provider, "
        "prompt_name, prompt_version, finish_reason, input_tokens, output_tokens, cached_tokens, reasoning_tokens, "
        "cost_usd, cost_source, ttft_us, error_type, error_message, error_class FROM ps_spans "
        "WHERE span_row >= $1 AND span_row < $2 ORDER BY span_row",
        [&](const db::Row& row) {
            const auto spanRow = static_cast<uint64_t>(integer(row, 0));
            while (request < requests_.size() && spanRow >= requestEnd) {
                finishRequest(request, requestFirstRaw);
                if (batch_.spans.size() >= kSpansPerBatch) {
                    flush();
                }
                requestFirstRaw = batch_.spans.size();
                if (++request < requests_.size()) {
                    requestEnd = requests_[request].firstSpan + requests_[request].spanCount;
                }
            }
            if (request >= requests_.size()) {
                return true;  // a span outside every request: not part of the saved dataset
            }
            RawSpan& s = batch_.spans.emplace_back();
            // Span ids only need to be unique within a trace: the row number (+ 1, as 0 means none) is.
            s.spanId = spanRow + 1;
            s.parentSpanId = row.isNull(1) ? 0 : static_cast<uint64_t>(integer(row, 1)) + 1;
            s.startNs = integer(row, 2);
            s.endNs = s.startNs + integer(row, 3);
            s.name = str(row, 4);
            s.service = str(row, 5);
            s.kind = parseName(row.text(6), kSpanKindCount, spanKindName, SpanKind::Other);
            s.status = parseName(row.text(7), 3, spanStatusName, SpanStatus::Unset);
            if (s.kind == SpanKind::Llm) {
                s.model = str(row, 8);
                s.provider = str(row, 9);
                s.promptName = str(row, 10);
                s.promptVersion = str(row, 11);
                s.finishReason = str(row, 12);
                s.inputTokens = integer(row, 13);
                s.outputTokens = integer(row, 14);
                s.cachedTokens = integer(row, 15);
                s.reasoningTokens = integer(row, 16);
                s.costUsd = real(row, 17);
                s.costDecided = true;
                s.costSource = parseName(row.text(18), 3, costSourceName, CostSource::None);
                const int64_t ttftUs = integer(row, 19);
                s.ttftNs = ttftUs > 0 ? ttftUs * 1000 : -1;
            }
            if (s.status == SpanStatus::Error) {
                s.errorType = str(row, 20);
                s.statusMessage = str(row, 21);
                s.httpStatus = httpStatusFor(
                    parseName(row.text(22), kErrorClassCount, errorClassName, ErrorClass::Other));
            }
            s.cold = ColdRef::make(request_.source, spanRow);
            if (++outcome_.records % kCancelPoll == 0 && request_.bytesDone != nullptr) {
                *request_.bytesDone += kCancelPoll;
            }
            return keepGoing();
        },
        spanRange);
    if (ok && request < requests_.size()) {
        finishRequest(request, requestFirstRaw);
    }
    return ok;
}

bool TableReader::readEvals() {
    return query("SELECT request_row, span_row, name, score, label, outcome, source, explanation FROM ps_evals "
                 "WHERE request_row >= $1 AND request_row < $2 ORDER BY eval_row",
                 [&](const db::Row& row) {
                     const size_t req = requestAt(row, 0);
                     if (req == SIZE_MAX) {
                         return keepGoing();
                     }
                     RawEval& e = batch_.evals.emplace_back();
                     e.traceId = inBatch(requests_[req].traceId);
                     e.spanId = row.isNull(1) ? 0 : static_cast<uint64_t>(integer(row, 1)) + 1;
                     e.name = str(row, 2);
                     e.score = real(row, 3);
                     e.label = str(row, 4);
                     e.outcome = parseName(row.text(5), 3, evalOutcomeName, EvalOutcome::Unknown);
                     e.source = str(row, 6);
                     e.explanation = str(row, 7);
                     return keepGoing();
                 },
                 rangeParams());
}

bool TableReader::readSignals() {
    // A part read only takes the signals of its requests: the others were read with the requests they belong to.
    return query(std::string("SELECT request_row, session_id, type, time_ns, value FROM ps_signals") +
                     (range_.whole() ? "" : " WHERE request_row >= $1 AND request_row < $2") + " ORDER BY signal_row",
                 [&](const db::Row& row) {
                     RawSignal& s = batch_.signals.emplace_back();
                     const size_t req = requestAt(row, 0);
                     if (!row.isNull(0) && req != SIZE_MAX) {
                         s.requestId = inBatch(requests_[req].traceId);
                     }
                     s.session = str(row, 1);
                     s.type = parseName(row.text(2), kSignalTypeCount, signalTypeName, SignalType::Rating);
                     s.timeNs = integer(row, 3);
                     s.value = real(row, 4);
                     return keepGoing();
                 },
                 range_.whole() ? std::vector<db::Value>{} : rangeParams());
}

bool TableReader::readRecords() {
    return query("SELECT prompt, version, model, temperature, deployed_by, deployed_at_ns, change_note, eval_suite "
                 "FROM ps_prompt_versions ORDER BY prompt_version_row",
                 [&](const db::Row& row) {
                     batch_.promptVersions.push_back({str(row, 0), str(row, 1), str(row, 2), real(row, 3),
                                                      str(row, 4), integer(row, 5), str(row, 6), str(row, 7)});
                     return keepGoing();
                 }) &&
           query("SELECT prompt, version, environment, traffic_percent, at_ns, deployed_by, note "
                 "FROM ps_deployments ORDER BY deployment_row",
                 [&](const db::Row& row) {
                     batch_.deployments.push_back({str(row, 0), str(row, 1), str(row, 2), real(row, 3),
                                                   integer(row, 4), str(row, 5), str(row, 6)});
                     return keepGoing();
                 }) &&
           query("SELECT tenant, tier FROM ps_tenants ORDER BY tenant_row",
                 [&](const db::Row& row) {
                     batch_.tenants.push_back({str(row, 0), str(row, 1)});
                     return keepGoing();
                 }) &&
           (!range_.whole() ||
            query("SELECT file, line, message FROM ps_parse_issues ORDER BY issue_row", [&](const db::Row& row) {
               batch_.issues.push_back(
                   {std::string(row.text(0)), static_cast<uint64_t>(integer(row, 1)), std::string(row.text(2))});
               return keepGoing();
           }));
}

void TableReader::flush() {
    builder_.addBatch(std::move(batch_));
    batch_ = RecordBatch{};
}

ReadOutcome TableReader::run() {
    if (!hasPromptScopeTables(db_)) {
        outcome_.error = db_.displayName() + " holds no PromptScope tables (ps_spans, ps_schema)";
        return outcome_;
    }
    if (readSchema() && readRequests() && readSpans() && readEvals() && readSignals() && readRecords()) {
        // The saved issue count is the whole dataset's: a part read brings none of them.
        batch_.issueCount = range_.whole() ? std::max<uint64_t>(issueCount_, batch_.issues.size()) : 0;
        flush();
    }
    return outcome_;
}

}  // namespace

std::string_view recordFormatName(RecordFormat format) {
    return format == RecordFormat::RequestLog ? "request_log" : "otlp_json";
}

bool parseRecordFormat(std::string_view text, RecordFormat* out) {
    for (RecordFormat f : {RecordFormat::OtlpJson, RecordFormat::RequestLog}) {
        if (recordFormatName(f) == text) {
            *out = f;
            return true;
        }
    }
    return false;
}

bool hasPromptScopeTables(db::Connection& connection) {
    std::string error;
    const std::vector<std::string> tables = connection.tables(&error);
    auto has = [&](std::string_view name) { return std::find(tables.begin(), tables.end(), name) != tables.end(); };
    return has(db::kOwnSpansTable) && has(db::kOwnSchemaTable);
}

ReadOutcome readPromptScopeTables(db::Connection& connection, const ReadRequest& request, DatasetBuilder& builder,
                                  const OwnRequestRange& range) {
    return TableReader(connection, request, builder, range).run();
}

bool readStoredSpanRecord(db::Connection& connection, uint64_t spanRow, StoredSpanRecord* out, std::string* error) {
    bool found = false;
    bool known = true;
    const bool ok = connection.query(
        "SELECT r.format, r.record, r.envelope_id, e.resource_json, e.scope_json FROM ps_span_records r "
        "LEFT JOIN ps_envelopes e ON e.envelope_id = r.envelope_id WHERE r.span_row = $1",
        {static_cast<int64_t>(spanRow)},
        [&](const db::Row& row) {
            found = true;
            known = parseRecordFormat(row.text(0), &out->format);
            out->record.assign(row.text(1));
            out->hasEnvelope = !row.isNull(2);
            out->resourceJson.assign(row.text(3));
            out->scopeJson.assign(row.text(4));
            return false;
        },
        error);
    if (!ok) {
        return false;
    }
    if (!found) {
        *error = "the database holds no record for this span";
        return false;
    }
    if (!known) {
        *error = "the span's record is in a format this PromptScope does not know";
        return false;
    }
    return true;
}

}  // namespace ps
