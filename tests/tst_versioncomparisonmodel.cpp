// The comparison table's item model on a hand-made comparison: shape under QAbstractItemModelTester, what each
// column shows for rates, durations and the volume row, verdict colours, sort values and tooltips.
#include <QAbstractItemModelTester>
#include <QColor>
#include <QTest>

#include <cmath>

#include "versioncomparisonmodel.h"

using namespace ps;

namespace {

VersionComparison handMade() {
    VersionComparison c;
    c.labelA = "v42";
    c.labelB = "v43";
    c.requestsA = 1000;
    c.requestsB = 250;
    MetricComparison volume;
    volume.key = "requests";
    volume.label = "Requests";
    volume.unit = MetricUnit::Count;
    volume.a = 1000;
    volume.b = 250;
    volume.diff = -750;
    volume.relative = -0.75;
    MetricComparison errors;
    errors.key = "error_rate";
    errors.label = "Error rate";
    errors.unit = MetricUnit::Fraction;
    errors.a = 0.025;
    errors.b = 0.05;
    errors.nA = 1000;
    errors.nB = 250;
    errors.eventsA = 25;
    errors.eventsB = 13;
    errors.diff = 0.025;
    errors.relative = 1.0;
    errors.ci = {0.002, 0.061};
    errors.pValue = 0.012;
    errors.pAdjusted = 0.03;
    errors.test = StatTest::TwoProportionZ;
    errors.verdict = Verdict::Worse;
    errors.moreRequests = 0;
    MetricComparison p95;
    p95.key = "latency_p95_ms";
    p95.label = "p95 latency";
    p95.unit = MetricUnit::DurationMs;
    p95.a = 1200;
    p95.b = 1150;
    p95.diff = -50;
    p95.relative = -50.0 / 1200;
    p95.ci = {-180, 90};
    p95.pValue = 0.0009995;
    p95.pAdjusted = 0.4;
    p95.test = StatTest::Bootstrap;
    p95.verdict = Verdict::NoDifference;
    p95.moreRequests = 4321;
    p95.percentile = 0.95;
    MetricComparison tone;
    tone.key = "eval_pass_rate:tone";
    tone.label = "Eval pass rate: tone";
    tone.unit = MetricUnit::Fraction;
    tone.a = 1;
    tone.b = 1;
    tone.diff = 0;
    tone.pValue = 1;
    tone.test = StatTest::FisherExact;
    tone.verdict = Verdict::NoDifference;
    tone.moreRequests = INFINITY;
    c.metrics = {volume, errors, p95, tone};
    return c;
}

QString text(const VersionComparisonModel& m, int row, int column) {
    return m.data(m.index(row, column)).toString();
}

}  // namespace

class TestVersionComparisonModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void passesTheModelTester() {
        VersionComparisonModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setComparison(handMade());
        QCOMPARE(model.rowCount(), 4);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        model.setComparison(handMade());
        QCOMPARE(model.columnCount(), int(VersionComparisonModel::ColumnCount));
    }

    void cellsReadAsPeopleExpect() {
        VersionComparisonModel model;
        model.setComparison(handMade());
        using M = VersionComparisonModel;
        QCOMPARE(model.headerData(M::ValueA, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("v42 (baseline)"));
        QCOMPARE(model.headerData(M::ValueB, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("v43"));
        // Volume: counts, no test.
        QCOMPARE(text(model, 0, M::ValueA), QStringLiteral("1,000"));
        QCOMPARE(text(model, 0, M::Difference), QStringLiteral("−750"));
        QCOMPARE(text(model, 0, M::PValue), QStringLiteral("–"));
        // A rate: percent values, a difference in percentage points, a settled verdict in red.
        QCOMPARE(text(model, 1, M::ValueA), QStringLiteral("2.5%"));
        QCOMPARE(text(model, 1, M::Difference), QStringLiteral("+2.50 pp"));
        QCOMPARE(text(model, 1, M::Interval), QStringLiteral("+0.20 … +6.10 pp"));
        QCOMPARE(text(model, 1, M::PValue), QStringLiteral("0.012"));
        QCOMPARE(text(model, 1, M::Test), QStringLiteral("z-test"));
        QCOMPARE(text(model, 1, M::VerdictColumn), QStringLiteral("worse"));
        QCOMPARE(text(model, 1, M::MoreRequests), QStringLiteral("settled"));
        QCOMPARE(model.data(model.index(1, M::VerdictColumn), Qt::ForegroundRole).value<QColor>(),
                 M::verdictColor(Verdict::Worse));
        QVERIFY(model.data(model.index(1, M::VerdictColumn), Qt::BackgroundRole).isValid());
        QVERIFY(model.data(model.index(1, M::PValue), Qt::ToolTipRole).toString().contains(QStringLiteral("0.030")));
        QVERIFY(model.data(model.index(1, M::ValueB), Qt::ToolTipRole).toString().contains(QStringLiteral("13 counted")));
        // A duration: the bootstrap's floor is said, not printed; no verdict colour.
        QCOMPARE(text(model, 2, M::ValueA), QStringLiteral("1.20 s"));
        QCOMPARE(text(model, 2, M::Difference), QStringLiteral("−50 ms"));
        QCOMPARE(text(model, 2, M::PValue), QStringLiteral("≤ 0.001"));
        QCOMPARE(text(model, 2, M::VerdictColumn), QStringLiteral("no detectable difference"));
        QCOMPARE(text(model, 2, M::MoreRequests), QStringLiteral("≈ 4,321"));
        QVERIFY(!model.data(model.index(2, M::VerdictColumn), Qt::BackgroundRole).isValid());
        // Nothing observed: nothing to settle.
        QCOMPARE(text(model, 3, M::MoreRequests), QStringLiteral("no effect seen"));
        // Sorting uses numbers and keys identify rows.
        QCOMPARE(model.data(model.index(2, M::ValueA), M::SortRole).toDouble(), 1200.0);
        QCOMPARE(model.data(model.index(1, M::Metric), M::KeyRole).toString(), QStringLiteral("error_rate"));
        QCOMPARE(model.data(model.index(1, M::Metric), M::VerdictRole).toInt(), int(Verdict::Worse));
        QCOMPARE(model.metricAt(2)->key, std::string("latency_p95_ms"));
        QVERIFY(model.metricAt(4) == nullptr);
    }
};

QTEST_GUILESS_MAIN(TestVersionComparisonModel)
#include "tst_versioncomparisonmodel.moc"
