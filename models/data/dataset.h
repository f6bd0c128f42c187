// The columnar, immutable snapshot every analysis runs on.
//
// Rows are grouped by request (one request = one trace), requests are sorted by start time, and the spans of a
// request are stored contiguously in depth-first order (children by start time), so a subtree is a row range.
// Only hot columns live here; attributes, events and message text stay in the source (see ColdRef).
#pragma once

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "ids.h"
#include "parseissue.h"
#include "spantypes.h"
#include "stringpool.h"

namespace ps {

// Where a span's full record lives: the source it came from and the byte offset of its JSON object (or line).
struct ColdRef {
    uint64_t packed = 0;

    static ColdRef make(SourceIndex source, uint64_t offset) {
        return ColdRef{(static_cast<uint64_t>(source.value & 0xffffu) << 48) | (offset & 0xffffffffffffULL)};
    }
    [[nodiscard]] SourceIndex source() const { return SourceIndex{static_cast<uint32_t>(packed >> 48)}; }
    [[nodiscard]] uint64_t offset() const { return packed & 0xffffffffffffULL; }
};

enum class SourceFormat : uint8_t { Unknown, OtlpJson, RequestLog, Langfuse, Jaeger, LiteLlmJson, Database };

struct SourceInfo {
    std::string path;
    SourceFormat format = SourceFormat::Unknown;
    uint64_t sizeBytes = 0;
    int64_t modifiedNs = 0;
};

struct SpanColumns {
    std::vector<uint32_t> parent;  // absolute SpanIndex value, or SpanIndex::kInvalid for a root
    std::vector<int64_t> startNs;
    std::vector<int64_t> durationNs;
    std::vector<StringId> name;
    std::vector<StringId> service;
    std::vector<SpanKind> kind;
    std::vector<SpanStatus> status;
    std::vector<ColdRef> cold;

    [[nodiscard]] size_t size() const { return startNs.size(); }
    void resize(size_t n);
    [[nodiscard]] size_t memoryBytes() const;  // without the cold locators
};

// One row per LLM call (span of kind Llm).
struct GenerationColumns {
    std::vector<uint32_t> span;
    std::vector<StringId> model;
    std::vector<StringId> provider;
    std::vector<StringId> promptName;     // own or inherited from the nearest ancestor that carries one
    std::vector<StringId> promptVersion;  // same
    std::vector<StringId> finishReason;
    std::vector<uint32_t> inputTokens;
    std::vector<uint32_t> outputTokens;
    std::vector<uint32_t> cachedTokens;
    std::vector<uint32_t> reasoningTokens;
    std::vector<double> costUsd;  // NaN when neither the data nor the pricing table gives one
    std::vector<CostSource> costSource;
    std::vector<uint32_t> ttftUs;  // time to first token; 0 when unknown

    [[nodiscard]] size_t size() const { return span.size(); }
    void resize(size_t n);
    [[nodiscard]] size_t memoryBytes() const;
};

// One row per request (trace). Dimensions come from the root span or, failing that, the first span in
// depth-first order that carries them; tokens and cost are sums over the request's generations.
struct RequestColumns {
    std::vector<StringId> traceId;
    std::vector<uint32_t> firstSpan;        // rows [firstSpan[i], firstSpan[i+1]) of SpanColumns; root first
    std::vector<uint32_t> firstGeneration;  // rows [firstGeneration[i], firstGeneration[i+1]) of GenerationColumns
    std::vector<int64_t> startNs;
    std::vector<int64_t> durationNs;
    std::vector<uint16_t> flags;  // RequestFlag bits
    std::vector<ErrorClass> errorClass;
    std::vector<StringId> feature;
    std::vector<StringId> promptName;
    std::vector<StringId> promptVersion;
    std::vector<StringId> model;
    std::vector<StringId> provider;
    std::vector<StringId> environment;
    std::vector<StringId> user;
    std::vector<StringId> session;
    std::vector<StringId> tenant;
    std::vector<StringId> finishReason;  // of the last generation
    std::vector<uint32_t> inputTokens;
    std::vector<uint32_t> outputTokens;
    std::vector<uint32_t> cachedTokens;
    std::vector<double> costUsd;
    std::vector<uint16_t> toolCalls;
    std::vector<uint8_t> evalPass;
    std::vector<uint8_t> evalFail;

    [[nodiscard]] size_t size() const { return startNs.size(); }
    void resize(size_t n);
    [[nodiscard]] size_t memoryBytes() const;
};

struct EvalColumns {
    std::vector<uint32_t> request;
    std::vector<uint32_t> span;  // SpanIndex::kInvalid when the eval is about the whole request
    std::vector<StringId> name;
    std::vector<double> score;  // NaN when the eval has no numeric score
    std::vector<StringId> label;
    std::vector<EvalOutcome> outcome;
    std::vector<StringId> source;
    std::vector<StringId> explanation;

    [[nodiscard]] size_t size() const { return request.size(); }
    [[nodiscard]] size_t memoryBytes() const;
};

struct SignalColumns {
    std::vector<uint32_t> request;  // RequestIndex::kInvalid when only the session is known
    std::vector<StringId> session;
    std::vector<SignalType> type;
    std::vector<int64_t> timeNs;
    std::vector<double> value;  // rating value, NaN otherwise

    [[nodiscard]] size_t size() const { return type.size(); }
    [[nodiscard]] size_t memoryBytes() const;
};

// Failing spans only: the error type and message, for grouping similar failures.
struct ErrorColumns {
    std::vector<uint32_t> span;
    std::vector<StringId> type;
    std::vector<StringId> message;
    std::vector<ErrorClass> errorClass;

    [[nodiscard]] size_t size() const { return span.size(); }
};

struct PromptVersionRecord {
    StringId prompt;
    StringId version;
    StringId model;
    double temperature = kNaN;
    StringId deployedBy;
    int64_t deployedAtNs = 0;
    StringId changeNote;
    StringId evalSuite;
};

struct DeploymentRecord {
    StringId prompt;
    StringId version;
    StringId environment;
    double trafficPercent = 100.0;
    int64_t atNs = 0;
    StringId by;
    StringId note;
};

struct TenantRecord {
    StringId tenant;
    StringId tier;
};

struct DatasetStats {
    uint64_t orphanSpans = 0;        // spans whose parent is not in the data; shown as roots
    uint64_t cycleBreaks = 0;        // parent links that formed a cycle and were cut
    uint64_t duplicateSpanIds = 0;
    uint64_t unmatchedEvals = 0;
    uint64_t unmatchedSignals = 0;
    uint64_t costFromPricing = 0;    // generations whose cost came from the pricing table
    uint64_t costUnknown = 0;        // generations with no cost in the data and no price for the model
    uint64_t bytesRead = 0;
};

class Dataset {
public:
    StringPool strings;
    std::vector<SourceInfo> sources;
    SpanColumns spans;
    GenerationColumns generations;
    RequestColumns requests;
    EvalColumns evals;
    SignalColumns signals;
    ErrorColumns errors;
    std::vector<PromptVersionRecord> promptVersions;
    std::vector<DeploymentRecord> deployments;
    std::vector<TenantRecord> tenants;
    std::vector<uint32_t> requestsByTraceId;  // request rows ordered by traceId's StringId, for lookups
    std::vector<ParseIssue> issues;
    uint64_t issueCount = 0;  // issues may be capped; this is the full count
    DatasetStats stats;

    [[nodiscard]] std::string_view str(StringId id) const { return strings.view(id); }
    [[nodiscard]] size_t spanCount() const { return spans.size(); }
    [[nodiscard]] size_t requestCount() const { return requests.size(); }
    [[nodiscard]] size_t generationCount() const { return generations.size(); }

    [[nodiscard]] uint32_t spanEnd(RequestIndex r) const;
    [[nodiscard]] uint32_t generationEnd(RequestIndex r) const;
    // The request a span belongs to (binary search over firstSpan).
    [[nodiscard]] RequestIndex requestOfSpan(SpanIndex s) const;
    [[nodiscard]] RequestIndex requestOfGeneration(uint32_t generation) const;  // binary search too
    [[nodiscard]] RequestIndex findRequest(std::string_view traceId) const;

    // Bytes held by the per-row tables (spans, generations, requests, evals, signals, errors), without strings.
    // What filters and aggregations scan: span columns (without the cold-data locators), model-call columns and
    // the per-request table. Evals, signals and errors are tables joined by id, counted in totalMemoryBytes.
    [[nodiscard]] size_t hotColumnBytes() const;
    // The per-span locators of cold data (source and byte offset), 8 bytes a span.
    [[nodiscard]] size_t coldLocatorBytes() const;
    [[nodiscard]] size_t totalMemoryBytes() const;
};

using DatasetPtr = std::shared_ptr<const Dataset>;

}  // namespace ps
