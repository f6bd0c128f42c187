// The review queue as shown: what the rules pick in the current selection, merged with what the workspace
// holds (items added by hand, items already labelled or dismissed, and each trace's current label). Rule
// items follow the selection and the rules; items added by hand stay whatever the filter. Pure: runs on the
// thread pool with a snapshot of the workspace taken on the GUI thread.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "dataset.h"
#include "reviewrules.h"
#include "workspacerecords.h"

namespace ps {

struct ReviewQueueItem {
    std::string traceId;
    std::string requestId;
    RequestIndex request;  // invalid: the trace is not in the loaded data
    uint32_t rules = 0;    // ReviewRule bits: the rules matching now and those stored when it was queued
    bool byHand = false;
    QueueState state = QueueState::Open;  // Done when labelled, whichever way the label was given
    std::optional<ReviewLabel> label;
};

// What the workspace holds about the queue, read on the GUI thread.
struct ReviewQueueSnapshot {
    std::vector<QueueEntry> stored;
    std::unordered_map<std::string, ReviewLabel> labels;  // by trace id
};

// Items added by hand first (most recently added first), then the rule candidates in their order. openOnly
// drops items that are done or dismissed.
std::vector<ReviewQueueItem> buildReviewQueue(const Dataset& d,
                                              const std::vector<ReviewCandidate>& candidates,
                                              const ReviewQueueSnapshot& snapshot, bool openOnly);

// "Failed eval, Thumbs down" or "Added by hand" and the rules: why an item is in the queue, for people.
std::string reviewItemReasons(const ReviewQueueItem& item);

}  // namespace ps
