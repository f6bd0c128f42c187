// ValueCodes and CodeCounts against plain computations: the codes keep the values' order and give equal values one
// code; the quantiles, extremes and log-histogram counts of random subsets read from counts per code equal those of
// sorted copies of the subsets' values. On columns built to be awkward: ties, zeros, negative values, NaN, a
// dense cluster of distinct values (more rows in one fine bin than a code should hold), one repeated value. And
// rowsByKey against a stable sort.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "overview.h"
#include "radixorder.h"
#include "valuecodes.h"

using namespace ps;

namespace {

double type7(std::vector<double> v, double q) {
    if (v.empty()) {
        return NAN;
    }
    std::sort(v.begin(), v.end());
    const double h = static_cast<double>(v.size() - 1) * q;
    const auto lo = static_cast<size_t>(std::floor(h));
    const double frac = h - std::floor(h);
    return frac > 0 ? v[lo] + frac * (v[std::min(lo + 1, v.size() - 1)] - v[lo]) : v[lo];
}

bool same(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

std::vector<double> column(const QString& kind, size_t n, std::mt19937_64& rng) {
    std::vector<double> v(n);
    std::uniform_real_distribution<double> unit(0, 1);
    for (size_t i = 0; i < n; ++i) {
        const double u = unit(rng);
        if (kind == QStringLiteral("lognormal")) {
            v[i] = std::exp(6 + 1.5 * std::sqrt(-2 * std::log(u + 1e-12)) * std::cos(6.28318 * unit(rng)));
        } else if (kind == QStringLiteral("ties")) {
            v[i] = std::floor(u * 40);
        } else if (kind == QStringLiteral("mixed")) {
            v[i] = u < 0.1 ? NAN : u < 0.3 ? 0.0 : u < 0.35 ? -std::floor(u * 1000) / 7 : std::pow(10, u * 8 - 6);
        } else if (kind == QStringLiteral("cluster")) {
            // Most values within one part in 10^12 of each other, a few far away: a fine bin holds thousands.
            v[i] = u < 0.9 ? 1000.0 + static_cast<double>(i % 5000) * 1e-9 : u * 1e6;
        } else {  // "constant"
            v[i] = 42.5;
        }
    }
    return v;
}

}  // namespace

class TestValueCodes : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void codesKeepOrderAndSubsetsReadExactly_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("rows");
        for (const char* kind : {"lognormal", "ties", "mixed", "cluster", "constant"}) {
            QTest::newRow(kind) << QString::fromUtf8(kind) << 30000;
        }
        QTest::newRow("lognormal, one row") << QStringLiteral("lognormal") << 1;
        QTest::newRow("lognormal, none") << QStringLiteral("lognormal") << 0;
        QTest::newRow("lognormal, 200k") << QStringLiteral("lognormal") << 200000;
    }
    void codesKeepOrderAndSubsetsReadExactly() {
        QFETCH(QString, kind);
        QFETCH(int, rows);
        std::mt19937_64 rng(7);
        const std::vector<double> values = column(kind, static_cast<size_t>(rows), rng);
        const ValueCodes codes = buildValueCodes(values);
        QCOMPARE(codes.code.size(), values.size());
        QVERIFY(codes.codeCount() <= 65001);

        // Order: a value's code never exceeds that of a larger value, equal values share one.
        std::vector<size_t> byValue;
        for (size_t i = 0; i < values.size(); ++i) {
            if (std::isnan(values[i])) {
                QCOMPARE(codes.code[i], ValueCodes::kNoValue);
            } else {
                byValue.push_back(i);
            }
        }
        std::sort(byValue.begin(), byValue.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
        for (size_t j = 1; j < byValue.size(); ++j) {
            const size_t a = byValue[j - 1];
            const size_t b = byValue[j];
            QVERIFY(codes.code[a] <= codes.code[b]);
            QVERIFY(values[a] != values[b] || codes.code[a] == codes.code[b]);
        }
        // Each code's rows, ascending, with its smallest and largest value.
        QCOMPARE(codes.order.size(), byValue.size());
        for (size_t c = 0; c < codes.codeCount(); ++c) {
            double lo = INFINITY;
            double hi = -INFINITY;
            for (uint32_t j = codes.begin[c]; j < codes.begin[c + 1]; ++j) {
                const uint32_t row = codes.order[j];
                QCOMPARE(size_t{codes.code[row]}, c);
                QVERIFY(j == codes.begin[c] || codes.order[j - 1] < row);
                lo = std::min(lo, values[row]);
                hi = std::max(hi, values[row]);
            }
            QCOMPARE(codes.lo[c], lo);
            QCOMPARE(codes.hi[c], hi);
        }

        // Random subsets of several densities.
        for (const double density : {1.0, 0.5, 0.03, 0.0005}) {
            std::bernoulli_distribution pick(density);
            std::vector<uint8_t> in(values.size());
            std::vector<double> subset;
            CodeCounts counts;
            for (size_t i = 0; i < values.size(); ++i) {
                in[i] = pick(rng);
                if (in[i]) {
                    counts.add(codes.code[i]);
                    if (!std::isnan(values[i])) {
                        subset.push_back(values[i]);
                    }
                }
            }
            auto member = [&](uint32_t row) { return in[row] != 0; };
            auto value = [&](uint32_t row) { return values[row]; };
            QCOMPARE(counts.total(), uint64_t(subset.size()));
            const double qs[] = {0.0, 0.01, 0.5, 0.9, 0.95, 0.99, 1.0};
            double got[7];
            counts.quantiles(codes, qs, got, member, value);
            for (size_t j = 0; j < 7; ++j) {
                QVERIFY2(same(got[j], type7(subset, qs[j])),
                         qPrintable(QStringLiteral("density %1, q %2: %3 vs %4").arg(density).arg(qs[j])
                                        .arg(got[j], 0, 'g', 17).arg(type7(subset, qs[j]), 0, 'g', 17)));
            }
            double minPositive = INFINITY;
            double max = -INFINITY;
            counts.extremes(codes, &minPositive, &max, member, value);
            double wantMin = INFINITY;
            double wantMax = -INFINITY;
            for (double v : subset) {
                wantMax = std::max(wantMax, v);
                if (v > 0) {
                    wantMin = std::min(wantMin, v);
                }
            }
            QCOMPARE(minPositive, wantMin);
            QCOMPARE(max, wantMax);
            if (!(wantMax > 0)) {
                continue;
            }
            const std::vector<double> edges = logHistogramEdges(wantMin, wantMax, 40);
            std::vector<uint64_t> bins(edges.size() - 1, 0);
            counts.binCounts(codes, LogBins(edges), bins, member, value);
            std::vector<uint64_t> want(edges.size() - 1, 0);
            for (double v : subset) {
                size_t b = 0;
                for (size_t e = 1; e + 1 < edges.size(); ++e) {
                    b += edges[e] <= v;
                }
                ++want[b];
            }
            QCOMPARE(bins, want);
        }
    }

    void rowsByKeyIsAStableSort() {
        std::mt19937_64 rng(3);
        for (const uint32_t range : {1u, 7u, 300u, 70000u, 0xfffffff0u}) {
            std::vector<uint32_t> key(50000);
            for (uint32_t& k : key) {
                k = static_cast<uint32_t>(rng() % range);
            }
            key[5] = UINT32_MAX;  // skipped
            std::vector<uint32_t> want;
            for (uint32_t i = 0; i < key.size(); ++i) {
                if (key[i] != UINT32_MAX) {
                    want.push_back(i);
                }
            }
            std::stable_sort(want.begin(), want.end(), [&](uint32_t a, uint32_t b) { return key[a] < key[b]; });
            QCOMPARE(rowsByKey(key), want);
        }
        QVERIFY(rowsByKey({}).empty());
    }
};

QTEST_GUILESS_MAIN(TestValueCodes)
#include "tst_valuecodes.moc"
