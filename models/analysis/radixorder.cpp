#include "radixorder.h"

#include <array>

#include "hugepages.h"

namespace ps {

std::vector<uint32_t> rowsByKey(std::span<const uint32_t> key, uint32_t skip) {
    // Records (key << 32 | row), built in row order: sorting them by their key digits alone keeps rows ascending.
    std::vector<uint64_t> a;
    reserveHuge(a, key.size());
    std::array<std::array<uint32_t, 256>, 4> count{};
    for (size_t i = 0; i < key.size(); ++i) {
        const uint32_t k = key[i];
        if (k == skip) {
            continue;
        }
        a.push_back(uint64_t{k} << 32 | i);
        for (size_t d = 0; d < 4; ++d) {
            ++count[d][(k >> (8 * d)) & 0xff];
        }
    }
    std::vector<uint64_t> b;
    resizeHuge(b, a.size());
    for (size_t d = 0; d < 4; ++d) {
        const std::array<uint32_t, 256>& c = count[d];
        bool oneDigit = false;  // every key has the same digit here: the pass would change nothing
        for (uint32_t n : c) {
            oneDigit = oneDigit || n == a.size();
        }
        if (oneDigit || a.empty()) {
            continue;
        }
        std::array<uint32_t, 256> cursor{};
        uint32_t sum = 0;
        for (size_t v = 0; v < 256; ++v) {
            cursor[v] = sum;
            sum += c[v];
        }
        const int shift = 32 + 8 * static_cast<int>(d);
        for (uint64_t r : a) {
            b[cursor[(r >> shift) & 0xff]++] = r;
        }
        a.swap(b);
    }
    std::vector<uint32_t> rows;
    resizeHuge(rows, a.size());
    for (size_t i = 0; i < a.size(); ++i) {
        rows[i] = static_cast<uint32_t>(a[i]);
    }
    return rows;
}

}  // namespace ps
