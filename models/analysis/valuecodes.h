// One numeric column of a data set (request latencies, model-call costs...) turned once into 16-bit codes that keep
// the values' order, so that the exact quantiles and the log histogram of any subset of rows come from its count
// per code: one increment per row, instead of copying and selecting the subset's values.
//
// Equal values always share a code, and codes are cut so that each holds about the same number of rows (about
// rows / 65,000; more only where one value repeats, or where values lie closer together than a 2^-18 share of their
// range). Reading a subset then looks at individual rows only inside the few codes that hold a wanted rank or
// straddle a histogram edge: it walks that code's rows (order) and keeps the subset's, asking the caller which
// rows are members. A code whose rows all have one value (lo == hi) needs no walk at all.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ps {

struct ValueCodes {
    static constexpr uint16_t kNoValue = 0xffff;  // a NaN: the row takes no part
    static constexpr size_t kSlots = 0x10000;     // counts per code, kNoValue's slot included and ignored

    std::vector<uint16_t> code;   // per row
    std::vector<uint32_t> begin;  // per code, and one more: code c's rows are order[begin[c]..begin[c + 1])
    std::vector<uint32_t> order;  // the rows with a value, by code; within a code by row
    std::vector<double> lo, hi;   // per code: its smallest and largest value

    [[nodiscard]] size_t codeCount() const { return lo.size(); }
};

// values[i]: row i's value, NaN for none.
ValueCodes buildValueCodes(std::span<const double> values);

// The bin of v among log histogram edges (logHistogramEdges): the number of inner edges at or below v. edges has at
// most 65 entries.
class LogBins {
public:
    explicit LogBins(const std::vector<double>& edges);
    [[nodiscard]] size_t binOf(double v) const {
        size_t pos = 0;
        for (size_t step = 32; step > 0; step >>= 1) {
            pos += inner_[pos + step - 1] <= v ? step : 0;
        }
        return pos;
    }
    // The bin's upper edge (infinity for the last bin).
    [[nodiscard]] double upper(size_t bin) const { return inner_[bin]; }
    [[nodiscard]] size_t count() const { return count_; }

private:
    double inner_[65];
    size_t count_ = 1;
};

// A subset's count per code, and what is read from it. Filled between reset() and the first reader, with add(code)
// or through data(), for each member row; member(row) and value(row), passed to the readers, say whether a row is
// in the subset and what its value is (asked only for the rows of the codes walked). The readers skip blocks of
// 256 codes without rows, so a small subset is read quickly too.
class CodeCounts {
public:
    void reset() {
        count_.assign(ValueCodes::kSlots, 0);
        summarized_ = false;
    }
    void add(uint16_t code) { ++count_[code]; }
    [[nodiscard]] uint32_t* data() { return count_.data(); }
    [[nodiscard]] uint64_t total() const {  // rows with a value
        summarize();
        return total_;
    }

    // out[j] = the type-7 quantile qs[j] of the subset's values (at most 8 quantiles); NaN when it has none.
    template <typename Member, typename Value>
    void quantiles(const ValueCodes& codes, std::span<const double> qs, double* out, Member member,
                   Value value) const;

    // The smallest value above 0 (INFINITY when none) and the largest (-INFINITY when the subset is empty).
    template <typename Member, typename Value>
    void extremes(const ValueCodes& codes, double* minPositive, double* max, Member member, Value value) const;

    // counts[b] += the subset's rows in bin b of bins.
    template <typename Member, typename Value>
    void binCounts(const ValueCodes& codes, const LogBins& bins, std::vector<uint64_t>& counts, Member member,
                   Value value) const;

private:
    static constexpr int kBlockBits = 8;
    static constexpr size_t kBlocks = ValueCodes::kSlots >> kBlockBits;

    void summarize() const;

    // The subset's values in code c, into values_ (unordered).
    template <typename Member, typename Value>
    void membersOf(const ValueCodes& codes, size_t c, Member member, Value value) const {
        values_.clear();
        for (uint32_t j = codes.begin[c]; j < codes.begin[c + 1]; ++j) {
            const uint32_t row = codes.order[j];
            if (member(row)) {
                values_.push_back(value(row));
            }
        }
    }
    // Every code with rows, ascending, while fn(code, count) returns true.
    template <typename Fn>
    void forEachCounted(size_t codeCount, Fn fn) const {
        summarize();
        for (size_t k = 0; k < kBlocks; ++k) {
            if (block_[k] == 0) {
                continue;
            }
            const size_t end = std::min(codeCount, (k + 1) << kBlockBits);
            for (size_t c = k << kBlockBits; c < end; ++c) {
                if (count_[c] != 0 && !fn(c, count_[c])) {
                    return;
                }
            }
        }
    }

    std::vector<uint32_t> count_ = std::vector<uint32_t>(ValueCodes::kSlots, 0);
    mutable std::vector<uint64_t> block_ = std::vector<uint64_t>(kBlocks, 0);  // rows per block of codes
    mutable uint64_t total_ = 0;
    mutable bool summarized_ = false;
    mutable std::vector<double> values_;
};

template <typename Member, typename Value>
void CodeCounts::quantiles(const ValueCodes& codes, std::span<const double> qs, double* out, Member member,
                           Value value) const {
    const uint64_t n = total();
    if (n == 0) {
        std::fill(out, out + qs.size(), NAN);
        return;
    }
    // The two ranks type 7 interpolates between, for each quantile, found in one sweep over the codes (whole
    // blocks skipped); the members of a code are gathered once for all the ranks inside it.
    uint64_t ranks[16];
    const size_t nq = std::min<size_t>(qs.size(), 8);
    for (size_t j = 0; j < nq; ++j) {
        const auto lo = static_cast<uint64_t>(std::floor(static_cast<double>(n - 1) * std::clamp(qs[j], 0.0, 1.0)));
        ranks[2 * j] = lo;
        ranks[2 * j + 1] = std::min(lo + 1, n - 1);
    }
    uint64_t sorted[16];
    std::copy(ranks, ranks + 2 * nq, sorted);
    std::sort(sorted, sorted + 2 * nq);
    double at[16];
    size_t k = 0;         // block
    size_t c = 0;         // code
    uint64_t before = 0;  // rows in the codes below c
    size_t gathered = ValueCodes::kSlots;
    for (size_t t = 0; t < 2 * nq; ++t) {
        const uint64_t rank = sorted[t];
        if (c == k << kBlockBits) {  // at a block's start: skip whole blocks below the rank
            while (before + block_[k] <= rank) {
                before += block_[k];
                ++k;
            }
            c = k << kBlockBits;
        }
        while (before + count_[c] <= rank) {
            before += count_[c];
            ++c;
        }
        k = c >> kBlockBits;
        if (codes.lo[c] == codes.hi[c]) {
            at[t] = codes.lo[c];
            continue;
        }
        if (gathered != c) {
            membersOf(codes, c, member, value);
            gathered = c;
        }
        const auto within = static_cast<std::ptrdiff_t>(rank - before);
        std::nth_element(values_.begin(), values_.begin() + within, values_.end());
        at[t] = values_[static_cast<size_t>(within)];
    }
    auto valueAt = [&](uint64_t rank) { return at[std::lower_bound(sorted, sorted + 2 * nq, rank) - sorted]; };
    for (size_t j = 0; j < nq; ++j) {
        const double h = static_cast<double>(n - 1) * std::clamp(qs[j], 0.0, 1.0);
        const double frac = h - std::floor(h);
        const double a = valueAt(ranks[2 * j]);
        out[j] = frac > 0 ? a + frac * (valueAt(ranks[2 * j + 1]) - a) : a;
    }
}

template <typename Member, typename Value>
void CodeCounts::extremes(const ValueCodes& codes, double* minPositive, double* max, Member member,
                          Value value) const {
    *minPositive = INFINITY;
    *max = -INFINITY;
    summarize();
    const size_t n = codes.codeCount();
    bool atMax = false;
    for (size_t k = kBlocks; k-- > 0 && !atMax;) {
        if (block_[k] == 0) {
            continue;
        }
        for (size_t c = std::min(n, (k + 1) << kBlockBits); c-- > (k << kBlockBits);) {
            if (count_[c] == 0) {
                continue;
            }
            if (codes.lo[c] == codes.hi[c]) {
                *max = codes.hi[c];
            } else {
                membersOf(codes, c, member, value);
                *max = *std::max_element(values_.begin(), values_.end());
            }
            atMax = true;
            break;
        }
    }
    forEachCounted(n, [&](size_t c, uint32_t) {
        if (!(codes.hi[c] > 0)) {
            return true;
        }
        if (codes.lo[c] > 0 && codes.lo[c] == codes.hi[c]) {
            *minPositive = codes.lo[c];
            return false;
        }
        membersOf(codes, c, member, value);
        for (double v : values_) {
            if (v > 0) {
                *minPositive = std::min(*minPositive, v);
            }
        }
        return *minPositive == INFINITY;
    });
}

template <typename Member, typename Value>
void CodeCounts::binCounts(const ValueCodes& codes, const LogBins& bins, std::vector<uint64_t>& counts,
                           Member member, Value value) const {
    // Codes ascending, so the bin of a code's smallest value only moves up: one sweep over codes and bins.
    size_t bin = 0;
    const size_t last = bins.count() - 1;
    forEachCounted(codes.codeCount(), [&](size_t c, uint32_t count) {
        while (bin < last && bins.upper(bin) <= codes.lo[c]) {
            ++bin;
        }
        if (codes.hi[c] < bins.upper(bin)) {
            counts[bin] += count;  // every value of the code falls in this bin
            return true;
        }
        membersOf(codes, c, member, value);
        for (double v : values_) {
            ++counts[std::min(bins.binOf(v), last)];
        }
        return true;
    });
}

}  // namespace ps
