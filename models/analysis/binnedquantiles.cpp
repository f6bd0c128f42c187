#include "binnedquantiles.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace ps {

void BinnedQuantiles::reset(size_t groups, int bits) {
    bits_ = bits;
    shift_ = 16 - bits;
    hist_.assign(groups << bits, 0);
    // Only the cells planned last time are marked: unmark them instead of rewriting the whole table.
    if (slot_.size() != hist_.size()) {
        slot_.assign(hist_.size(), kNone);
    } else {
        for (uint32_t s = 0; s < slots_; ++s) {
            slot_[cellOfSlot_[s]] = kNone;
        }
    }
    plans_.assign(groups, Plan{});
    cellOfSlot_.clear();
    beforeSlot_.clear();
    slots_ = 0;
}

void BinnedQuantiles::plan(uint32_t group, uint64_t n, std::span<const double> qs) {
    Plan& p = plans_[group];
    p.n = n;
    p.qs = qs;
    p.firstSlot = slots_;
    p.slots = 0;
    if (n == 0) {
        return;
    }
    std::array<uint64_t, 6> ranks{};
    const size_t count = 2 * std::min<size_t>(qs.size(), 3);
    for (size_t j = 0; j < count / 2; ++j) {
        const auto lo = static_cast<uint64_t>(std::floor(static_cast<double>(n - 1) * qs[j]));
        ranks[2 * j] = lo;
        ranks[2 * j + 1] = std::min(lo + 1, n - 1);
    }
    std::sort(ranks.begin(), ranks.begin() + static_cast<std::ptrdiff_t>(count));
    const size_t base = size_t{group} << bits_;
    const size_t bins = size_t{1} << bits_;
    uint64_t cumulative = 0;
    size_t t = 0;
    for (size_t b = 0; b < bins && t < count; ++b) {
        const uint32_t inBin = hist_[base + b];
        bool wanted = false;
        while (t < count && ranks[t] < cumulative + inBin) {
            wanted = true;
            ++t;
        }
        if (wanted) {
            slot_[base + b] = slots_;
            cellOfSlot_.push_back(base + b);
            beforeSlot_.push_back(cumulative);
            if (members_.size() <= slots_) {
                members_.resize(slots_ + 1);
            }
            members_[slots_].clear();
            ++slots_;
            ++p.slots;
        }
        cumulative += inBin;
    }
}

double BinnedQuantiles::valueAt(const Plan& p, uint64_t rank) {
    uint32_t s = p.firstSlot;
    while (s + 1 < p.firstSlot + p.slots && beforeSlot_[s + 1] <= rank) {
        ++s;
    }
    std::vector<double>& m = members_[s];
    const auto within = static_cast<std::ptrdiff_t>(rank - beforeSlot_[s]);
    std::nth_element(m.begin(), m.begin() + within, m.end());
    return m[static_cast<size_t>(within)];
}

void BinnedQuantiles::finish(uint32_t group, double* out) {
    const Plan& p = plans_[group];
    for (size_t j = 0; j < p.qs.size(); ++j) {
        if (p.n == 0) {
            out[j] = NAN;
            continue;
        }
        const double h = static_cast<double>(p.n - 1) * p.qs[j];
        const auto lo = static_cast<uint64_t>(std::floor(h));
        const double frac = h - std::floor(h);
        const double a = valueAt(p, lo);
        out[j] = frac > 0 ? a + frac * (valueAt(p, std::min(lo + 1, p.n - 1)) - a) : a;
    }
}

}  // namespace ps
