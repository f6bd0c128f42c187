// The chart widgets offscreen: each renders to a PNG under <build>/screenshots/, a drag over the time chart selects
// the buckets under the mouse, a click on a histogram bar reports its bin, empty data shows a message, and a
// 1,500-bucket, 4-series chart takes its data quickly.
#include <QApplication>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QLabel>
#include <QSignalSpy>
#include <QTest>
#include <QTimeZone>
#include <QToolTip>

#include <cmath>
#include <ctime>
#include <random>

#include "histogramchart.h"
#include "sparkline.h"
#include "timeserieschart.h"

namespace {

constexpr int64_t kMinuteNs = 60LL * 1000000000;

int64_t nsAt(int year, int month, int day) {
    return QDateTime(QDate(year, month, day), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch() * 1000000;
}

QString screenshot(const char* name) {
    QDir().mkpath(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots"));
    return QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots/chart-") + QLatin1String(name) +
           QStringLiteral(".png");
}

// A day-shaped curve (288 five-minute buckets a day) with noise; NaN over [gapFrom, gapTo).
std::vector<double> latency(int buckets, double base, unsigned seed, int gapFrom = -1, int gapTo = -1) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(1.0, 0.08);
    std::vector<double> v(static_cast<size_t>(buckets));
    for (int i = 0; i < buckets; ++i) {
        const double daily = 1.0 + 0.35 * std::sin(i * 2 * M_PI / 288.0);
        v[static_cast<size_t>(i)] = (i >= gapFrom && i < gapTo) ? NAN : base * daily * noise(rng);
    }
    return v;
}

ps::HistogramChart::Histogram latencyHistogram() {
    ps::HistogramChart::Histogram h;
    const int bins = 40;
    const double lo = 20;
    const double hi = 60000;
    for (int i = 0; i <= bins; ++i) {
        h.edges.push_back(lo * std::pow(hi / lo, static_cast<double>(i) / bins));
    }
    for (int i = 0; i < bins; ++i) {
        const double mid = std::sqrt(h.edges[static_cast<size_t>(i)] * h.edges[static_cast<size_t>(i) + 1]);
        const double z = (std::log(mid) - std::log(1200.0)) / 0.8;
        h.counts.push_back(static_cast<uint64_t>(std::llround(1400 * std::exp(-0.5 * z * z))));
    }
    h.p50 = 1200;
    h.p95 = 4400;
    h.p99 = 7900;
    return h;
}

}  // namespace

class TestCharts : public QObject {
    Q_OBJECT

private:
    // The viewport point over the middle of bucket `b` of `chart`.
    static QPoint bucketPoint(const ps::TimeSeriesChart& chart, int b) {
        const QRectF area = chart.chartView()->chart()->plotArea();
        const double x = area.left() + (b + 0.5) * area.width() / chart.bucketCount();
        return chart.chartView()->mapFromScene(QPointF(x, area.center().y()));
    }

    static QPixmap grabToolTip() {
        for (QWidget* w : QApplication::topLevelWidgets()) {
            if (w->isVisible() && w->inherits("QTipLabel")) {
                return w->grab();
            }
        }
        return {};
    }

private Q_SLOTS:
    void timeSeriesDrawsAndSelectsARange() {
        ps::TimeSeriesChart chart;
        chart.resize(720, 320);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        const int64_t first = nsAt(2026, 11, 3);
        const int64_t bucket = 5 * kMinuteNs;
        std::vector<ps::TimeSeriesChart::Series> series = {
            {QStringLiteral("p50"), QColor(44, 140, 60), latency(288, 420, 1, 150, 162)},
            {QStringLiteral("p95"), QColor(214, 110, 0), latency(288, 1900, 2, 150, 162)},
            {QStringLiteral("p99"), QColor(200, 40, 50), latency(288, 3800, 3, 150, 162)}};
        chart.setData(first, bucket, std::move(series), ps::fmt::Unit::DurationMs, QStringLiteral("latency"));
        QVERIFY(!chart.isEmpty());
        QTRY_VERIFY(chart.chartView()->chart()->plotArea().width() > 300);
        QTest::qWait(50);
        QVERIFY(chart.grab().save(screenshot("timeseries-latency")));

        QSignalSpy selected(&chart, &ps::TimeSeriesChart::rangeSelected);
        QWidget* viewport = chart.chartView()->viewport();
        QTest::mousePress(viewport, Qt::LeftButton, {}, bucketPoint(chart, 40));
        QTest::mouseMove(viewport, bucketPoint(chart, 70));
        QTest::mouseMove(viewport, bucketPoint(chart, 100));
        QVERIFY(chart.grab().save(screenshot("timeseries-dragging")));
        QTest::mouseRelease(viewport, Qt::LeftButton, {}, bucketPoint(chart, 100));
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.at(0).at(0).value<int64_t>(), first + 40 * bucket);
        QCOMPARE(selected.at(0).at(1).value<int64_t>(), first + 101 * bucket);

        // Right to left selects the same buckets.
        QTest::mousePress(viewport, Qt::LeftButton, {}, bucketPoint(chart, 200));
        QTest::mouseMove(viewport, bucketPoint(chart, 180));
        QTest::mouseRelease(viewport, Qt::LeftButton, {}, bucketPoint(chart, 180));
        QCOMPARE(selected.count(), 2);
        QCOMPARE(selected.at(1).at(0).value<int64_t>(), first + 180 * bucket);
        QCOMPARE(selected.at(1).at(1).value<int64_t>(), first + 201 * bucket);

        // A plain click selects nothing.
        QTest::mouseClick(viewport, Qt::LeftButton, {}, bucketPoint(chart, 120));
        QCOMPARE(selected.count(), 2);

        // Hover: the bucket's time and its values.
        QTest::mouseMove(viewport, bucketPoint(chart, 10));
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY2(QToolTip::text().contains(QStringLiteral("2026-11-03 00:50")), qPrintable(QToolTip::text()));
        QVERIFY(QToolTip::text().contains(QStringLiteral("p95: ")));
        QVERIFY(grabToolTip().save(screenshot("timeseries-tooltip")));
        QTest::mouseMove(viewport, bucketPoint(chart, 155));  // in the gap
        QTRY_VERIFY(QToolTip::text().contains(QStringLiteral("no data")));
        QToolTip::hideText();
    }

    void timeSeriesShowsOtherUnits() {
        const int64_t first = nsAt(2026, 10, 20);
        ps::TimeSeriesChart errors;
        errors.resize(720, 300);
        errors.show();
        QVERIFY(QTest::qWaitForWindowExposed(&errors));
        std::vector<double> rate = latency(14 * 24, 0.031, 4, 100, 104);
        for (size_t i = 200; i < 212; ++i) {
            rate[i] *= 2.5;  // an incident
        }
        errors.setData(first, 60 * kMinuteNs, {{QStringLiteral("error rate"), QColor(200, 40, 50), rate}},
                       ps::fmt::Unit::Fraction, QStringLiteral("error rate"));
        QTest::qWait(50);
        QVERIFY(errors.grab().save(screenshot("timeseries-errorrate")));

        ps::TimeSeriesChart cost;
        cost.resize(720, 300);
        cost.show();
        QVERIFY(QTest::qWaitForWindowExposed(&cost));
        cost.setData(first, 60 * kMinuteNs,
                     {{QStringLiteral("v42"), QColor(76, 120, 168), latency(72, 1.8, 5)},
                      {QStringLiteral("v43"), QColor(214, 110, 0), latency(72, 2.4, 6)}},
                     ps::fmt::Unit::Usd, QStringLiteral("cost"));
        QTest::qWait(50);
        QVERIFY(cost.grab().save(screenshot("timeseries-cost")));

        ps::TimeSeriesChart small;
        small.resize(360, 200);
        small.show();
        QVERIFY(QTest::qWaitForWindowExposed(&small));
        small.setData(first, 5 * kMinuteNs,
                      {{QStringLiteral("p95"), QColor(214, 110, 0), latency(288, 1900, 7)},
                       {QStringLiteral("p99"), QColor(200, 40, 50), latency(288, 3800, 8)}},
                      ps::fmt::Unit::DurationMs, QStringLiteral("p95 latency"));
        QTest::qWait(50);
        QVERIFY(small.grab().save(screenshot("timeseries-small")));
    }

    void timeAxisReadsUtcInAnyLocalZone() {
        // Berlin leaves summer time on 2026-10-25: labels must still name the UTC time under them.
        const QByteArray oldTz = qgetenv("TZ");
        qputenv("TZ", "Europe/Berlin");
        tzset();
        struct Case {
            int64_t first;
            int64_t bucket;
            int buckets;
            QString format;
        };
        const Case cases[] = {{nsAt(2026, 10, 20), 60 * kMinuteNs, 14 * 24, QStringLiteral("MMM d")},
                              {nsAt(2026, 10, 24) + 35 * kMinuteNs, 5 * kMinuteNs, 400, QStringLiteral("HH:mm")}};
        for (const Case& c : cases) {
            ps::TimeSeriesChart chart;
            chart.resize(720, 300);
            chart.show();
            QVERIFY(QTest::qWaitForWindowExposed(&chart));
            chart.setData(c.first, c.bucket, {{QStringLiteral("x"), Qt::blue, std::vector<double>(c.buckets, 1.0)}},
                          ps::fmt::Unit::Count, QStringLiteral("requests"));
            QTest::qWait(20);
            auto* axis = qobject_cast<QCategoryAxis*>(chart.chartView()->chart()->axes(Qt::Horizontal).value(0));
            QVERIFY(axis);
            QVERIFY(axis->count() >= 4);
            for (const QString& label : axis->categoriesLabels()) {
                const int64_t at = c.first + static_cast<int64_t>(std::llround(axis->endValue(label) * 1e6));
                const QDateTime utc = QDateTime::fromMSecsSinceEpoch(at / 1000000, QTimeZone::utc());
                const bool midnight = utc.time() == QTime(0, 0);
                const QString expected = utc.toString(midnight ? QStringLiteral("MMM d") : c.format);
                QCOMPARE(QString(label).remove(QChar(0x200B)), expected);
                QVERIFY(c.format == QStringLiteral("HH:mm") || midnight);
            }
        }
        qputenv("TZ", oldTz);
        tzset();
    }

    void timeSeriesEmptyShowsAMessage() {
        ps::TimeSeriesChart chart;
        chart.resize(600, 260);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.setData(nsAt(2026, 11, 3), 5 * kMinuteNs, {{QStringLiteral("p95"), Qt::red, {1, 2, 3}}},
                      ps::fmt::Unit::DurationMs, QStringLiteral("p95 latency"));
        QVERIFY(chart.chartView()->isVisible());
        chart.setData(nsAt(2026, 11, 3), 5 * kMinuteNs, {}, ps::fmt::Unit::DurationMs, QStringLiteral("p95 latency"));
        QVERIFY(chart.isEmpty());
        QVERIFY(!chart.chartView()->isVisible());
        bool message = false;
        for (QLabel* label : chart.findChildren<QLabel*>()) {
            message |= label->isVisible() && label->text() == QStringLiteral("No requests in this range");
        }
        QVERIFY(message);
        QVERIFY(chart.grab().save(screenshot("timeseries-empty")));
        QSignalSpy selected(&chart, &ps::TimeSeriesChart::rangeSelected);
        QTest::mousePress(&chart, Qt::LeftButton, {}, QPoint(100, 100));
        QTest::mouseMove(&chart, QPoint(300, 100));
        QTest::mouseRelease(&chart, Qt::LeftButton, {}, QPoint(300, 100));
        QCOMPARE(selected.count(), 0);
    }

    void timeSeriesTakesLargeDataQuickly() {
        ps::TimeSeriesChart chart;
        chart.resize(900, 320);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        const QColor colors[] = {QColor(76, 120, 168), QColor(44, 140, 60), QColor(214, 110, 0), QColor(200, 40, 50)};
        auto make = [&](unsigned seed) {
            std::vector<ps::TimeSeriesChart::Series> series;
            for (int s = 0; s < 4; ++s) {
                std::vector<double> v = latency(1500, 300.0 * (s + 1), seed + static_cast<unsigned>(s));
                for (size_t i = static_cast<size_t>(s); i < v.size(); i += 37) {
                    v[i] = NAN;  // scattered gaps
                }
                series.push_back({QStringLiteral("series %1").arg(s + 1), colors[s], std::move(v)});
            }
            return series;
        };
        auto first = make(10);
        auto second = make(20);
        QElapsedTimer timer;
        timer.start();
        chart.setData(nsAt(2026, 10, 1), 5 * kMinuteNs, std::move(first), ps::fmt::Unit::DurationMs,
                      QStringLiteral("latency"));
        const qint64 setMs = timer.elapsed();
        QVERIFY2(setMs < 100, qPrintable(QStringLiteral("setData took %1 ms").arg(setMs)));
        timer.restart();
        chart.setData(nsAt(2026, 10, 1), 5 * kMinuteNs, std::move(second), ps::fmt::Unit::DurationMs,
                      QStringLiteral("latency"));
        const qint64 replaceMs = timer.elapsed();
        QVERIFY2(replaceMs < 100, qPrintable(QStringLiteral("replacing took %1 ms").arg(replaceMs)));
        QTest::qWait(50);
        timer.restart();
        const QPixmap shot = chart.grab();
        const qint64 paintMs = timer.elapsed();
        QVERIFY2(paintMs < 200, qPrintable(QStringLiteral("painting took %1 ms").arg(paintMs)));
        QVERIFY(shot.save(screenshot("timeseries-1500x4")));

        // Hovering across the plot repaints the hover line without redrawing every line each time.
        QWidget* viewport = chart.chartView()->viewport();
        timer.restart();
        const int moves = 60;
        for (int i = 0; i < moves; ++i) {
            QTest::mouseMove(viewport, bucketPoint(chart, i * 25));
            chart.chartView()->repaint();
        }
        const double hoverMs = static_cast<double>(timer.elapsed()) / moves;
        QToolTip::hideText();
        QVERIFY2(hoverMs < 30, qPrintable(QStringLiteral("a hover step took %1 ms").arg(hoverMs)));
        qInfo("1,500 x 4: setData %lld ms, again %lld ms, paint %lld ms, hover step %.1f ms", setMs, replaceMs,
              paintMs, hoverMs);
    }

    void histogramDrawsAndReportsClickedBins() {
        ps::HistogramChart chart;
        chart.resize(600, 300);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        const ps::HistogramChart::Histogram h = latencyHistogram();
        chart.setData(h, ps::fmt::Unit::DurationMs, QStringLiteral("Latency"));
        QVERIFY(!chart.isEmpty());
        QVERIFY(chart.grab().save(screenshot("histogram-latency")));

        QSignalSpy clicked(&chart, &ps::HistogramChart::binClicked);
        const QRectF bar = chart.barRect(14);
        QTest::mouseClick(&chart, Qt::LeftButton, {}, bar.center().toPoint());
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.at(0).at(0).toDouble(), h.edges[14]);
        QCOMPARE(clicked.at(0).at(1).toDouble(), h.edges[15]);
        // Outside the bars: nothing.
        QTest::mouseClick(&chart, Qt::LeftButton, {}, QPoint(2, 2));
        QCOMPARE(clicked.count(), 1);

        QTest::mouseMove(&chart, chart.barRect(20).center().toPoint());
        QTRY_VERIFY(QToolTip::isVisible());
        const QString tip = QToolTip::text();
        QVERIFY2(tip.contains(QStringLiteral(" – ")) && tip.contains(QStringLiteral(" requests (")), qPrintable(tip));
        QVERIFY(tip.contains(ps::fmt::value(ps::fmt::Unit::DurationMs, h.edges[20])));
        QVERIFY(grabToolTip().save(screenshot("histogram-tooltip")));
        QToolTip::hideText();
    }

    void histogramShowsCost() {
        ps::HistogramChart chart;
        chart.resize(600, 300);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        ps::HistogramChart::Histogram h;
        const int bins = 30;
        for (int i = 0; i <= bins; ++i) {
            h.edges.push_back(0.0005 * std::pow(1000.0, static_cast<double>(i) / bins));
        }
        for (int i = 0; i < bins; ++i) {
            const double z = (i - 13.0) / 4.0;
            h.counts.push_back(static_cast<uint64_t>(std::llround(900 * std::exp(-0.5 * z * z))));
        }
        h.p50 = 0.0094;
        h.p95 = 0.031;
        h.p99 = 0.058;
        chart.setData(h, ps::fmt::Unit::Usd, QStringLiteral("Cost per request"));
        QVERIFY(chart.grab().save(screenshot("histogram-cost")));
    }

    void histogramCrowdedMarkers() {
        // Percentiles close together at the right edge, and a narrow widget: flags stack instead of overlapping.
        ps::HistogramChart::Histogram h = latencyHistogram();
        h.p50 = 41000;
        h.p95 = 52000;
        h.p99 = 58500;
        ps::HistogramChart wide;
        wide.resize(600, 300);
        wide.setData(h, ps::fmt::Unit::DurationMs, QStringLiteral("Latency"));
        wide.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wide));
        QVERIFY(wide.grab().save(screenshot("histogram-crowded")));
        ps::HistogramChart narrow;
        narrow.resize(320, 180);
        narrow.setData(latencyHistogram(), ps::fmt::Unit::DurationMs, QStringLiteral("Latency"));
        narrow.show();
        QVERIFY(QTest::qWaitForWindowExposed(&narrow));
        QVERIFY(narrow.grab().save(screenshot("histogram-narrow")));
    }

    void histogramEmptyShowsAMessage() {
        ps::HistogramChart chart;
        chart.resize(600, 300);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        ps::HistogramChart::Histogram h;
        h.edges = {1, 10, 100};
        h.counts = {0, 0};
        h.p50 = h.p95 = h.p99 = NAN;
        chart.setData(h, ps::fmt::Unit::DurationMs, QStringLiteral("Latency"));
        QVERIFY(chart.isEmpty());
        QVERIFY(chart.barRect(0).isNull());
        QSignalSpy clicked(&chart, &ps::HistogramChart::binClicked);
        QTest::mouseClick(&chart, Qt::LeftButton, {}, QPoint(300, 150));
        QCOMPARE(clicked.count(), 0);
        const QImage image = chart.grab().toImage();
        QVERIFY(image.save(screenshot("histogram-empty")));
        chart.setData({}, ps::fmt::Unit::DurationMs, QStringLiteral("Latency"));
        QVERIFY(chart.isEmpty());
    }

    void sparklineDrawsGapsAndTheLastPoint() {
        ps::Sparkline spark;
        QCOMPARE(spark.sizeHint(), QSize(120, 28));
        spark.resize(spark.sizeHint());
        std::vector<double> v = latency(60, 100, 7);
        v[20] = v[21] = v[22] = NAN;
        v[40] = NAN;
        spark.setValues(v);
        spark.show();
        QVERIFY(QTest::qWaitForWindowExposed(&spark));
        const QImage image = spark.grab().toImage();
        QVERIFY(image.save(screenshot("sparkline")));
        // The latest value's dot sits at the right edge.
        bool dot = false;
        for (int y = 0; y < image.height(); ++y) {
            dot |= image.pixelColor(image.width() - 4, y) == spark.palette().color(QPalette::Highlight);
        }
        QVERIFY(dot);
        spark.setValues({});
        QVERIFY(spark.grab().save(screenshot("sparkline-empty")));
    }
};

QTEST_MAIN(TestCharts)
#include "tst_charts.moc"
