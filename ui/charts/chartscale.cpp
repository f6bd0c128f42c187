#include "chartscale.h"

#include <algorithm>
#include <cmath>

namespace ps::charts {

int NiceScale::tickCount() const {
    return static_cast<int>(std::lround(top / step)) + 1;
}

NiceScale niceScale(double maxValue, double minStep) {
    NiceScale s;
    if (!(maxValue > 0) || !std::isfinite(maxValue)) {
        if (minStep > 0) {
            s.step = minStep;
            s.top = minStep;
            s.decimals = 0;
        }
        return s;
    }
    const double raw = maxValue / 4.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double norm = raw / magnitude;
    const double factor = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10;
    s.step = std::max(factor * magnitude, minStep);
    s.top = std::ceil(maxValue / s.step - 1e-9) * s.step;
    s.decimals = 0;
    while (s.decimals < 8) {
        const double scaled = s.step * std::pow(10.0, s.decimals);
        if (std::abs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, scaled)) {
            break;
        }
        ++s.decimals;
    }
    return s;
}

QString trimZeros(const QString& text) {
    const qsizetype dot = text.indexOf(QLatin1Char('.'));
    if (dot < 0) {
        return text;
    }
    qsizetype end = dot + 1;
    while (end < text.size() && text.at(end).isDigit()) {
        ++end;
    }
    qsizetype keep = end;
    while (keep > dot + 1 && text.at(keep - 1) == QLatin1Char('0')) {
        --keep;
    }
    if (keep == dot + 1) {
        keep = dot;  // no decimals left: drop the point too
    }
    return text.left(keep) + text.mid(end);
}

}  // namespace ps::charts
