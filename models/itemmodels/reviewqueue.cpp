#include "reviewqueue.h"

#include <algorithm>

namespace ps {

std::vector<ReviewQueueItem> buildReviewQueue(const Dataset& d, const std::vector<ReviewCandidate>& candidates,
                                              const ReviewQueueSnapshot& snapshot, bool openOnly) {
    // The workspace's entries and labels keyed by the trace's id in the string pool, so that each of up to
    // millions of candidates costs two integer lookups (traces not in the data cannot be candidates).
    std::unordered_map<uint32_t, const QueueEntry*> storedByTrace;
    for (const QueueEntry& e : snapshot.stored) {
        if (const auto id = d.strings.find(e.traceId)) {
            storedByTrace[id->value] = &e;
        }
    }
    std::unordered_map<uint32_t, ReviewLabel> labelByTrace;
    for (const auto& [trace, label] : snapshot.labels) {
        if (const auto id = d.strings.find(trace)) {
            labelByTrace[id->value] = label;
        }
    }
    auto finish = [&](ReviewQueueItem& item, const QueueEntry* stored, std::optional<ReviewLabel> label) {
        if (stored) {
            item.state = stored->state;
            item.byHand = stored->origin == QueueOrigin::Hand;
            item.rules |= parseReviewRuleKeys(stored->reasons);
        }
        if (label) {
            item.label = label;
            if (item.state == QueueState::Open) {
                item.state = QueueState::Done;
            }
        }
    };
    auto keep = [openOnly](const ReviewQueueItem& item) { return !openOnly || item.state == QueueState::Open; };

    std::vector<ReviewQueueItem> out;
    out.reserve(candidates.size() + snapshot.stored.size());
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
        const auto label = snapshot.labels.find(e->traceId);
        finish(item, e, label == snapshot.labels.end() ? std::nullopt : std::optional<ReviewLabel>(label->second));
        if (keep(item)) {
            out.push_back(std::move(item));
        }
    }
    for (const ReviewCandidate& c : candidates) {
        const uint32_t trace = d.requests.traceId[c.request.value].value;
        const auto it = storedByTrace.find(trace);
        const QueueEntry* stored = it == storedByTrace.end() ? nullptr : it->second;
        if (stored && stored->origin == QueueOrigin::Hand) {
            continue;  // listed with the items added by hand
        }
        const auto label = labelByTrace.find(trace);
        ReviewQueueItem item;
        item.request = c.request;
        item.rules = c.rules;
        finish(item, stored, label == labelByTrace.end() ? std::nullopt : std::optional<ReviewLabel>(label->second));
        if (keep(item)) {
            item.traceId = std::string(d.str(StringId{trace}));
            item.requestId = stored ? stored->requestId : item.traceId;
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
