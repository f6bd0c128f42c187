// One side of a comparison (a prompt version, the requests before a deployment, a model, ...): everything the
// tests in versioncomparison.h need, read from the Dataset's columns once. Numeric samples are sorted, so the
// rank test, the Hodges-Lehmann shift, the bootstrap and the distribution charts share one sort.
//
// Per request (definitions as in groupsummary.h):
// - latency: the root span's duration (ms); cost: the sum over its LLM calls (requests whose cost is unknown are
//   left out of the cost sample); input and output tokens; token efficiency = output / input tokens (requests
//   with input tokens only).
// - error (root span status ERROR), refusal, failure = an error or at least one failed eval.
// - user signals, from the Dataset's signal table as joined to requests: thumbs-down share of explicit feedback
//   (thumbs-down / (thumbs-up + thumbs-down), as on the overview), and the share of requests with a correction
//   or an abandonment.
// - evals: pass/fail outcomes over all eval results and per eval name, and the numeric scores per name.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "dataset.h"

namespace ps {

struct EvalSide {
    std::string name;
    uint64_t pass = 0;
    uint64_t fail = 0;
    std::vector<double> scores;  // numeric scores of this eval's results (NaN scores left out)
};

struct ComparisonSide {
    std::string label;
    std::vector<uint32_t> requests;  // request rows, ascending
    std::vector<double> latencyMs;   // sorted
    std::vector<double> costUsd;     // sorted
    std::vector<double> inputTokens;
    std::vector<double> outputTokens;
    std::vector<double> tokenEfficiency;
    uint64_t errors = 0;
    uint64_t refusals = 0;
    uint64_t failures = 0;
    uint64_t thumbsUp = 0;
    uint64_t thumbsDown = 0;
    uint64_t corrections = 0;
    uint64_t abandoned = 0;
    uint64_t evalPass = 0;
    uint64_t evalFail = 0;
    std::vector<EvalSide> evals;  // by name

    [[nodiscard]] uint64_t size() const { return requests.size(); }
};

// requests: request rows, ascending. cancel: checked between columns; a cancelled side is incomplete.
ComparisonSide readComparisonSide(const Dataset& d, std::string label, std::vector<uint32_t> requests,
                                  const std::atomic<bool>* cancel = nullptr);

// Whether a request counts as a failure: an error, or an eval that failed.
bool isFailure(const Dataset& d, uint32_t request);

}  // namespace ps
