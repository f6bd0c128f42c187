#include "jsonout.h"

#include <charconv>
#include <cmath>

namespace ps::scenario {
namespace {

int64_t daysFromCivil(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2 ? 1 : 0;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

}  // namespace

void appendJsonString(std::string& to, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    to += '"';
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            to += '\\';
            to += c;
        } else if (c == '\n') {
            to += "\\n";
        } else if (u < 0x20) {
            to += "\\u00";
            to += kHex[u >> 4];
            to += kHex[u & 15];
        } else {
            to += c;
        }
    }
    to += '"';
}

JsonOut& JsonOut::str(std::string_view text) {
    appendJsonString(buf_, text);
    return *this;
}

JsonOut& JsonOut::integer(int64_t v) {
    char tmp[24];
    auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
    buf_.append(tmp, r.ptr);
    return *this;
}

JsonOut& JsonOut::quotedInteger(int64_t v) {
    buf_ += '"';
    integer(v);
    buf_ += '"';
    return *this;
}

JsonOut& JsonOut::number(double v) {
    if (!std::isfinite(v)) {
        buf_ += "null";
        return *this;
    }
    char tmp[32];
    auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
    buf_.append(tmp, r.ptr);
    return *this;
}

void JsonOut::flush() {
    if (!buf_.empty() && file_) {
        if (std::fwrite(buf_.data(), 1, buf_.size(), file_) != buf_.size()) {
            failed_ = true;
        }
        written_ += buf_.size();
    }
    buf_.clear();
}

std::string isoTime(int64_t ns) {
    int64_t ms = ns / 1000000;
    int64_t days = ms / 86400000;
    int64_t rest = ms % 86400000;
    if (rest < 0) {
        rest += 86400000;
        --days;
    }
    // Civil date from days since the epoch.
    const int64_t z = days + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    char out[96];
    std::snprintf(out, sizeof out, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(y),
                  static_cast<long long>(m), static_cast<long long>(d), static_cast<long long>(rest / 3600000),
                  static_cast<long long>(rest / 60000 % 60), static_cast<long long>(rest / 1000 % 60),
                  static_cast<long long>(rest % 1000));
    return out;
}

bool parseIsoTime(std::string_view t, int64_t* ns) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    const std::string text(t);
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6 || mo < 1 || mo > 12 ||
        d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) {
        return false;
    }
    *ns = ((daysFromCivil(y, mo, d) * 86400) + h * 3600 + mi * 60 + s) * 1000000000LL;
    return true;
}

}  // namespace ps::scenario
