#include "sqldistribution.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include "sqliteaggregates.h"

namespace ps {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string literal(double v) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.17g", v);
    return buffer;
}

double number(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '{')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '}')) {
        text.remove_suffix(1);
    }
    if (text.empty() || text == "NaN" || text == "nan" || text == "-nan") {
        return kNaN;
    }
    if (text == "Infinity" || text == "inf") {
        return INFINITY;
    }
    if (text == "-Infinity" || text == "-inf") {
        return -INFINITY;
    }
    double v = kNaN;
    std::from_chars(text.data(), text.data() + text.size(), v);
    return v;
}

}  // namespace

std::string distributionSql(db::Dialect dialect, const std::string& e, const std::vector<double>& qs) {
    std::string list;
    for (double q : qs) {
        list += (list.empty() ? "" : ",") + literal(q);
    }
    if (dialect == db::Dialect::Sqlite) {
        return "ps_distribution(" + e + (list.empty() ? "" : ", " + list) + ")";
    }
    // float8 as text is the shortest exact form (PostgreSQL 12 and later).
    std::string nans;
    for (size_t i = 0; i < qs.size(); ++i) {
        nans += i ? ",NaN" : "NaN";
    }
    std::string out = "concat_ws(',', count(" + e + "), coalesce(sum(" + e + ")::text, '0'), coalesce(min(CASE WHEN " +
                      e + " > 0 THEN " + e + " END)::text, 'NaN'), coalesce(max(" + e + ")::text, 'NaN')";
    if (!qs.empty()) {
        out += ", coalesce(array_to_string(percentile_cont(ARRAY[" + list + "]::float8[]) WITHIN GROUP (ORDER BY " +
               e + "), ','), '" + nans + "')";
    }
    return out + ")";
}

SqlDistribution parseDistribution(std::string_view text, size_t quantileCount) {
    SqlDistribution d;
    d.quantiles.assign(quantileCount, kNaN);
    std::vector<std::string_view> fields;
    size_t start = 0;
    for (size_t comma = text.find(','); ; comma = text.find(',', start)) {
        fields.push_back(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        if (comma == std::string_view::npos) {
            break;
        }
        start = comma + 1;
    }
    const double n = number(fields[0]);
    if (!(n > 0)) {
        return d;
    }
    d.count = static_cast<uint64_t>(n);
    if (fields.size() < 4 + quantileCount) {
        return d;
    }
    d.sum = number(fields[1]);
    d.minPositive = number(fields[2]);
    d.max = number(fields[3]);
    for (size_t i = 0; i < quantileCount; ++i) {
        d.quantiles[i] = number(fields[4 + i]);
    }
    return d;
}

std::string binSql(db::Dialect dialect, const std::string& e, const std::vector<double>& innerEdges,
                   SqlParams& params) {
    if (dialect == db::Dialect::Postgres) {
        std::string array = "{";
        for (size_t i = 0; i < innerEdges.size(); ++i) {
            array += (i ? "," : "") + literal(innerEdges[i]);
        }
        array += "}";
        if (innerEdges.empty()) {
            return "CASE WHEN " + e + " IS NULL THEN NULL ELSE 0 END";
        }
        return "width_bucket(" + e + ", " + params.bind(array, "float8[]") + ")";
    }
    std::string out = "ps_bin(" + e;
    for (double edge : innerEdges) {
        out += ", " + params.bind(edge, nullptr);
    }
    return out + ")";
}

bool prepareForAggregation(db::Connection& connection, std::string* error) {
    return db::prepareSqlFunctions(connection, error);
}

}  // namespace ps
