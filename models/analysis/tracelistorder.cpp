#include "tracelistorder.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>

#include "hugepages.h"

namespace ps {
namespace {

constexpr unsigned kDigitBits = 11;
constexpr size_t kBuckets = size_t{1} << kDigitBits;
constexpr uint64_t kMissing = UINT64_MAX;

bool cancelled(const std::atomic<bool>* cancel) {
    return cancel != nullptr && cancel->load(std::memory_order_relaxed);
}

// A double as an unsigned key with the same order (negative values flipped whole, positive ones get the sign
// bit), so that the radix sort can order costs. -0 counts as 0, as it does for operator<.
uint64_t doubleKey(double v) {
    if (v == 0) {
        v = 0.0;
    }
    const auto bits = std::bit_cast<uint64_t>(v);
    return (bits >> 63) != 0 ? ~bits : bits | (uint64_t{1} << 63);
}

uint64_t signedKey(int64_t v) {
    return static_cast<uint64_t>(v) ^ (uint64_t{1} << 63);
}

// The first eight bytes of a string, big-endian, zero-padded: orders like the text except among strings that
// share those bytes (or differ only by trailing NULs), which are then compared in full.
uint64_t prefixKey(std::string_view s) {
    uint64_t key = 0;
    const size_t n = std::min<size_t>(8, s.size());
    for (size_t i = 0; i < n; ++i) {
        key |= static_cast<uint64_t>(static_cast<unsigned char>(s[i])) << (56 - 8 * i);
    }
    return key;
}

uint64_t keyOf(const Dataset& d, uint32_t row, TraceColumn column, const std::vector<uint32_t>& ranks) {
    const RequestColumns& rq = d.requests;
    const RequestIndex r{row};
    switch (column) {
        case TraceColumn::TraceId:
            return ranks[rq.traceId[row].value];
        case TraceColumn::Time:
            return signedKey(rq.startNs[row]);
        case TraceColumn::Feature:
            return ranks[rq.feature[row].value];
        case TraceColumn::PromptVersion:
            return (static_cast<uint64_t>(ranks[rq.promptName[row].value]) << 32) |
                   ranks[rq.promptVersion[row].value];
        case TraceColumn::Models:
            return (static_cast<uint64_t>(ranks[rq.model[row].value]) << 32) | otherModelCount(d, r);
        case TraceColumn::Duration:
            return signedKey(rq.durationNs[row]);
        case TraceColumn::Cost:
            return std::isnan(rq.costUsd[row]) ? kMissing : doubleKey(rq.costUsd[row]);
        case TraceColumn::Tokens:
            return uint64_t{rq.inputTokens[row]} + rq.outputTokens[row];
        case TraceColumn::Status:
            return statusOrdinal(d, r);
        case TraceColumn::FailedEvals:
            return rq.evalFail[row];
        case TraceColumn::Feedback:
            return static_cast<uint64_t>(feedbackOf(d, r) + 1);
    }
    return 0;
}

}  // namespace

bool sortNeedsStringRanks(TraceColumn column) {
    return column == TraceColumn::TraceId || column == TraceColumn::Feature ||
           column == TraceColumn::PromptVersion || column == TraceColumn::Models;
}

uint32_t otherModelCount(const Dataset& d, RequestIndex r) {
    const StringId own = d.requests.model[r.value];
    // Few calls per request and fewer models among them: a small list beats any set. Past 16 distinct models
    // the count is an upper bound (repeats are no longer recognised), which no real request reaches.
    std::array<StringId, 16> seen{};
    size_t stored = 0;
    uint32_t count = 0;
    const uint32_t end = d.generationEnd(r);
    for (uint32_t g = d.requests.firstGeneration[r.value]; g < end; ++g) {
        const StringId m = d.generations.model[g];
        const auto storedEnd = seen.begin() + static_cast<ptrdiff_t>(stored);
        if (m.isEmpty() || m == own || std::find(seen.begin(), storedEnd, m) != storedEnd) {
            continue;
        }
        if (stored < seen.size()) {
            seen[stored++] = m;
        }
        ++count;
    }
    return count;
}

uint32_t statusOrdinal(const Dataset& d, RequestIndex r) {
    const uint16_t flags = d.requests.flags[r.value];
    if ((flags & kRequestError) != 0) {
        return 2 + static_cast<uint32_t>(d.requests.errorClass[r.value]);
    }
    return (flags & kRequestRefusal) != 0 ? 1 : 0;
}

int feedbackOf(const Dataset& d, RequestIndex r) {
    const uint16_t flags = d.requests.flags[r.value];
    const bool up = (flags & kRequestThumbsUp) != 0;
    const bool down = (flags & kRequestThumbsDown) != 0;
    return up == down ? 0 : (up ? 1 : -1);
}

bool radixSortByKey(std::vector<uint64_t>& keys, std::vector<uint32_t>& payloads, RadixScratch& scratch,
                    const std::atomic<bool>* cancel) {
    const size_t n = keys.size();
    if (n < 2) {
        return true;
    }
    uint64_t lo = keys[0];
    uint64_t hi = keys[0];
    bool ordered = true;
    bool reversed = true;
    for (size_t i = 1; i < n; ++i) {
        lo = std::min(lo, keys[i]);
        hi = std::max(hi, keys[i]);
        ordered &= keys[i - 1] <= keys[i];
        reversed &= keys[i - 1] >= keys[i];
    }
    if (ordered) {
        return true;  // already in order (time ascending, a column of one value): nothing to move
    }
    if (reversed) {
        // In reverse order (newest first, the list's default): reversed whole, then each run of equal keys
        // reversed back so that it keeps its original order.
        std::reverse(keys.begin(), keys.end());
        std::reverse(payloads.begin(), payloads.end());
        for (size_t b = 0; b < n;) {
            size_t e = b + 1;
            while (e < n && keys[e] == keys[b]) {
                ++e;
            }
            std::reverse(payloads.begin() + static_cast<ptrdiff_t>(b),
                         payloads.begin() + static_cast<ptrdiff_t>(e));
            b = e;
        }
        return true;
    }
    // Only the bits in which keys differ from the smallest one need sorting.
    const unsigned bits = 64 - static_cast<unsigned>(std::countl_zero(hi - lo));
    const unsigned passes = (bits + kDigitBits - 1) / kDigitBits;
    std::vector<std::array<uint32_t, kBuckets>> counts(passes);
    for (auto& c : counts) {
        c.fill(0);
    }
    for (size_t i = 0; i < n; ++i) {
        const uint64_t k = keys[i] - lo;
        for (unsigned p = 0; p < passes; ++p) {
            ++counts[p][(k >> (p * kDigitBits)) & (kBuckets - 1)];
        }
    }
    std::vector<uint64_t>& keysOut = scratch.keys;
    std::vector<uint32_t>& payloadsOut = scratch.payloads;
    if (keysOut.capacity() < n) {
        keysOut.clear();
        reserveHuge(keysOut, n);
    }
    if (payloadsOut.capacity() < n) {
        payloadsOut.clear();
        reserveHuge(payloadsOut, n);
    }
    keysOut.resize(n);
    payloadsOut.resize(n);
    for (unsigned p = 0; p < passes; ++p) {
        if (cancelled(cancel)) {
            return false;
        }
        auto& count = counts[p];
        if (std::find(count.begin(), count.end(), static_cast<uint32_t>(n)) != count.end()) {
            continue;  // every key has the same digit here
        }
        uint32_t sum = 0;
        for (auto& c : count) {
            const uint32_t here = c;
            c = sum;
            sum += here;
        }
        const unsigned shift = p * kDigitBits;
        for (size_t i = 0; i < n; ++i) {
            const uint32_t at = count[((keys[i] - lo) >> shift) & (kBuckets - 1)]++;
            keysOut[at] = keys[i];
            payloadsOut[at] = payloads[i];
        }
        keys.swap(keysOut);
        payloads.swap(payloadsOut);
    }
    return true;
}

std::vector<uint32_t> rankStrings(const StringPool& pool, const std::atomic<bool>* cancel) {
    const size_t n = pool.size();
    std::vector<uint64_t> keys;
    std::vector<uint32_t> ids;
    resizeHuge(keys, n);
    resizeHuge(ids, n);
    for (size_t i = 0; i < n; ++i) {
        keys[i] = prefixKey(pool.view(StringId{static_cast<uint32_t>(i)}));
        ids[i] = static_cast<uint32_t>(i);
    }
    RadixScratch scratch;
    if (!radixSortByKey(keys, ids, scratch, cancel)) {
        return {};
    }
    // Runs of equal prefixes: most ids differ in their first eight bytes; the rest are sorted in full.
    auto text = [&pool](uint32_t id) { return pool.view(StringId{id}); };
    for (size_t b = 0; b < n;) {
        size_t e = b + 1;
        while (e < n && keys[e] == keys[b]) {
            ++e;
        }
        if (e - b > 1) {
            std::sort(ids.begin() + static_cast<ptrdiff_t>(b), ids.begin() + static_cast<ptrdiff_t>(e),
                      [&](uint32_t x, uint32_t y) { return text(x) < text(y); });
        }
        b = e;
    }
    std::vector<uint32_t> rank;
    resizeHuge(rank, n);
    for (size_t i = 0; i < n; ++i) {
        rank[ids[i]] = static_cast<uint32_t>(i);
    }
    return rank;
}

TraceOrder sortTraceRows(const Dataset& d, std::span<const uint32_t> rows, TraceColumn column,
                         bool descending, const std::vector<uint32_t>& ranks,
                         const std::atomic<bool>* cancel) {
    TraceOrder out;
    const size_t n = rows.size();
    // Each pool thread keeps its buffers from one sort to the next: 20 bytes a row (100 MB at 5 million
    // rows).
    thread_local std::vector<uint64_t> keys;
    thread_local RadixScratch scratch;
    if (keys.capacity() < n) {
        keys.clear();
        reserveHuge(keys, n);
    }
    keys.resize(n);
    for (size_t i = 0; i < n; ++i) {
        const uint64_t k = keyOf(d, rows[i], column, ranks);
        keys[i] = descending && k != kMissing ? ~k : k;
        if ((i & 0xffff) == 0 && cancelled(cancel)) {
            out.cancelled = true;
            return out;
        }
    }
    reserveHuge(out.rows, n);
    out.rows.assign(rows.begin(), rows.end());
    out.cancelled = !radixSortByKey(keys, out.rows, scratch, cancel);
    if (out.cancelled) {
        out.rows.clear();
    }
    return out;
}

}  // namespace ps
