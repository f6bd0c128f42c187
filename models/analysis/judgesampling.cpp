#include "judgesampling.h"

#include <algorithm>

namespace ps {

uint64_t requestHash(std::string_view traceId) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const char c : traceId) {
        h ^= static_cast<uint8_t>(c);
        h *= 0x100000001b3ULL;
    }
    h += 0x9e3779b97f4a7c15ULL;
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

double requestHashFraction(std::string_view traceId) {
    return static_cast<double>(requestHash(traceId) >> 11) * 0x1.0p-53;
}

bool sampledForJudging(std::string_view traceId, double rate) {
    return requestHashFraction(traceId) < rate;
}

JudgeQueue buildJudgeQueue(const Dataset& d, const Selection& selection, double rate, size_t limit) {
    JudgeQueue queue;
    queue.rate = rate;
    queue.requests = selection.requests.size();
    std::vector<JudgeQueueRow> flagged, sampled;
    // The most recent first: the selection is in start order.
    for (auto it = selection.requests.rbegin(); it != selection.requests.rend(); ++it) {
        const uint32_t r = *it;
        uint8_t reasons = 0;
        if (d.requests.evalFail[r] > 0) {
            reasons |= kJudgeFailedEval;
        }
        if (d.requests.flags[r] & kRequestThumbsDown) {
            reasons |= kJudgeThumbsDown;
        }
        if (sampledForJudging(d.str(d.requests.traceId[r]), rate)) {
            reasons |= kJudgeSampled;
        }
        if (reasons & (kJudgeFailedEval | kJudgeThumbsDown)) {
            ++queue.flagged;
            if (flagged.size() < limit) {
                flagged.push_back({RequestIndex(r), reasons});
            }
        } else if (reasons & kJudgeSampled) {
            ++queue.sampled;
            if (sampled.size() < limit) {
                sampled.push_back({RequestIndex(r), reasons});
            }
        }
    }
    queue.rows = std::move(flagged);
    for (const JudgeQueueRow& row : sampled) {
        if (queue.rows.size() >= limit) {
            break;
        }
        queue.rows.push_back(row);
    }
    return queue;
}

}  // namespace ps
