#include "reviewqueue.h"

#include <algorithm>

namespace ps {

std::vector<ReviewQueueItem> buildReviewQueue(const Dataset& d,
                                              const std::vector<ReviewCandidate>& candidates,
                                              const ReviewQueueSnapshot& snapshot, bool openOnly) {
    std::unordered_map<std::string_view, const QueueEntry*> storedByTrace;
    storedByTrace.reserve(snapshot.stored.size());
    for (const QueueEntry& e : snapshot.stored) {
        storedByTrace[e.traceId] = &e;
    }
    auto finish = [&](ReviewQueueItem& item, const QueueEntry* stored) {
        if (stored) {
            item.state = stored->state;
            item.byHand = stored->origin == QueueOrigin::Hand;
            item.rules |= parseReviewRuleKeys(stored->reasons);
        }
        if (const auto it = snapshot.labels.find(item.traceId); it != snapshot.labels.end()) {
            item.label = it->second;
            if (item.state == QueueState::Open) {
                item.state = QueueState::Done;
            }
        }
    };
    auto keep = [openOnly](const ReviewQueueItem& item) {
        return !openOnly || item.state == QueueState::Open;
    };

    std::vector<ReviewQueueItem> out;
    std::vector<const QueueEntry*> byHand;
    for (const QueueEntry& e : snapshot.stored) {
        if (e.origin == QueueOrigin::Hand) {
            byHand.push_back(&e);
        }
    }
    std::stable_sort(byHand.begin(), byHand.end(),
                     [](const QueueEntry* a, const QueueEntry* b) { return a->addedMs > b->addedMs; });
    for (const QueueEntry* e : byHand) {
        ReviewQueueItem item;
        item.traceId = e->traceId;
        item.requestId = e->requestId;
        item.request = d.findRequest(e->traceId);
        finish(item, e);
        if (keep(item)) {
            out.push_back(std::move(item));
        }
    }
    for (const ReviewCandidate& c : candidates) {
        ReviewQueueItem item;
        item.traceId = std::string(d.str(d.requests.traceId[c.request.value]));
        const auto it = storedByTrace.find(item.traceId);
        const QueueEntry* stored = it == storedByTrace.end() ? nullptr : it->second;
        if (stored && stored->origin == QueueOrigin::Hand) {
            continue;  // listed with the items added by hand
        }
        item.requestId = stored ? stored->requestId : item.traceId;
        item.request = c.request;
        item.rules = c.rules;
        finish(item, stored);
        if (keep(item)) {
            out.push_back(std::move(item));
        }
    }
    return out;
}

std::string reviewItemReasons(const ReviewQueueItem& item) {
    std::string out = item.byHand ? "Added by hand" : "";
    for (int i = 0; i < kReviewRuleCount; ++i) {
        if (item.rules & (1u << i)) {
            out += (out.empty() ? "" : ", ") + std::string(reviewRuleTitle(static_cast<ReviewRule>(1u << i)));
        }
    }
    return out;
}

}  // namespace ps
