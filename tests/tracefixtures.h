// Tiny hand-made traces for the trace explorer's tests: spans with names, kinds, status, tokens and cost, and
// evals, turned into a Dataset by the real DatasetBuilder (so rows come out in its depth-first order).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "datasetbuilder.h"

namespace ps::fixtures {

constexpr int64_t kMs = 1000000;

struct Span {
    uint64_t id = 0;
    uint64_t parent = 0;  // 0 = root
    int64_t startMs = 0;
    int64_t endMs = 0;
    std::string name;
    SpanKind kind = SpanKind::Other;
    SpanStatus status = SpanStatus::Ok;
    int64_t inputTokens = -1;
    int64_t outputTokens = -1;
    double costUsd = kNaN;
    std::string service;
};

struct Eval {
    uint64_t spanId = 0;  // 0 = about the whole request
    EvalOutcome outcome = EvalOutcome::Pass;
    std::string name = "policy";
};

struct Trace {
    std::string id;
    std::vector<Span> spans;
    std::vector<Eval> evals;
};

inline DatasetPtr build(const std::vector<Trace>& traces) {
    DatasetBuilder builder;
    RecordBatch b;
    for (const Trace& t : traces) {
        const StringId trace = b.strings.intern(t.id);
        for (const Span& s : t.spans) {
            RawSpan r;
            r.traceId = trace;
            r.spanId = s.id;
            r.parentSpanId = s.parent;
            r.startNs = s.startMs * kMs;
            r.endNs = s.endMs * kMs;
            r.name = b.strings.intern(s.name.empty() ? "span-" + std::to_string(s.id) : s.name);
            r.service = b.strings.intern(s.service);
            r.kind = s.kind;
            r.status = s.status;
            r.inputTokens = s.inputTokens;
            r.outputTokens = s.outputTokens;
            r.costUsd = s.costUsd;
            b.spans.push_back(r);
        }
        for (const Eval& e : t.evals) {
            RawEval r;
            r.traceId = trace;
            r.spanId = e.spanId;
            r.name = b.strings.intern(e.name);
            r.outcome = e.outcome;
            b.evals.push_back(r);
        }
    }
    builder.addBatch(std::move(b));
    return builder.build();
}

inline DatasetPtr build(const Trace& trace) { return build(std::vector<Trace>{trace}); }

// Absolute row of the span with this name in request r (first match), or kInvalid.
inline uint32_t rowNamed(const Dataset& d, RequestIndex r, std::string_view name) {
    for (uint32_t row = d.requests.firstSpan[r.value]; row < d.spanEnd(r); ++row) {
        if (d.str(d.spans.name[row]) == name) {
            return row;
        }
    }
    return SpanIndex::kInvalid;
}

}  // namespace ps::fixtures
