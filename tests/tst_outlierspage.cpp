// The Outliers page driven like a user would, offscreen, on the bundled demo: its tables, the limit and retry
// window spin boxes, the sidebar's filter, the tail table and the similar failures, and opening a trace with
// Enter or a double-click. Figures are checked against plain computations over the Dataset's columns written
// here (a full sort, a loop per rank, sort-based type-7 percentiles).
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QMouseEvent>
#include <QDir>
#include <QLabel>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>

#include "failuregroupmodel.h"
#include "mainwindow.h"
#include "outlierspage.h"
#include "outliertablemodel.h"
#include "tailmodel.h"

using namespace ps;

namespace {

double type7(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    const double h = (static_cast<double>(v.size()) - 1) * q;
    const auto lo = static_cast<size_t>(std::floor(h));
    const size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

double ms(const Dataset& d, uint32_t r) {
    return static_cast<double>(d.requests.durationNs[r]) / 1e6;
}

// A press and release, then the double-click event itself: QTest::mouseDClick's synthesized events do not reach
// an item view as a double click on the offscreen platform.
void doubleClick(QAbstractItemView* view, QPoint at) {
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
    QMouseEvent event(QEvent::MouseButtonDblClick, at, view->viewport()->mapToGlobal(at), Qt::LeftButton,
                      Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view->viewport(), &event);
}

std::string tierOf(const Dataset& d, uint32_t r) {
    for (const TenantRecord& t : d.tenants) {
        if (t.tenant == d.requests.tenant[r]) {
            return std::string(d.str(t.tier));
        }
    }
    return {};
}

}  // namespace

class TestOutliersPage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("PromptScopeTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_outlierspage"));
        window_ = std::make_unique<MainWindow>();
        window_->resize(1600, 1000);
        window_->show();
        page_ = window_->outliersPage();
        // Watch every model from before its first reset.
        for (size_t k = 0; k < kOutlierKindCount; ++k) {
            testers_.push_back(std::make_unique<QAbstractItemModelTester>(
                page_->table(static_cast<OutlierKind>(k)), QAbstractItemModelTester::FailureReportingMode::QtTest));
            if (TailModel* tails = page_->tails(static_cast<OutlierKind>(k))) {
                testers_.push_back(std::make_unique<QAbstractItemModelTester>(
                    tails, QAbstractItemModelTester::FailureReportingMode::QtTest));
            }
        }
        testers_.push_back(std::make_unique<QAbstractItemModelTester>(
            page_->failures(), QAbstractItemModelTester::FailureReportingMode::QtTest));
        QVERIFY(window_->showPage(QStringLiteral("outliers")));
        QSignalSpy shown(page_, &OutliersPage::resultShown);
        window_->openDemo();
        QVERIFY(shown.wait(60000));
        QVERIFY(!page_->isBusy());
    }

    void slowestMatchesAFullSort() {
        const Dataset& d = *window_->dataset();
        std::vector<uint32_t> all(d.requestCount());
        for (uint32_t r = 0; r < all.size(); ++r) {
            all[r] = r;
        }
        std::stable_sort(all.begin(), all.end(), [&](uint32_t a, uint32_t b) { return ms(d, a) > ms(d, b); });
        OutlierTableModel* t = page_->table(OutlierKind::Slowest);
        QCOMPARE(t->rowCount(), 50);
        for (int row = 0; row < t->rowCount(); ++row) {
            const uint32_t r = t->data(t->index(row, 0), OutlierTableModel::RequestRole).toUInt();
            QCOMPARE(r, all[static_cast<size_t>(row)]);
            double below = 0, equal = 0, n = 0;
            for (uint32_t o = 0; o < d.requestCount(); ++o) {
                if (d.requests.feature[o] == d.requests.feature[r]) {
                    ++n;
                    below += ms(d, o) < ms(d, r);
                    equal += ms(d, o) == ms(d, r);
                }
            }
            const double rank = (below + equal / 2) / n * 100;
            QCOMPARE(t->data(t->index(row, OutlierTableModel::Rank), OutlierTableModel::SortRole).toDouble(), rank);
            const QString text = t->data(t->index(row, OutlierTableModel::Rank), Qt::DisplayRole).toString();
            const std::string_view feature = d.str(d.requests.feature[r]);
            QVERIFY2(text.endsWith(QStringLiteral(" of latency for ") +
                                   QString::fromUtf8(feature.data(), static_cast<qsizetype>(feature.size()))),
                     qPrintable(text));
        }
        // The value column repeats latency for this table: the latency column is hidden, and so is the feature.
        QVERIFY(page_->tableView(OutlierKind::Slowest)->isColumnHidden(OutlierTableModel::Latency));
        QVERIFY(!page_->tableView(OutlierKind::Slowest)->isColumnHidden(OutlierTableModel::Cost));
    }

    // The enterprise invoice workflow's tail: p99 many times its median, first in the tail table.
    void enterpriseInvoiceTailStandsOut() {
        const Dataset& d = *window_->dataset();
        TailModel* tails = page_->tails(OutlierKind::Slowest);
        QVERIFY(tails->rowCount() > 3);
        QCOMPARE(tails->data(tails->index(0, TailModel::Feature), Qt::DisplayRole).toString(),
                 QStringLiteral("invoice_parser"));
        QCOMPARE(tails->data(tails->index(0, TailModel::Tier), Qt::DisplayRole).toString(),
                 QStringLiteral("enterprise"));
        std::vector<double> v;
        for (uint32_t r = 0; r < d.requestCount(); ++r) {
            if (d.str(d.requests.feature[r]) == "invoice_parser" && tierOf(d, r) == "enterprise") {
                v.push_back(ms(d, r));
            }
        }
        QCOMPARE(tails->data(tails->index(0, TailModel::Requests), TailModel::SortRole).toULongLong(),
                 qulonglong(v.size()));
        const double p50 = type7(v, 0.5);
        const double p99 = type7(v, 0.99);
        QCOMPARE(tails->data(tails->index(0, TailModel::P50), TailModel::SortRole).toDouble(), p50);
        QCOMPARE(tails->data(tails->index(0, TailModel::P99), TailModel::SortRole).toDouble(), p99);
        QVERIFY(p50 > 900 && p50 < 1600);  // the story: a median near 1.2 s...
        QVERIFY(p99 / p50 > 8);             // ...and a tail far beyond it
        QVERIFY(page_->tailHeadline(OutlierKind::Slowest)->text().contains(QStringLiteral("invoice_parser")));
    }

    void limitAndRetryWindowRecompute() {
        QSignalSpy shown(page_, &OutliersPage::resultShown);
        page_->limitBox()->setValue(7);
        QVERIFY(shown.wait(20000));
        for (size_t k = 0; k < kOutlierKindCount; ++k) {
            QVERIFY(page_->table(static_cast<OutlierKind>(k))->rowCount() <= 7);
        }
        QCOMPARE(page_->table(OutlierKind::Slowest)->rowCount(), 7);
        // A longer window can only add earlier attempts: as many or more retried inputs.
        const uint64_t before = page_->table(OutlierKind::MostRetried)->table().candidates;
        page_->retryWindowBox()->setValue(120);
        QVERIFY(shown.wait(20000));
        QVERIFY(page_->table(OutlierKind::MostRetried)->table().candidates >= before);
        page_->retryWindowBox()->setValue(10);
        QVERIFY(shown.wait(20000));
        page_->limitBox()->setValue(50);
        QVERIFY(shown.wait(20000));
    }

    void followsTheSidebarFilter() {
        const Dataset& d = *window_->dataset();
        Filter f;
        f.of(Dimension::Feature) = {"invoice_parser"};
        QSignalSpy shown(page_, &OutliersPage::resultShown);
        window_->applyFilter(f);
        QVERIFY(shown.wait(20000));
        OutlierTableModel* t = page_->table(OutlierKind::MostExpensive);
        QVERIFY(t->rowCount() > 0);
        std::vector<double> costs;
        for (uint32_t r = 0; r < d.requestCount(); ++r) {
            if (d.str(d.requests.feature[r]) == "invoice_parser") {
                costs.push_back(d.requests.costUsd[r]);
            }
        }
        std::sort(costs.rbegin(), costs.rend());
        for (int row = 0; row < t->rowCount(); ++row) {
            const uint32_t r = t->data(t->index(row, 0), OutlierTableModel::RequestRole).toUInt();
            QCOMPARE(d.str(d.requests.feature[r]), std::string_view("invoice_parser"));
            QCOMPARE(t->data(t->index(row, OutlierTableModel::Value), OutlierTableModel::SortRole).toDouble(),
                     costs[static_cast<size_t>(row)]);
        }
        window_->applyFilter(Filter{});
        QVERIFY(shown.wait(20000));
    }

    // Tool groups against a loop over the spans: requests with a failing tool span of that name.
    void failingToolsMatchALoop() {
        const Dataset& d = *window_->dataset();
        std::map<std::string, std::set<uint32_t>> expected;
        for (uint32_t r = 0; r < d.requestCount(); ++r) {
            for (uint32_t s = d.requests.firstSpan[r]; s < d.spanEnd(RequestIndex(r)); ++s) {
                if (d.spans.kind[s] == SpanKind::Tool && d.spans.status[s] == SpanStatus::Error) {
                    std::string name(d.str(d.spans.name[s]));
                    if (name.rfind("execute_tool ", 0) == 0) {
                        name = name.substr(13);
                    }
                    expected[name].insert(r);
                }
            }
        }
        QVERIFY(!expected.empty());
        size_t tools = 0;
        for (const FailureGroup& g : page_->failures()->groups()) {
            if (g.kind == FailureGroupKind::Tool) {
                ++tools;
                QCOMPARE(g.requests, uint64_t{expected[g.key].size()});
                QCOMPARE(d.requests.startNs[g.samples.front().value], g.lastNs);
            }
        }
        QCOMPARE(tools, expected.size());
        // The demo's rate limits read as one group, whatever their numbers.
        bool rateLimits = false;
        for (const FailureGroup& g : page_->failures()->groups()) {
            rateLimits = rateLimits || (g.errorType == "RateLimitError" && g.key.find("<n>") != std::string::npos);
        }
        QVERIFY(rateLimits);
    }

    void enterAndDoubleClickOpenTheTrace() {
        QSignalSpy asked(page_, &OutliersPage::traceRequested);
        page_->showKind(OutlierKind::LargestTokenUsers);
        QTableView* view = page_->tableView(OutlierKind::LargestTokenUsers);
        const QModelIndex second = view->model()->index(1, OutlierTableModel::Prompt);
        view->setCurrentIndex(second);
        view->setFocus();
        QTest::keyClick(view, Qt::Key_Return);
        QCOMPARE(asked.count(), 1);
        const uint32_t expected = second.data(OutlierTableModel::RequestRole).toUInt();
        QCOMPARE(asked.at(0).at(0).value<RequestIndex>().value, expected);
        const QRect cell = view->visualRect(view->model()->index(0, OutlierTableModel::Prompt));
        doubleClick(view, cell.center());
        QCOMPARE(asked.count(), 2);
        QCOMPARE(asked.at(1).at(0).value<RequestIndex>().value,
                 view->model()->index(0, 0).data(OutlierTableModel::RequestRole).toUInt());
        page_->showFailures();
        doubleClick(page_->failureView(),
                    page_->failureView()->visualRect(page_->failureView()->model()->index(0, 1)).center());
        QCOMPARE(asked.count(), 3);
        page_->showKind(OutlierKind::Slowest);
        QTest::qWait(50);
        QVERIFY(QDir().mkpath(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots")));
        QVERIFY(page_->grab().save(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots/outliers-page.png")));
    }

    void cleanupTestCase() {
        testers_.clear();
        window_.reset();
    }

private:
    std::unique_ptr<MainWindow> window_;
    OutliersPage* page_ = nullptr;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers_;
};

QTEST_MAIN(TestOutliersPage)
#include "tst_outlierspage.moc"
