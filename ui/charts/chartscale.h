// Small helpers the chart widgets share: round axis steps and compact tick labels.
#pragma once

#include <QString>

namespace ps::charts {

// A value axis from 0 to `top` in steps of `step` (1, 2, 2.5 or 5 times a power of ten), about four steps for
// `maxValue`; `decimals` is what a label needs to show the step exactly.
struct NiceScale {
    double top = 1;
    double step = 0.25;
    int decimals = 2;
    int tickCount() const;
};
NiceScale niceScale(double maxValue, double minStep = 0);

// "1.00 s" -> "1 s", "$0.010" -> "$0.01", "2.50k" -> "2.5k": fmt::value without trailing zeros, for tick labels
// placed at round values.
QString trimZeros(const QString& text);

}  // namespace ps::charts
