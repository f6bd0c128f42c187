#include "timeaxisticks.h"

#include <algorithm>
#include <cmath>

namespace ps::trace {

TimeTicks timeTicks(int64_t beginOffsetNs, int64_t endOffsetNs, int widthPx, int minSpacingPx) {
    TimeTicks t;
    if (endOffsetNs <= beginOffsetNs || widthPx <= 0) {
        return t;
    }
    const double nsPerPx = static_cast<double>(endOffsetNs - beginOffsetNs) / widthPx;
    const double wanted = std::max(1.0, nsPerPx * std::max(1, minSpacingPx));
    int64_t step = 1;
    while (true) {
        if (static_cast<double>(step) >= wanted) {
            break;
        }
        if (static_cast<double>(2 * step) >= wanted) {
            step *= 2;
            break;
        }
        if (static_cast<double>(5 * step) >= wanted) {
            step *= 5;
            break;
        }
        step *= 10;
    }
    t.stepNs = step;
    // One unit for the whole axis, from the larger end of the view, so labels do not switch units mid-axis; a
    // smaller one when the step would need more than three decimals of it (deep zoom into a long trace).
    const int64_t reach = std::max(std::abs(beginOffsetNs), std::abs(endOffsetNs));
    t.unitNs = reach >= 1000000000 ? 1000000000 : reach >= 1000000 ? 1000000 : 1000;
    auto decimalsFor = [step](int64_t unit) {
        int decimals = 0;
        for (int64_t scaled = step; scaled % unit != 0 && decimals < 9; scaled *= 10) {
            ++decimals;
        }
        return decimals;
    };
    t.decimals = decimalsFor(t.unitNs);
    while (t.decimals > 3 && t.unitNs > 1000) {
        t.unitNs /= 1000;
        t.decimals = decimalsFor(t.unitNs);
    }
    // First tick at or after the view's start (floor division, offsets may be negative).
    int64_t first = beginOffsetNs / step * step;
    if (first < beginOffsetNs) {
        first += step;
    }
    for (int64_t at = first; at < endOffsetNs; at += step) {
        t.offsetsNs.push_back(at);
    }
    return t;
}

QString tickLabel(int64_t offsetNs, const TimeTicks& ticks) {
    if (offsetNs == 0) {
        return QStringLiteral("0");
    }
    const char* unit = ticks.unitNs == 1000000000 ? "s" : ticks.unitNs == 1000000 ? "ms" : "µs";
    const double value = static_cast<double>(offsetNs) / static_cast<double>(ticks.unitNs);
    QString number = QString::number(std::abs(value), 'f', ticks.decimals);
    if (offsetNs < 0) {
        number.prepend(QChar(0x2212));
    }
    return number + QLatin1Char(' ') + QString::fromUtf8(unit);
}

}  // namespace ps::trace
