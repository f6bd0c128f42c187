#include "timeaxisticks.h"

#include <algorithm>
#include <cmath>

namespace ps::trace {
namespace {

constexpr int64_t kSecond = 1000000000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;

// The smallest round step of at least `wanted` nanoseconds.
int64_t roundStep(double wanted) {
    for (int64_t power = 1; power < kSecond; power *= 10) {
        for (int64_t f : {1, 2, 5}) {
            if (static_cast<double>(f * power) >= wanted) {
                return f * power;
            }
        }
    }
    static constexpr int64_t kClockSteps[] = {kSecond,      2 * kSecond,  5 * kSecond, 10 * kSecond, 15 * kSecond,
                                              30 * kSecond, kMinute,      2 * kMinute, 5 * kMinute,  10 * kMinute,
                                              15 * kMinute, 30 * kMinute, kHour,       2 * kHour,    3 * kHour,
                                              6 * kHour,    12 * kHour,   24 * kHour};
    for (int64_t step : kClockSteps) {
        if (static_cast<double>(step) >= wanted) {
            return step;
        }
    }
    const auto days = static_cast<int64_t>(std::ceil(wanted / static_cast<double>(24 * kHour)));
    return days * 24 * kHour;
}

// Decimals that show multiples of step exactly in the given unit.
int decimalsFor(int64_t step, int64_t unit) {
    int decimals = 0;
    for (int64_t scaled = step; scaled % unit != 0 && decimals < 9; scaled *= 10) {
        ++decimals;
    }
    return decimals;
}

}  // namespace

TimeTicks timeTicks(int64_t beginOffsetNs, int64_t endOffsetNs, int widthPx, int minSpacingPx) {
    TimeTicks t;
    if (endOffsetNs <= beginOffsetNs || widthPx <= 0) {
        return t;
    }
    const double nsPerPx = static_cast<double>(endOffsetNs - beginOffsetNs) / widthPx;
    const int64_t step = roundStep(std::max(1.0, nsPerPx * std::max(1, minSpacingPx)));
    t.stepNs = step;
    const int64_t reach = std::max(std::abs(beginOffsetNs), std::abs(endOffsetNs));
    if (reach >= kMinute) {
        t.clock = true;
        t.hours = reach >= kHour;
        t.unitNs = kSecond;
        t.decimals = decimalsFor(step, kSecond);
    } else {
        // One unit for the whole axis, from the larger end of the view, so labels do not switch units mid-axis;
        // a smaller one when the step would need more than three decimals of it (deep zoom).
        t.unitNs = reach >= kSecond ? kSecond : reach >= 1000000 ? 1000000 : 1000;
        t.decimals = decimalsFor(step, t.unitNs);
        while (t.decimals > 3 && t.unitNs > 1000) {
            t.unitNs /= 1000;
            t.decimals = decimalsFor(step, t.unitNs);
        }
    }
    // First tick at or after the view's start (offsets may be negative).
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
    const QString sign = offsetNs < 0 ? QString(QChar(0x2212)) : QString();
    const int64_t a = std::abs(offsetNs);
    if (ticks.clock) {
        const int64_t seconds = a / kSecond;
        QString text = ticks.hours ? QStringLiteral("%1:%2:%3")
                                         .arg(seconds / 3600)
                                         .arg(seconds / 60 % 60, 2, 10, QLatin1Char('0'))
                                         .arg(seconds % 60, 2, 10, QLatin1Char('0'))
                                   : QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
        if (ticks.decimals > 0) {
            const double fraction = static_cast<double>(a % kSecond) / kSecond;
            text += QString::number(fraction, 'f', ticks.decimals).mid(1);  // ".25"
        }
        return sign + text;
    }
    const char* unit = ticks.unitNs == kSecond ? "s" : ticks.unitNs == 1000000 ? "ms" : "µs";
    const double value = static_cast<double>(a) / static_cast<double>(ticks.unitNs);
    return sign + QString::number(value, 'f', ticks.decimals) + QLatin1Char(' ') + QString::fromUtf8(unit);
}

}  // namespace ps::trace
