// The percentile definition (type 7, linear interpolation between closest ranks) against values computed by hand
// with h = (n-1)p, P = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]); these equal R's quantile(type = 7)
// and NumPy's default percentile.
#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>

#include "percentile.h"

using namespace ps;

namespace {

double reference(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    const double h = static_cast<double>(v.size() - 1) * p;
    const auto lo = static_cast<size_t>(std::floor(h));
    const size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

}  // namespace

class TestPercentile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void byHand_data() {
        QTest::addColumn<QList<double>>("values");
        QTest::addColumn<double>("p");
        QTest::addColumn<double>("expected");
        // {1,2,3,4}: p50 h=1.5 -> 2.5; p90 h=2.7 -> 3.7.
        QTest::newRow("four p50") << QList<double>{4, 1, 3, 2} << 0.5 << 2.5;
        QTest::newRow("four p90") << QList<double>{4, 1, 3, 2} << 0.9 << 3.7;
        QTest::newRow("single") << QList<double>{7} << 0.99 << 7.0;
        QTest::newRow("ties") << QList<double>{5, 5, 5, 1} << 0.5 << 5.0;
        // {10,20,30,40,50}: p95 h=3.8 -> 40 + 0.8*10 = 48.
        QTest::newRow("five p95") << QList<double>{50, 10, 40, 20, 30} << 0.95 << 48.0;
        QTest::newRow("min") << QList<double>{3, 2, 9} << 0.0 << 2.0;
        QTest::newRow("max") << QList<double>{3, 2, 9} << 1.0 << 9.0;
    }
    void byHand() {
        QFETCH(QList<double>, values);
        QFETCH(double, p);
        QFETCH(double, expected);
        std::vector<double> v(values.begin(), values.end());
        QCOMPARE(percentile(v, p), expected);
    }

    void emptyIsNaN() {
        std::vector<double> v;
        QVERIFY(std::isnan(percentile(v, 0.5)));
        const DistributionSummary s = summarize(v);
        QVERIFY(std::isnan(s.p50) && std::isnan(s.max) && std::isnan(s.mean));
        QCOMPARE(s.count, size_t{0});
    }

    void largeInputsMatchFullSortWithTiesNegativesAndOneValue() {
        std::mt19937_64 rng(7);
        std::normal_distribution<double> normal(0.0, 1000.0);
        std::vector<std::vector<double>> cases;
        std::vector<double> mixed(100000);
        for (double& x : mixed) {
            x = std::round(normal(rng));  // negatives, zeros, ties
        }
        cases.push_back(mixed);
        cases.push_back(std::vector<double>(50000, 3.25));  // one value only
        std::vector<double> twoClusters(70000);
        for (size_t i = 0; i < twoClusters.size(); ++i) {
            twoClusters[i] = i % 3 ? 1e-6 * static_cast<double>(i % 7) : 1e9 + static_cast<double>(i % 11);
        }
        cases.push_back(twoClusters);
        for (const auto& values : cases) {
            for (const double p : {0.0, 0.01, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0}) {
                std::vector<double> v = values;
                QCOMPARE(percentile(v, p), reference(values, p));
            }
            std::vector<double> v = values;
            const DistributionSummary s = summarize(v);
            QCOMPARE(s.p50, reference(values, 0.50));
            QCOMPARE(s.p99, reference(values, 0.99));
        }
    }

    void summaryMatchesFullSortOnRandomData() {
        std::mt19937_64 rng(42);
        std::lognormal_distribution<double> dist(6.0, 1.2);
        // The last sizes take the radix-partitioned path (from 32,768 values).
        for (size_t n : {2, 3, 10, 101, 10000, 40000, 250001}) {
            std::vector<double> v(n);
            for (double& x : v) {
                x = std::round(dist(rng));  // rounding makes ties
            }
            const std::vector<double> copy = v;
            const DistributionSummary s = summarize(v);
            QCOMPARE(s.p50, reference(copy, 0.50));
            QCOMPARE(s.p90, reference(copy, 0.90));
            QCOMPARE(s.p95, reference(copy, 0.95));
            QCOMPARE(s.p99, reference(copy, 0.99));
            QCOMPARE(s.max, *std::max_element(copy.begin(), copy.end()));
            double sum = 0;
            for (double x : copy) {
                sum += x;
            }
            QVERIFY(std::abs(s.mean - sum / static_cast<double>(n)) < 1e-9 * std::max(1.0, s.mean));
        }
    }
};

QTEST_GUILESS_MAIN(TestPercentile)
#include "tst_percentile.moc"
