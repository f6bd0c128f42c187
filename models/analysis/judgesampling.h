// Sample-and-judge: which requests go to an LLM judge (or a human) when judging everything costs too much.
// Flagged requests (a failed eval or a thumbs-down) always go, first; the others are sampled by a hash of their
// trace id, so the same request is sampled on every machine, in every run and under every filter, and raising the
// rate only adds requests (a request sampled at 5% is also sampled at 10%).
//
// The hash is 64-bit FNV-1a over the id's bytes, finished with the splitmix64 mixer (FNV alone leaves the high
// bits of similar ids correlated); a request is sampled at rate r when hash / 2^64 < r.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "dataset.h"
#include "selection.h"

namespace ps {

enum JudgeReason : uint8_t { kJudgeFailedEval = 1, kJudgeThumbsDown = 2, kJudgeSampled = 4 };

struct JudgeQueueRow {
    RequestIndex request;
    uint8_t reasons = 0;  // JudgeReason bits; kJudgeSampled also on flagged requests whose hash is under the rate
};

struct JudgeQueue {
    double rate = 0;
    uint64_t requests = 0;  // selected
    uint64_t flagged = 0;
    uint64_t sampled = 0;   // unflagged requests sampled by hash
    std::vector<JudgeQueueRow> rows;  // flagged first, then sampled; the most recent first within each; at most limit
};

uint64_t requestHash(std::string_view traceId);
// hash / 2^64 in [0, 1).
double requestHashFraction(std::string_view traceId);
bool sampledForJudging(std::string_view traceId, double rate);

JudgeQueue buildJudgeQueue(const Dataset& d, const Selection& selection, double rate, size_t limit);

}  // namespace ps
