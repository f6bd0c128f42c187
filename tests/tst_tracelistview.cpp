// The trace list widget on the bundled demo, offscreen: it follows a selection, searches ids as you type and
// message text on Enter (results checked against plain loops), keeps the current trace, and says which trace
// is current or opened. The list is grabbed into a PNG to look at.
#include <QAbstractItemModelTester>
#include <QDir>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include "colddata.h"
#include "contentsearch.h"
#include "selection.h"
#include "sourceloader.h"
#include "tracelistmodel.h"
#include "tracelistview.h"

using namespace ps;

namespace {

std::vector<uint32_t> shown(const TraceListModel& model) {
    std::vector<uint32_t> out;
    for (int i = 0; i < model.rowCount(); ++i) {
        out.push_back(model.requestAt(i).value);
    }
    std::sort(out.begin(), out.end());
    return out;
}

bool waitSearch(TraceListView& view, QSignalSpy& finished, int before) {
    return QTest::qWaitFor([&] { return finished.count() > before && !view.model()->isSorting(); }, 60000);
}

}  // namespace

class TestTraceListView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QDir().mkpath(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots"));
        data_ = loadSources({PROMPTSCOPE_BINARY_DIR "/demo/demo.otlp.jsonl",
                             PROMPTSCOPE_BINARY_DIR "/demo/demo.records.jsonl"})
                    .dataset;
        QVERIFY(data_);
        index_ = buildFacetIndex(*data_);
    }

    void followsTheSelectionNewestFirst() {
        TraceListView view;
        QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.resize(1400, 600);
        view.show();
        Filter errors;
        errors.status = StatusFilter::Error;
        const Selection selection = selectRequests(*data_, index_, errors);
        QVERIFY(!selection.requests.empty());
        view.setSelection(data_, selection);
        QTRY_VERIFY_WITH_TIMEOUT(!view.model()->isSorting(), 20000);
        QCOMPARE(view.model()->rowCount(), static_cast<int>(selection.requests.size()));
        QCOMPARE(shown(*view.model()), selection.requests);
        for (int i = 1; i < view.model()->rowCount(); ++i) {  // newest first
            QVERIFY(data_->requests.startNs[view.model()->requestAt(i - 1).value] >=
                    data_->requests.startNs[view.model()->requestAt(i).value]);
        }
        QCOMPARE(view.statusText(),
                 QStringLiteral("%1 requests")
                     .arg(QLocale().toString(static_cast<qulonglong>(selection.requests.size()))));
        QVERIFY(view.grab().save(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots/tracelist-errors.png")));
    }

    void idSearchAsYouType() {
        TraceListView view;
        view.setDataset(data_);
        QSignalSpy finished(&view, &TraceListView::searchFinished);
        // A session: every request of it, found by a plain loop.
        const StringId session = data_->requests.session[17];
        std::vector<uint32_t> expected;
        for (uint32_t r = 0; r < data_->requestCount(); ++r) {
            if (data_->requests.session[r] == session) {
                expected.push_back(r);
            }
        }
        QVERIFY(expected.size() > 1);
        auto* line = view.findChild<QLineEdit*>();
        QVERIFY(line != nullptr);
        const std::string_view sessionText = data_->str(session);
        QTest::keyClicks(line,
                         QString::fromUtf8(sessionText.data(), static_cast<qsizetype>(sessionText.size())));
        QVERIFY(waitSearch(view, finished, 0));  // after the typing pause, without Enter
        QCOMPARE(shown(*view.model()), expected);
        QVERIFY(
            view.statusText().contains(QStringLiteral("%1 of 2,000 requests match").arg(expected.size())));
        // The first characters of a trace id, in upper case.
        const std::string id(data_->str(data_->requests.traceId[42]));
        view.search(QString::fromStdString(id.substr(0, 6)).toUpper(), TraceListView::SearchScope::Ids);
        QVERIFY(waitSearch(view, finished, 1));
        expected.clear();
        for (uint32_t r = 0; r < data_->requestCount(); ++r) {
            if (data_->str(data_->requests.traceId[r]).substr(0, 6) == id.substr(0, 6)) {
                expected.push_back(r);
            }
        }
        QCOMPARE(shown(*view.model()), expected);
        view.search({}, TraceListView::SearchScope::Ids);
        QVERIFY(waitSearch(view, finished, 2));
        QCOMPARE(view.model()->rowCount(), 2000);
    }

    void contentSearchOnEnter() {
        TraceListView view;
        view.setDataset(data_);
        QSignalSpy finished(&view, &TraceListView::searchFinished);
        view.search(QStringLiteral("refund"), TraceListView::SearchScope::Content);
        QVERIFY(view.isSearching());
        QVERIFY(view.statusText().startsWith(QStringLiteral("Searching inputs and outputs")));
        QVERIFY(waitSearch(view, finished, 0));
        // Every request whose message texts mention it, request by request.
        ColdDataReader reader(data_);
        std::vector<uint32_t> expected;
        for (uint32_t r = 0; r < data_->requestCount(); ++r) {
            for (const std::string& t : reader.requestTexts(RequestIndex{r})) {
                if (containsIgnoringCase(t, "refund")) {
                    expected.push_back(r);
                    break;
                }
            }
        }
        QVERIFY(!expected.empty());
        QCOMPARE(shown(*view.model()), expected);
        QVERIFY(!view.isSearching());
        // A new selection re-runs the search within it.
        Filter none;
        Selection half = selectRequests(*data_, index_, none);
        half.requests.resize(half.requests.size() / 2);
        view.setSelection(data_, half);
        QVERIFY(waitSearch(view, finished, 1));
        std::vector<uint32_t> inHalf;
        for (uint32_t r : expected) {
            if (r < half.requests.size()) {
                inHalf.push_back(r);
            }
        }
        QCOMPARE(shown(*view.model()), inHalf);
    }

    void currentAndActivatedTraces() {
        TraceListView view;
        view.resize(1200, 400);
        view.show();
        view.setDataset(data_);
        QTRY_VERIFY_WITH_TIMEOUT(!view.model()->isSorting(), 20000);
        QSignalSpy current(&view, &TraceListView::currentTraceChanged);
        QSignalSpy activated(&view, &TraceListView::traceActivated);
        QVERIFY(view.selectTrace(RequestIndex{123u}));
        QCOMPARE(current.count(), 1);
        QCOMPARE(current.last().at(0).value<RequestIndex>(), RequestIndex{123u});
        QCOMPARE(view.currentTrace(), RequestIndex{123u});
        QTest::keyClick(view.table(), Qt::Key_Return);
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.last().at(0).value<RequestIndex>(), RequestIndex{123u});
        // Sorting keeps the current trace.
        view.table()->sortByColumn(TraceListModel::Duration, Qt::AscendingOrder);
        QTRY_VERIFY_WITH_TIMEOUT(!view.model()->isSorting(), 20000);
        QCOMPARE(view.currentTrace(), RequestIndex{123u});
        QVERIFY(!view.selectTrace(RequestIndex{99999u}));
        QVERIFY(view.grab().save(
            QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots/tracelist-by-duration.png")));
    }

private:
    DatasetPtr data_;
    FacetIndex index_;
};

QTEST_MAIN(TestTraceListView)
#include "tst_tracelistview.moc"
