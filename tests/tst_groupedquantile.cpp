// The per-group quantile used by the breakdowns against the plain definition: each group's values copied out
// and passed to percentile(), on data with ties, negative values, empty groups and many groups.
#include <QtTest>

#include <cmath>
#include <random>

#include "groupedquantile.h"
#include "percentile.h"

using namespace ps;

namespace {

std::vector<double> reference(const std::vector<double>& values, const std::vector<uint32_t>& group, size_t groups,
                              double q) {
    std::vector<std::vector<double>> by(groups);
    for (size_t i = 0; i < values.size(); ++i) {
        if (group[i] != kSkipRow) {
            by[group[i]].push_back(values[i]);
        }
    }
    std::vector<double> out(groups);
    for (size_t g = 0; g < groups; ++g) {
        out[g] = percentile(by[g], q);
    }
    return out;
}

void compare(const std::vector<double>& values, const std::vector<uint32_t>& group, size_t groups) {
    GroupedQuantileScratch scratch;
    const std::vector<double> qs = {0.0, 0.5, 0.9, 0.95, 0.99, 1.0};
    std::vector<double> all(groups * qs.size());
    groupedQuantiles(values, keyRangeOf(values), group, groups, qs, all, scratch);
    for (size_t j = 0; j < qs.size(); ++j) {
        const double q = qs[j];
        std::vector<double> got(groups);
        groupedQuantile(values, group, groups, q, got, scratch);
        const std::vector<double> want = reference(values, group, groups, q);
        for (size_t g = 0; g < groups; ++g) {
            const double together = all[g * qs.size() + j];
            QVERIFY(together == got[g] || (std::isnan(together) && std::isnan(got[g])));
            if (std::isnan(want[g])) {
                QVERIFY2(std::isnan(got[g]), qPrintable(QStringLiteral("group %1 q %2").arg(g).arg(q)));
            } else {
                QVERIFY2(got[g] == want[g], qPrintable(QStringLiteral("group %1 q %2: %3 vs %4")
                                                            .arg(g).arg(q).arg(got[g], 0, 'g', 17).arg(want[g], 0, 'g', 17)));
            }
        }
    }
}

}  // namespace

class TestGroupedQuantile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void smallHandMadeGroups() {
        // Group 0: {1, 2, 3, 4} -> p50 2.5; group 1 empty; group 2: {10}.
        const std::vector<double> v = {4, 10, 1, 3, 2};
        const std::vector<uint32_t> g = {0, 2, 0, 0, 0};
        std::vector<double> out(3);
        GroupedQuantileScratch scratch;
        groupedQuantile(v, g, 3, 0.5, out, scratch);
        QCOMPARE(out[0], 2.5);
        QVERIFY(std::isnan(out[1]));
        QCOMPARE(out[2], 10.0);
        compare(v, g, 3);
    }

    void lognormalLatenciesInAFewGroups() {
        std::mt19937_64 rng(3);
        std::lognormal_distribution<double> latency(6.5, 1.2);
        std::vector<double> v;
        std::vector<uint32_t> g;
        for (int i = 0; i < 200000; ++i) {
            v.push_back(std::round(latency(rng) * 1000) / 1000);  // millisecond resolution: many ties
            g.push_back(static_cast<uint32_t>((i * 7 + i / 3) % 5));
        }
        compare(v, g, 5);
    }

    void tiesNegativesAndConstantGroups() {
        std::mt19937 rng(5);
        std::vector<double> v;
        std::vector<uint32_t> g;
        for (int i = 0; i < 50000; ++i) {
            const uint32_t group = rng() % 40;
            g.push_back(group);
            if (group == 0) {
                v.push_back(7.0);  // one value only
            } else if (group == 1) {
                v.push_back(-static_cast<double>(rng() % 5));
            } else {
                v.push_back(static_cast<double>(rng() % 1000) / 8 - 20);
            }
        }
        compare(v, g, 43);  // groups 40..42 have no values
    }

    void skippedRowsTakeNoPart() {
        // NaN costs are skipped: each group's quantiles are those of its other rows.
        std::mt19937 rng(11);
        std::vector<double> v;
        std::vector<uint32_t> g;
        for (int i = 0; i < 40000; ++i) {
            const bool unknown = rng() % 4 == 0;
            v.push_back(unknown ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(rng() % 5000) * 1e-5);
            g.push_back(unknown ? kSkipRow : rng() % 300);
        }
        compare(v, g, 300);
        // Without groups: one group of every value but NaN, as percentile() of the known values.
        std::vector<double> known;
        for (double x : v) {
            if (!std::isnan(x)) {
                known.push_back(x);
            }
        }
        GroupedQuantileScratch scratch;
        const double qs[] = {0.5, 0.95, 0.99};
        double out[3];
        groupedQuantiles(v, keyRangeOf(v), {}, 1, qs, out, scratch);
        for (int j = 0; j < 3; ++j) {
            std::vector<double> copy = known;
            QCOMPARE(out[j], percentile(copy, qs[j]));
        }
    }

    void manyGroupsFallBack() {
        std::mt19937 rng(9);
        std::vector<double> v;
        std::vector<uint32_t> g;
        for (int i = 0; i < 60000; ++i) {
            v.push_back(static_cast<double>(rng() % 100000) / 10);
            g.push_back(rng() % 5000);
        }
        compare(v, g, 5000);
    }
};

QTEST_APPLESS_MAIN(TestGroupedQuantile)
#include "tst_groupedquantile.moc"
