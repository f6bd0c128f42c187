// The trace diff widget offscreen: rows of the alignment, selection by mouse and keys with the pair it reports
// (the hook for the text diff), delta colours; grabs saved under <build>/screenshots/.
#include <QDir>
#include <QSignalSpy>
#include <QTextBlock>
#include <QTest>

#include "textdiffview.h"
#include "tracediffview.h"
#include "tracefixtures.h"

using namespace ps;
using namespace ps::trace;

namespace {

QString screenshot(const char* name) {
    QDir().mkpath(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots"));
    return QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots/trace-") + QLatin1String(name) +
           QStringLiteral(".png");
}

DatasetPtr twoVersions() {
    return fixtures::build(std::vector<fixtures::Trace>{
        {"trace-v42",
         {{1, 0, 0, 1000, "support_chat", SpanKind::Agent},
          {2, 1, 0, 100, "classify_intent", SpanKind::Llm, SpanStatus::Ok, 300, 5, 0.0004},
          {3, 1, 100, 300, "kb_search", SpanKind::Retrieval},
          {4, 1, 300, 900, "support_answer", SpanKind::Llm, SpanStatus::Ok, 1400, 230, 0.012},
          {5, 1, 900, 950, "crm_account_lookup", SpanKind::Tool}},
         {}},
        {"trace-v43",
         {{1, 0, 0, 1600, "support_chat", SpanKind::Agent},
          {2, 1, 0, 90, "classify_intent", SpanKind::Llm, SpanStatus::Ok, 300, 5, 0.0004},
          {4, 1, 90, 1100, "support_answer", SpanKind::Llm, SpanStatus::Ok, 1400, 370, 0.0165},
          {5, 1, 1100, 1500, "crm_account_lookup", SpanKind::Tool, SpanStatus::Error},
          {6, 1, 1500, 1560, "order_status", SpanKind::Tool}},
         {}}});
}

}  // namespace

class TestTraceDiffView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsAndSelectsAlignedPairs() {
        const auto d = twoVersions();
        const RequestIndex a = d->findRequest("trace-v42");
        const RequestIndex b = d->findRequest("trace-v43");
        TraceDiffView view;
        view.resize(1300, 260);
        view.show();
        view.setTraces(d, a, d, b);
        view.setLabels(QStringLiteral("v42"), QStringLiteral("v43"));
        QVERIFY(view.diff());
        QCOMPARE(view.diff()->rows.size(), size_t{6});
        QSignalSpy pairs(&view, &TraceDiffView::pairSelected);
        const int rowTop = TraceDiffView::kSummaryHeight + TraceDiffView::kHeaderHeight;
        // Row 3 is support_answer: 600 ms -> 1010 ms.
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(100, rowTop + 3 * TraceDiffView::kRowHeight + 5));
        QCOMPARE(view.selectedRow(), 3);
        QCOMPARE(pairs.count(), 1);
        QCOMPARE(pairs.last().at(0).toUInt(), fixtures::rowNamed(*d, a, "support_answer"));
        QCOMPARE(pairs.last().at(1).toUInt(), fixtures::rowNamed(*d, b, "support_answer"));
        QVERIFY(view.grab().save(screenshot("diff")));
        // kb_search exists only in A: its pair has no B row.
        QTest::keyClick(&view, Qt::Key_Up);
        QCOMPARE(view.selectedRow(), 2);
        QCOMPARE(pairs.last().at(1).toUInt(), SpanIndex::kInvalid);
        QVERIFY(view.rowToolTip(2).contains(QStringLiteral("not in this trace")));
        QTest::keyClick(&view, Qt::Key_End);
        QCOMPARE(view.selectedRow(), 5);
        QCOMPARE(pairs.last().at(0).toUInt(), SpanIndex::kInvalid);
        // Slower beyond 5% and 1 ms is red, faster green, small changes neither.
        const auto& rows = view.diff()->rows;
        QCOMPARE(TraceDiffView::durationVerdict(rows[0]), 1);   // +600 ms
        QCOMPARE(TraceDiffView::durationVerdict(rows[1]), -1);  // -10 ms of 100
        QCOMPARE(TraceDiffView::durationVerdict(rows[2]), 0);   // only in A
        TraceDiffRow small = rows[1];
        small.b.durationNs = small.a.durationNs + 4000000;  // +4 ms of 100: under 5%
        QCOMPARE(TraceDiffView::durationVerdict(small), 0);
        QCOMPARE(view.rowAt(QPoint(10, 5)), -1);
    }

    void textDiffViewShowsChangedLines() {
        TextDiffView view;
        view.resize(700, 160);
        view.show();
        view.setTexts(QStringLiteral("You are a support agent.\nAnswer briefly.\nCite the policy.\n"),
                      QStringLiteral("You are a support agent.\nAnswer in detail.\nBe kind.\nCite the policy.\n"));
        QCOMPARE(view.removedLines(), 1);
        QCOMPARE(view.addedLines(), 2);
        QCOMPARE(view.summary(), QStringLiteral("1 line removed, 2 added"));
        QCOMPARE(view.document()->blockCount(), 5);
        QCOMPARE(view.document()->findBlockByNumber(1).text(), QStringLiteral("    2        - Answer briefly."));
        QCOMPARE(view.document()->findBlockByNumber(2).text(), QStringLiteral("          2  + Answer in detail."));
        QVERIFY(view.grab().save(screenshot("textdiff")));
        view.setTexts(QStringLiteral("same"), QStringLiteral("same"));
        QCOMPARE(view.summary(), QStringLiteral("no differences"));
    }

    void emptyStates() {
        TraceDiffView view;
        view.resize(600, 200);
        view.show();
        QVERIFY(!view.diff());
        const auto d = twoVersions();
        view.setTraces(d, RequestIndex{}, d, RequestIndex{0u});
        QVERIFY(view.diff());
        QVERIFY(view.diff()->rows.empty());
        QVERIFY(!view.grab().isNull());
        view.selectRow(0);
        QCOMPARE(view.selectedRow(), -1);
    }
};

QTEST_MAIN(TestTraceDiffView)
#include "tst_tracediffview.moc"
