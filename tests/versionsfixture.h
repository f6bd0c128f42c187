// A synthetic data set for version comparisons, built in memory without files: requests of one prompt ("chat")
// in two versions, "1" (the baseline) and "2" (and optionally a third, "3", like version 2), each a root span and
// one model call with tokens and cost, plus evals and user signals. Version 2's traffic share, error rate,
// latency and cost can be set apart from version 1's, so tests know the truth and benchmarks can reach a million
// requests in a second or two.
#pragma once

#include <cmath>
#include <string>

#include "bootstrap.h"
#include "datasetbuilder.h"

namespace ps::testing {

struct VersionProfile {
    double errorRate = 0.03;
    double latencyMedianMs = 800;  // lognormal, sigma 0.5
    double costMedianUsd = 0.004;  // lognormal, sigma 0.4
    double evalFailRate = 0.05;
    double thumbsDownRate = 0.02;
};

struct VersionsFixture {
    size_t requests = 10000;
    uint64_t seed = 1;
    double shareB = 0.5;  // chance that a request runs version 2
    double shareC = 0;    // chance that it runs version 3 (profile b) instead
    VersionProfile a;
    VersionProfile b;
    int64_t startNs = 1790000000LL * 1000000000;  // 2026-09-21
    int64_t spacingNs = 60LL * 1000000000;        // one request a minute
};

inline DatasetPtr buildVersionsFixture(const VersionsFixture& f) {
    stats::SplitMix64 rng(f.seed);
    // Normal draws for the lognormals: Box-Muller on the SplitMix64 stream.
    auto normal = [&rng] {
        return std::sqrt(-2 * std::log(rng.uniform())) * std::cos(6.283185307179586 * rng.uniform());
    };
    DatasetBuilder builder;
    RecordBatch b;
    const StringId prompt = b.strings.intern("chat");
    const StringId versions[3] = {b.strings.intern("1"), b.strings.intern("2"), b.strings.intern("3")};
    const StringId envs[3] = {b.strings.intern("production"), b.strings.intern("canary"), b.strings.intern("canary")};
    const StringId model = b.strings.intern("gpt-4.1");
    const StringId rootName = b.strings.intern("chat.request");
    const StringId callName = b.strings.intern("chat gpt-4.1");
    const StringId judge = b.strings.intern("correctness");
    const StringId rule = b.strings.intern("format_check");
    b.spans.reserve(f.requests * 2);
    for (size_t i = 0; i < f.requests; ++i) {
        const double pick = rng.uniform();
        const int side = pick < f.shareB ? 1 : pick < f.shareB + f.shareC ? 2 : 0;
        const VersionProfile& p = side ? f.b : f.a;
        const StringId trace = b.strings.intern("t" + std::to_string(i));
        RawSpan root;
        root.traceId = trace;
        root.spanId = 2 * i + 1;
        root.startNs = f.startNs + static_cast<int64_t>(i) * f.spacingNs;
        const double ms = p.latencyMedianMs * std::exp(0.5 * normal());
        root.endNs = root.startNs + static_cast<int64_t>(ms * 1e6);
        root.name = rootName;
        root.promptName = prompt;
        root.promptVersion = versions[side];
        root.environment = envs[side];
        const bool error = rng.uniform() < p.errorRate;
        root.status = error ? SpanStatus::Error : SpanStatus::Ok;
        RawSpan call;
        call.traceId = trace;
        call.spanId = 2 * i + 2;
        call.parentSpanId = root.spanId;
        call.startNs = root.startNs + 1000000;
        call.endNs = root.endNs - 1000000;
        call.name = callName;
        call.kind = SpanKind::Llm;
        call.model = model;
        call.inputTokens = 800 + static_cast<int64_t>(rng.uniform() * 400);
        call.outputTokens = 100 + static_cast<int64_t>(rng.uniform() * 300);
        call.costUsd = p.costMedianUsd * std::exp(0.4 * normal());
        b.spans.push_back(root);
        b.spans.push_back(call);
        RawEval e;
        e.traceId = trace;
        e.name = rule;
        e.outcome = rng.uniform() < p.evalFailRate ? EvalOutcome::Fail : EvalOutcome::Pass;
        e.score = e.outcome == EvalOutcome::Pass ? 1 : 0;
        b.evals.push_back(e);
        if (i % 3 == 0) {  // a judge on a third of the requests, scores 1..5
            RawEval j;
            j.traceId = trace;
            j.name = judge;
            j.score = 1 + std::floor(rng.uniform() * 5);
            j.outcome = j.score >= 3 ? EvalOutcome::Pass : EvalOutcome::Fail;
            b.evals.push_back(j);
        }
        if (rng.uniform() < 0.2) {  // explicit feedback on a fifth of the requests
            RawSignal s;
            s.requestId = trace;
            s.type = rng.uniform() < p.thumbsDownRate * 5 ? SignalType::ThumbsDown : SignalType::ThumbsUp;
            s.timeNs = root.endNs;
            b.signals.push_back(s);
        }
    }
    builder.addBatch(std::move(b));
    return builder.build();
}

}  // namespace ps::testing
