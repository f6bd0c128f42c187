// Hand-made data sets for the outlier and quality tests: requests with a root span and one model call, extra
// spans (tools, failing calls), evals, user signals and tenant tiers, written in a few readable lines per case.
#pragma once

#include <cmath>
#include <string>

#include "datasetbuilder.h"

namespace ps::testing {

constexpr int64_t kMsNs = 1000000;

struct RequestSpec {
    std::string trace;
    std::string feature = "chat";
    int64_t startMs = 0;
    int64_t durationMs = 100;
    std::string session;
    std::string tenant;
    std::string prompt = "answer";
    std::string version = "1";
    std::string model = "gpt-4.1";
    double cost = 0.01;  // of the model call; NaN: none (and no price for the model)
    int64_t inputTokens = 100;
    int64_t outputTokens = 20;
    bool callFails = false;
};

class TraceFixture {
public:
    // Adds a request: a root span carrying the dimensions, and one model call under it. Returns the root's id.
    uint64_t request(const RequestSpec& r) {
        RawSpan root;
        root.traceId = intern(r.trace);
        root.spanId = next_++;
        root.startNs = r.startMs * kMsNs;
        root.endNs = (r.startMs + r.durationMs) * kMsNs;
        root.name = intern(r.feature + ".request");
        root.feature = intern(r.feature);
        root.session = intern(r.session);
        root.tenant = intern(r.tenant);
        root.promptName = intern(r.prompt);
        root.promptVersion = intern(r.version);
        root.status = SpanStatus::Ok;
        batch_.spans.push_back(root);
        RawSpan call;
        call.traceId = root.traceId;
        call.spanId = next_++;
        call.parentSpanId = root.spanId;
        call.startNs = root.startNs + kMsNs;
        call.endNs = call.startNs + kMsNs;
        call.name = intern("chat " + r.model);
        call.kind = SpanKind::Llm;
        call.status = r.callFails ? SpanStatus::Error : SpanStatus::Ok;
        call.model = intern(r.model);
        call.inputTokens = r.inputTokens;
        call.outputTokens = r.outputTokens;
        call.costUsd = r.cost;
        batch_.spans.push_back(call);
        return root.spanId;
    }

    // Adds a span under `parent` in `trace`, starting `offsetMs` after the trace's root start. Returns its id.
    uint64_t span(const std::string& trace, uint64_t parent, const std::string& name, SpanKind kind, int64_t startMs,
                  bool fails = false, const std::string& errorType = {}, const std::string& message = {}) {
        RawSpan s;
        s.traceId = intern(trace);
        s.spanId = next_++;
        s.parentSpanId = parent;
        s.startNs = startMs * kMsNs;
        s.endNs = s.startNs + kMsNs;
        s.name = intern(name);
        s.kind = kind;
        s.status = fails ? SpanStatus::Error : SpanStatus::Ok;
        s.errorType = intern(errorType);
        s.statusMessage = intern(message);
        batch_.spans.push_back(s);
        return s.spanId;
    }

    // A model call with its own prompt, model and outcome.
    uint64_t call(const std::string& trace, uint64_t parent, const std::string& prompt, const std::string& model,
                  int64_t startMs, bool fails, int64_t inputTokens = 0) {
        const uint64_t id = span(trace, parent, "chat " + model, SpanKind::Llm, startMs, fails);
        RawSpan& s = batch_.spans.back();
        s.promptName = intern(prompt);
        s.model = intern(model);
        s.inputTokens = inputTokens;
        s.costUsd = 0;
        return id;
    }

    // Marks an existing span as failing (the last span with that id).
    void fail(uint64_t spanId, const std::string& errorType, const std::string& message) {
        for (auto it = batch_.spans.rbegin(); it != batch_.spans.rend(); ++it) {
            if (it->spanId == spanId) {
                it->status = SpanStatus::Error;
                it->errorType = intern(errorType);
                it->statusMessage = intern(message);
                return;
            }
        }
    }

    void eval(const std::string& trace, const std::string& name, double score, EvalOutcome outcome,
              const std::string& explanation = {}) {
        RawEval e;
        e.traceId = intern(trace);
        e.name = intern(name);
        e.score = score;
        e.outcome = outcome;
        e.label = intern(outcome == EvalOutcome::Pass ? "pass" : outcome == EvalOutcome::Fail ? "fail" : "");
        e.explanation = intern(explanation);
        batch_.evals.push_back(e);
    }

    void signal(const std::string& trace, SignalType type, double value = kNaN, const std::string& session = {}) {
        RawSignal s;
        s.requestId = intern(trace);
        s.session = intern(session);
        s.type = type;
        s.value = value;
        batch_.signals.push_back(s);
    }

    void tier(const std::string& tenant, const std::string& tier) {
        batch_.tenants.push_back({intern(tenant), intern(tier)});
    }

    DatasetPtr build() {
        DatasetBuilder builder;
        builder.addBatch(std::move(batch_));
        batch_ = RecordBatch{};
        return builder.build();
    }

private:
    StringId intern(const std::string& s) { return s.empty() ? StringId{} : batch_.strings.intern(s); }

    RecordBatch batch_;
    uint64_t next_ = 1;
};

}  // namespace ps::testing
