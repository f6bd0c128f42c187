// A hand-made data set for the review queue's tests: seven requests, each built to trip some rules and stay
// clear of others (what each one is for is said next to it), with eval, feedback and deployment records.
#pragma once

#include <vector>

#include "datasetbuilder.h"

namespace ps::testing {

inline constexpr int64_t kMs = 1000000;

struct FixtureEval {
    const char* name;
    double score;
    EvalOutcome outcome;
    const char* source;
};

struct FixtureRequest {
    const char* trace;
    const char* feature;
    const char* prompt;
    const char* version;
    const char* environment;
    int tools;
    bool thumbsDown;
    std::vector<FixtureEval> evals;
};

// Requests start 1 s apart in this order, so row i is trace t<i+1>.
inline const std::vector<FixtureRequest>& reviewRequests() {
    static const std::vector<FixtureRequest> reqs = {
        // t1: a failed rule check (0/1 scale, not a judge).
        {"t1", "chat", "support_answer", "42", "production", 0, false,
         {{"pii_check", 0, EvalOutcome::Fail, ""}}},
        // t2: the canary environment and a thumbs-down.
        {"t2", "chat", "support_answer", "43", "canary", 1, true, {}},
        // t3: a judge dimension at 2 (below 3), six tool calls (more than 5), a passing judge overall score.
        {"t3", "invoice", "invoice_extract", "7", "production", 6, false,
         {{"correctness", 2, EvalOutcome::Unknown, ""}, {"quality", 4, EvalOutcome::Pass, "llm_judge"}}},
        // t4: a high-risk feature only.
        {"t4", "sales", "sales_email", "3", "production", 0, false, {}},
        // t5: every threshold exactly at its edge: judge score 3 (not below 3), five tool calls (not more
        // than 5).
        {"t5", "chat", "support_answer", "42", "production", 5, false,
         {{"correctness", 3, EvalOutcome::Pass, ""}, {"pii_check", 1, EvalOutcome::Pass, ""}}},
        // t6: version 43 of another prompt.
        {"t6", "chat", "other_prompt", "43", "production", 0, false, {}},
        // t7: the canary environment spelt differently, a failed eval, thumbs-down, a judge score of 1.
        {"t7", "chat", "support_answer", "42", "Canary", 0, true,
         {{"tone", 1, EvalOutcome::Fail, "LLM-Judge"}}},
    };
    return reqs;
}

inline DatasetPtr buildReviewDataset() {
    DatasetBuilder builder;
    RecordBatch b;
    uint64_t id = 1;
    int64_t start = 0;
    for (const FixtureRequest& r : reviewRequests()) {
        RawSpan root;
        root.traceId = b.strings.intern(r.trace);
        root.spanId = id++;
        root.startNs = start;
        root.endNs = start + 500 * kMs;
        root.name = b.strings.intern("handle");
        root.feature = b.strings.intern(r.feature);
        root.promptName = b.strings.intern(r.prompt);
        root.promptVersion = b.strings.intern(r.version);
        root.environment = b.strings.intern(r.environment);
        root.status = SpanStatus::Ok;
        b.spans.push_back(root);
        for (int t = 0; t < r.tools; ++t) {
            RawSpan tool = root;
            tool.parentSpanId = root.spanId;
            tool.spanId = id++;
            tool.kind = SpanKind::Tool;
            tool.startNs = start + (t + 1) * kMs;
            tool.endNs = tool.startNs + kMs;
            b.spans.push_back(tool);
        }
        for (const FixtureEval& e : r.evals) {
            RawEval ev;
            ev.traceId = root.traceId;
            ev.name = b.strings.intern(e.name);
            ev.score = e.score;
            ev.outcome = e.outcome;
            ev.source = b.strings.intern(e.source);
            b.evals.push_back(ev);
        }
        if (r.thumbsDown) {
            RawSignal s;
            s.requestId = root.traceId;
            s.type = SignalType::ThumbsDown;
            s.timeNs = start + 600 * kMs;
            b.signals.push_back(s);
        }
        start += 1000 * kMs;
    }
    // support_answer 43 went out at 5%, then 25%; invoice_extract 7 was a canary once, now at 100%.
    auto deploy = [&](const char* prompt, const char* version, double percent, int64_t at) {
        DeploymentRecord d;
        d.prompt = b.strings.intern(prompt);
        d.version = b.strings.intern(version);
        d.environment = b.strings.intern("production");
        d.trafficPercent = percent;
        d.atNs = at;
        b.deployments.push_back(d);
    };
    deploy("support_answer", "43", 5, 10);
    deploy("support_answer", "43", 25, 20);
    deploy("invoice_extract", "7", 10, 10);
    deploy("invoice_extract", "7", 100, 30);
    deploy("support_answer", "42", 100, 5);
    builder.addBatch(std::move(b));
    return builder.build();
}

}  // namespace ps::testing
