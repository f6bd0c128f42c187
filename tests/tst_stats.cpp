// The statistics behind version comparisons (models/analysis/stats), checked against values computed
// independently: textbook examples where they exist (cited next to each), otherwise the output of
// tests/tools/stats_reference.py, a separate implementation in Python's standard library (brute-force pairs,
// exact integer counts and rational arithmetic), run once and pasted here. Includes ties, tiny samples, zero
// variance and rates of 0 and 1.
#include <QTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "bootstrap.h"
#include "hodgeslehmann.h"
#include "mannwhitney.h"
#include "multipletesting.h"
#include "proportions.h"
#include "samplesize.h"
#include "welch.h"

using namespace ps::stats;

namespace {

bool close(double actual, double expected, double tolerance) {
    return std::fabs(actual - expected) <= tolerance;
}

#define CHECK_CLOSE(actual, expected, tolerance)                                                                  \
    QVERIFY2(close((actual), (expected), (tolerance)),                                                           \
             qPrintable(QStringLiteral("%1 = %2, expected %3").arg(QStringLiteral(#actual)).arg((actual), 0, 'g', 12) \
                            .arg((expected), 0, 'g', 12)))

using Distribution = std::map<double, double>;  // value -> probability

std::vector<double> sorted(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v;
}

// The deterministic samples of stats_reference.py (same formulas, same doubles).
std::vector<double> formulaA() {
    std::vector<double> v;
    for (int i = 0; i < 60; ++i) {
        v.push_back(((i * 7919) % 1000) / 10.0);
    }
    return v;
}
std::vector<double> formulaB() {
    std::vector<double> v;
    for (int j = 0; j < 70; ++j) {
        v.push_back(((j * 104729) % 1000) / 10.0 + 5);
    }
    return v;
}

}  // namespace

class TestStats : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void mannWhitneyWithTiesUsesTheNormalApproximation() {
        // stats_reference.py: "ties (56.0, 0.05965631856362075, False)"
        const std::vector<double> a = {1.1, 2.2, 2.2, 3.5, 4.0, 5.1, 6.3, 7.7};
        const std::vector<double> b = {2.2, 3.5, 4.8, 6.0, 7.7, 8.1, 9.4, 10.2, 11.0};
        const MannWhitneyResult r = mannWhitneyU(a, b);
        QVERIFY(!r.exact);
        QCOMPARE(r.u, 56.0);
        QVERIFY(r.tieTerm > 0);
        CHECK_CLOSE(r.pValue, 0.05965631856362075, 1e-12);
        CHECK_CLOSE(r.probBGreater, 56.0 / 72.0, 1e-15);
        QVERIFY(r.z > 0);
        // Swapping the samples mirrors U and keeps the two-sided p-value.
        const MannWhitneyResult swapped = mannWhitneyU(b, a);
        QCOMPARE(swapped.u, 72.0 - 56.0);
        CHECK_CLOSE(swapped.pValue, r.pValue, 1e-15);
    }

    void mannWhitneySmallSamplesWithoutTiesAreExact() {
        // stats_reference.py: "exact (27.0, 0.030303030303030304, True)" (= 2 x 5/330, by counting orderings).
        const std::vector<double> a = {0.8, 1.9, 2.4, 3.7, 5.2};
        const std::vector<double> b = {2.9, 4.1, 6.0, 6.6, 7.3, 8.8};
        const MannWhitneyResult r = mannWhitneyU(a, b);
        QVERIFY(r.exact);
        QCOMPARE(r.u, 27.0);
        CHECK_CLOSE(r.pValue, 0.030303030303030304, 1e-12);
        // 40 x 45 = 1,800 pairs, still exact: "exact 40x45 (1005.0, 0.35939552270068786, True)".
        std::vector<double> c;
        std::vector<double> d;
        for (int i = 0; i < 40; ++i) {
            c.push_back((i * 37) % 53);
        }
        for (int j = 0; j < 45; ++j) {
            d.push_back((j * 41) % 59 + 0.5);
        }
        const MannWhitneyResult big = mannWhitneyU(c, d);
        QVERIFY(big.exact);
        QCOMPARE(big.u, 1005.0);
        CHECK_CLOSE(big.pValue, 0.35939552270068786, 1e-10);
    }

    void mannWhitneyLargerSamples() {
        // "formula (2302.0, 0.3466873630775493, False)": 60 x 70 is past the exact limit.
        const MannWhitneyResult r = mannWhitneyU(formulaA(), formulaB());
        QVERIFY(!r.exact);
        QCOMPARE(r.u, 2302.0);
        CHECK_CLOSE(r.pValue, 0.3466873630775493, 1e-12);
        // Integers with many ties: "integers with ties (2332.5, 0.2765119149153539, False) ties 18996".
        std::vector<double> a;
        std::vector<double> b;
        for (int i = 0; i < 60; ++i) {
            a.push_back(((i * 7919) % 1000) / 100);
        }
        for (int j = 0; j < 70; ++j) {
            b.push_back(((j * 104729) % 1000) / 90);
        }
        const MannWhitneyResult t = mannWhitneyU(a, b);
        QCOMPARE(t.u, 2332.5);
        QCOMPARE(t.tieTerm, 18996.0);
        CHECK_CLOSE(t.pValue, 0.2765119149153539, 1e-12);
    }

    void mannWhitneyDegenerateSamples() {
        // Every value the same: nothing to rank, p = 1 ("all equal (3.0, 1.0, False)").
        const MannWhitneyResult same = mannWhitneyU(std::vector<double>{3, 3, 3}, std::vector<double>{3, 3});
        QCOMPARE(same.u, 3.0);
        QCOMPARE(same.pValue, 1.0);
        // One value each: U = 1 of 1, exact two-sided p = 2 x 1/2 ("one each (1.0, 1.0, True)").
        const MannWhitneyResult one = mannWhitneyU(std::vector<double>{1}, std::vector<double>{2});
        QVERIFY(one.exact);
        QCOMPARE(one.pValue, 1.0);
        // An empty side gives no answer.
        QVERIFY(std::isnan(mannWhitneyU(std::vector<double>{}, std::vector<double>{1, 2}).pValue));
    }

    void exactDistributionMatchesSmallCases() {
        // m = 2, n = 2: the 6 orderings give U = 0,1,2,2,3,4, so P(U <= u) = 1/6, 2/6, 4/6, 5/6, 1.
        const std::vector<double> cdf = exactUCdf(2, 2);
        QCOMPARE(cdf.size(), size_t{5});
        const double expected[] = {1.0 / 6, 2.0 / 6, 4.0 / 6, 5.0 / 6, 1.0};
        for (size_t u = 0; u < 5; ++u) {
            CHECK_CLOSE(cdf[u], expected[u], 1e-15);
        }
        // Symmetric about m n / 2 for unequal sizes too.
        const std::vector<double> c = exactUCdf(3, 7);
        for (size_t u = 0; u + 1 < c.size(); ++u) {
            CHECK_CLOSE(c[u], 1.0 - c[c.size() - 2 - u], 1e-13);
        }
    }

    void hodgesLehmannShift_data() {
        QTest::addColumn<std::vector<double>>("a");
        QTest::addColumn<std::vector<double>>("b");
        QTest::addColumn<double>("estimate");
        QTest::addColumn<double>("low");
        QTest::addColumn<double>("high");
        // stats_reference.py, all from the sorted list of every pairwise difference:
        QTest::newRow("ties, normal interval")  // "HL (3.0500000000000003, 0.0, 6.199999999999999)"
            << std::vector<double>{1.1, 2.2, 2.2, 3.5, 4.0, 5.1, 6.3, 7.7}
            << std::vector<double>{2.2, 3.5, 4.8, 6.0, 7.7, 8.1, 9.4, 10.2, 11.0} << 3.0500000000000003 << 0.0
            << 6.199999999999999;
        QTest::newRow("no ties, exact interval")  // "HL (3.4499999999999997, 0.39999999999999947, 6.4)"
            << std::vector<double>{0.8, 1.9, 2.4, 3.7, 5.2} << std::vector<double>{2.9, 4.1, 6.0, 6.6, 7.3, 8.8}
            << 3.4499999999999997 << 0.39999999999999947 << 6.4;
        QTest::newRow("60 x 70")  // "HL (4.950000000000001, -5.700000000000003, 15.399999999999991)"
            << formulaA() << formulaB() << 4.950000000000001 << -5.700000000000003 << 15.399999999999991;
    }

    void hodgesLehmannShift() {
        QFETCH(std::vector<double>, a);
        QFETCH(std::vector<double>, b);
        QFETCH(double, estimate);
        QFETCH(double, low);
        QFETCH(double, high);
        const ShiftEstimate s = ps::stats::hodgesLehmannShift(sorted(a), sorted(b));
        CHECK_CLOSE(s.estimate, estimate, 1e-12);
        CHECK_CLOSE(s.ci.low, low, 1e-12);
        CHECK_CLOSE(s.ci.high, high, 1e-12);
    }

    void pairwiseDifferenceMatchesAFullSort() {
        // Large enough that the bisection runs before the final selection; skewed and tied like latencies.
        std::vector<double> a;
        std::vector<double> b;
        SplitMix64 rng(42);
        for (int i = 0; i < 700; ++i) {
            a.push_back(std::round(std::exp(3 + rng.uniform() * 4)));
        }
        for (int j = 0; j < 900; ++j) {
            b.push_back(std::round(std::exp(3.2 + rng.uniform() * 4)));
        }
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        std::vector<double> all;
        for (double y : b) {
            for (double x : a) {
                all.push_back(y - x);
            }
        }
        std::sort(all.begin(), all.end());
        for (uint64_t k : {uint64_t{0}, uint64_t{1}, uint64_t{12345}, uint64_t{all.size() / 2}, uint64_t{all.size() - 2},
                           uint64_t{all.size() - 1}}) {
            QCOMPARE(pairwiseDifference(a, b, k), all[k]);
            if (k + 1 < all.size()) {
                QCOMPARE(pairwiseDifferencePair(a, b, k), std::make_pair(all[k], all[k + 1]));
            }
        }
        // Heavy ties (five distinct values, like small integer counts), unequal sizes, 1.2 million pairs.
        std::vector<double> c;
        std::vector<double> e;
        for (int i = 0; i < 1500; ++i) {
            c.push_back(std::floor(rng.uniform() * 5));
        }
        for (int j = 0; j < 800; ++j) {
            e.push_back(std::floor(rng.uniform() * 5) + (j % 7 == 0 ? 0.5 : 0));
        }
        std::sort(c.begin(), c.end());
        std::sort(e.begin(), e.end());
        std::vector<double> tied;
        for (double y : e) {
            for (double x : c) {
                tied.push_back(y - x);
            }
        }
        std::sort(tied.begin(), tied.end());
        for (uint64_t k = 0; k < tied.size(); k += 99991) {
            QCOMPARE(pairwiseDifference(c, e, k), tied[k]);
            QCOMPARE(pairwiseDifferencePair(c, e, k), std::make_pair(tied[k], tied[k + 1]));
        }
        QCOMPARE(pairwiseDifference(c, e, tied.size() - 1), tied.back());
        // All differences equal: the bisection stops on adjacent doubles.
        const std::vector<double> flatA(3000, 5.0);
        const std::vector<double> flatB(3000, 7.0);
        QCOMPARE(pairwiseDifference(flatA, flatB, 4500000), 2.0);
    }

    void wilsonInterval_data() {
        QTest::addColumn<int>("k");
        QTest::addColumn<int>("n");
        QTest::addColumn<double>("low");
        QTest::addColumn<double>("high");
        // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Statistics in Medicine
        // 17:857-872, Table II, method 3 (score, no continuity correction), to 4 decimals; the full digits are
        // stats_reference.py's.
        QTest::newRow("81/263") << 81 << 263 << 0.2552885198782743 << 0.3662095769828001;  // 0.2553, 0.3662
        QTest::newRow("15/148") << 15 << 148 << 0.06238639953073629 << 0.160487241723308;  // 0.0624, 0.1605
        QTest::newRow("0/20: rate 0") << 0 << 20 << 0.0 << 0.1611251580528193;             // 0.0000, 0.1611
        QTest::newRow("1/29") << 1 << 29 << 0.006113214292762653 << 0.17175521879320282;   // 0.0061, 0.1718
        QTest::newRow("20/20: rate 1") << 20 << 20 << 0.8388748419471808 << 1.0;
    }

    void wilsonInterval() {
        QFETCH(int, k);
        QFETCH(int, n);
        QFETCH(double, low);
        QFETCH(double, high);
        const Interval i = ps::stats::wilsonInterval(static_cast<uint64_t>(k), static_cast<uint64_t>(n));
        CHECK_CLOSE(i.low, low, 1e-12);
        CHECK_CLOSE(i.high, high, 1e-12);
    }

    void newcombeDifference() {
        // Newcombe (1998), "Interval estimation for the difference between independent proportions", Statistics
        // in Medicine 17:873-890, example (a) 56/70 - 48/80, method 10: 0.0524 to 0.3339.
        const Interval i = ps::stats::newcombeDifference(48, 80, 56, 70);
        CHECK_CLOSE(i.low, 0.05243147240236498, 1e-12);
        CHECK_CLOSE(i.high, 0.3338726540369059, 1e-12);
        // Rates of 0 on both sides; 1 against 0 ("newcombe 0/10 -> 0/25", "10/10 -> 0/20").
        const Interval zeros = ps::stats::newcombeDifference(0, 10, 0, 25);
        CHECK_CLOSE(zeros.low, -0.27753279986288915, 1e-12);
        CHECK_CLOSE(zeros.high, 0.13319225093904843, 1e-12);
        const Interval extremes = ps::stats::newcombeDifference(10, 10, 0, 20);
        CHECK_CLOSE(extremes.low, -1.0, 1e-12);
        CHECK_CLOSE(extremes.high, -0.6790860371419148, 1e-12);
    }

    void proportionTests() {
        // Large counts: the z-test ("z 45/500 vs 70/500 0.013208279888430319").
        ProportionComparison c = compareProportions(45, 500, 70, 500);
        QVERIFY(!c.fisher);
        CHECK_CLOSE(c.pValue, 0.013208279888430319, 1e-12);
        CHECK_CLOSE(c.diff, 0.05, 1e-15);
        CHECK_CLOSE(c.ci.low, 0.01040886580779593, 1e-12);
        CHECK_CLOSE(c.ci.high, 0.08983179789899726, 1e-12);
        // Fisher's tea-tasting table (Fisher 1935): 3 of 4 against 1 of 4, two-sided p = 34/70 = 0.4857.
        c = compareProportions(3, 4, 1, 4);
        QVERIFY(c.fisher);
        CHECK_CLOSE(c.pValue, 34.0 / 70.0, 1e-12);
        // Small expected counts ("fisher 2/200 vs 9/150 0.011082989344001619").
        c = compareProportions(2, 200, 9, 150);
        QVERIFY(c.fisher);
        CHECK_CLOSE(c.pValue, 0.011082989344001619, 1e-10);
        CHECK_CLOSE(c.ci.low, 0.011893360213557289, 1e-12);
        CHECK_CLOSE(c.ci.high, 0.10061221305677756, 1e-12);
        // Rate 0 against rate 1: Fisher's p = 2 / C(20, 10) ("fisher 0/10 vs 10/10 1.082508822446903e-05").
        CHECK_CLOSE(fisherExactTest(0, 10, 10, 10), 1.082508822446903e-05, 1e-15);
        // Every expected count is exactly 5, so the comparison uses the z-test: z = 1 / sqrt(0.25 x 0.2) = sqrt(20),
        // two-sided p = erfc(sqrt(20) / sqrt(2)) = erfc(sqrt(10)).
        c = compareProportions(0, 10, 10, 10);
        QVERIFY(!c.fisher);
        CHECK_CLOSE(c.pValue, std::erfc(std::sqrt(10.0)), 1e-15);
        QCOMPARE(c.diff, 1.0);
        // Both 0 and both 1: no difference at all.
        QCOMPARE(compareProportions(0, 40, 0, 30).pValue, 1.0);
        QCOMPARE(compareProportions(40, 40, 30, 30).pValue, 1.0);
        QCOMPARE(twoProportionZTest(0, 4000, 0, 3000), 1.0);
        // No rows on one side: no answer.
        QVERIFY(std::isnan(compareProportions(0, 0, 3, 10).pValue));
    }

    void welchTTest() {
        // "welch (-1.3571428571428572, -2.6098507150250914, 12.021398002853067, 0.022779672069586518,
        //  -2.4899189968205064, -0.22436671746520798)"
        const std::vector<double> a = {4, 5, 3, 4, 5, 2, 4};
        const std::vector<double> b = {3, 2, 3, 1, 2, 3, 2, 4};
        const WelchResult r = ps::stats::welchTTest(momentsOf(a), momentsOf(b));
        CHECK_CLOSE(r.diff, -1.3571428571428572, 1e-12);
        CHECK_CLOSE(r.t, -2.6098507150250914, 1e-12);
        CHECK_CLOSE(r.df, 12.021398002853067, 1e-10);
        CHECK_CLOSE(r.pValue, 0.022779672069586518, 1e-10);
        CHECK_CLOSE(r.ci.low, -2.4899189968205064, 1e-9);
        CHECK_CLOSE(r.ci.high, -0.22436671746520798, 1e-9);
        // One side without spread: the other side's variance carries the test ("welch one constant side (-1.0,
        // -2.449489742783178, 3.0, 0.09172111331157189, -2.2992282636251096, 0.29922826362510957)").
        const WelchResult one = ps::stats::welchTTest(momentsOf(std::vector<double>{5, 5, 5, 5}),
                                                      momentsOf(std::vector<double>{4, 5, 3, 4}));
        CHECK_CLOSE(one.df, 3.0, 1e-12);
        CHECK_CLOSE(one.pValue, 0.09172111331157189, 1e-10);
        CHECK_CLOSE(one.ci.low, -2.2992282636251096, 1e-9);
    }

    void welchZeroVariance() {
        const Moments three = momentsOf(std::vector<double>{3, 3, 3});
        QCOMPARE(three.variance, 0.0);
        WelchResult r = ps::stats::welchTTest(three, three);
        QCOMPARE(r.pValue, 1.0);
        QCOMPARE(r.ci.low, 0.0);
        QCOMPARE(r.ci.high, 0.0);
        r = ps::stats::welchTTest(momentsOf(std::vector<double>{3, 3}), momentsOf(std::vector<double>{4, 4}));
        QCOMPARE(r.pValue, 0.0);
        QCOMPARE(r.diff, 1.0);
        QVERIFY(std::isnan(ps::stats::welchTTest(momentsOf(std::vector<double>{3}), three).pValue));
    }

    void resampledPercentileHasTheExactBootstrapDistribution_data() {
        QTest::addColumn<double>("p");
        QTest::addColumn<Distribution>("expected");
        // stats_reference.py enumerates all 4^4 = 256 resamples of {1, 2, 4, 8} and takes each one's type-7
        // percentile: the exact bootstrap distribution.
        QTest::newRow("p50") << 0.5
                             << Distribution{{1.0, 0.05078125}, {1.5, 0.1171875}, {2.0, 0.14453125},
                                                         {2.5, 0.0703125},  {3.0, 0.2109375}, {4.0, 0.14453125},
                                                         {4.5, 0.0234375},  {5.0, 0.0703125}, {6.0, 0.1171875},
                                                         {8.0, 0.05078125}};
        QTest::newRow("p25") << 0.25
                             << Distribution{{1.0, 0.26171875}, {1.75, 0.296875}, {2.0, 0.12890625},
                                                         {3.25, 0.109375},  {3.5, 0.109375},  {4.0, 0.04296875},
                                                         {6.25, 0.015625},  {6.5, 0.015625},  {7.0, 0.015625},
                                                         {8.0, 0.00390625}};
    }

    void resampledPercentileHasTheExactBootstrapDistribution() {
        QFETCH(double, p);
        QFETCH(Distribution, expected);
        const std::vector<double> x = {1, 2, 4, 8};
        SplitMix64 rng(7);
        constexpr int kDraws = 400000;
        std::map<double, int> seen;
        for (int i = 0; i < kDraws; ++i) {
            ++seen[resampledPercentile(x, p, rng)];
        }
        QCOMPARE(seen.size(), expected.size());
        for (const auto& [value, probability] : expected) {
            // 4 standard errors of a frequency out of 400,000 draws is at most 0.0032.
            const double frequency = static_cast<double>(seen[value]) / kDraws;
            QVERIFY2(close(frequency, probability, 0.0035),
                     qPrintable(QStringLiteral("value %1: %2 vs %3").arg(value).arg(frequency).arg(probability)));
        }
    }

    void bootstrapAgreesWithExplicitResampling() {
        // The order-statistic shortcut against the obvious bootstrap (draw n rows, sort, take type 7), on skewed
        // samples of 300 and 200: the two intervals' ends agree within Monte Carlo error.
        SplitMix64 data(3);
        std::vector<double> a;
        std::vector<double> b;
        for (int i = 0; i < 300; ++i) {
            a.push_back(std::exp(6 + data.uniform() * 2));
        }
        for (int i = 0; i < 200; ++i) {
            b.push_back(std::exp(6.3 + data.uniform() * 2));
        }
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        BootstrapOptions options;
        options.resamples = 20000;
        const PercentileDifference fast = bootstrapPercentileDifference(a, b, 0.95, options);
        auto type7 = [](std::vector<double> v, double p) {
            std::sort(v.begin(), v.end());
            const double h = static_cast<double>(v.size() - 1) * p;
            const auto lo = static_cast<size_t>(h);
            return v[lo] + (h - static_cast<double>(lo)) * (v[std::min(lo + 1, v.size() - 1)] - v[lo]);
        };
        QCOMPARE(fast.a, type7(a, 0.95));
        QCOMPARE(fast.b, type7(b, 0.95));
        SplitMix64 rng(11);
        std::vector<double> diffs;
        for (int k = 0; k < 20000; ++k) {
            std::vector<double> ra;
            std::vector<double> rb;
            for (size_t i = 0; i < a.size(); ++i) {
                ra.push_back(a[static_cast<size_t>(rng.uniform() * static_cast<double>(a.size()))]);
            }
            for (size_t i = 0; i < b.size(); ++i) {
                rb.push_back(b[static_cast<size_t>(rng.uniform() * static_cast<double>(b.size()))]);
            }
            diffs.push_back(type7(rb, 0.95) - type7(ra, 0.95));
        }
        const double low = type7(diffs, 0.025);
        const double high = type7(diffs, 0.975);
        const double width = high - low;
        QVERIFY2(close(fast.ci.low, low, 0.05 * width), qPrintable(QStringLiteral("%1 vs %2").arg(fast.ci.low).arg(low)));
        QVERIFY2(close(fast.ci.high, high, 0.05 * width),
                 qPrintable(QStringLiteral("%1 vs %2").arg(fast.ci.high).arg(high)));
        // Seeded: the same inputs give the same interval.
        const PercentileDifference again = bootstrapPercentileDifference(a, b, 0.95, options);
        QCOMPARE(again.ci.low, fast.ci.low);
        QCOMPARE(again.pValue, fast.pValue);
    }

    void bootstrapOfIdenticalConstantSamples() {
        const std::vector<double> a(50, 120.0);
        const PercentileDifference d = bootstrapPercentileDifference(a, a, 0.5);
        QCOMPARE(d.diff, 0.0);
        QCOMPARE(d.ci.low, 0.0);
        QCOMPARE(d.ci.high, 0.0);
        QCOMPARE(d.pValue, 1.0);
        QCOMPARE(d.standardError, 0.0);
        // One row each: every resample is that row.
        const PercentileDifference one =
            bootstrapPercentileDifference(std::vector<double>{1.0}, std::vector<double>{3.0}, 0.95);
        QCOMPARE(one.diff, 2.0);
        QCOMPARE(one.ci.low, 2.0);
    }

    void sampleSizes() {
        // Textbook: 0.05 against 0.10 needs 435 per group at 80% power, alpha 0.05 two-sided, without continuity
        // correction (Fleiss, Levin and Paik 2003, table A.4 lists 435); from 100 + 100 that is
        // ceil(2 x 434.2 - 200) = 669 more ("proportions .05 vs .10, 100+100: 669").
        QCOMPARE(moreRowsForProportions(0.05, 100, 0.10, 100), 669.0);
        // A canary at 13% of traffic that already has enough rows ("proportions .08 vs .16, 1000+150: 0").
        QCOMPARE(moreRowsForProportions(0.08, 1000, 0.16, 150), 0.0);
        // Means: d = 0.5 needs 63 per group (2 x 7.85 / 0.25), so 86 more from 20 + 20.
        QCOMPARE(moreRowsForMeans(1, 20, 1, 20, 0.5), 86.0);
        QCOMPARE(moreRowsForMeans(1.2, 50, 0.8, 25, 0.3), 281.0);  // "means sd 1.2/0.8, diff .3, 50+25: 281"
        // Noether: P = 0.6 with equal groups needs N = 7.85 / 0.03 = 262 in all ("rank P=.6, 50+50: 162").
        QCOMPARE(moreRowsForRankTest(0.6, 50, 50), 162.0);
        QCOMPARE(moreRowsForRankTest(0.45, 300, 100), 996.0);  // "rank P=.45, 300+100: 996"
        // No effect: nothing to settle; no rows: no answer.
        QVERIFY(std::isinf(moreRowsForProportions(0.1, 100, 0.1, 80)));
        QVERIFY(std::isinf(moreRowsForRankTest(0.5, 100, 80)));
        QVERIFY(std::isnan(moreRowsForMeans(1, 0, 1, 10, 0.3)));
        // A bootstrapped difference with se 10 ms and an effect of 14 ms at 1,000 rows: (10 x 2.8016 / 14)^2 =
        // 4.0046 times the rows.
        QCOMPARE(moreRowsFromStandardError(10, 1000, 14, {}), std::ceil(1000 * std::pow(10 * 2.8015852 / 14, 2) - 1000));
    }

    void benjaminiHochberg() {
        // "[0.025, 0.05, 0.049999999999999996, 0.025, 0.2]"; NaN entries are not tests.
        const std::vector<double> adjusted = ps::stats::benjaminiHochberg(
            std::vector<double>{0.01, 0.04, 0.03, NAN, 0.005, 0.2});
        CHECK_CLOSE(adjusted[0], 0.025, 1e-15);
        CHECK_CLOSE(adjusted[1], 0.05, 1e-15);
        CHECK_CLOSE(adjusted[2], 0.05, 1e-15);
        QVERIFY(std::isnan(adjusted[3]));
        CHECK_CLOSE(adjusted[4], 0.025, 1e-15);
        CHECK_CLOSE(adjusted[5], 0.2, 1e-15);
    }
};

QTEST_GUILESS_MAIN(TestStats)
#include "tst_stats.moc"
