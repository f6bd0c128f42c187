#include "valuecodes.h"

#include "hugepages.h"
#include "radixorder.h"

#include <bit>
#include <cstring>
#include <utility>

namespace ps {
namespace {

constexpr size_t kMaxCodes = 65000;  // below kNoValue, with room to spare
constexpr int kFineBits = 18;

// Doubles as unsigned keys in the same order.
uint64_t keyOf(double d) {
    uint64_t b;
    std::memcpy(&b, &d, sizeof b);
    return (b >> 63) ? ~b : (b | (uint64_t{1} << 63));
}

// Fine bins in value order: 0 holds the negative values, 1 the zeros, then 2^18 bins over the keys of the positive
// ones (their range cut by the keys' top bits: about 13,000 bins per doubling of the value for a range of 20
// doublings).
struct FineBins {
    uint64_t lo = 0;
    int shift = 0;
    size_t count = 2;

    explicit FineBins(std::span<const double> values) {
        uint64_t hi = 0;
        lo = UINT64_MAX;
        for (double v : values) {
            if (v > 0) {
                const uint64_t k = keyOf(v);
                lo = std::min(lo, k);
                hi = std::max(hi, k);
            }
        }
        if (lo > hi) {
            return;  // nothing positive
        }
        const int width = hi == lo ? 0 : 64 - std::countl_zero(hi - lo);
        shift = std::max(0, width - kFineBits);
        count = 2 + static_cast<size_t>((hi - lo) >> shift) + 1;
    }
    [[nodiscard]] size_t of(double v) const {
        if (v > 0) {
            return 2 + static_cast<size_t>((keyOf(v) - lo) >> shift);
        }
        return v < 0 ? 0 : 1;
    }
};

}  // namespace

ValueCodes buildValueCodes(std::span<const double> values) {
    ValueCodes out;
    const size_t n = values.size();
    reserveHuge(out.code, n);
    out.code.assign(n, ValueCodes::kNoValue);
    const FineBins fine(values);
    std::vector<uint32_t> inBin(fine.count, 0);
    size_t valid = 0;
    for (double v : values) {
        if (!std::isnan(v)) {
            ++inBin[fine.of(v)];
            ++valid;
        }
    }
    const size_t target = std::max<size_t>(1, (valid + kMaxCodes - 1) / kMaxCodes);
    // A fine bin with many rows is cut inside by its values: its rows are sorted (value, row) and every run of one
    // value can start a code. Smaller bins are kept whole.
    const size_t big = std::max<size_t>(64, 4 * target);
    std::vector<uint32_t> bigStart(fine.count + 1, 0);
    for (size_t b = 0; b < fine.count; ++b) {
        bigStart[b + 1] = bigStart[b] + (inBin[b] > big ? inBin[b] : 0);
    }
    std::vector<std::pair<double, uint32_t>> bigRows(bigStart[fine.count]);
    if (!bigRows.empty()) {
        std::vector<uint32_t> cursor(bigStart.begin(), bigStart.end() - 1);
        for (size_t i = 0; i < n; ++i) {
            if (!std::isnan(values[i])) {
                const size_t b = fine.of(values[i]);
                if (inBin[b] > big) {
                    bigRows[cursor[b]++] = {values[i], static_cast<uint32_t>(i)};
                }
            }
        }
    }
    // Codes in value order: a new code starts once the current one holds target rows, and for a unit of that many
    // rows or more (a run of one value keeps its own code then, and needs no walk).
    std::vector<uint16_t> codeOfBin(fine.count, 0);
    size_t code = 0;
    size_t inCode = 0;
    auto startUnit = [&](size_t rows) {
        if (inCode >= target || (inCode > 0 && rows >= target)) {
            ++code;
            inCode = 0;
        }
        inCode += rows;
    };
    for (size_t b = 0; b < fine.count; ++b) {
        if (inBin[b] == 0) {
            continue;
        }
        if (inBin[b] <= big) {
            startUnit(inBin[b]);
            codeOfBin[b] = static_cast<uint16_t>(code);
            continue;
        }
        auto first = bigRows.begin() + bigStart[b];
        auto last = bigRows.begin() + bigStart[b + 1];
        std::sort(first, last);
        for (auto run = first; run != last;) {
            auto end = run;
            while (end != last && end->first == run->first) {
                ++end;
            }
            startUnit(static_cast<size_t>(end - run));
            for (; run != end; ++run) {
                out.code[run->second] = static_cast<uint16_t>(code);
            }
        }
    }
    const size_t codes = valid == 0 ? 0 : code + 1;
    for (size_t i = 0; i < n; ++i) {
        if (!std::isnan(values[i])) {
            const size_t b = fine.of(values[i]);
            if (inBin[b] <= big) {
                out.code[i] = codeOfBin[b];
            }
        }
    }
    // Rows by code (rows ascending within a code), and each code's smallest and largest value.
    out.begin.assign(codes + 1, 0);
    out.lo.assign(codes, INFINITY);
    out.hi.assign(codes, -INFINITY);
    std::vector<uint32_t> key;
    resizeHuge(key, n);
    for (size_t i = 0; i < n; ++i) {
        const uint16_t c = out.code[i];
        key[i] = c;
        if (c != ValueCodes::kNoValue) {
            ++out.begin[c + 1];
            out.lo[c] = std::min(out.lo[c], values[i]);
            out.hi[c] = std::max(out.hi[c], values[i]);
        }
    }
    for (size_t c = 0; c < codes; ++c) {
        out.begin[c + 1] += out.begin[c];
    }
    out.order = rowsByKey(key, ValueCodes::kNoValue);
    return out;
}

LogBins::LogBins(const std::vector<double>& edges) : count_(std::max<size_t>(edges.size(), 2) - 1) {
    std::fill(std::begin(inner_), std::end(inner_), INFINITY);
    for (size_t b = 1; b + 1 < edges.size() && b <= 64; ++b) {
        inner_[b - 1] = edges[b];
    }
}

void CodeCounts::summarize() const {
    if (summarized_) {
        return;
    }
    total_ = 0;
    for (size_t k = 0; k < kBlocks; ++k) {
        uint64_t sum = 0;
        const size_t end = std::min<size_t>((k + 1) << kBlockBits, ValueCodes::kNoValue);  // kNoValue's slot left out
        for (size_t c = k << kBlockBits; c < end; ++c) {
            sum += count_[c];
        }
        block_[k] = sum;
        total_ += sum;
    }
    summarized_ = true;
}

}  // namespace ps
