#include "sqliteaggregates.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
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

void distributionFinal(sqlite3_context* context) {
    Gathered* g = stateOf(context, false);
    if (!g || g->values.empty()) {
        sqlite3_result_text(context, "0", 1, SQLITE_STATIC);
        delete g;
        return;
    }
    std::vector<double>& v = g->values;
    const size_t n = v.size();
    // Quantiles in increasing order narrow the selection: ranks below the last one found are not looked at again.
    std::vector<size_t> order(g->qs.size());
    for (size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return g->qs[a] < g->qs[b]; });
    std::vector<double> out(g->qs.size());
    size_t from = 0;
    for (size_t i : order) {
        const double h = static_cast<double>(n - 1) * g->qs[i];
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
    std::string text = std::to_string(n);
    append(text, g->sum);
    append(text, std::isinf(g->minPositive) ? NAN : g->minPositive);
    append(text, g->max);
    for (double q : out) {
        append(text, q);
    }
    delete g;
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

}  // namespace

bool registerAggregateFunctions(sqlite3* db) {
    return sqlite3_create_function_v2(db, "ps_distribution", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                      nullptr, distributionStep, distributionFinal, nullptr) == SQLITE_OK &&
           sqlite3_create_function_v2(db, "ps_bin", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, binFunction,
                                      nullptr, nullptr, nullptr) == SQLITE_OK;
}

}  // namespace ps::db
