#include "query.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <optional>

#include "querytext.h"

namespace ps {
namespace {

using namespace querytext;

constexpr int64_t kNsPerSecond = 1'000'000'000;
constexpr int64_t kNsPerDay = 86'400 * kNsPerSecond;

bool isKeyword(std::string_view lowered) {
    return lowered == "error" || lowered == "ok" || lowered == "refusal";
}

// Names that take a value (key:value or name<op>value), in the order suggestions prefer them.
constexpr std::array<std::string_view, 16> kFilterNames = {
    "feature", "prompt", "version", "model", "provider", "env", "tenant", "tier",
    "user", "session", "finish", "since", "until", "last", "latency", "cost",
};

// Optimal string alignment distance: Levenshtein plus swapping two neighbours (modle -> model is 1).
size_t editDistance(std::string_view a, std::string_view b) {
    std::vector<size_t> prev2(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) {
        prev[j] = j;
    }
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                cur[j] = std::min(cur[j], prev2[j - 2] + 1);
            }
        }
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::string unknownFilterMessage(std::string_view name) {
    const std::string lowered = lower(name);
    std::string_view best;
    size_t bestDistance = lowered.size() <= 3 ? 1 : 2;
    for (std::string_view candidate : kFilterNames) {
        const size_t d = editDistance(lowered, candidate);
        if (d <= bestDistance && (best.empty() || d < bestDistance)) {
            best = candidate;
            bestDistance = d;
        }
    }
    std::string message = "unknown filter '" + std::string(name) + "'";
    if (!best.empty()) {
        return message + " (did you mean '" + std::string(best) + "'?)";
    }
    message += " (filters: ";
    for (size_t i = 0; i < kFilterNames.size(); ++i) {
        message += (i ? ", " : "") + std::string(kFilterNames[i]);
    }
    return message + "; put text with a ':' in quotes)";
}

// Unsigned decimal: digits with at most one '.', at least one digit. No sign, exponent, inf or nan.
std::optional<double> parseNumber(std::string_view s) {
    size_t digits = 0;
    size_t dots = 0;
    for (char c : s) {
        digits += isDigit(c) ? 1 : 0;
        dots += c == '.' ? 1 : 0;
        if (!isDigit(c) && c != '.') {
            return std::nullopt;
        }
    }
    if (digits == 0 || dots > 1) {
        return std::nullopt;
    }
    double value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, std::chars_format::fixed);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

// A number followed by one of the units (longest unit names first); a bare number uses bareFactor (0: not
// allowed).
struct Unit {
    std::string_view name;
    double factor;
};

template <size_t N>
std::optional<double> parseWithUnit(std::string_view s, const std::array<Unit, N>& units, double bareFactor) {
    for (const Unit& unit : units) {
        if (s.size() > unit.name.size() && startsWithNoCase(s.substr(s.size() - unit.name.size()), unit.name)) {
            const auto number = parseNumber(s.substr(0, s.size() - unit.name.size()));
            if (number && std::isfinite(*number * unit.factor)) {
                return *number * unit.factor;
            }
            return std::nullopt;
        }
    }
    if (bareFactor == 0) {
        return std::nullopt;
    }
    return parseNumber(s);
}

constexpr std::array<Unit, 3> kLatencyUnits = {{{"ms", 1}, {"s", 1000}, {"m", 60'000}}};
constexpr std::array<Unit, 5> kSpanUnits = {{{"s", 1e9}, {"m", 60e9}, {"h", 3600e9}, {"d", 86400e9}, {"w", 604800e9}}};

std::optional<double> parseLatencyMs(std::string_view s) {
    return parseWithUnit(s, kLatencyUnits, 1);
}

std::optional<double> parseCostUsd(std::string_view s) {
    if (!s.empty() && s.front() == '$') {
        s.remove_prefix(1);
    }
    return parseNumber(s);
}

enum class TimeParse { Ok, BadFormat, NoSuchTime, OutOfRange };

// Reads `count` digits at s[*pos]; false if any is missing.
bool readDigits(std::string_view s, size_t* pos, size_t count, int* out) {
    if (*pos + count > s.size()) {
        return false;
    }
    int value = 0;
    for (size_t i = 0; i < count; ++i) {
        const char c = s[*pos + i];
        if (!isDigit(c)) {
            return false;
        }
        value = value * 10 + (c - '0');
    }
    *pos += count;
    *out = value;
    return true;
}

// YYYY-MM-DD[(T|space)HH:MM[:SS[.fraction]]][Z], UTC, to ns since the epoch.
TimeParse parseTime(std::string_view s, int64_t* out) {
    size_t p = 0;
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    int64_t fractionNs = 0;
    const auto expect = [&](char c) {
        if (p < s.size() && lowerAscii(s[p]) == c) {
            ++p;
            return true;
        }
        return false;
    };
    if (!readDigits(s, &p, 4, &year) || !expect('-') || !readDigits(s, &p, 2, &month) || !expect('-') ||
        !readDigits(s, &p, 2, &day)) {
        return TimeParse::BadFormat;
    }
    if (expect('t') || expect(' ')) {
        if (!readDigits(s, &p, 2, &hour) || !expect(':') || !readDigits(s, &p, 2, &minute)) {
            return TimeParse::BadFormat;
        }
        if (expect(':')) {
            if (!readDigits(s, &p, 2, &second)) {
                return TimeParse::BadFormat;
            }
            if (expect('.')) {
                int64_t scale = kNsPerSecond;
                const size_t first = p;
                while (p < s.size() && isDigit(s[p]) && p - first < 9) {
                    scale /= 10;
                    fractionNs += (s[p++] - '0') * scale;
                }
                if (p == first) {
                    return TimeParse::BadFormat;
                }
            }
        }
    }
    expect('z');
    if (p != s.size()) {
        return TimeParse::BadFormat;
    }
    using namespace std::chrono;
    const year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                              std::chrono::day(static_cast<unsigned>(day))};
    if (!date.ok() || hour > 23 || minute > 59 || second > 59) {
        return TimeParse::NoSuchTime;
    }
    int64_t seconds = static_cast<int64_t>(sys_days(date).time_since_epoch().count()) * 86'400 + hour * 3600 +
                      minute * 60 + second;
    if (seconds < 0 && fractionNs > 0) {  // keep both parts negative so that the product stays in range longer
        seconds += 1;
        fractionNs -= kNsPerSecond;
    }
    int64_t ns = 0;
    if (__builtin_mul_overflow(seconds, kNsPerSecond, &ns) || __builtin_add_overflow(ns, fractionNs, &ns) ||
        ns == Filter::kNoLimit) {
        return TimeParse::OutOfRange;
    }
    *out = ns;
    return TimeParse::Ok;
}

class Parser {
public:
    Parser(std::string_view text, int64_t nowNs) : t_(text), now_(nowNs) {}

    std::variant<Filter, QueryError> run() {
        while (true) {
            while (i_ < t_.size() && isSpace(t_[i_])) {
                ++i_;
            }
            if (i_ == t_.size()) {
                return std::move(f_);
            }
            if (!term()) {
                return std::move(*error_);
            }
        }
    }

private:
    bool fail(size_t position, size_t length, std::string message) {
        error_ = QueryError{position, length, std::move(message)};
        return false;
    }

    bool atTermEnd() const { return i_ == t_.size() || isSpace(t_[i_]); }

    size_t termEnd(size_t from) const {
        while (from < t_.size() && !isSpace(t_[from])) {
            ++from;
        }
        return from;
    }

    bool term() {
        const size_t start = i_;
        if (t_[i_] == '"') {
            std::string phrase;
            if (!quoted(&phrase)) {
                return false;
            }
            if (!atTermEnd()) {
                return fail(i_, 1, "put a space after the closing quote");
            }
            addText(phrase);
            return true;
        }
        size_t j = i_;
        while (j < t_.size() && isLetter(t_[j])) {
            ++j;
        }
        if (j > i_ && j < t_.size() && (t_[j] == '<' || t_[j] == '>' || t_[j] == '=')) {
            return comparison(start, j);
        }
        size_t k = i_;
        while (k < t_.size() && !isSpace(t_[k]) && t_[k] != '"' && t_[k] != ':') {
            ++k;
        }
        if (k < t_.size() && t_[k] == ':') {
            return keyed(start, k);
        }
        if (k < t_.size() && t_[k] == '"') {
            return fail(k, 1, "a quote can only start a word or a value; quote the whole phrase");
        }
        i_ = k;
        return word(start, t_.substr(start, k - start));
    }

    // A double-quoted string starting at t_[i_]; leaves i_ after the closing quote.
    bool quoted(std::string* out) {
        const size_t open = i_++;
        while (i_ < t_.size()) {
            const char c = t_[i_];
            if (c == '\\' && i_ + 1 < t_.size() && (t_[i_ + 1] == '"' || t_[i_ + 1] == '\\')) {
                out->push_back(t_[i_ + 1]);
                i_ += 2;
            } else if (c == '"') {
                ++i_;
                return true;
            } else {
                out->push_back(c);
                ++i_;
            }
        }
        return fail(open, t_.size() - open, "unterminated quote");
    }

    // One value at t_[i_], quoted or bare; a bare value ends at whitespace (or a comma when inList).
    bool value(std::string* out, bool inList) {
        if (t_[i_] == '"') {
            if (!quoted(out)) {
                return false;
            }
            if (!atTermEnd() && !(inList && t_[i_] == ',')) {
                return fail(i_, 1, inList ? "put a ',' or a space after the closing quote"
                                          : "put a space after the closing quote");
            }
            return true;
        }
        const size_t first = i_;
        while (i_ < t_.size() && !isSpace(t_[i_]) && !(inList && t_[i_] == ',') && t_[i_] != '"') {
            ++i_;
        }
        if (i_ < t_.size() && t_[i_] == '"') {
            return fail(i_, 1, "a quote can only start a word or a value; quote the whole value");
        }
        out->assign(t_.substr(first, i_ - first));
        return true;
    }

    bool keyed(size_t start, size_t colon) {
        const std::string_view name = t_.substr(start, colon - start);
        const std::string key = lower(name);
        i_ = colon + 1;
        Dimension dimension{};
        if (key.empty()) {
            return fail(colon, 1, "missing filter name before ':'");
        }
        if (parseDimensionKey(key, &dimension)) {
            return valueList(start, colon, f_.of(dimension));
        }
        if (key == "since" || key == "until" || key == "last") {
            const bool empty = atTermEnd();
            const size_t first = i_;
            std::string text;
            if (!empty && !value(&text, false)) {
                return false;
            }
            return timeBound(key, start, first, empty ? std::string_view() : std::string_view(text));
        }
        if (key == "latency" || key == "cost") {
            return fail(start, termEnd(start) - start, needsComparison(key));
        }
        if (isKeyword(key)) {
            return fail(start, colon + 1 - start, "'" + key + "' takes no value");
        }
        return fail(start, colon - start, unknownFilterMessage(name));
    }

    static std::string needsComparison(const std::string& key) {
        return key == "latency" ? "latency needs a comparison, like latency>2s or latency<500ms"
                                : "cost needs a comparison, like cost>0.01 or cost<$0.5";
    }

    bool valueList(size_t start, size_t colon, std::vector<std::string>& values) {
        size_t comma = std::string_view::npos;
        while (true) {
            if (atTermEnd() || t_[i_] == ',') {
                if (comma == std::string_view::npos) {
                    const std::string key(t_.substr(start, colon - start));
                    return fail(start, colon + 1 - start, key + ": needs a value, like " + key + ":NAME");
                }
                return fail(comma, 1, "empty value after ','");
            }
            std::string v;
            if (!value(&v, true)) {
                return false;
            }
            values.push_back(std::move(v));
            if (i_ < t_.size() && t_[i_] == ',') {
                comma = i_++;
                continue;
            }
            return true;
        }
    }

    bool timeBound(const std::string& key, size_t start, size_t first, std::string_view text) {
        const size_t length = std::max(i_, first) - start;
        if (key == "last") {
            if (now_ == 0) {
                return fail(start, length, "last: needs the current time, which was not given");
            }
            const auto span = parseWithUnit(text, kSpanUnits, 0);
            if (!span) {
                return fail(start, length, "last needs a span like 30m, 24h or 7d");
            }
            const double begin = static_cast<double>(now_) - *span;
            if (*span > 4e18 || begin <= -9.2e18) {
                return fail(start, length, "last: span too long");
            }
            setBegin(now_ - static_cast<int64_t>(std::llround(*span)));
            return true;
        }
        int64_t ns = 0;
        switch (parseTime(text, &ns)) {
            case TimeParse::Ok:
                break;
            case TimeParse::BadFormat:
                return fail(start, length, key + " needs a date like 2026-11-01 or 2026-11-01T12:00 (UTC)");
            case TimeParse::NoSuchTime:
                return fail(start, length, "no such date or time '" + std::string(text) + "'");
            case TimeParse::OutOfRange:
                return fail(start, length, "date out of range (years 1678 to 2261)");
        }
        if (key == "since") {
            setBegin(ns);
        } else if (f_.endNs == Filter::kNoLimit || ns < f_.endNs) {
            f_.endNs = ns;
        }
        return true;
    }

    void setBegin(int64_t ns) {
        if (f_.beginNs == Filter::kNoLimit || ns > f_.beginNs) {
            f_.beginNs = ns;
        }
    }

    bool comparison(size_t start, size_t op) {
        const std::string_view name = t_.substr(start, op - start);
        const std::string key = lower(name);
        const size_t end = termEnd(op);
        Dimension dimension{};
        if (parseDimensionKey(key, &dimension) || key == "since" || key == "until" || key == "last") {
            const char* example = key == "last" ? "24h" : key == "since" || key == "until" ? "2026-11-01" : "NAME";
            return fail(start, end - start, key + " takes a value after ':', like " + key + ":" + example);
        }
        if (isKeyword(key)) {
            return fail(start, end - start, "'" + key + "' takes no value");
        }
        if (key != "latency" && key != "cost") {
            return fail(start, op - start, unknownFilterMessage(name));
        }
        const char c = t_[op];
        if (c == '=') {
            return fail(start, end - start, needsComparison(key));
        }
        const bool lowerBound = c == '>';
        const size_t first = op + 1 + (op + 1 < t_.size() && t_[op + 1] == '=' ? 1 : 0);
        const std::string_view text = t_.substr(first, end - first);
        i_ = end;
        const size_t position = text.empty() ? start : first;
        const size_t length = text.empty() ? end - start : text.size();
        const auto amount = key == "latency" ? parseLatencyMs(text) : parseCostUsd(text);
        if (!amount) {
            return fail(position, length,
                        key == "latency" ? "latency needs a duration like 2s or 500ms"
                                         : "cost needs an amount in USD like 0.01 or $0.5");
        }
        double& min = key == "latency" ? f_.minLatencyMs : f_.minCostUsd;
        double& max = key == "latency" ? f_.maxLatencyMs : f_.maxCostUsd;
        if (lowerBound) {
            min = min < 0 ? *amount : std::max(min, *amount);
        } else {
            max = max < 0 ? *amount : std::min(max, *amount);
        }
        return true;
    }

    bool word(size_t start, std::string_view text) {
        const std::string key = lower(text);
        if (key == "refusal") {
            f_.refusalsOnly = true;
            return true;
        }
        if (key == "error" || key == "ok") {
            const StatusFilter status = key == "ok" ? StatusFilter::Ok : StatusFilter::Error;
            if (f_.status != StatusFilter::Any && f_.status != status) {
                return fail(start, text.size(), "'" + key + "' contradicts '" + (key == "ok" ? "error" : "ok") + "'");
            }
            f_.status = status;
            return true;
        }
        addText(text);
        return true;
    }

    void addText(std::string_view text) {
        if (text.empty()) {
            return;
        }
        if (!f_.text.empty()) {
            f_.text.push_back(' ');
        }
        f_.text.append(text);
    }

    std::string_view t_;
    int64_t now_;
    size_t i_ = 0;
    Filter f_;
    std::optional<QueryError> error_;
};

// ---- formatting ----

std::string quote(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out.push_back('\\');
        }
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

bool needsQuotes(std::string_view s, std::string_view specials) {
    return s.empty() || std::any_of(s.begin(), s.end(), [&](char c) {
               return isSpace(c) || specials.find(c) != std::string_view::npos;
           });
}

// Shortest fixed-notation text that reads back as exactly v.
std::string number(double v) {
    std::array<char, 400> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), v, std::chars_format::fixed);
    return std::string(buffer.data(), result.ptr);
}

std::string formatLatency(double ms) {
    if (ms >= 60'000 && std::fmod(ms, 60'000) == 0) {
        const std::string text = number(ms / 60'000) + "m";
        if (parseLatencyMs(text) == ms) {
            return text;
        }
    }
    if (ms >= 1000) {
        const std::string text = number(ms / 1000) + "s";
        if (parseLatencyMs(text) == ms) {
            return text;
        }
    }
    return number(ms) + "ms";
}

std::string formatTime(int64_t ns) {
    using namespace std::chrono;
    int64_t days = ns / kNsPerDay;
    int64_t rest = ns % kNsPerDay;
    if (rest < 0) {
        days -= 1;
        rest += kNsPerDay;
    }
    const year_month_day date{sys_days(std::chrono::days(days))};
    const auto two = [](int64_t v) { return std::string(1, static_cast<char>('0' + v / 10)) + char('0' + v % 10); };
    std::string out = std::to_string(static_cast<int>(date.year())) + "-" +
                      two(static_cast<unsigned>(date.month())) + "-" + two(static_cast<unsigned>(date.day()));
    if (rest == 0) {
        return out;
    }
    const int64_t seconds = rest / kNsPerSecond;
    int64_t fraction = rest % kNsPerSecond;
    out += "T" + two(seconds / 3600) + ":" + two(seconds / 60 % 60);
    if (seconds % 60 == 0 && fraction == 0) {
        return out;
    }
    out += ":" + two(seconds % 60);
    if (fraction != 0) {
        std::string digits(9, '0');
        for (size_t i = 9; i-- > 0; fraction /= 10) {
            digits[i] = static_cast<char>('0' + fraction % 10);
        }
        out += "." + digits.substr(0, digits.find_last_not_of('0') + 1);
    }
    return out;
}

bool isPlainWord(std::string_view w) {
    return !needsQuotes(w, "\"\\:<>=,") && !isKeyword(lower(w));
}

std::string formatText(std::string_view text) {
    size_t begin = 0;
    while (begin <= text.size()) {
        const size_t end = std::min(text.find(' ', begin), text.size());
        if (!isPlainWord(text.substr(begin, end - begin))) {
            return quote(text);
        }
        begin = end + 1;
    }
    return std::string(text);
}

}  // namespace

std::variant<Filter, QueryError> parseQuery(std::string_view text, int64_t nowNs) {
    return Parser(text, nowNs).run();
}

std::string formatQueryValue(std::string_view value) {
    return needsQuotes(value, "\"\\:,") ? quote(value) : std::string(value);
}

std::string formatQuery(const Filter& f) {
    std::vector<std::string> terms;
    for (size_t d = 0; d < kDimensionCount; ++d) {
        if (f.values[d].empty()) {
            continue;
        }
        std::string term = std::string(dimensionKey(static_cast<Dimension>(d))) + ":";
        for (size_t i = 0; i < f.values[d].size(); ++i) {
            term += (i ? "," : "") + formatQueryValue(f.values[d][i]);
        }
        terms.push_back(std::move(term));
    }
    if (f.status != StatusFilter::Any) {
        terms.emplace_back(f.status == StatusFilter::Ok ? "ok" : "error");
    }
    if (f.refusalsOnly) {
        terms.emplace_back("refusal");
    }
    const auto bound = [&](double v, const char* prefix, bool latency) {
        if (v >= 0 && std::isfinite(v)) {
            v += 0.0;  // -0 becomes 0
            terms.push_back(prefix + (latency ? formatLatency(v) : number(v)));
        }
    };
    bound(f.minLatencyMs, "latency>=", true);
    bound(f.maxLatencyMs, "latency<=", true);
    bound(f.minCostUsd, "cost>=", false);
    bound(f.maxCostUsd, "cost<=", false);
    if (f.beginNs != Filter::kNoLimit) {
        terms.push_back("since:" + formatTime(f.beginNs));
    }
    if (f.endNs != Filter::kNoLimit) {
        terms.push_back("until:" + formatTime(f.endNs));
    }
    if (!f.text.empty()) {
        terms.push_back(formatText(f.text));
    }
    std::string out;
    for (const std::string& term : terms) {
        out += (out.empty() ? "" : " ") + term;
    }
    return out;
}

}  // namespace ps
