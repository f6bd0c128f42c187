#include "multipletesting.h"

#include <algorithm>
#include <cmath>

namespace ps::stats {

std::vector<double> benjaminiHochberg(std::span<const double> pValues) {
    std::vector<double> adjusted(pValues.begin(), pValues.end());
    std::vector<size_t> order;
    for (size_t i = 0; i < pValues.size(); ++i) {
        if (!std::isnan(pValues[i])) {
            order.push_back(i);
        }
    }
    std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return pValues[x] < pValues[y]; });
    const auto m = static_cast<double>(order.size());
    double running = 1.0;
    for (size_t rank = order.size(); rank-- > 0;) {
        const size_t i = order[rank];
        running = std::min(running, pValues[i] * m / static_cast<double>(rank + 1));
        adjusted[i] = running;
    }
    return adjusted;
}

}  // namespace ps::stats
