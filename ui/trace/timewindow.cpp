#include "timewindow.h"

#include <algorithm>
#include <cmath>

namespace ps::trace {

void TimeWindow::setBounds(int64_t beginNs, int64_t endNs) {
    lo_ = beginNs;
    hi_ = std::max(endNs, beginNs + 1000);
    set(begin_, end_);
}

bool TimeWindow::set(int64_t beginNs, int64_t endNs) {
    int64_t width = std::clamp<int64_t>(endNs - beginNs, kMinWidthNs, hi_ - lo_);
    if (width >= hi_ - lo_) {
        beginNs = lo_;
        width = hi_ - lo_;
    }
    beginNs = std::clamp(beginNs, lo_, hi_ - width);
    const bool changed = beginNs != begin_ || beginNs + width != end_;
    begin_ = beginNs;
    end_ = beginNs + width;
    return changed;
}

bool TimeWindow::zoomAround(int64_t pivotNs, double factor) {
    const int64_t w = width();
    const auto next = std::max<int64_t>(kMinWidthNs, std::llround(static_cast<double>(w) * factor));
    const double share = static_cast<double>(pivotNs - begin_) / static_cast<double>(std::max<int64_t>(1, w));
    const int64_t begin = pivotNs - std::llround(share * static_cast<double>(next));
    return set(begin, begin + next);
}

bool TimeWindow::centreOn(double share) {
    const int64_t centre = lo_ + std::llround(std::clamp(share, 0.0, 1.0) * static_cast<double>(hi_ - lo_));
    const int64_t w = width();
    return set(centre - w / 2, centre - w / 2 + w);
}

bool TimeWindow::reveal(int64_t startNs, int64_t endNs) {
    if (startNs >= begin_ && endNs <= end_) {
        return false;
    }
    const int64_t w = width();
    if (endNs - startNs > w) {
        const int64_t pad = (endNs - startNs) / 20;
        return set(startNs - pad, endNs + pad);
    }
    const int64_t centre = startNs + (endNs - startNs) / 2;
    return set(centre - w / 2, centre - w / 2 + w);
}

int TimeWindow::scrollPage() const {
    const auto range = static_cast<double>(hi_ - lo_);
    return std::clamp(static_cast<int>(std::llround(static_cast<double>(width()) / range * kScrollUnits)), 1,
                      kScrollUnits);
}

int TimeWindow::scrollValue() const {
    const auto range = static_cast<double>(hi_ - lo_);
    return static_cast<int>(std::llround(static_cast<double>(begin_ - lo_) / range * kScrollUnits));
}

bool TimeWindow::scrollTo(int value) {
    const auto range = static_cast<double>(hi_ - lo_);
    const int64_t begin = lo_ + std::llround(value / static_cast<double>(kScrollUnits) * range);
    return set(begin, begin + width());
}

}  // namespace ps::trace
