// Aggregation in the database against the in-memory computation of the same data, shared by the aggregation
// tests: computeDatabaseOverview must give computeOverview's figures (counts and sums exactly, type-7 percentiles
// and rates to 1e-9 relative; histogram edges and counts, time series, KPIs with the previous period and
// sparklines, top prompts, breakdowns, the sidebar's counts) and buildDatabaseReport buildReport's.
#pragma once

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <map>

#include "databaseoverview.h"
#include "databasereport.h"
#include "groupsummary.h"
#include "selection.h"

namespace dbaggregate {

inline bool close(double a, double b) {
    if (std::isnan(a) || std::isnan(b)) {
        return std::isnan(a) && std::isnan(b);
    }
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::max(std::abs(a), std::abs(b)));
}

}  // namespace dbaggregate

#define COMPARE_NUM(a, b)                                                                                       \
    QVERIFY2(dbaggregate::close((a), (b)), qPrintable(QStringLiteral("%1: %2 != %3")                              \
                                                          .arg(QLatin1String(#a))                                 \
                                                          .arg((a), 0, 'g', 17)                                   \
                                                          .arg((b), 0, 'g', 17)))

namespace dbaggregate {

using namespace ps;

// requireRows: the filter is meant to select something (a fixture that selects nothing tests too little).
inline void compareOverview(const Dataset& d, const FacetIndex& index, db::Connection& c,
                            const db::RequestMapping& m, const Filter& f, Grain grain, bool requireRows = true) {
    const Selection sel = selectRequests(d, index, f);
    const OverviewResult mem = computeOverview(d, index, f, sel, grain);
    const DatabaseOverview db = computeDatabaseOverview(c, m, f, grain);
    QVERIFY2(db.error.empty(), db.error.c_str());
    const OverviewResult& o = db.overview;
    QCOMPARE(o.rows, mem.rows);
    if (requireRows) {
        QVERIFY(mem.rows > 0);
    }
    QCOMPARE(o.beginNs, mem.beginNs);
    QCOMPARE(o.endNs, mem.endNs);
    for (size_t k = 0; k < kKpiCount; ++k) {
        COMPARE_NUM(o.kpis[k].current, mem.kpis[k].current);
        COMPARE_NUM(o.kpis[k].previous, mem.kpis[k].previous);
        QCOMPARE(o.kpis[k].spark.size(), mem.kpis[k].spark.size());
        for (size_t b = 0; b < mem.kpis[k].spark.size(); ++b) {
            COMPARE_NUM(o.kpis[k].spark[b], mem.kpis[k].spark[b]);
        }
    }
    const TimeSeries &a = o.series, &e = mem.series;
    QCOMPARE(a.bucketNs, e.bucketNs);
    QCOMPARE(a.firstBucketNs, e.firstBucketNs);
    QCOMPARE(a.size(), e.size());
    for (size_t b = 0; b < e.size(); ++b) {
        QCOMPARE(a.count[b], e.count[b]);
        QCOMPARE(a.inputTokens[b], e.inputTokens[b]);
        QCOMPARE(a.outputTokens[b], e.outputTokens[b]);
        COMPARE_NUM(a.costUsd[b], e.costUsd[b]);
        COMPARE_NUM(a.p50[b], e.p50[b]);
        COMPARE_NUM(a.p95[b], e.p95[b]);
        COMPARE_NUM(a.p99[b], e.p99[b]);
        for (size_t k = 1; k < kErrorClassCount; ++k) {
            COMPARE_NUM(a.errorRate[k][b], e.errorRate[k][b]);
        }
    }
    for (auto [x, y] : {std::pair{&o.latencyMs, &mem.latencyMs}, std::pair{&o.costUsd, &mem.costUsd}}) {
        QCOMPARE(x->total, y->total);
        QCOMPARE(x->edges, y->edges);
        QCOMPARE(x->counts, y->counts);
        COMPARE_NUM(x->p50, y->p50);
        COMPARE_NUM(x->p95, y->p95);
        COMPARE_NUM(x->p99, y->p99);
    }
    QCOMPARE(o.tokens.input, mem.tokens.input);
    QCOMPARE(o.tokens.output, mem.tokens.output);
    QCOMPARE(o.tokens.cached, mem.tokens.cached);
    QCOMPARE(o.tokens.topPrompts, mem.tokens.topPrompts);
    QCOMPARE(o.breakdowns.size(), mem.breakdowns.size());
    for (size_t b = 0; b < mem.breakdowns.size(); ++b) {
        QCOMPARE(o.breakdowns[b].field, mem.breakdowns[b].field);
        QCOMPARE(o.breakdowns[b].rows.size(), mem.breakdowns[b].rows.size());
        for (size_t r = 0; r < mem.breakdowns[b].rows.size(); ++r) {
            const BreakdownRow &x = o.breakdowns[b].rows[r], &y = mem.breakdowns[b].rows[r];
            QCOMPARE(x.key, y.key);
            QCOMPARE(x.count, y.count);
            COMPARE_NUM(x.errorRate, y.errorRate);
            COMPARE_NUM(x.p95LatencyMs, y.p95LatencyMs);
            COMPARE_NUM(x.costUsd, y.costUsd);
        }
    }
    for (size_t k = 0; k < kDimensionCount; ++k) {
        std::map<std::string, uint64_t> expected, actual;
        for (const FacetValue& v : sel.facets[k]) {
            if (v.count > 0) {
                expected[v.value.isEmpty() ? std::string("(none)") : std::string(d.str(v.value))] = v.count;
            }
        }
        for (const auto& [value, n] : db.facets.values[k]) {
            actual[value] = n;
        }
        QVERIFY2(db.facets.valueCount[k] == sel.valueCount[k] || sel.facets[k].empty(),
                 qPrintable(QStringLiteral("dimension %1: %2 values, expected %3")
                                .arg(k)
                                .arg(db.facets.valueCount[k])
                                .arg(sel.valueCount[k])));
        if (sel.valueCount[k] <= kMaxFacetValues) {
            QVERIFY2(actual == expected, qPrintable(QStringLiteral("dimension %1").arg(k)));
        } else {
            // Only the top values are listed; values tied at the cut may differ, their counts may not.
            std::vector<uint64_t> av, ev;
            for (const auto& [value, n] : actual) {
                av.push_back(n);
                QVERIFY(!expected.count(value) || expected[value] == n);
            }
            for (const auto& [value, n] : expected) {
                ev.push_back(n);
            }
            std::sort(av.begin(), av.end());
            std::sort(ev.begin(), ev.end());
            QCOMPARE(av, ev);
        }
    }
    for (size_t s = 0; s < 3; ++s) {
        QCOMPARE(db.facets.statusCounts[s], uint64_t{sel.statusCounts[s]});
    }
}

inline void compareSummary(const GroupSummary& x, const GroupSummary& y) {
    QCOMPARE(x.key, y.key);
    QCOMPARE(x.count, y.count);
    QCOMPARE(x.errors, y.errors);
    QCOMPARE(x.refusals, y.refusals);
    QCOMPARE(x.inputTokens, y.inputTokens);
    QCOMPARE(x.outputTokens, y.outputTokens);
    QCOMPARE(x.cachedTokens, y.cachedTokens);
    QCOMPARE(x.costUnknown, y.costUnknown);
    QCOMPARE(x.evalPass, y.evalPass);
    QCOMPARE(x.evalFail, y.evalFail);
    QCOMPARE(x.evalPassRate.has_value(), y.evalPassRate.has_value());
    COMPARE_NUM(x.evalPassRate.value_or(0), y.evalPassRate.value_or(0));
    COMPARE_NUM(x.costUsd, y.costUsd);
    COMPARE_NUM(x.latencyMs.p50, y.latencyMs.p50);
    COMPARE_NUM(x.latencyMs.p90, y.latencyMs.p90);
    COMPARE_NUM(x.latencyMs.p95, y.latencyMs.p95);
    COMPARE_NUM(x.latencyMs.p99, y.latencyMs.p99);
    COMPARE_NUM(x.latencyMs.max, y.latencyMs.max);
    COMPARE_NUM(x.latencyMs.mean, y.latencyMs.mean);
}

// The whole report over all rows, grouped by field.
inline void compareReport(const Dataset& d, db::Connection& c, const db::RequestMapping& m, GroupField field,
                          Grain grain) {
    const Report mem = buildReport(d, field, grain);
    Report db;
    std::string error;
    QVERIFY2(buildDatabaseReport(c, m, field, grain, Filter{}, &db, &error), error.c_str());
    QCOMPARE(db.groups.size(), mem.groups.size());
    for (size_t g = 0; g < mem.groups.size(); ++g) {
        compareSummary(db.groups[g], mem.groups[g]);
        if (QTest::currentTestFailed()) {
            return;
        }
    }
    compareSummary(db.total, mem.total);
}

}  // namespace dbaggregate
