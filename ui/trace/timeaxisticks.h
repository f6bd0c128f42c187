// Tick marks for a time axis measured from a trace's start: round steps (1, 2 or 5 times a power of ten below a
// second; 1, 2, 5, 10, 15 or 30 seconds or minutes; 1, 2, 3, 6 or 12 hours; whole days) at least a given number
// of pixels apart. Axes reaching under a minute are labelled in one unit (µs, ms or s) with as many decimals as
// the step needs: "0", "250 ms", "1.5 s"; longer ones read as a clock: "4:30", "6:44:30", "6:44:30.25".
#pragma once

#include <QString>

#include <cstdint>
#include <vector>

namespace ps::trace {

struct TimeTicks {
    int64_t stepNs = 0;
    std::vector<int64_t> offsetsNs;  // tick positions from the axis origin, inside the view, ascending
    int64_t unitNs = 1000000;         // 1000 (µs), 1000000 (ms) or 1000000000 (s) when not a clock
    int decimals = 0;                 // of the unit, or of seconds on a clock
    bool clock = false;               // m:ss or h:mm:ss
    bool hours = false;               // a clock with hours
};

// Ticks of a view showing offsets [beginOffsetNs, endOffsetNs) across widthPx pixels, at least minSpacingPx
// apart. Empty for an empty view.
TimeTicks timeTicks(int64_t beginOffsetNs, int64_t endOffsetNs, int widthPx, int minSpacingPx);

// "0", "250 ms", "1.5 s", "−2 ms" (before the origin, under clock skew), "4:30", "6:44:30".
QString tickLabel(int64_t offsetNs, const TimeTicks& ticks);

}  // namespace ps::trace
