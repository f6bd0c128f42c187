// What the Dataset knows around one span, gathered for the span details: its request, its model call row, the
// prompt version record behind it, the evals and user signals of its trace, its error, and its self time.
// Scans the eval and signal tables, so it runs on a worker like the cold-data read it goes with.
#pragma once

#include <cstdint>
#include <vector>

#include "dataset.h"

namespace ps {

struct SpanContext {
    SpanIndex span;
    RequestIndex request;
    uint32_t generation =
        GenerationIndex::kInvalid;  // row in GenerationColumns when the span is a model call
    // The prompt version the span ran under (its call's own, else its request's) and its record, if any.
    StringId promptName;
    StringId promptVersion;
    const PromptVersionRecord* promptRecord = nullptr;
    std::vector<uint32_t> evals;    // rows of EvalColumns about the span's request (whole request or a span)
    std::vector<uint32_t> signals;  // rows of SignalColumns tied to the request
    StringId errorType;             // when the span failed (ErrorColumns)
    StringId errorMessage;
    int64_t selfNs = 0;
    uint32_t children = 0;
};

// An empty context (request invalid) for a row outside the dataset.
SpanContext spanContext(const Dataset& d, SpanIndex span);

}  // namespace ps
