// Exact quantiles of many groups of rows at once (the overview's time buckets), from their ValueCodes: a small
// histogram per group of the codes' top bits, filled during a pass over the rows, tells the bins that hold each
// group's wanted ranks; a second pass collects the values of the rows in those bins only, and a selection inside
// each finishes the quantile. As the codes split the data set's values into equal shares, a bin holds about its
// share of the group's rows, however skewed the values are.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ps {

class BinnedQuantiles {
public:
    // groups histograms of 2^bits bins (at most 2^16).
    void reset(size_t groups, int bits);
    void add(uint32_t group, uint16_t code) { ++hist_[(size_t{group} << bits_) | (code >> shift_)]; }
    // For hot loops: cell (group << bits() | code >> shift()) of hist(), kept in registers.
    [[nodiscard]] uint32_t* hist() { return hist_.data(); }
    [[nodiscard]] const uint32_t* slots() const { return slot_.data(); }
    [[nodiscard]] int bits() const { return bits_; }
    [[nodiscard]] int shift() const { return shift_; }
    static constexpr uint32_t kNone = UINT32_MAX;  // slots(): a cell without a member list
    // Plans the ranks of the quantiles qs (at most 3, ascending, alive until finish) over the group's n values.
    void plan(uint32_t group, uint64_t n, std::span<const double> qs);
    [[nodiscard]] bool anyPlanned() const { return !members_.empty() && slots_ > 0; }
    [[nodiscard]] bool wants(uint32_t group, uint16_t code) const {
        return slot_[(size_t{group} << bits_) | (code >> shift_)] != kNone;
    }
    void collect(uint32_t group, uint16_t code, double value) {
        members_[slot_[(size_t{group} << bits_) | (code >> shift_)]].push_back(value);
    }
    // out[j] = the group's quantile qs[j] (NaN without values).
    void finish(uint32_t group, double* out);

private:
    struct Plan {
        uint64_t n = 0;
        std::span<const double> qs;
        uint32_t firstSlot = 0;
        uint32_t slots = 0;
    };

    [[nodiscard]] double valueAt(const Plan& p, uint64_t rank);

    int bits_ = 0;
    int shift_ = 16;
    std::vector<uint32_t> hist_;
    std::vector<uint32_t> slot_;  // per histogram cell: its member list, or kNone
    std::vector<Plan> plans_;
    std::vector<size_t> cellOfSlot_;
    std::vector<uint64_t> beforeSlot_;  // the group's values in the bins below the slot's
    std::vector<std::vector<double>> members_;
    uint32_t slots_ = 0;
};

}  // namespace ps
