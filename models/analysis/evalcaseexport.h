// "Add the failing cases to the eval dataset": an incident's traces as JSON Lines for a regression suite, one
// case per line with the request's input and actual output, its review labels and its trace id:
//
// {"trace_id": "...", "request_id": "...", "input": "..." | null, "output": "..." | null,
// "labels": [{"label": "hallucinated", "note": "...", "reviewer": "..."}],
// "evals": [{"name": "...", "score": X | null, "outcome": "pass" | "fail" | "unknown"}],
// "feature": "...", "prompt_version": "...", "model": "...", "incident": "..."}
//
// input/output are null when the text is not available (the request is not in the loaded data, or its source
// did not record messages). Every text that leaves (input, output, notes) goes through redactSecrets().
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "dataset.h"

namespace ps {

// The input and output text of a request, read from its source (cold data); empty strings when unknown.
using RequestTextProvider = std::function<std::pair<std::string, std::string>(RequestIndex)>;

struct EvalCaseLabel {
    std::string label;  // a review label key: correct, hallucinated, ...
    std::string note;
    std::string reviewer;
};

struct EvalCase {
    std::string traceId;
    std::string requestId;
    RequestIndex request;  // invalid when the trace is not in the loaded data
    std::vector<EvalCaseLabel> labels;
};

struct EvalExportSummary {
    size_t cases = 0;
    size_t withText = 0;    // cases with an input or an output
    size_t redactions = 0;  // secrets replaced, over all cases
};

// One JSON object per case, each followed by a newline. dataset may be null (nothing loaded): cases then
// carry their ids and labels only. text may be empty (no cold-data reader): input and output are then null.
std::string evalCasesJsonLines(const Dataset* dataset, const std::vector<EvalCase>& cases,
                               const RequestTextProvider& text, const std::string& incidentTitle,
                               EvalExportSummary* summary = nullptr);

}  // namespace ps
