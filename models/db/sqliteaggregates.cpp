#include "sqliteaggregates.h"
#include "sqliteconnection.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ps::db {
namespace {

struct Gathered {
    std::vector<double> values;
    std::vector<double> qs;
    double sum = 0;
    double minPositive = INFINITY;
    double max = -INFINITY;
};

// The aggregate context holds a pointer to the heap state: SQLite zero-fills the context, so a null pointer
// means the first row.
Gathered* stateOf(sqlite3_context* context, bool create) {
    auto** slot = static_cast<Gathered**>(sqlite3_aggregate_context(context, create ? sizeof(Gathered*) : 0));
    if (!slot) {
        return nullptr;
    }
    if (!*slot && create) {
        *slot = new Gathered;
    }
    return *slot;
}

void distributionStep(sqlite3_context* context, int argc, sqlite3_value** argv) {
    Gathered* g = stateOf(context, true);
    if (!g) {
        sqlite3_result_error_nomem(context);
        return;
    }
    if (g->qs.empty()) {
        for (int i = 1; i < argc; ++i) {
            g->qs.push_back(std::clamp(sqlite3_value_double(argv[i]), 0.0, 1.0));
        }
    }
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        return;
    }
    const double v = sqlite3_value_double(argv[0]);
    if (std::isnan(v)) {
        return;
    }
    g->values.push_back(v);
    g->sum += v;
    g->max = std::max(g->max, v);
    if (v > 0) {
        g->minPositive = std::min(g->minPositive, v);
    }
}

void append(std::string& text, double v) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, ",%.17g", v);
    text += buffer;
}

// Type-7 quantiles of v (reordered), asked in any order; quantiles in increasing order narrow the selection:
// ranks below the last one found are not looked at again.
std::vector<double> typeSevenQuantiles(std::vector<double>& v, const std::vector<double>& qs) {
    const size_t n = v.size();
    std::vector<size_t> order(qs.size());
    for (size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return qs[a] < qs[b]; });
    std::vector<double> out(qs.size(), NAN);
    size_t from = 0;
    for (size_t i : order) {
        if (n == 0) {
            break;
        }
        const double h = static_cast<double>(n - 1) * qs[i];
        const auto lo = static_cast<size_t>(std::floor(h));
        const double frac = h - static_cast<double>(lo);
        std::nth_element(v.begin() + static_cast<std::ptrdiff_t>(from), v.begin() + static_cast<std::ptrdiff_t>(lo),
                         v.end());
        const double a = v[lo];
        double b = a;
        if (frac > 0 && lo + 1 < n) {
            b = *std::min_element(v.begin() + static_cast<std::ptrdiff_t>(lo + 1), v.end());
        }
        out[i] = frac > 0 ? a + frac * (b - a) : a;
        from = lo;
    }
    return out;
}

// "n,sum,min above 0,max,q1,q2..." (no leading comma) of a gathered distribution.
void appendDistribution(std::string& text, Gathered& g) {
    text += std::to_string(g.values.size());
    append(text, g.sum);
    append(text, std::isinf(g.minPositive) ? NAN : g.minPositive);
    append(text, g.max);
    for (double q : typeSevenQuantiles(g.values, g.qs)) {
        append(text, q);
    }
}

void distributionFinal(sqlite3_context* context) {
    Gathered* g = stateOf(context, false);
    if (!g || g->values.empty()) {
        sqlite3_result_text(context, "0", 1, SQLITE_STATIC);
        delete g;
        return;
    }
    std::string text;
    appendDistribution(text, *g);
    delete g;
    sqlite3_result_text(context, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void gather(Gathered& g, sqlite3_value* value) {
    if (sqlite3_value_type(value) == SQLITE_NULL) {
        return;
    }
    const double v = sqlite3_value_double(value);
    if (std::isnan(v)) {
        return;
    }
    g.values.push_back(v);
    g.sum += v;
    g.max = std::max(g.max, v);
    if (v > 0) {
        g.minPositive = std::min(g.minPositive, v);
    }
}

// ps_stats: per key, a count and per value column a sum or a distribution, grouped in a hash table.
struct StatsGroup {
    uint64_t count = 0;
    std::vector<double> sums;
    std::vector<Gathered> distributions;
};
struct Stats {
    bool parsed = false;
    size_t limit = 0;
    std::vector<int> distributionOf;  // per value column: index into distributions, or -1 for a sum
    std::vector<std::vector<double>> quantiles;
    // Looked up by the row's key text without copying it (most rows find their group).
    struct KeyHash {
        using is_transparent = void;
        size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
    };
    std::unordered_map<std::string, StatsGroup, KeyHash, std::equal_to<>> groups;
};

Stats* statsOf(sqlite3_context* context, bool create) {
    auto** slot = static_cast<Stats**>(sqlite3_aggregate_context(context, create ? sizeof(Stats*) : 0));
    if (!slot) {
        return nullptr;
    }
    if (!*slot && create) {
        *slot = new Stats;
    }
    return *slot;
}

// The spec: "LIMIT COLUMN..." with COLUMN "s" (a sum) or "q0.5:0.95" (a distribution with those quantiles).
bool parseSpec(std::string_view spec, size_t columns, Stats& s) {
    size_t at = 0;
    auto next = [&]() {
        while (at < spec.size() && spec[at] == ' ') {
            ++at;
        }
        const size_t from = at;
        while (at < spec.size() && spec[at] != ' ') {
            ++at;
        }
        return spec.substr(from, at - from);
    };
    const std::string limit(next());
    s.limit = static_cast<size_t>(std::strtoull(limit.c_str(), nullptr, 10));
    for (size_t c = 0; c < columns; ++c) {
        const std::string_view token = next();
        if (token == "s") {
            s.distributionOf.push_back(-1);
        } else if (!token.empty() && token[0] == 'q') {
            std::vector<double> qs;
            const std::string list(token.substr(1));
            for (const char* p = list.c_str(); *p;) {
                char* end = nullptr;
                qs.push_back(std::clamp(std::strtod(p, &end), 0.0, 1.0));
                p = *end == ':' ? end + 1 : end;
                if (end == p && *p) {
                    return false;
                }
            }
            s.distributionOf.push_back(static_cast<int>(s.quantiles.size()));
            s.quantiles.push_back(std::move(qs));
        } else {
            return false;
        }
    }
    return next().empty();
}

void statsStep(sqlite3_context* context, int argc, sqlite3_value** argv) {
    Stats* s = statsOf(context, true);
    if (!s) {
        sqlite3_result_error_nomem(context);
        return;
    }
    const size_t columns = static_cast<size_t>(argc - 2);
    if (!s->parsed) {
        const auto* spec = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
        if (!spec || !parseSpec(spec, columns, *s)) {
            sqlite3_result_error(context, "ps_stats: bad spec", -1);
            return;
        }
        s->parsed = true;
    }
    const auto* keyText = reinterpret_cast<const char*>(sqlite3_value_text(argv[1]));
    const std::string_view key(keyText ? keyText : "", static_cast<size_t>(sqlite3_value_bytes(argv[1])));
    auto it = s->groups.find(key);
    if (it == s->groups.end()) {
        StatsGroup g;
        g.sums.assign(columns, 0);
        g.distributions.resize(s->quantiles.size());
        for (size_t d = 0; d < s->quantiles.size(); ++d) {
            g.distributions[d].qs = s->quantiles[d];
        }
        it = s->groups.emplace(std::string(key), std::move(g)).first;
    }
    StatsGroup& g = it->second;
    ++g.count;
    for (size_t c = 0; c < columns; ++c) {
        sqlite3_value* v = argv[2 + c];
        if (s->distributionOf[c] < 0) {
            if (sqlite3_value_type(v) != SQLITE_NULL) {
                g.sums[c] += sqlite3_value_double(v);
            }
        } else {
            gather(g.distributions[static_cast<size_t>(s->distributionOf[c])], v);
        }
    }
}

// "GROUPS\n" then per group, most rows first (ties by key bytes), at most LIMIT of them:
// "LENGTH:KEY,count,column,column...\n", a sum as one number, a distribution as n,sum,min>0,max,quantiles.
void statsFinal(sqlite3_context* context) {
    Stats* s = statsOf(context, false);
    if (!s) {
        sqlite3_result_text(context, "0\n", 2, SQLITE_STATIC);
        return;
    }
    using Entry = std::pair<const std::string, StatsGroup>*;
    std::vector<Entry> order;
    order.reserve(s->groups.size());
    for (auto& e : s->groups) {
        order.push_back(&e);
    }
    const auto before = [](Entry a, Entry b) {
        return a->second.count != b->second.count ? a->second.count > b->second.count : a->first < b->first;
    };
    const size_t shown = s->limit > 0 ? std::min(s->limit, order.size()) : order.size();
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(shown), order.end(), before);
    std::string text = std::to_string(order.size()) + "\n";
    for (size_t i = 0; i < shown; ++i) {
        const std::string& key = order[i]->first;
        StatsGroup& g = order[i]->second;
        text += std::to_string(key.size()) + ":" + key + "," + std::to_string(g.count);
        size_t d = 0;
        for (size_t c = 0; c < g.sums.size(); ++c) {
            if (s->distributionOf[c] < 0) {
                append(text, g.sums[c]);
            } else {
                text += ',';
                appendDistribution(text, g.distributions[d++]);
            }
        }
        text += '\n';
    }
    delete s;
    sqlite3_result_text(context, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void binFunction(sqlite3_context* context, int argc, sqlite3_value** argv) {
    if (argc < 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(context);
        return;
    }
    const double v = sqlite3_value_double(argv[0]);
    // Binary search for the number of edges <= v.
    int lo = 0;
    int hi = argc - 1;
    while (lo < hi) {
        const int mid = (lo + hi) / 2;
        if (sqlite3_value_double(argv[1 + mid]) <= v) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    sqlite3_result_int(context, lo);
}

// Days since 1970-01-01 of a proleptic Gregorian date.
int64_t civilDays(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

bool digitsAt(std::string_view s, size_t at, size_t n, int64_t* out) {
    if (at + n > s.size()) {
        return false;
    }
    int64_t v = 0;
    for (size_t i = at; i < at + n; ++i) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

// YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][Z|(+|-)HH[[:]MM]], spaces around allowed; naive times are UTC.
bool isoNanoseconds(std::string_view s, int64_t* ns) {
    while (!s.empty() && s.front() == ' ') {
        s.remove_prefix(1);
    }
    while (!s.empty() && s.back() == ' ') {
        s.remove_suffix(1);
    }
    int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, fraction = 0;
    if (s.size() < 10 || !digitsAt(s, 0, 4, &year) || s[4] != '-' || !digitsAt(s, 5, 2, &month) || s[7] != '-' ||
        !digitsAt(s, 8, 2, &day) || month < 1 || month > 12 || day < 1 || day > 31) {
        return false;
    }
    size_t pos = 10;
    if (pos < s.size() && (s[pos] == 'T' || s[pos] == 't' || s[pos] == ' ')) {
        if (!digitsAt(s, pos + 1, 2, &hour) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
            !digitsAt(s, pos + 4, 2, &minute)) {
            return false;
        }
        pos += 6;
        if (pos < s.size() && s[pos] == ':') {
            if (!digitsAt(s, pos + 1, 2, &second)) {
                return false;
            }
            pos += 3;
        }
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
            int digits = 0;
            for (++pos; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos) {
                if (digits < 9) {
                    fraction = fraction * 10 + (s[pos] - '0');
                    ++digits;
                }
            }
            for (; digits < 9; ++digits) {
                fraction *= 10;
            }
        }
    }
    int64_t offsetMinutes = 0;
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        int64_t oh = 0, om = 0;
        size_t p = pos + 3;
        if (!digitsAt(s, pos + 1, 2, &oh)) {
            return false;
        }
        if (p < s.size() && s[p] == ':') {
            ++p;
        }
        if (p < s.size()) {
            if (!digitsAt(s, p, 2, &om)) {
                return false;
            }
            p += 2;
        }
        offsetMinutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
        pos = p;
    }
    if (pos != s.size() || hour > 23 || minute > 59 || second > 60) {
        return false;
    }
    const int64_t seconds =
        civilDays(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
    *ns = seconds * 1000000000 + fraction;
    return true;
}

void epochNsFunction(sqlite3_context* context, int /*argc*/, sqlite3_value** argv) {
    int64_t ns = 0;
    if (sqlite3_value_type(argv[0]) != SQLITE_TEXT ||
        !isoNanoseconds(std::string_view(reinterpret_cast<const char*>(sqlite3_value_text(argv[0])),
                                         static_cast<size_t>(sqlite3_value_bytes(argv[0]))),
                        &ns)) {
        sqlite3_result_null(context);
        return;
    }
    sqlite3_result_int64(context, ns);
}

}  // namespace

bool registerAggregateFunctions(sqlite3* db) {
    return sqlite3_create_function_v2(db, "ps_distribution", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                      nullptr, distributionStep, distributionFinal, nullptr) == SQLITE_OK &&
           sqlite3_create_function_v2(db, "ps_bin", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, binFunction,
                                      nullptr, nullptr, nullptr) == SQLITE_OK &&
           sqlite3_create_function_v2(db, "ps_epoch_ns", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                      epochNsFunction, nullptr, nullptr, nullptr) == SQLITE_OK &&
           sqlite3_create_function_v2(db, "ps_stats", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, nullptr,
                                      statsStep, statsFinal, nullptr) == SQLITE_OK;
}

bool prepareSqlFunctions(Connection& connection, std::string* error) {
    if (connection.dialect() != Dialect::Sqlite) {
        return true;
    }
    auto* sqlite = dynamic_cast<SqliteConnection*>(&connection);
    if (!sqlite || !registerAggregateFunctions(sqlite->handle())) {
        *error = "cannot register PromptScope's SQL functions on " + connection.displayName();
        return false;
    }
    return true;
}

}  // namespace ps::db
