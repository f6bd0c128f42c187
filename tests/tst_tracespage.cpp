// The Traces page on the bundled demo, driven like a user would: the list follows the filter, a trace opened from
// another page shows its waterfall on the slowest span with that span's details read from the source, a pinned
// trace is compared with the next one (messages of a pair diffed), and a drill-down lists only its requests.
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTableView>
#include <QTest>

#include "flamegraphview.h"
#include "mainwindow.h"
#include "spandetailspanel.h"
#include "textdiffview.h"
#include "tracediffview.h"
#include "tracelistmodel.h"
#include "tracelistview.h"
#include "tracespage.h"
#include "incidentspage.h"
#include "workspace.h"
#include "waterfallview.h"

using namespace ps;

namespace {

// The request holding the slowest span of this name, and that span.
std::pair<RequestIndex, uint32_t> slowestSpanNamed(const Dataset& d, std::string_view name) {
    uint32_t best = SpanIndex::kInvalid;
    for (uint32_t s = 0; s < d.spanCount(); ++s) {
        if (d.str(d.spans.name[s]) == name && (best == SpanIndex::kInvalid || d.spans.durationNs[s] > d.spans.durationNs[best])) {
            best = s;
        }
    }
    return {best == SpanIndex::kInvalid ? RequestIndex{} : d.requestOfSpan(SpanIndex{best}), best};
}

// The longest span of a request other than its root (the waterfall's "slowest").
uint32_t slowestNonRoot(const Dataset& d, RequestIndex r) {
    uint32_t best = SpanIndex::kInvalid;
    for (uint32_t s = d.requests.firstSpan[r.value] + 1; s < d.spanEnd(r); ++s) {
        if (best == SpanIndex::kInvalid || d.spans.durationNs[s] > d.spans.durationNs[best]) {
            best = s;
        }
    }
    return best;
}

}  // namespace

class TestTracesPage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        const QStringList demo = MainWindow::demoSources();
        QVERIFY2(!demo.isEmpty(), "the demo data is built with the project");
        window_ = std::make_unique<MainWindow>();
        window_->resize(1600, 1000);
        window_->show();
        window_->openSources(demo);
        QTRY_VERIFY_WITH_TIMEOUT(window_->lastResult() != nullptr, 30000);
    }

    void listFollowsTheFilter() {
        TracesPage* page = window_->traces();
        QCOMPARE(page->list()->model()->rowCount(), static_cast<int>(window_->dataset()->requestCount()));
        Filter f;
        f.of(Dimension::Feature) = {"invoice_parser"};
        window_->applyFilter(f);
        QTRY_COMPARE_WITH_TIMEOUT(window_->lastResult()->filter, f, 20000);
        const Dataset& d = *window_->dataset();
        int expected = 0;
        for (uint32_t r = 0; r < d.requestCount(); ++r) {
            expected += d.str(d.requests.feature[r]) == "invoice_parser";
        }
        QCOMPARE(page->list()->model()->rowCount(), expected);
        for (int row = 0; row < page->list()->model()->rowCount(); ++row) {
            QCOMPARE(d.str(d.requests.feature[page->list()->model()->requestAt(row).value]), "invoice_parser");
        }
        window_->applyFilter(Filter{});
        QTRY_VERIFY_WITH_TIMEOUT(window_->lastResult()->filter.isEmpty(), 20000);
    }

    void openingATraceShowsItsSlowestSpanAndItsDetails() {
        const Dataset& d = *window_->dataset();
        const auto [request, crm] = slowestSpanNamed(d, "execute_tool crm_account_lookup");
        QVERIFY2(request.isValid(), "the demo has crm_account_lookup tool calls");
        TracesPage* page = window_->traces();
        QSignalSpy shown(page, &TracesPage::traceShown);
        QVERIFY(window_->openTrace(request));
        QVERIFY(shown.wait(20000));
        QCOMPARE(window_->findChild<QTabWidget*>()->currentWidget(), page);
        QCOMPARE(page->currentTrace(), request);
        QCOMPARE(page->waterfall()->request(), request);
        QCOMPARE(page->list()->currentTrace(), request);
        const uint32_t slowest = slowestNonRoot(d, request);
        QCOMPARE(page->waterfall()->selectedSpan(), slowest);
        QCOMPARE(page->details()->spanRow(), slowest);
        const std::string_view name = d.str(d.spans.name[slowest]);
        QVERIFY2(page->details()->headerText().contains(QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()))),
                 qPrintable(page->details()->headerText()));
        QVERIFY(page->details()->details() && page->details()->details()->ok());
        // Choosing another span shows its details.
        page->waterfall()->selectSpan(crm);
        QTRY_COMPARE_WITH_TIMEOUT(page->details()->spanRow(), crm, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(page->details()->headerText().contains(QStringLiteral("crm_account_lookup")), 10000);
        QTest::qWait(100);
        QVERIFY(window_->grab().save(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots/traces-crm.png")));
        QVERIFY(!window_->openTrace(RequestIndex{}));
    }

    void aPinnedTraceIsComparedWithTheNext() {
        const Dataset& d = *window_->dataset();
        TracesPage* page = window_->traces();
        // Two support_chatbot requests, one under each prompt version when the demo has both.
        RequestIndex a, b;
        for (uint32_t r = 0; r < d.requestCount(); ++r) {
            if (d.str(d.requests.feature[r]) != "support_chatbot") {
                continue;
            }
            if (!a.isValid() && d.str(d.requests.promptVersion[r]) == "42") {
                a = RequestIndex{r};
            } else if (!b.isValid() && d.str(d.requests.promptVersion[r]) == "43") {
                b = RequestIndex{r};
            }
        }
        QVERIFY(a.isValid() && b.isValid());
        QVERIFY(window_->openTrace(a));
        page->pinForComparison();
        QVERIFY(window_->openTrace(b));
        QTRY_VERIFY_WITH_TIMEOUT(page->diff()->diff() != nullptr && !page->diff()->isPending(), 10000);
        QVERIFY(page->diff()->diff()->rows.size() >= 2);
        // The roots pair up: selecting the first row diffs the two roots' messages (read from the source).
        page->views()->setCurrentIndex(2);
        page->diff()->selectRow(0);
        QTRY_VERIFY_WITH_TIMEOUT(page->textDiff()->addedLines() + page->textDiff()->removedLines() >= 0 &&
                                     !page->textDiff()->summary().isEmpty(),
                                 10000);
    }

    void aDrillDownListsOnlyItsRequests() {
        TracesPage* page = window_->traces();
        const std::vector<uint32_t> rows = {5, 17, 42};
        page->showRequests(QStringLiteral("Three requests"), rows);
        QCOMPARE(page->list()->model()->rowCount(), 3);
        std::vector<uint32_t> listed;
        for (int row = 0; row < 3; ++row) {
            listed.push_back(page->list()->model()->requestAt(row).value);
        }
        std::sort(listed.begin(), listed.end());
        QCOMPARE(listed, rows);
    }

    // The shown trace goes to the review queue with Ctrl+R, and to the current incident from the Review menu.
    void theShownTraceCanBeQueuedForReviewAndLinkedToAnIncident() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QString error;
        QVERIFY2(window_->openWorkspace(dir.filePath(QStringLiteral("ws.sqlite")), &error), qPrintable(error));
        const Dataset& d = *window_->dataset();
        const RequestIndex r{uint32_t{7}};
        QVERIFY(window_->openTrace(r));
        const std::string traceId(d.str(d.requests.traceId[r.value]));
        TracesPage* page = window_->traces();
        QVERIFY(page->reviewButton()->isEnabled());
        QTest::keyClick(page, Qt::Key_R, Qt::ControlModifier);
        std::vector<std::string> queued;
        for (const QueueEntry& e : window_->workspace()->queue()) {
            queued.push_back(e.traceId);
        }
        QCOMPARE(queued, std::vector<std::string>{traceId});

        IncidentFields fields;
        fields.title = "Slow answers";
        const std::optional<int64_t> created = window_->workspace()->createIncident(fields, "tester", 1);
        QVERIFY(created);
        const int64_t incident = *created;
        window_->incidents()->reload();
        window_->incidents()->selectIncident(incident);
        QAction* link = nullptr;
        for (QAction* a : page->reviewButton()->menu()->actions()) {
            if (a->text().contains(QStringLiteral("incident"))) {
                link = a;
            }
        }
        QVERIFY(link);
        link->trigger();
        const auto linked = window_->workspace()->incidentTraces(incident);
        QCOMPARE(linked.size(), size_t{1});
        QCOMPARE(linked.front().traceId, traceId);
    }

    void cleanupTestCase() { window_.reset(); }

private:
    std::unique_ptr<MainWindow> window_;
};

QTEST_MAIN(TestTracesPage)
#include "tst_tracespage.moc"
