// Tick marks for a time axis measured from a trace's start: round steps (1, 2 or 5 times a power of ten
// nanoseconds) at least a given number of pixels apart, labelled in one unit chosen for the whole axis
// (µs, ms or s) with as many decimals as the step needs: "0", "250 ms", "1.5 s".
#pragma once

#include <QString>

#include <cstdint>
#include <vector>

namespace ps::trace {

struct TimeTicks {
    int64_t stepNs = 0;
    std::vector<int64_t> offsetsNs;  // tick positions from the axis origin, inside the view, ascending
    int64_t unitNs = 1000000;         // 1000 (µs), 1000000 (ms) or 1000000000 (s)
    int decimals = 0;
};

// Ticks of a view showing offsets [beginOffsetNs, endOffsetNs) across widthPx pixels, at least minSpacingPx
// apart. Empty for an empty view.
TimeTicks timeTicks(int64_t beginOffsetNs, int64_t endOffsetNs, int widthPx, int minSpacingPx);

// "0", "250 ms", "1.5 s", "−2 ms" (before the origin, under clock skew).
QString tickLabel(int64_t offsetNs, const TimeTicks& ticks);

}  // namespace ps::trace
