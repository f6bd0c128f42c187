// The last few analysis results of one data set, by filter and grain. Going back in the filter history, resetting
// the filters or switching the grain back shows a result computed moments ago: it is answered from here at once
// instead of scanning a million rows again. Results are immutable and shared, so keeping them costs only memory;
// the total of selected rows bounds it.
#pragma once

#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "filter.h"
#include "grain.h"

namespace ps {

template <typename Result>
class RecentResults {
public:
    using Ptr = std::shared_ptr<const Result>;

    // rowsOf(result) says how many rows a result holds; the cache keeps at most maxEntries results and at most
    // maxRows rows in all (the newest result is kept whatever its size).
    explicit RecentResults(size_t maxEntries = 8, size_t maxRows = size_t{8} << 20)
        : maxEntries_(maxEntries), maxRows_(maxRows) {}

    [[nodiscard]] Ptr find(const Filter& filter, Grain grain) {
        for (size_t i = 0; i < entries_.size(); ++i) {
            if (entries_[i].grain == grain && entries_[i].filter == filter) {
                Entry hit = std::move(entries_[i]);
                entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(i));
                entries_.insert(entries_.begin(), std::move(hit));  // most recently used first
                return entries_.front().result;
            }
        }
        return nullptr;
    }

    void insert(const Filter& filter, Grain grain, Ptr result, size_t rows) {
        for (size_t i = 0; i < entries_.size(); ++i) {
            if (entries_[i].grain == grain && entries_[i].filter == filter) {
                entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(i));
                break;
            }
        }
        entries_.insert(entries_.begin(), Entry{filter, grain, std::move(result), rows});
        size_t total = 0;
        size_t keep = 0;
        while (keep < entries_.size() && keep < maxEntries_ && (keep == 0 || total + entries_[keep].rows <= maxRows_)) {
            total += entries_[keep].rows;
            ++keep;
        }
        entries_.resize(keep);
    }

    void clear() { entries_.clear(); }
    [[nodiscard]] size_t size() const { return entries_.size(); }

private:
    struct Entry {
        Filter filter;
        Grain grain = Grain::Request;
        Ptr result;
        size_t rows = 0;
    };
    std::vector<Entry> entries_;
    size_t maxEntries_;
    size_t maxRows_;
};

}  // namespace ps
