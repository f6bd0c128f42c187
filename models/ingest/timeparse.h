// Timestamps as logs write them: ISO 8601 / RFC 3339 text ("2026-10-01T09:00:00.123Z", "+02:00" or "-08:00"
// offsets, a space instead of 'T', naive times taken as UTC) or epoch numbers in seconds, ms, µs or ns.
#pragma once

#include <cstdint>
#include <string_view>

namespace ps {

// Nanoseconds since the Unix epoch; false when the text is not a timestamp.
bool parseTimestamp(std::string_view text, int64_t* ns);

// An epoch number whose unit is guessed from its magnitude (seconds before 1e11, ms before 1e14, µs before 1e17).
int64_t epochToNs(double value);

// Days since 1970-01-01 of a proleptic Gregorian date.
int64_t daysFromCivil(int64_t year, unsigned month, unsigned day);

}  // namespace ps
