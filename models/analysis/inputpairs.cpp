#include "inputpairs.h"

#include <algorithm>
#include <unordered_map>

namespace ps {
namespace {

// The last `limit` rows (rows are in start-time order, so the most recent).
std::vector<uint32_t> recent(const std::vector<uint32_t>& rows, size_t limit) {
    return rows.size() <= limit ? rows : std::vector<uint32_t>(rows.end() - static_cast<std::ptrdiff_t>(limit), rows.end());
}

}  // namespace

InputPairs sameInputPairs(const Dataset& d, const std::vector<uint32_t>& a, const std::vector<uint32_t>& b,
                          const UserInputProvider& inputOf, size_t maxPerSide,
                          const std::function<bool(size_t, size_t)>& progress) {
    InputPairs out;
    const std::vector<uint32_t> sideA = recent(a, maxPerSide);
    const std::vector<uint32_t> sideB = recent(b, maxPerSide);
    const size_t total = sideA.size() + sideB.size();
    size_t done = 0;
    auto step = [&] {
        ++done;
        if (progress && (done % 64 == 0 || done == total) && !progress(done, total)) {
            out.cancelled = true;
        }
        return !out.cancelled;
    };
    // Baseline requests by input, each list in start-time order.
    std::unordered_map<std::string, std::vector<uint32_t>> byInput;
    for (const uint32_t r : sideA) {
        std::string input = inputOf(RequestIndex{r});
        if (!input.empty()) {
            byInput[std::move(input)].push_back(r);
        }
        ++out.readA;
        if (!step()) {
            return out;
        }
    }
    const auto& start = d.requests.startNs;
    for (const uint32_t r : sideB) {
        std::string input = inputOf(RequestIndex{r});
        ++out.readB;
        if (!input.empty()) {
            const auto it = byInput.find(input);
            if (it != byInput.end()) {
                const std::vector<uint32_t>& rows = it->second;
                const auto closest = std::min_element(rows.begin(), rows.end(), [&](uint32_t x, uint32_t y) {
                    const int64_t dx = start[x] > start[r] ? start[x] - start[r] : start[r] - start[x];
                    const int64_t dy = start[y] > start[r] ? start[y] - start[r] : start[r] - start[y];
                    return dx < dy;
                });
                out.pairs.push_back({*closest, r, std::move(input)});
            }
        }
        if (!step()) {
            return out;
        }
    }
    std::stable_sort(out.pairs.begin(), out.pairs.end(),
                     [&](const InputPair& x, const InputPair& y) { return start[x.b] < start[y.b]; });
    return out;
}

}  // namespace ps
