#include "timeparse.h"

#include <charconv>
#include <cmath>

namespace ps {
namespace {

bool digits(std::string_view s, size_t pos, size_t count, int64_t* out) {
    if (pos + count > s.size()) {
        return false;
    }
    int64_t v = 0;
    for (size_t i = pos; i < pos + count; ++i) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

}  // namespace

int64_t daysFromCivil(int64_t year, unsigned month, unsigned day) {
    // Shift the year to start in March so the leap day is the last day of the year.
    year -= month <= 2 ? 1 : 0;
    const int64_t era = (year >= 0 ? year : year - 399) / 400;
    const int64_t yearOfEra = year - era * 400;
    const int64_t monthFromMarch = month > 2 ? month - 3 : month + 9;
    const int64_t dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1;
    const int64_t dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
}

int64_t epochToNs(double value) {
    const double a = std::abs(value);
    double ns = value;
    if (a < 1e11) {
        ns = value * 1e9;
    } else if (a < 1e14) {
        ns = value * 1e6;
    } else if (a < 1e17) {
        ns = value * 1e3;
    }
    if (!std::isfinite(ns) || std::abs(ns) > 9.2e18) {
        return 0;
    }
    return static_cast<int64_t>(std::llround(ns));
}

bool parseTimestamp(std::string_view s, int64_t* ns) {
    while (!s.empty() && s.front() == ' ') {
        s.remove_prefix(1);
    }
    while (!s.empty() && s.back() == ' ') {
        s.remove_suffix(1);
    }
    if (s.empty()) {
        return false;
    }
    if (s.size() < 10 || s[4] != '-') {
        double v = 0;
        auto r = std::from_chars(s.data(), s.data() + s.size(), v);
        if (r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(v)) {
            return false;
        }
        *ns = epochToNs(v);
        return true;
    }
    int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!digits(s, 0, 4, &year) || s[4] != '-' || !digits(s, 5, 2, &month) || s[7] != '-' ||
        !digits(s, 8, 2, &day) || month < 1 || month > 12 || day < 1 || day > 31) {
        return false;
    }
    size_t pos = 10;
    int64_t fraction = 0;
    if (pos < s.size() && (s[pos] == 'T' || s[pos] == 't' || s[pos] == ' ')) {
        if (!digits(s, pos + 1, 2, &hour) || s.size() < pos + 6 || s[pos + 3] != ':' ||
            !digits(s, pos + 4, 2, &minute)) {
            return false;
        }
        pos += 6;
        if (pos < s.size() && s[pos] == ':') {
            if (!digits(s, pos + 1, 2, &second)) {
                return false;
            }
            pos += 3;
        }
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
            ++pos;
            int scale = 0;
            while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
                if (scale < 9) {
                    fraction = fraction * 10 + (s[pos] - '0');
                    ++scale;
                }
                ++pos;
            }
            while (scale++ < 9) {
                fraction *= 10;
            }
        }
    }
    int64_t offsetMinutes = 0;
    if (pos < s.size()) {
        const char c = s[pos];
        if (c == 'Z' || c == 'z') {
            ++pos;
        } else if (c == '+' || c == '-') {
            int64_t oh = 0, om = 0;
            if (!digits(s, pos + 1, 2, &oh)) {
                return false;
            }
            size_t p = pos + 3;
            if (p < s.size() && s[p] == ':') {
                ++p;
            }
            if (p < s.size() && !digits(s, p, 2, &om)) {
                return false;
            }
            p += p < s.size() ? 2 : 0;
            offsetMinutes = (oh * 60 + om) * (c == '-' ? -1 : 1);
            pos = p;
        }
    }
    if (pos != s.size() || hour > 23 || minute > 59 || second > 60) {
        return false;
    }
    const int64_t days = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    const int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
    *ns = seconds * 1000000000LL + fraction;
    return true;
}

}  // namespace ps
