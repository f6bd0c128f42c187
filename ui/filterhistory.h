// Back and forward through the filters a user has applied, like a browser's history.
#pragma once

#include <vector>

#include "filter.h"

namespace ps {

class FilterHistory {
public:
    FilterHistory() : entries_{Filter{}} {}

    [[nodiscard]] const Filter& current() const { return entries_[at_]; }
    // A new filter: drops what was forward of the current one. The same filter again is not a new entry.
    void push(const Filter& f) {
        if (f == current()) {
            return;
        }
        entries_.resize(at_ + 1);
        entries_.push_back(f);
        at_ = entries_.size() - 1;
    }
    [[nodiscard]] bool canGoBack() const { return at_ > 0; }
    [[nodiscard]] bool canGoForward() const { return at_ + 1 < entries_.size(); }
    const Filter& back() {
        if (canGoBack()) {
            --at_;
        }
        return current();
    }
    const Filter& forward() {
        if (canGoForward()) {
            ++at_;
        }
        return current();
    }
    [[nodiscard]] size_t size() const { return entries_.size(); }

private:
    std::vector<Filter> entries_;
    size_t at_ = 0;
};

}  // namespace ps
