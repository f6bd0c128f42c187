#include "datasetwriter.h"

#include <array>
#include <algorithm>
#include <chrono>
#include <future>

#include "ownschema.h"
#include "sourceloader.h"
#include "spanrecordcollector.h"

namespace ps {
namespace {

using Columns = std::initializer_list<std::string_view>;

constexpr uint64_t kProgressStep = 1u << 16;

uint64_t rowsToWrite(const Dataset& ds, bool withRecords) {
    return ds.requestCount() + ds.spanCount() * (withRecords ? 2 : 1) + ds.evals.size() + ds.signals.size() + 1;
}

// Rows written so far by the writers of one dataset (two when the span records go to a sink of their own).
struct SharedProgress {
    std::atomic<uint64_t> done{0};
    uint64_t total = 1;
    std::atomic<bool> stop{false};  // a writer failed or was cancelled: the other one stops too
};

// Which tables a Writer writes.
enum class Part { Everything, AllButRecords, RecordsOnly };

class Writer {
public:
    // Only the writer that `reports` calls options.progress (it may be called from one thread only).
    Writer(const DatasetPtr& data, TableSink& sink, const DatasetWriteOptions& options, Part part,
           SharedProgress& progress, bool reports)
        : ds_(*data), sink_(sink), options_(options), part_(part), progress_(progress), reports_(reports),
          collector_(data) {}

    DatasetWriteResult run();

    // Reports progress and looks for a cancel (or a stop of the other writer): at the start of every table and
    // every kProgressStep rows. False when the write must stop.
    bool checkpoint() {
        progress_.done += pendingRows_;
        pendingRows_ = 0;
        const bool go = !reports_ || !options_.progress ||
                        options_.progress(static_cast<double>(progress_.done.load()) / progress_.total);
        if (!go || (options_.cancel != nullptr && options_.cancel->load()) || progress_.stop.load()) {
            result_.cancelled = true;
            progress_.stop = true;
            return false;
        }
        return true;
    }

private:
    bool table(std::string_view name, Columns columns) {
        const std::vector<std::string_view> list(columns);
        return checkpoint() && sink_.beginTable(name, list, &result_.error);
    }
    bool row() {
        if (!sink_.endRow(&result_.error)) {
            return false;
        }
        return ++pendingRows_ < kProgressStep || checkpoint();
    }
    void str(StringId id) { sink_.textOrNull(ds_.str(id)); }
    bool end() { return sink_.endTable(&result_.error); }

    bool writeSchemaAndSources();
    bool writeRequests();
    bool writeSpans();
    bool writeRecords();
    bool writeEvalsAndSignals();
    bool writeRecordTables();

    const Dataset& ds_;
    TableSink& sink_;
    const DatasetWriteOptions& options_;
    const Part part_;
    SharedProgress& progress_;
    const bool reports_;
    DatasetWriteResult result_;
    SpanRecordCollector collector_;
    std::future<bool> collectorReady_;  // prepare(), on another thread while requests and spans are written
    std::string collectorError_;
    std::atomic<bool> stopCollector_{false};  // the write stopped: prepare() need not finish
    uint64_t pendingRows_ = 0;                // rows not yet added to progress_.done
};

bool Writer::writeSchemaAndSources() {
    const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    if (!table("ps_schema",
               {"version", "written_by", "written_at_ns", "request_count", "span_count", "issue_count"})) {
        return false;
    }
    sink_.integer(db::kOwnSchemaVersion);
    sink_.text(options_.writtenBy.empty() ? std::string_view("promptscope") : options_.writtenBy);
    sink_.integer(now);
    sink_.integer(static_cast<int64_t>(ds_.requestCount()));
    sink_.integer(static_cast<int64_t>(ds_.spanCount()));
    sink_.integer(static_cast<int64_t>(std::max<uint64_t>(ds_.issueCount, ds_.issues.size())));
    if (!row() || !end() || !table("ps_sources", {"source_id", "path", "format", "size_bytes", "modified_ns"})) {
        return false;
    }
    for (size_t i = 0; i < ds_.sources.size(); ++i) {
        const SourceInfo& s = ds_.sources[i];
        sink_.rowNumber(static_cast<int64_t>(i));
        sink_.transientText(db::withoutPassword(s.path));
        sink_.text(formatName(s.format));
        sink_.integer(static_cast<int64_t>(s.sizeBytes));
        sink_.integer(s.modifiedNs);
        if (!row()) {
            return false;
        }
    }
    return end();
}

bool Writer::writeRequests() {
    if (!table("ps_requests",
               {"request_row", "trace_id", "first_span_row", "span_count", "generation_count", "start_ns",
                "duration_ns", "feature", "prompt_name", "prompt_version", "model", "provider", "environment",
                "user_id", "session_id", "tenant", "finish_reason", "input_tokens", "output_tokens",
                "cached_tokens", "cost_usd", "tool_calls", "is_error", "is_refusal", "is_truncated", "error_class",
                "eval_pass", "eval_fail", "flags"})) {
        return false;
    }
    const RequestColumns& rq = ds_.requests;
    for (uint32_t r = 0; r < ds_.requestCount(); ++r) {
        const RequestIndex index{r};
        sink_.rowNumber(r);
        sink_.text(ds_.str(rq.traceId[r]));
        sink_.integer(rq.firstSpan[r]);
        sink_.integer(ds_.spanEnd(index) - rq.firstSpan[r]);
        sink_.integer(ds_.generationEnd(index) - rq.firstGeneration[r]);
        sink_.integer(rq.startNs[r]);
        sink_.integer(rq.durationNs[r]);
        for (StringId id : {rq.feature[r], rq.promptName[r], rq.promptVersion[r], rq.model[r], rq.provider[r],
                            rq.environment[r], rq.user[r], rq.session[r], rq.tenant[r], rq.finishReason[r]}) {
            str(id);
        }
        sink_.integer(rq.inputTokens[r]);
        sink_.integer(rq.outputTokens[r]);
        sink_.integer(rq.cachedTokens[r]);
        sink_.real(rq.costUsd[r]);
        sink_.integer(rq.toolCalls[r]);
        const uint16_t flags = rq.flags[r];
        sink_.integer((flags & kRequestError) ? 1 : 0);
        sink_.integer((flags & kRequestRefusal) ? 1 : 0);
        sink_.integer((flags & kRequestTruncated) ? 1 : 0);
        if (rq.errorClass[r] == ErrorClass::None) {
            sink_.null();
        } else {
            sink_.text(errorClassName(rq.errorClass[r]));
        }
        sink_.integer(rq.evalPass[r]);
        sink_.integer(rq.evalFail[r]);
        sink_.integer(flags);
        if (!row()) {
            return false;
        }
    }
    return end();
}

bool Writer::writeSpans() {
    if (!table("ps_spans", {"span_row", "request_row", "parent_row", "start_ns", "duration_ns", "name", "service",
                            "kind", "status", "model", "provider", "prompt_name", "prompt_version", "finish_reason",
                            "input_tokens", "output_tokens", "cached_tokens", "reasoning_tokens", "cost_usd",
                            "cost_source", "ttft_us", "error_type", "error_message", "error_class", "source_id",
                            "source_offset"})) {
        return false;
    }
    const SpanColumns& sp = ds_.spans;
    const GenerationColumns& gen = ds_.generations;
    const ErrorColumns& err = ds_.errors;
    size_t g = 0;
    size_t e = 0;
    uint32_t request = 0;
    for (uint32_t i = 0; i < ds_.spanCount(); ++i) {
        while (request + 1 < ds_.requestCount() && ds_.requests.firstSpan[request + 1] <= i) {
            ++request;
        }
        sink_.rowNumber(i);
        sink_.integer(request);
        if (sp.parent[i] == SpanIndex::kInvalid) {
            sink_.null();
        } else {
            sink_.integer(sp.parent[i]);
        }
        sink_.integer(sp.startNs[i]);
        sink_.integer(sp.durationNs[i]);
        str(sp.name[i]);
        str(sp.service[i]);
        sink_.text(spanKindName(sp.kind[i]));
        sink_.text(spanStatusName(sp.status[i]));
        if (g < gen.size() && gen.span[g] == i) {
            for (StringId id : {gen.model[g], gen.provider[g], gen.promptName[g], gen.promptVersion[g],
                                gen.finishReason[g]}) {
                str(id);
            }
            for (uint32_t tokens :
                 {gen.inputTokens[g], gen.outputTokens[g], gen.cachedTokens[g], gen.reasoningTokens[g]}) {
                sink_.integer(tokens);
            }
            sink_.real(gen.costUsd[g]);
            sink_.text(costSourceName(gen.costSource[g]));
            if (gen.ttftUs[g] == 0) {
                sink_.null();
            } else {
                sink_.integer(gen.ttftUs[g]);
            }
            ++g;
        } else {
            for (int c = 0; c < 12; ++c) {
                sink_.null();
            }
        }
        if (e < err.size() && err.span[e] == i) {
            str(err.type[e]);
            str(err.message[e]);
            sink_.text(errorClassName(err.errorClass[e]));
            ++e;
        } else {
            sink_.null();
            sink_.null();
            sink_.null();
        }
        sink_.integer(sp.cold[i].source().value);
        sink_.integer(static_cast<int64_t>(sp.cold[i].offset()));
        if (!row()) {
            return false;
        }
        ++result_.spans;
    }
    return end();
}

bool Writer::writeRecords() {
    if (!collectorReady_.get()) {
        result_.error = collectorError_;
        result_.cancelled = result_.error.empty();
        return false;
    }
    SpanRecordCollector& collector = collector_;
    if (!table("ps_span_records", {"span_row", "format", "envelope_id", "record"})) {
        return false;
    }
    SpanRecordCollector::Record record;
    for (uint32_t i = 0; i < ds_.spanCount(); ++i) {
        if (!collector.record(i, &record, &result_.error)) {
            return false;
        }
        sink_.rowNumber(i);
        sink_.text(recordFormatName(record.format));
        if (record.envelope == 0) {
            sink_.null();
        } else {
            sink_.integer(record.envelope);
        }
        if (record.lasting) {
            sink_.text(record.text);
        } else {
            sink_.transientText(record.text);
        }
        result_.recordBytes += record.text.size();
        if (!row()) {
            return false;
        }
        ++result_.records;
    }
    if (!end() || !table("ps_envelopes", {"envelope_id", "resource_json", "scope_json"})) {
        return false;
    }
    const std::vector<EnvelopeText>& envelopes = collector.envelopes();
    for (size_t i = 0; i < envelopes.size(); ++i) {
        sink_.rowNumber(static_cast<int64_t>(i + 1));
        sink_.textOrNull(envelopes[i].resourceJson);
        sink_.textOrNull(envelopes[i].scopeJson);
        if (!sink_.endRow(&result_.error)) {
            return false;
        }
    }
    return end();
}

bool Writer::writeEvalsAndSignals() {
    if (!table("ps_evals",
               {"eval_row", "request_row", "span_row", "name", "score", "label", "outcome", "source", "explanation"})) {
        return false;
    }
    const EvalColumns& ev = ds_.evals;
    for (size_t i = 0; i < ev.size(); ++i) {
        sink_.rowNumber(static_cast<int64_t>(i));
        sink_.integer(ev.request[i]);
        if (ev.span[i] == SpanIndex::kInvalid) {
            sink_.null();
        } else {
            sink_.integer(ev.span[i]);
        }
        str(ev.name[i]);
        sink_.real(ev.score[i]);
        str(ev.label[i]);
        if (ev.outcome[i] == EvalOutcome::Unknown) {
            sink_.null();
        } else {
            sink_.text(evalOutcomeName(ev.outcome[i]));
        }
        str(ev.source[i]);
        str(ev.explanation[i]);
        if (!row()) {
            return false;
        }
    }
    if (!end() || !table("ps_signals", {"signal_row", "request_row", "session_id", "type", "time_ns", "value"})) {
        return false;
    }
    const SignalColumns& sig = ds_.signals;
    for (size_t i = 0; i < sig.size(); ++i) {
        sink_.rowNumber(static_cast<int64_t>(i));
        if (sig.request[i] == RequestIndex::kInvalid) {
            sink_.null();
        } else {
            sink_.integer(sig.request[i]);
        }
        str(sig.session[i]);
        sink_.text(signalTypeName(sig.type[i]));
        sink_.integer(sig.timeNs[i]);
        sink_.real(sig.value[i]);
        if (!row()) {
            return false;
        }
    }
    return end();
}

bool Writer::writeRecordTables() {
    if (!table("ps_prompt_versions", {"prompt_version_row", "prompt", "version", "model", "temperature",
                                      "deployed_by", "deployed_at_ns", "change_note", "eval_suite"})) {
        return false;
    }
    for (size_t i = 0; i < ds_.promptVersions.size(); ++i) {
        const PromptVersionRecord& p = ds_.promptVersions[i];
        sink_.rowNumber(static_cast<int64_t>(i));
        str(p.prompt);
        str(p.version);
        str(p.model);
        sink_.real(p.temperature);
        str(p.deployedBy);
        sink_.integer(p.deployedAtNs);
        str(p.changeNote);
        str(p.evalSuite);
        if (!sink_.endRow(&result_.error)) {
            return false;
        }
    }
    if (!end() || !table("ps_deployments", {"deployment_row", "prompt", "version", "environment",
                                            "traffic_percent", "at_ns", "deployed_by", "note"})) {
        return false;
    }
    for (size_t i = 0; i < ds_.deployments.size(); ++i) {
        const DeploymentRecord& d = ds_.deployments[i];
        sink_.rowNumber(static_cast<int64_t>(i));
        str(d.prompt);
        str(d.version);
        str(d.environment);
        sink_.real(d.trafficPercent);
        sink_.integer(d.atNs);
        str(d.by);
        str(d.note);
        if (!sink_.endRow(&result_.error)) {
            return false;
        }
    }
    if (!end() || !table("ps_tenants", {"tenant_row", "tenant", "tier"})) {
        return false;
    }
    for (size_t i = 0; i < ds_.tenants.size(); ++i) {
        sink_.rowNumber(static_cast<int64_t>(i));
        sink_.text(ds_.str(ds_.tenants[i].tenant));
        str(ds_.tenants[i].tier);
        if (!sink_.endRow(&result_.error)) {
            return false;
        }
    }
    if (!end() || !table("ps_parse_issues", {"issue_row", "file", "line", "message"})) {
        return false;
    }
    for (size_t i = 0; i < ds_.issues.size(); ++i) {
        const ParseIssue& issue = ds_.issues[i];
        sink_.rowNumber(static_cast<int64_t>(i));
        sink_.text(issue.file);
        sink_.integer(static_cast<int64_t>(issue.line));
        sink_.text(issue.message);
        if (!sink_.endRow(&result_.error)) {
            return false;
        }
    }
    return end();
}

DatasetWriteResult Writer::run() {
    const bool records = options_.withRecords && part_ != Part::AllButRecords;
    if (records) {
        // Everything: the records' sources are walked on another thread while requests and spans are written.
        // RecordsOnly: this writer is that other thread already.
        collectorReady_ = std::async(part_ == Part::Everything ? std::launch::async : std::launch::deferred, [this] {
            const auto keepGoing = [this] {
                return !stopCollector_.load() && !progress_.stop.load() &&
                       !(options_.cancel != nullptr && options_.cancel->load());
            };
            return collector_.prepare(keepGoing, &collectorError_);
        });
    }
    const bool ok = part_ == Part::RecordsOnly
                        ? writeRecords()
                        : writeSchemaAndSources() && writeRequests() && writeSpans() && (!records || writeRecords()) &&
                              writeEvalsAndSignals() && writeRecordTables();
    if (collectorReady_.valid()) {
        stopCollector_ = true;
        collectorReady_.wait();  // stopped early: the preparing thread still uses the collector
    }
    progress_.done += pendingRows_;
    pendingRows_ = 0;
    if (!ok) {
        progress_.stop = true;
    }
    if (!ok && result_.cancelled) {
        result_.error.clear();
    }
    return result_;
}

DatasetWriteResult noData() {
    DatasetWriteResult result;
    result.error = "nothing to write: no data is loaded";
    return result;
}

}  // namespace

DatasetWriteResult writeDataset(const DatasetPtr& data, TableSink& sink, const DatasetWriteOptions& options) {
    if (!data) {
        return noData();
    }
    SharedProgress progress;
    progress.total = rowsToWrite(*data, options.withRecords);
    DatasetWriteResult result = Writer(data, sink, options, Part::Everything, progress, true).run();
    if (result.ok() && options.progress) {
        options.progress(1.0);
    }
    return result;
}

DatasetWriteResult writeDatasetSplit(const DatasetPtr& data, TableSink& tables, TableSink& records,
                                     const DatasetWriteOptions& options, const SplitWriteFinish& finish) {
    if (!data) {
        return noData();
    }
    if (!options.withRecords) {
        return writeDataset(data, tables, options);
    }
    SharedProgress progress;
    progress.total = rowsToWrite(*data, true);
    Writer recordWriter(data, records, options, Part::RecordsOnly, progress, false);
    // Each finish step runs where its sink was written, so that it overlaps the other thread's writing.
    const auto finished = [&progress](DatasetWriteResult& result, const std::function<bool(std::string*)>& step) {
        if (result.ok() && step && !step(&result.error)) {
            progress.stop = true;
        }
    };
    std::future<DatasetWriteResult> recordsWritten = std::async(std::launch::async, [&] {
        DatasetWriteResult written = recordWriter.run();
        finished(written, finish.records);
        return written;
    });
    Writer tableWriter(data, tables, options, Part::AllButRecords, progress, true);
    DatasetWriteResult result = tableWriter.run();
    finished(result, finish.tables);
    // Progress and cancel are looked at on this thread only, also while the records are still being written.
    bool stoppedWhileWaiting = false;
    while (recordsWritten.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
        stoppedWhileWaiting = !tableWriter.checkpoint() || stoppedWhileWaiting;
    }
    const DatasetWriteResult fromRecords = recordsWritten.get();
    result.records = fromRecords.records;
    result.recordBytes = fromRecords.recordBytes;
    if (result.error.empty()) {
        result.error = fromRecords.error;
    }
    result.cancelled = result.error.empty() && (result.cancelled || fromRecords.cancelled || stoppedWhileWaiting);
    if (result.ok() && options.progress) {
        options.progress(1.0);
    }
    return result;
}

}  // namespace ps
