#include "traceorder.h"

#include <algorithm>

namespace ps {

const TraceOrderResult& TraceOrderer::order(const std::vector<TraceOrderInput>& spans) {
    const auto k = static_cast<uint32_t>(spans.size());
    auto& r = result_;
    r.order.clear();
    r.parentPos.clear();
    r.orphans = r.duplicateIds = r.cycleBreaks = 0;

    // Parent lookup by id: a sorted (id, position) list; the first span with an id wins its children.
    byId_.resize(k);
    for (uint32_t i = 0; i < k; ++i) {
        byId_[i] = {spans[i].spanId, i};
    }
    std::sort(byId_.begin(), byId_.end());
    for (uint32_t i = 1; i < k; ++i) {
        if (byId_[i].first == byId_[i - 1].first && byId_[i].first != 0) {
            ++r.duplicateIds;
        }
    }
    parentLocal_.assign(k, kNoParent);
    for (uint32_t i = 0; i < k; ++i) {
        const uint64_t p = spans[i].parentSpanId;
        if (p == 0) {
            continue;
        }
        auto it = std::lower_bound(byId_.begin(), byId_.end(), std::pair<uint64_t, uint32_t>{p, 0});
        if (it == byId_.end() || it->first != p || it->second == i) {
            ++r.orphans;
            continue;
        }
        parentLocal_[i] = it->second;
    }

    // Siblings ordered by start, then longer first (an enclosing span before what it encloses), then input order.
    byStart_.resize(k);
    for (uint32_t i = 0; i < k; ++i) {
        byStart_[i] = i;
    }
    std::sort(byStart_.begin(), byStart_.end(), [&spans](uint32_t a, uint32_t b) {
        if (spans[a].startNs != spans[b].startNs) {
            return spans[a].startNs < spans[b].startNs;
        }
        if (spans[a].durationNs != spans[b].durationNs) {
            return spans[a].durationNs > spans[b].durationNs;
        }
        return a < b;
    });

    auto buildChildren = [&] {
        // Children lists by counting sort over parents, kept in start order. Bucket k holds the roots.
        childBegin_.assign(k + 2, 0);
        for (uint32_t i = 0; i < k; ++i) {
            const uint32_t p = parentLocal_[i] == kNoParent ? k : parentLocal_[i];
            ++childBegin_[p + 1];
        }
        for (uint32_t i = 0; i <= k; ++i) {
            childBegin_[i + 1] += childBegin_[i];
        }
        cursor_.assign(childBegin_.begin(), childBegin_.end() - 1);
        children_.resize(k);
        for (uint32_t i : byStart_) {
            const uint32_t p = parentLocal_[i] == kNoParent ? k : parentLocal_[i];
            children_[cursor_[p]++] = i;
        }
    };
    auto walk = [&](uint32_t start) {
        stack_.clear();
        stack_.push_back(start);
        while (!stack_.empty()) {
            const uint32_t x = stack_.back();
            stack_.pop_back();
            if (visited_[x]) {
                continue;
            }
            visited_[x] = 1;
            outPos_[x] = static_cast<uint32_t>(r.order.size());
            r.order.push_back(x);
            r.parentPos.push_back(parentLocal_[x] == kNoParent ? kNoParent : outPos_[parentLocal_[x]]);
            for (uint32_t c = childBegin_[x + 1]; c > childBegin_[x]; --c) {
                const uint32_t child = children_[c - 1];
                if (!visited_[child]) {
                    stack_.push_back(child);
                }
            }
        }
    };
    auto walkAll = [&] {
        visited_.assign(k, 0);
        outPos_.assign(k, kNoParent);
        r.order.clear();
        r.parentPos.clear();
        for (uint32_t c = childBegin_[k]; c < childBegin_[k + 1]; ++c) {
            walk(children_[c]);
        }
    };

    buildChildren();
    r.order.reserve(k);
    r.parentPos.reserve(k);
    walkAll();
    if (r.order.size() < k) {
        // What no root reaches hangs off a cycle. Cut the link of the earliest span of each cycle, then walk again
        // so that the cut spans take their place among the roots by start time.
        for (uint32_t i : byStart_) {
            if (!visited_[i]) {
                parentLocal_[i] = kNoParent;
                ++r.cycleBreaks;
                walk(i);
            }
        }
        buildChildren();
        walkAll();
    }
    return r;
}

}  // namespace ps
