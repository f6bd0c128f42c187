// Numbers as people read them on a dashboard: 1.2 s, 85 ms, $0.018, $1,204, 12.4k, 3.1%, 2026-11-03 14:05.
// NaN (no data) prints as an en dash everywhere.
#pragma once

#include <QString>

#include <cstdint>

namespace ps::fmt {

// What a number measures, for axes, tooltips and tiles.
enum class Unit { Count, DurationMs, Usd, Fraction, Tokens, Score };
QString value(Unit unit, double v);
QString unitSuffix(Unit unit);  // for axis titles: "requests", "ms", "USD", "%", "tokens", "score"

QString duration(double ms);       // 0.42 ms, 85 ms, 1.24 s, 12.5 s, 3.2 min, 1.5 h
QString durationNs(int64_t ns);    // like duration(), with 850 ns and 12.5 µs below a millisecond (span times)
QString usd(double usd);           // $0.00042, $0.018, $1.24, $1,204
QString count(double n);           // 950, 12.4k, 3.1M, 2.0B
QString percent(double fraction);  // 0.31%, 3.1%, 45.0%
QString signedPercentChange(double fraction);  // +12.0%, −3.1% (relative change)
QString tokens(double n);          // like count(), for token totals
QString dateTime(int64_t ns);      // 2026-11-03 14:05 (UTC)
QString dateTimeSeconds(int64_t ns);  // 2026-11-03 14:05:07 (UTC)
QString bucket(int64_t ns);        // 1 min, 5 min, 1 h, 1 day: a bucket width

}  // namespace ps::fmt
