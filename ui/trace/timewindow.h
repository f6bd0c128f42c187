// The part of a trace's time range on screen: kept inside the trace, never narrower than 100 ns, zoomed around a
// point, panned, centred, and mapped to a scroll bar's integer scale. A value type, so the waterfall's zoom and
// pan rules can be checked without a widget.
#pragma once

#include <cstdint>

namespace ps::trace {

class TimeWindow {
public:
    static constexpr int64_t kMinWidthNs = 100;
    static constexpr int kScrollUnits = 100000;  // a scroll bar's scale for the whole trace

    // The trace's range; a trace of zero-length spans still gets a microsecond. Keeps the window inside.
    void setBounds(int64_t beginNs, int64_t endNs);
    [[nodiscard]] int64_t boundsBegin() const { return lo_; }
    [[nodiscard]] int64_t boundsEnd() const { return hi_; }

    // Sets the window, clamped into the bounds and to the minimum width; true when it changed.
    bool set(int64_t beginNs, int64_t endNs);
    bool fit() { return set(lo_, hi_); }
    // Scales the width by factor (< 1 zooms in), keeping pivotNs at the same share of the window.
    bool zoomAround(int64_t pivotNs, double factor);
    bool panBy(int64_t ns) { return set(begin_ + ns, end_ + ns); }
    // Same width, centred on the time at share (0..1) of the whole trace.
    bool centreOn(double share);
    // Brings [startNs, endNs) into the window: centred if it fits, else zoomed to it with a twentieth each side.
    // No change when it is on screen already.
    bool reveal(int64_t startNs, int64_t endNs);

    [[nodiscard]] int64_t begin() const { return begin_; }
    [[nodiscard]] int64_t end() const { return end_; }
    [[nodiscard]] int64_t width() const { return end_ - begin_; }

    // The window on a scroll bar of kScrollUnits: page size and position; and back.
    [[nodiscard]] int scrollPage() const;
    [[nodiscard]] int scrollValue() const;
    bool scrollTo(int value);

private:
    int64_t lo_ = 0;
    int64_t hi_ = 1000;
    int64_t begin_ = 0;
    int64_t end_ = 1000;
};

}  // namespace ps::trace
