// What readers hand to the DatasetBuilder: flat records as found in a source, before traces are assembled.
// Each reader worker fills its own RecordBatch with its own StringPool, so workers never share a lock.
#pragma once

#include <cmath>
#include <vector>

#include "dataset.h"

namespace ps {

struct RawSpan {
    StringId traceId;
    // Set by readers of data PromptScope priced before (its own tables): costUsd and costSource are kept as they
    // are, NaN included, and never priced again, so a reopened dataset shows the figures it was saved with.
    // (Declared here, where they fill the padding before spanId.)
    bool costDecided = false;
    CostSource costSource = CostSource::None;
    uint64_t spanId = 0;
    uint64_t parentSpanId = 0;  // 0 = no parent
    int64_t startNs = 0;
    int64_t endNs = 0;
    StringId name;
    StringId service;
    SpanKind kind = SpanKind::Other;
    SpanStatus status = SpanStatus::Unset;
    uint16_t httpStatus = 0;
    StringId errorType;
    StringId statusMessage;
    // Model call
    StringId model;
    StringId provider;
    StringId finishReason;
    int64_t inputTokens = -1;  // -1 = not given
    int64_t outputTokens = -1;
    int64_t cachedTokens = -1;
    int64_t reasoningTokens = -1;
    double costUsd = kNaN;
    int64_t ttftNs = -1;
    // Context inherited by descendants that do not carry their own
    StringId promptName;
    StringId promptVersion;
    StringId feature;
    StringId user;
    StringId session;
    StringId tenant;
    StringId tenantTier;
    StringId environment;
    ColdRef cold;
};

struct RawEval {
    StringId traceId;
    uint64_t spanId = 0;  // 0 = about the whole request
    StringId name;
    double score = kNaN;
    StringId label;
    EvalOutcome outcome = EvalOutcome::Unknown;
    StringId source;
    StringId explanation;
};

struct RawSignal {
    StringId requestId;  // a trace id or request id
    StringId session;
    SignalType type = SignalType::ThumbsUp;
    int64_t timeNs = 0;
    double value = kNaN;
};

struct RecordBatch {
    StringPool strings;
    std::vector<RawSpan> spans;
    std::vector<RawEval> evals;
    std::vector<RawSignal> signals;
    std::vector<PromptVersionRecord> promptVersions;
    std::vector<DeploymentRecord> deployments;
    std::vector<TenantRecord> tenants;
    std::vector<ParseIssue> issues;
    uint64_t issueCount = 0;
    uint64_t bytesRead = 0;

    void addIssue(const std::string& file, uint64_t line, std::string message);
};

}  // namespace ps
