#include "groupedstats.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <limits>

namespace ps {
namespace {

std::string quantileList(const std::vector<double>& qs, const char* separator) {
    std::string out;
    for (double q : qs) {
        char buffer[40];
        std::snprintf(buffer, sizeof buffer, "%.17g", q);
        out += (out.empty() ? "" : separator) + std::string(buffer);
    }
    return out;
}

std::string specOf(const Grouping& g) {
    std::string spec = std::to_string(g.limit);
    for (const StatColumn& c : g.columns) {
        spec += c.quantiles.empty() ? std::string(" s") : " q" + quantileList(c.quantiles, ":");
    }
    return spec;
}

double numberAt(std::string_view text) {
    if (text == "nan" || text == "-nan" || text.empty()) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    double v = 0;
    std::from_chars(text.data(), text.data() + text.size(), v);
    return v;
}

// ps_stats' text (sqliteaggregates.h) into the grouping.
void parseStats(std::string_view text, Grouping& g) {
    const size_t firstLine = text.find('\n');
    g.groupCount = std::stoull(std::string(text.substr(0, firstLine)));
    size_t at = firstLine == std::string_view::npos ? text.size() : firstLine + 1;
    while (at < text.size()) {
        const size_t colon = text.find(':', at);
        const size_t length = std::stoull(std::string(text.substr(at, colon - at)));
        const std::string_view key = text.substr(colon + 1, length);
        at = colon + 1 + length;
        const size_t end = text.find('\n', at);
        std::vector<std::string_view> fields;
        for (size_t p = at + 1; p <= end;) {  // at is the comma after the key
            const size_t comma = std::min(text.find(',', p), end);
            fields.push_back(text.substr(p, comma - p));
            p = comma + 1;
        }
        at = end + 1;
        GroupStats s;
        size_t from = 0;
        while (true) {  // multi-key groupings join their keys with the unit separator
            const size_t split = key.find('\x1f', from);
            s.key.emplace_back(key.substr(from, split == std::string_view::npos ? std::string_view::npos : split - from));
            if (split == std::string_view::npos) {
                break;
            }
            from = split + 1;
        }
        s.count = static_cast<uint64_t>(numberAt(fields[0]));
        size_t f = 1;
        for (const StatColumn& c : g.columns) {
            if (c.quantiles.empty()) {
                s.sums.push_back(numberAt(fields[f++]));
                s.distributions.emplace_back();
            } else {
                std::string joined;
                for (size_t i = 0; i < 4 + c.quantiles.size(); ++i) {
                    joined += (i ? "," : "") + std::string(fields[f++]);
                }
                s.sums.push_back(0);
                s.distributions.push_back(parseDistribution(joined, c.quantiles.size()));
            }
        }
        g.groups.push_back(std::move(s));
    }
}

bool runSqlite(const RunStatement& run, const std::string& from, const std::string& where, const SqlParams& params,
               std::vector<Grouping*>& groupings, const std::string& extraItems, const db::RowFn& onExtra) {
    std::string items = extraItems;
    for (const Grouping* g : groupings) {
        std::string key;
        for (const std::string& k : g->keys) {
            key += (key.empty() ? "" : " || char(31) || ") + std::string("coalesce(") + k + ", '')";
        }
        items += (items.empty() ? "ps_stats('" : ", ps_stats('") + specOf(*g) + "', " + key;
        for (const StatColumn& c : g->columns) {
            items += ", " + c.expression;
        }
        items += ")";
    }
    return run("SELECT " + items + " FROM " + from + where, params, [&](const db::Row& row) {
        // The groupings' columns come after the extra items.
        const int offset = row.size() - static_cast<int>(groupings.size());
        if (!extraItems.empty() && onExtra) {
            onExtra(row);
        }
        for (size_t i = 0; i < groupings.size(); ++i) {
            parseStats(row.text(offset + static_cast<int>(i)), *groupings[i]);
        }
        return false;
    });
}

bool runPostgres(const RunStatement& run, db::Dialect dialect, const std::string& from, const std::string& where,
                 const SqlParams& params, std::vector<Grouping*>& groupings, const std::string& extraItems,
                 const db::RowFn& onExtra) {
    if (!extraItems.empty() && !run("SELECT " + extraItems + " FROM " + from + where, params, onExtra)) {
        return false;
    }
    for (Grouping* g : groupings) {
        std::string keys, order;
        for (size_t k = 0; k < g->keys.size(); ++k) {
            keys += (k ? ", " : "") + g->keys[k];
            order += ", " + g->keys[k] + " COLLATE \"C\"";
        }
        std::string sql = "SELECT " + keys + ", count(*), count(*) OVER ()";
        for (const StatColumn& c : g->columns) {
            sql += ", " + (c.quantiles.empty() ? "sum(" + c.expression + ")"
                                               : distributionSql(dialect, c.expression, c.quantiles));
        }
        std::string groupBy;
        for (size_t k = 1; k <= g->keys.size(); ++k) {
            groupBy += (k > 1 ? ", " : "") + std::to_string(k);
        }
        sql += " FROM " + from + where + " GROUP BY " + groupBy;
        if (g->limit > 0) {
            sql += " ORDER BY count(*) DESC" + order + " LIMIT " + std::to_string(g->limit);
        }
        const auto nk = static_cast<int>(g->keys.size());
        const bool ok = run(sql, params, [&](const db::Row& row) {
            GroupStats s;
            for (int k = 0; k < nk; ++k) {
                s.key.emplace_back(row.text(k));
            }
            s.count = static_cast<uint64_t>(std::max<int64_t>(0, row.integer(nk).value_or(0)));
            g->groupCount = static_cast<uint64_t>(std::max<int64_t>(0, row.integer(nk + 1).value_or(0)));
            int column = nk + 2;
            for (const StatColumn& c : g->columns) {
                if (c.quantiles.empty()) {
                    s.sums.push_back(row.real(column).value_or(0));
                    s.distributions.emplace_back();
                } else {
                    s.sums.push_back(0);
                    s.distributions.push_back(parseDistribution(row.text(column), c.quantiles.size()));
                }
                ++column;
            }
            g->groups.push_back(std::move(s));
            return true;
        });
        if (!ok) {
            return false;
        }
    }
    return true;
}

}  // namespace

bool runGroupings(const RunStatement& run, db::Dialect dialect, const std::string& from, const std::string& where,
                  const SqlParams& params, std::vector<Grouping*> groupings, const std::string& extraItems,
                  const db::RowFn& onExtra) {
    for (Grouping* g : groupings) {
        g->groups.clear();
        g->groupCount = 0;
    }
    if (dialect == db::Dialect::Sqlite) {
        if (groupings.empty() && extraItems.empty()) {
            return true;
        }
        return runSqlite(run, from, where, params, groupings, extraItems, onExtra);
    }
    return runPostgres(run, dialect, from, where, params, groupings, extraItems, onExtra);
}

}  // namespace ps
