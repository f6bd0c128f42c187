#include "databaseoverview.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <limits>

#include "grainrows.h"
#include "groupedstats.h"
#include "sqldistribution.h"
#include "sqlfilter.h"
#include "versionlabel.h"

namespace ps {
namespace {

constexpr int64_t kNsPerSecond = 1000000000;
const std::vector<double> kSummaryQs = {0.50, 0.90, 0.95, 0.99};
const std::vector<double> kSeriesQs = {0.50, 0.95, 0.99};
const std::vector<double> kP95 = {0.95};
constexpr size_t kHistogramBins = 40;

constexpr std::pair<GroupField, Dimension> kBreakdownFields[] = {{GroupField::Model, Dimension::Model},
                                                                 {GroupField::Feature, Dimension::Feature},
                                                                 {GroupField::PromptVersion, Dimension::PromptVersion},
                                                                 {GroupField::Tenant, Dimension::Tenant},
                                                                 {GroupField::Environment, Dimension::Environment}};

// Runs the statements of one overview: counts them and stops at the first failure or cancellation.
class Runner {
public:
    Runner(db::Connection& connection, const std::atomic<bool>* cancel, DatabaseOverview& out)
        : connection_(connection), cancel_(cancel), out_(out) {}

    bool run(const std::string& sql, const SqlParams& params, const db::RowFn& onRow) {
        if (!out_.error.empty()) {
            return false;
        }
        if (cancel_ && cancel_->load(std::memory_order_relaxed)) {
            out_.error = "the query was interrupted";
            return false;
        }
        ++out_.queries;
        std::string error;
        const auto t0 = std::chrono::steady_clock::now();
        const bool ok = connection_.query(sql, params.values(), onRow, &error);
        out_.statementMs.emplace_back(
            sql, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        if (!ok) {
            out_.error = error.empty() ? std::string("the query failed") : error;
            return false;
        }
        return true;
    }

private:
    db::Connection& connection_;
    const std::atomic<bool>* cancel_;
    DatabaseOverview& out_;
};

uint64_t count(const db::Row& row, int column) {
    return static_cast<uint64_t>(std::max<int64_t>(0, row.integer(column).value_or(0)));
}

double ratio(uint64_t part, uint64_t whole) {
    return whole ? static_cast<double>(part) / static_cast<double>(whole) : kNaN;
}

// Days since 1970-01-01 of a civil date (proleptic Gregorian).
int64_t daysFromCivil(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

// The KPI tiles' values from a group's counts and percentiles.
struct KpiCounts {
    uint64_t rows = 0, errors = 0, refusals = 0, evalPass = 0, evalFail = 0, up = 0, down = 0;
};

std::array<double, kKpiCount> kpiValues(const KpiCounts& n, double p95Latency, double p95Cost) {
    std::array<double, kKpiCount> k{};
    k[static_cast<size_t>(Kpi::Volume)] = static_cast<double>(n.rows);
    k[static_cast<size_t>(Kpi::ErrorRate)] = ratio(n.errors, n.rows);
    k[static_cast<size_t>(Kpi::RefusalRate)] = ratio(n.refusals, n.rows);
    k[static_cast<size_t>(Kpi::P95Latency)] = p95Latency;
    k[static_cast<size_t>(Kpi::P95Cost)] = p95Cost;
    k[static_cast<size_t>(Kpi::EvalPassRate)] = ratio(n.evalPass, n.evalPass + n.evalFail);
    k[static_cast<size_t>(Kpi::ThumbsDownRate)] = ratio(n.down, n.up + n.down);
    return k;
}

// The select items of KpiCounts after count(*), read back from column `first` on.
std::string kpiSums(const GrainRows& rows) {
    return "sum(" + rows.error + "), sum(" + rows.refusal + "), sum(" + rows.evalPass + "), sum(" + rows.evalFail +
           "), sum(" + rows.thumbsUp + "), sum(" + rows.thumbsDown + ")";
}
KpiCounts readKpiSums(const db::Row& row, int countColumn, int first) {
    return {count(row, countColumn), count(row, first),     count(row, first + 1), count(row, first + 2),
            count(row, first + 3),   count(row, first + 4), count(row, first + 5)};
}

}  // namespace

bool parseStoredTime(const db::RequestMapping& mapping, const db::Row& row, int column, int64_t* ns) {
    if (row.isNull(column)) {
        return false;
    }
    if (mapping.startStorage == db::TimeStorage::EpochNanos) {
        const auto v = row.integer(column);
        if (v) {
            *ns = *v;
        }
        return v.has_value();
    }
    if (const double unit = db::epochUnitNs(mapping.startStorage); unit > 0) {
        const auto v = row.real(column);
        if (!v) {
            return false;
        }
        *ns = std::llround(*v * unit);
        return true;
    }
    // YYYY-MM-DD[ T]HH:MM:SS[.fraction], read digit by digit (no locale, no rounding).
    const std::string_view t = row.text(column);
    if (t.size() < 19) {
        return false;
    }
    auto digits = [&](size_t at, size_t n) {
        int64_t v = 0;
        for (size_t i = at; i < at + n; ++i) {
            if (t[i] < '0' || t[i] > '9') {
                return int64_t{-1};
            }
            v = v * 10 + (t[i] - '0');
        }
        return v;
    };
    const int64_t y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2);
    const int64_t h = digits(11, 2), mi = digits(14, 2), s = digits(17, 2);
    if (y < 0 || mo < 1 || d < 1 || h < 0 || mi < 0 || s < 0) {
        return false;
    }
    int64_t fraction = 0;
    if (t.size() > 20 && t[19] == '.') {
        int64_t scale = 100000000;
        for (size_t i = 20; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i, scale /= 10) {
            fraction += scale * (t[i] - '0');
        }
    }
    *ns = ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60 * kNsPerSecond + s * kNsPerSecond + fraction;
    return true;
}

bool databaseExtent(db::Connection& connection, const db::RequestMapping& m, DatabaseExtent* out,
                    std::string* error) {
    const std::string sql = "SELECT count(*), min(" + m.startColumn + "), max(" + m.startColumn + ") FROM " + m.from;
    const bool ok = connection.query(
        sql, {},
        [&](const db::Row& row) {
            out->rows = count(row, 0);
            parseStoredTime(m, row, 1, &out->firstNs);
            parseStoredTime(m, row, 2, &out->lastNs);
            return false;
        },
        error);
    if (!ok || m.loadRowsSql.empty()) {
        return ok;
    }
    return connection.query(
        m.loadRowsSql, {},
        [&](const db::Row& row) {
            out->spans = count(row, 0);
            return false;
        },
        error);
}

DatabaseOverview computeDatabaseOverview(db::Connection& connection, const db::RequestMapping& m,
                                         const Filter& filter, Grain grain, const std::atomic<bool>* cancel) {
    DatabaseOverview out;
    OverviewResult& o = out.overview;
    o.grain = grain;
    Runner runner(connection, cancel, out);
    const RunStatement run = [&runner](const std::string& sql, const SqlParams& params, const db::RowFn& onRow) {
        return runner.run(sql, params, onRow);
    };
    const GrainRows c(m, grain);
    const GrainRows requestRows(m, Grain::Request);
    if (std::string why; !prepareForAggregation(connection, &why)) {
        out.error = why;
        return out;
    }

    // The first scan: totals (the selection's time range, counts, both distributions), the breakdowns, the
    // sidebar's counts of the dimensions the filter leaves open, and the tokens per prompt. The time range and the
    // status counts are the requests'; when calls are rows of their own, the requests get a scan of their own.
    uint64_t requests = 0, failedRequests = 0;
    int64_t firstNs = 0, lastNs = 0;
    KpiCounts now;
    SqlDistribution latency, cost;
    const std::string range = "count(*), min(" + m.startColumn + "), max(" + m.startColumn + ")";
    auto readRange = [&](const db::Row& row, int errorColumn) {
        requests = count(row, 0);
        parseStoredTime(m, row, 1, &firstNs);
        parseStoredTime(m, row, 2, &lastNs);
        failedRequests = count(row, errorColumn);
    };
    const std::string totals = range + ", " + kpiSums(c) + ", sum(" + c.input + "), sum(" + c.output + "), sum(" +
                               c.cached + "), " + distributionSql(m.dialect, c.latency, kSummaryQs) + ", " +
                               distributionSql(m.dialect, c.cost, kSummaryQs);
    auto readTotals = [&](const db::Row& row) {
        now = readKpiSums(row, 0, 3);
        if (!c.perCall) {
            readRange(row, 3);
        }
        o.tokens.input = count(row, 9);
        o.tokens.output = count(row, 10);
        o.tokens.cached = count(row, 11);
        latency = parseDistribution(row.text(12), kSummaryQs.size());
        cost = parseDistribution(row.text(13), kSummaryQs.size());
        return false;
    };

    // Breakdowns: count, errors, cost and p95 latency per value of the rows' key.
    std::array<Grouping, std::size(kBreakdownFields)> breakdownGroups;
    std::vector<Grouping*> rowGroupings;
    for (size_t b = 0; b < std::size(kBreakdownFields); ++b) {
        const Dimension dim = kBreakdownFields[b].second;
        if (c.hasKey(dim)) {
            breakdownGroups[b] = Grouping{{c.key(dim)}, {{c.error, {}}, {c.cost, {}}, {c.latency, kP95}}, kMaxFacetValues};
            rowGroupings.push_back(&breakdownGroups[b]);
        }
    }
    // The sidebar's counts under the full filter: shared with a breakdown at the request grain.
    std::array<Grouping, kDimensionCount> facetGroups;
    std::array<Grouping*, kDimensionCount> facetOf{};
    std::vector<Grouping*> requestGroupings;
    for (size_t k = 0; k < kDimensionCount; ++k) {
        if (!filter.values[k].empty() || !m.hasDimension(k)) {
            continue;
        }
        const auto dim = static_cast<Dimension>(k);
        for (size_t b = 0; b < std::size(kBreakdownFields) && !c.perCall; ++b) {
            if (kBreakdownFields[b].second == dim) {
                facetOf[k] = &breakdownGroups[b];
            }
        }
        if (!facetOf[k]) {
            facetGroups[k] = Grouping{{requestRows.key(dim)}, {}, kMaxFacetValues};
            facetOf[k] = &facetGroups[k];
            (c.perCall ? requestGroupings : rowGroupings).push_back(facetOf[k]);
        }
    }
    const bool prompts = c.hasKey(Dimension::PromptName) || c.hasKey(Dimension::PromptVersion);
    Grouping promptTokens{{c.key(Dimension::PromptName), c.key(Dimension::PromptVersion)},
                          {{c.input + " + " + c.output, {}}}};
    if (prompts) {
        rowGroupings.push_back(&promptTokens);
    }
    if (c.perCall) {
        SqlParams params(m.dialect);
        const std::string where = whereClause(m, filter, params);
        runGroupings(run, m.dialect, m.from, where, params, requestGroupings,
                     range + ", sum(" + requestRows.error + ")", [&](const db::Row& row) {
                         readRange(row, 3);
                         return false;
                     });
    }
    {
        SqlParams params(m.dialect);
        const std::string where = c.where(m, filter, params);
        runGroupings(run, m.dialect, c.from, where, params, rowGroupings, totals, readTotals);
    }
    const uint64_t rows = now.rows;
    o.rows = rows;

    DatabaseFacets& facets = out.facets;
    facets.statusCounts = {requests, requests - failedRequests, failedRequests};
    if (filter.status != StatusFilter::Any) {
        SqlParams params(m.dialect);
        WhereOptions options;
        options.skipStatus = true;
        runner.run("SELECT count(*), sum(" + requestRows.error + ") FROM " + m.from +
                       whereClause(m, filter, params, options),
                   params, [&](const db::Row& row) {
                       const uint64_t any = count(row, 0);
                       const uint64_t failed = count(row, 1);
                       facets.statusCounts = {any, any - failed, failed};
                       return false;
                   });
    }
    auto storeFacet = [&](size_t k, const Grouping& g) {
        facets.valueCount[k] = g.groupCount;
        for (const GroupStats& s : g.groups) {
            facets.values[k].emplace_back(s.key[0], s.count);
        }
    };
    o.breakdowns.resize(std::size(kBreakdownFields));
    for (size_t b = 0; b < std::size(kBreakdownFields); ++b) {
        Breakdown& breakdown = o.breakdowns[b];
        breakdown.field = kBreakdownFields[b].first;
        if (rows == 0) {
            continue;
        }
        if (!c.hasKey(kBreakdownFields[b].second)) {
            // No such field: every row is "(none)".
            breakdown.rows.push_back({"(none)", rows, ratio(now.errors, rows), latency.quantiles[2], cost.sum});
            continue;
        }
        for (const GroupStats& g : breakdownGroups[b].groups) {
            if (breakdown.rows.size() < kMaxBreakdownRows) {
                breakdown.rows.push_back({g.key[0], g.count, ratio(static_cast<uint64_t>(g.sums[0]), g.count),
                                          g.distributions[2].quantiles[0], g.sums[1]});
            }
        }
    }
    // The dimensions the filter narrows: counted under the other filters, one statement each; those without a
    // mapping have no value.
    for (size_t k = 0; k < kDimensionCount && out.error.empty(); ++k) {
        if (facetOf[k]) {
            storeFacet(k, *facetOf[k]);
            continue;
        }
        if (!m.hasDimension(k) && filter.values[k].empty()) {
            if (requests > 0) {
                facets.values[k].emplace_back("(none)", requests);
                facets.valueCount[k] = 1;
            }
            continue;
        }
        Grouping g{{requestRows.key(static_cast<Dimension>(k))}, {}, kMaxFacetValues};
        SqlParams params(m.dialect);
        WhereOptions options;
        options.skipDimension = static_cast<int>(k);
        if (!runGroupings(run, m.dialect, m.from, whereClause(m, filter, params, options), params, {&g})) {
            return out;
        }
        storeFacet(k, g);
    }
    if (requests == 0 || !out.error.empty()) {
        o.beginNs = filter.beginNs;
        o.endNs = filter.endNs;
        return out;
    }

    // The period shown, and the previous one of equal length (as computeOverview).
    int64_t begin = filter.beginNs == Filter::kNoLimit ? firstNs : filter.beginNs;
    int64_t end = filter.endNs == Filter::kNoLimit ? lastNs + 1 : filter.endNs;
    end = std::max(end, begin + 1);
    o.beginNs = begin;
    o.endNs = end;

    // The second scan: the time series (one group per bucket; buckets are whole minutes from a whole minute, so
    // a row's bucket depends on its whole seconds only) and the histograms on the distributions' edges.
    TimeSeries& ts = o.series;
    ts.bucketNs = bucketFor(end - begin);
    ts.firstBucketNs = begin - ((begin % ts.bucketNs) + ts.bucketNs) % ts.bucketNs;
    const auto buckets = static_cast<size_t>((end - ts.firstBucketNs + ts.bucketNs - 1) / ts.bucketNs);
    ts.count.assign(buckets, 0);
    for (auto& v : ts.errorRate) {
        v.assign(buckets, 0);
    }
    ts.p50.assign(buckets, kNaN);
    ts.p95.assign(buckets, kNaN);
    ts.p99.assign(buckets, kNaN);
    ts.costUsd.assign(buckets, 0);
    ts.inputTokens.assign(buckets, 0);
    ts.outputTokens.assign(buckets, 0);
    for (auto& k : o.kpis) {
        k.spark.assign(buckets, kNaN);
    }
    auto histogramOf = [](const SqlDistribution& d) {
        Histogram h;
        h.total = d.count;
        if (d.count > 0) {
            h.edges = logHistogramEdges(d.minPositive, d.max, kHistogramBins);
            h.counts.assign(h.edges.size() - 1, 0);
            h.p50 = d.quantiles[0];
            h.p95 = d.quantiles[2];
            h.p99 = d.quantiles[3];
        }
        return h;
    };
    o.latencyMs = histogramOf(latency);
    o.costUsd = histogramOf(cost);
    {
        auto seriesOf = [&](SqlParams& params) {
            const std::string bucket = "((" + c.startSeconds + " - " +
                                       params.bind(ts.firstBucketNs / kNsPerSecond, "int8") + ") / " +
                                       params.bind(ts.bucketNs / kNsPerSecond, "int8") + ")";
            Grouping g{{bucket},
                       {{c.error, {}}, {c.refusal, {}}, {c.evalPass, {}}, {c.evalFail, {}}, {c.thumbsUp, {}},
                        {c.thumbsDown, {}}, {c.cost, {}}, {c.input, {}}, {c.output, {}}, {c.latency, kSeriesQs},
                        {c.cost, kP95}}};
            for (size_t k = 1; k < kErrorClassCount; ++k) {
                g.columns.push_back(
                    {"(CASE WHEN " + c.errorClass + " = " + std::to_string(k) + " THEN 1 ELSE 0 END)", {}});
            }
            return g;
        };
        auto binsOf = [&](SqlParams& params) {
            auto inner = [](const Histogram& h) {
                return h.edges.size() > 2 ? std::vector<double>(h.edges.begin() + 1, h.edges.end() - 1)
                                          : std::vector<double>{};
            };
            return Grouping{{binSql(m.dialect, c.latency, inner(o.latencyMs), params),
                             binSql(m.dialect, c.cost, inner(o.costUsd), params)},
                            {}};
        };
        // One statement on SQLite; PostgreSQL needs each statement's parameters to be its own.
        SqlParams params(m.dialect), binParams(m.dialect);
        Grouping series = seriesOf(params);
        const bool fuse = m.dialect == db::Dialect::Sqlite;
        Grouping bins = binsOf(fuse ? params : binParams);
        if (fuse) {
            const std::string where = c.where(m, filter, params);
            runGroupings(run, m.dialect, c.from, where, params, {&series, &bins});
        } else {
            const std::string where = c.where(m, filter, params);
            runGroupings(run, m.dialect, c.from, where, params, {&series});
            const std::string binWhere = c.where(m, filter, binParams);
            runGroupings(run, m.dialect, c.from, binWhere, binParams, {&bins});
        }
        for (const GroupStats& g : series.groups) {
            int64_t index = 0;
            std::from_chars(g.key[0].data(), g.key[0].data() + g.key[0].size(), index);
            const auto b = static_cast<size_t>(std::clamp<int64_t>(index, 0, static_cast<int64_t>(buckets) - 1));
            const auto sum = [&](size_t column) { return static_cast<uint64_t>(std::max(0.0, g.sums[column])); };
            const KpiCounts n{g.count, sum(0), sum(1), sum(2), sum(3), sum(4), sum(5)};
            ts.count[b] += static_cast<double>(n.rows);
            ts.costUsd[b] += g.sums[6];
            ts.inputTokens[b] += g.sums[7];
            ts.outputTokens[b] += g.sums[8];
            const SqlDistribution& lat = g.distributions[9];
            for (size_t k = 1; k < kErrorClassCount; ++k) {
                ts.errorRate[k][b] = ratio(sum(10 + k), n.rows);
            }
            ts.p50[b] = lat.quantiles[0];
            ts.p95[b] = lat.quantiles[1];
            ts.p99[b] = lat.quantiles[2];
            const auto spark = kpiValues(n, ts.p95[b], g.distributions[10].quantiles[0]);
            for (size_t k = 0; k < kKpiCount; ++k) {
                o.kpis[k].spark[b] = spark[k];
            }
        }
        for (size_t b = 0; b < buckets; ++b) {
            if (ts.count[b] == 0) {
                o.kpis[static_cast<size_t>(Kpi::Volume)].spark[b] = 0;
            }
        }
        for (const GroupStats& g : bins.groups) {
            for (auto [h, column] : {std::pair{&o.latencyMs, 0}, std::pair{&o.costUsd, 1}}) {
                int64_t bin = 0;
                const std::string& key = g.key[static_cast<size_t>(column)];
                if (!key.empty() && !h->counts.empty() &&
                    std::from_chars(key.data(), key.data() + key.size(), bin).ec == std::errc()) {
                    bin = std::clamp<int64_t>(bin, 0, static_cast<int64_t>(h->counts.size()) - 1);
                    h->counts[static_cast<size_t>(bin)] += g.count;
                }
            }
        }
    }

    // KPIs now and over the previous period.
    const auto current = kpiValues(now, latency.quantiles[2], cost.quantiles[2]);
    std::array<double, kKpiCount> before{};
    uint64_t previousRows = 0;
    {
        SqlParams params(m.dialect);
        WhereOptions options;
        options.replaceTime = true;
        options.beginNs = begin - (end - begin);
        options.endNs = begin;
        const std::string sql = "SELECT count(*), " + kpiSums(c) + ", " + distributionSql(m.dialect, c.latency, kP95) +
                                ", " + distributionSql(m.dialect, c.cost, kP95) + " FROM " + c.from +
                                c.where(m, filter, params, options);
        runner.run(sql, params, [&](const db::Row& row) {
            const KpiCounts n = readKpiSums(row, 0, 1);
            previousRows = n.rows;
            before = kpiValues(n, parseDistribution(row.text(7), 1).quantiles[0],
                               parseDistribution(row.text(8), 1).quantiles[0]);
            return false;
        });
    }
    for (size_t k = 0; k < kKpiCount; ++k) {
        o.kpis[k].current = current[k];
        o.kpis[k].previous = previousRows > 0 ? before[k] : kNaN;
    }

    // Tokens per prompt and version, when the table has them.
    TokenSummary& tk = o.tokens;
    tk.efficiency = tk.input > 0 ? static_cast<double>(tk.output) / static_cast<double>(tk.input) : kNaN;
    auto label = [](std::string_view prompt, std::string_view v) {
        std::string text = prompt.empty() || prompt == "(none)" ? std::string("(no prompt)") : std::string(prompt);
        if (!v.empty() && v != "(none)") {
            text += " " + versionLabel(v);
        }
        return text;
    };
    if (!prompts) {
        if (tk.input + tk.output > 0) {
            tk.topPrompts.emplace_back(label({}, {}), tk.input + tk.output);
        }
    } else {
        for (const GroupStats& g : promptTokens.groups) {
            const auto tokens = static_cast<uint64_t>(std::max(0.0, g.sums[0]));
            if (tokens > 0) {
                tk.topPrompts.emplace_back(label(g.key[0], g.key[1]), tokens);
            }
        }
        std::sort(tk.topPrompts.begin(), tk.topPrompts.end(), [](const auto& x, const auto& y) {
            return x.second != y.second ? x.second > y.second : x.first < y.first;
        });
        if (tk.topPrompts.size() > 10) {
            tk.topPrompts.resize(10);
        }
    }
    o.cancelled = !out.error.empty() && cancel && cancel->load();
    return out;
}

}  // namespace ps
