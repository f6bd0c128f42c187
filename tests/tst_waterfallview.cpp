// The waterfall widget offscreen on hand-made traces: selection, keyboard, collapse, zoom, pan, range drag,
// minimap, hiding rules, the thread-pool layout of a large trace, and grabs saved under <build>/screenshots/.
#include <QApplication>
#include <QDir>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>

#include "spankindpalette.h"
#include "timeaxisticks.h"
#include "timewindow.h"
#include "tracefixtures.h"
#include "waterfallfilterbar.h"
#include "waterfallpainter.h"
#include "waterfallview.h"

using namespace ps;
using namespace ps::trace;
using fixtures::kMs;

namespace {

QString screenshot(const char* name) {
    QDir().mkpath(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots"));
    return QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots/trace-") + QLatin1String(name) +
           QStringLiteral(".png");
}

// A support chat whose CRM lookup is slow and fails, and whose knowledge-base search fails a relevance eval.
// Rows: support_chat, classify_intent, kb_search, support_answer, render_prompt, crm_account_lookup, policy_check.
fixtures::Trace supportChat() {
    return {"chat-1",
            {{1, 0, 0, 3000, "support_chat", SpanKind::Agent, SpanStatus::Error, -1, -1, kNaN, "support-api"},
             {2, 1, 0, 150, "classify_intent", SpanKind::Llm, SpanStatus::Ok, 300, 5, 0.0004},
             {3, 1, 150, 400, "kb_search", SpanKind::Retrieval},
             {4, 1, 400, 1200, "support_answer", SpanKind::Llm, SpanStatus::Ok, 1400, 230, 0.012},
             {5, 4, 400, 420, "render_prompt", SpanKind::Chain},
             {6, 1, 1200, 2900, "crm_account_lookup", SpanKind::Tool, SpanStatus::Error},
             {7, 1, 2900, 2990, "policy_check", SpanKind::Eval}},
            {{3, EvalOutcome::Fail, "relevance"}, {7, EvalOutcome::Pass, "policy"}}};
}

struct Shown {
    DatasetPtr data;
    std::unique_ptr<WaterfallView> view;
};

Shown show(const fixtures::Trace& trace, QSize size = {1100, 360}) {
    Shown s;
    s.data = fixtures::build(trace);
    s.view = std::make_unique<WaterfallView>();
    s.view->resize(size);
    s.view->show();
    s.view->setTrace(s.data, RequestIndex{0u});
    return s;
}

uint32_t rowOf(const Shown& s, const char* name) { return fixtures::rowNamed(*s.data, RequestIndex{0u}, name); }

void wheel(QWidget* target, QPoint pos, int delta, Qt::KeyboardModifiers modifiers) {
    QWheelEvent event(pos, target->mapToGlobal(pos), QPoint(), QPoint(0, delta), Qt::NoButton, modifiers,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(target, &event);
}

bool sameColor(QRgb pixel, const QColor& color) {
    return std::abs(qRed(pixel) - color.red()) < 8 && std::abs(qGreen(pixel) - color.green()) < 8 &&
           std::abs(qBlue(pixel) - color.blue()) < 8;
}

}  // namespace

class TestWaterfallView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsTheTraceFitted() {
        Shown s = show(supportChat());
        const auto layout = s.view->traceLayout();
        QVERIFY(layout);
        QCOMPARE(layout->visibleRows.size(), size_t{7});
        QCOMPARE(s.view->viewBeginNs(), int64_t{0});
        QCOMPARE(s.view->viewEndNs(), 3000 * kMs);
        QCOMPARE(s.view->selectedSpan(), SpanIndex::kInvalid);
        QVERIFY(!s.view->isLayoutPending());
        // A sequential run: every step is on the critical path.
        QCOMPARE(layout->criticalPath.size(), size_t{7});
        QCOMPARE(layout->slowestRow, rowOf(s, "crm_account_lookup"));
        QVERIFY(layout->flags[rowOf(s, "kb_search")] & kSpanFailedEval);
        QVERIFY(!(layout->flags[rowOf(s, "policy_check")] & kSpanFailedEval));
    }

    void keyboardMovesTheSelection() {
        Shown s = show(supportChat());
        QSignalSpy selected(s.view.get(), &WaterfallView::spanSelected);
        QTest::keyClick(s.view.get(), Qt::Key_Down);  // nothing selected: the first row on screen
        QCOMPARE(s.view->selectedSpan(), 0u);
        QTest::keyClick(s.view.get(), Qt::Key_Down);
        QTest::keyClick(s.view.get(), Qt::Key_Down);
        QCOMPARE(s.view->selectedSpan(), rowOf(s, "kb_search"));
        QTest::keyClick(s.view.get(), Qt::Key_Up);
        QCOMPARE(s.view->selectedSpan(), rowOf(s, "classify_intent"));
        QTest::keyClick(s.view.get(), Qt::Key_End);
        QCOMPARE(s.view->selectedSpan(), rowOf(s, "policy_check"));
        QTest::keyClick(s.view.get(), Qt::Key_Down);  // stays on the last row
        QCOMPARE(s.view->selectedSpan(), rowOf(s, "policy_check"));
        QTest::keyClick(s.view.get(), Qt::Key_Home);
        QCOMPARE(s.view->selectedSpan(), 0u);
        QCOMPARE(selected.count(), 6);
        QCOMPARE(selected.last().at(0).toUInt(), 0u);
    }

    void leftAndRightCollapseExpandAndWalkTheTree() {
        Shown s = show(supportChat());
        const uint32_t answer = rowOf(s, "support_answer");
        const uint32_t render = rowOf(s, "render_prompt");
        s.view->selectSpan(answer);
        QTest::keyClick(s.view.get(), Qt::Key_Left);  // has children: collapse
        QVERIFY(s.view->isCollapsed(answer));
        QCOMPARE(s.view->traceLayout()->visibleRows.size(), size_t{6});
        QVERIFY(!s.view->traceLayout()->isVisible(render));
        QTest::keyClick(s.view.get(), Qt::Key_Right);  // expand
        QVERIFY(!s.view->isCollapsed(answer));
        QCOMPARE(s.view->traceLayout()->visibleRows.size(), size_t{7});
        QTest::keyClick(s.view.get(), Qt::Key_Right);  // expanded already: to the first child
        QCOMPARE(s.view->selectedSpan(), render);
        QTest::keyClick(s.view.get(), Qt::Key_Left);  // a leaf: to the parent
        QCOMPARE(s.view->selectedSpan(), answer);
        // Collapsing the root keeps the selection on the nearest shown ancestor.
        s.view->selectSpan(render);
        s.view->setCollapsed(0, true);
        QCOMPARE(s.view->traceLayout()->visibleRows.size(), size_t{1});
        QCOMPARE(s.view->selectedSpan(), 0u);
        // Selecting a span inside a collapsed parent expands the way to it.
        s.view->selectSpan(render);
        QCOMPARE(s.view->selectedSpan(), render);
        QVERIFY(!s.view->isCollapsed(0));
        QVERIFY(s.view->traceLayout()->isVisible(render));
    }

    void mouseSelectsAndTheTriangleCollapses() {
        Shown s = show(supportChat());
        QWidget* vp = s.view->viewport();
        const uint32_t lookup = rowOf(s, "crm_account_lookup");
        const QRect bar = s.view->barRect(lookup);
        QVERIFY(!bar.isEmpty());
        QCOMPARE(s.view->spanAt(bar.center()), lookup);
        QTest::mouseClick(vp, Qt::LeftButton, {}, bar.center());
        QCOMPARE(s.view->selectedSpan(), lookup);
        // Click on the name column selects too; on the triangle of support_answer (depth 1) it collapses.
        const uint32_t answer = rowOf(s, "support_answer");
        const QRect row = s.view->rowRect(answer);
        QTest::mouseClick(vp, Qt::LeftButton, {}, QPoint(120, row.center().y()));
        QCOMPARE(s.view->selectedSpan(), answer);
        QTest::mouseClick(vp, Qt::LeftButton, {}, QPoint(6 + WaterfallGeometry::kIndent + 5, row.center().y()));
        QVERIFY(s.view->isCollapsed(answer));
        QSignalSpy activated(s.view.get(), &WaterfallView::spanActivated);
        QTest::mouseDClick(vp, Qt::LeftButton, {}, s.view->barRect(lookup).center());
        QCOMPARE(activated.count(), 1);
        // Double-click zooms to the span with a margin of a twentieth of its duration.
        QCOMPARE(s.view->viewBeginNs(), 1200 * kMs - 85 * kMs);
        QCOMPARE(s.view->viewEndNs(), 2900 * kMs + 85 * kMs);
    }

    void zoomPanAndFit() {
        Shown s = show(supportChat());
        s.view->zoomTo(1000 * kMs, 2000 * kMs);
        QCOMPARE(s.view->viewBeginNs(), 1000 * kMs);
        QCOMPARE(s.view->viewEndNs(), 2000 * kMs);
        // The window never leaves the trace and never gets narrower than 100 ns.
        s.view->zoomTo(2900 * kMs, 3500 * kMs);
        QCOMPARE(s.view->viewEndNs(), 3000 * kMs);
        QCOMPARE(s.view->viewBeginNs(), 2400 * kMs);
        s.view->zoomTo(5, 6);
        QCOMPARE(s.view->viewEndNs() - s.view->viewBeginNs(), int64_t{100});
        QTest::keyClick(s.view.get(), Qt::Key_F);
        QCOMPARE(s.view->viewBeginNs(), int64_t{0});
        QCOMPARE(s.view->viewEndNs(), 3000 * kMs);
        // Ctrl+wheel zooms in around the cursor: the time under it stays put.
        const WaterfallGeometry& g = s.view->geometry();
        const QPoint at(g.timeLeft() + g.timeWidth() / 4, g.rowTop(2) + 5);
        const int64_t before = g.timeAt(at.x(), s.view->viewBeginNs(), s.view->viewEndNs());
        wheel(s.view->viewport(), at, 120, Qt::ControlModifier);
        const int64_t width = s.view->viewEndNs() - s.view->viewBeginNs();
        QCOMPARE(width, 2400 * kMs);  // 0.8 of 3 s
        const int64_t after = g.timeAt(at.x(), s.view->viewBeginNs(), s.view->viewEndNs());
        QVERIFY(std::abs(after - before) <= width / g.timeWidth() + 1);
        // Shift+wheel pans by a tenth of the window; the plain wheel over the rows leaves time alone.
        const int64_t begin = s.view->viewBeginNs();
        wheel(s.view->viewport(), at, -120, Qt::ShiftModifier);
        QCOMPARE(s.view->viewBeginNs(), begin + width / 10);
        wheel(s.view->viewport(), at, -120, Qt::NoModifier);
        QCOMPARE(s.view->viewBeginNs(), begin + width / 10);
        // Dragging the bars pans: 1/4 of the bars' width to the left shows a quarter window later.
        s.view->zoomTo(0, 1000 * kMs);
        const QPoint from(g.timeLeft() + g.timeWidth() / 2, g.rowTop(1) + 5);
        QTest::mousePress(s.view->viewport(), Qt::LeftButton, {}, from);
        QTest::mouseMove(s.view->viewport(), from - QPoint(g.timeWidth() / 4, 0));
        QTest::mouseRelease(s.view->viewport(), Qt::LeftButton, {}, from - QPoint(g.timeWidth() / 4, 0));
        QVERIFY(std::abs(s.view->viewBeginNs() - 250 * kMs) < 5 * kMs);
        QCOMPARE(s.view->selectedSpan(), SpanIndex::kInvalid);  // a drag is not a click
    }

    void axisDragZoomsToTheRange() {
        Shown s = show(supportChat());
        const WaterfallGeometry& g = s.view->geometry();
        const int y = g.axisRect().center().y();
        const int x0 = g.timeLeft() + g.timeWidth() / 10;
        const int x1 = g.timeLeft() + g.timeWidth() / 2;
        const int64_t t0 = g.timeAt(x0, 0, 3000 * kMs);
        const int64_t t1 = g.timeAt(x1, 0, 3000 * kMs);
        QTest::mousePress(s.view->viewport(), Qt::LeftButton, {}, QPoint(x0, y));
        QTest::mouseMove(s.view->viewport(), QPoint(x1, y));
        QVERIFY(s.view->viewport()->grab().save(screenshot("waterfall-range-drag")));
        QTest::mouseRelease(s.view->viewport(), Qt::LeftButton, {}, QPoint(x1, y));
        QCOMPARE(s.view->viewBeginNs(), t0);
        QCOMPARE(s.view->viewEndNs(), t1);
    }

    void minimapMovesTheWindow() {
        Shown s = show(supportChat());
        s.view->zoomTo(0, 300 * kMs);
        const WaterfallGeometry& g = s.view->geometry();
        const QRect area = g.minimapRect().adjusted(WaterfallGeometry::kBarsMargin, 0, -WaterfallGeometry::kBarsMargin, 0);
        QTest::mouseClick(s.view->viewport(), Qt::LeftButton, {}, QPoint(area.left() + area.width() / 2, area.center().y()));
        // Centred on the middle of the trace, same width.
        QVERIFY(std::abs((s.view->viewBeginNs() + s.view->viewEndNs()) / 2 - 1500 * kMs) < 10 * kMs);
        QCOMPARE(s.view->viewEndNs() - s.view->viewBeginNs(), 300 * kMs);
    }

    void criticalPathToggle() {
        Shown s = show(supportChat());
        QVERIFY(s.view->isCriticalPathShown());
        QTest::keyClick(s.view.get(), Qt::Key_C);
        QVERIFY(!s.view->isCriticalPathShown());
        // Without the strip, the bottom of policy_check's bar is the bar's colour.
        const QImage image = s.view->viewport()->grab().toImage();
        const QRect policy = s.view->barRect(rowOf(s, "policy_check"));
        QVERIFY(sameColor(image.pixel(policy.center().x(), policy.bottom() - 1), palette::spanKindColor(SpanKind::Eval)));
        s.view->setCriticalPathShown(true);
        QVERIFY(s.view->isCriticalPathShown());
    }

    void slowestSpanKeyAndButton() {
        Shown s = show(supportChat());
        s.view->zoomTo(0, 200 * kMs);
        QTest::keyClick(s.view.get(), Qt::Key_S);
        QCOMPARE(s.view->selectedSpan(), rowOf(s, "crm_account_lookup"));
        // Its bar was outside the window: the view zooms out to show it whole.
        QVERIFY(s.view->viewBeginNs() <= 1200 * kMs);
        QVERIFY(s.view->viewEndNs() >= 2900 * kMs);
        QVERIFY(!s.view->barRect(s.view->selectedSpan()).isEmpty());
    }

    void hideRulesHideSubtreesAndMoveTheSelection() {
        Shown s = show(supportChat());
        s.view->selectSpan(rowOf(s, "render_prompt"));
        LayoutOptions rules;
        rules.minDurationNs = 100 * kMs;  // render_prompt (20 ms) and policy_check (90 ms) go
        s.view->setHideRules(rules);
        QCOMPARE(s.view->traceLayout()->visibleRows.size(), size_t{5});
        QCOMPARE(s.view->selectedSpan(), rowOf(s, "support_answer"));
        // Collapsing survives a rule change.
        s.view->setCollapsed(rowOf(s, "support_answer"), true);
        rules.minDurationNs = 0;
        rules.kinds = kAllSpanKinds & ~kindBit(SpanKind::Tool);
        s.view->setHideRules(rules);
        QVERIFY(s.view->isCollapsed(rowOf(s, "support_answer")));
        QVERIFY(!s.view->traceLayout()->isVisible(rowOf(s, "crm_account_lookup")));
        QCOMPARE(s.view->layoutOptions().kinds, rules.kinds);
    }

    void tooltipTellsTotalAndSelfTime() {
        Shown s = show(supportChat());
        const QString tip = s.view->spanToolTip(rowOf(s, "support_answer"));
        QVERIFY(tip.contains(QStringLiteral("Total time: 800 ms")));
        QVERIFY(tip.contains(QStringLiteral("Self time: 780 ms")));
        QVERIFY(tip.contains(QStringLiteral("1,400 in / 230 out tokens, $0.012")));
        const QString root = s.view->spanToolTip(0);
        QVERIFY(root.contains(QStringLiteral("On the critical path")));
        QVERIFY(s.view->spanToolTip(rowOf(s, "crm_account_lookup")).contains(QStringLiteral("slowest")));
        QVERIFY(s.view->spanToolTip(rowOf(s, "kb_search")).contains(QStringLiteral("Failed eval")));
    }

    void grabShowsBarsInKindColours() {
        Shown s = show(supportChat());
        s.view->selectSpan(rowOf(s, "support_answer"));
        const QImage image = s.view->viewport()->grab().toImage();
        QVERIFY(image.save(screenshot("waterfall-support-chat")));
        const QRect kb = s.view->barRect(rowOf(s, "kb_search"));
        QVERIFY(sameColor(image.pixel(kb.center()), palette::spanKindColor(SpanKind::Retrieval)));
        // The failing tool call: orange bar, red outline.
        const QRect lookup = s.view->barRect(rowOf(s, "crm_account_lookup"));
        QVERIFY(sameColor(image.pixel(lookup.right() - 5, lookup.top() + 5), palette::spanKindColor(SpanKind::Tool)));
        QVERIFY(sameColor(image.pixel(lookup.center().x(), lookup.top() + 1), palette::errorColor()));
        // The critical path strip at the bottom of policy_check's bar.
        const QRect policy = s.view->barRect(rowOf(s, "policy_check"));
        QVERIFY(sameColor(image.pixel(policy.center().x(), policy.bottom() - 1), palette::criticalPathColor()));
        QVERIFY(sameColor(image.pixel(policy.center().x(), policy.top() + 3), palette::spanKindColor(SpanKind::Eval)));
        QVERIFY(s.view->grab().save(screenshot("waterfall-support-chat-widget")));
        s.view->resize(520, 300);  // narrow: names elide, the legend drops what does not fit
        QVERIFY(s.view->grab().save(screenshot("waterfall-narrow")));
    }

    void largeTraceIsLaidOutOffTheGuiThread() {
        fixtures::Trace t{"big", {{1, 0, 0, 200000, "root", SpanKind::Agent}}, {}};
        for (uint64_t i = 2; i <= 100000; ++i) {
            const auto at = static_cast<int64_t>(i) * 2;
            t.spans.push_back({i, 1 + (i > 1000 ? (i % 1000) + 1 : 0), at, at + 1, i % 3 ? "step" : "llm",
                               i % 3 ? SpanKind::Tool : SpanKind::Llm, i % 997 ? SpanStatus::Ok : SpanStatus::Error});
        }
        const auto d = fixtures::build(t);
        WaterfallView view;
        view.resize(1400, 700);
        view.show();
        QSignalSpy ready(&view, &WaterfallView::layoutChanged);
        view.setTrace(d, RequestIndex{0u});
        QVERIFY(view.isLayoutPending());
        QVERIFY(!view.traceLayout());
        QVERIFY(view.grab().save(screenshot("waterfall-100k-pending")));
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 20000);
        QCOMPARE(view.traceLayout()->visibleRows.size(), size_t{100000});
        // A selection asked for while a new layout runs is applied when it lands.
        view.setCollapsed(0, true);
        view.selectSpan(99999);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 3, 20000);
        QCOMPARE(view.selectedSpan(), 99999u);
        QVERIFY(view.traceLayout()->isVisible(99999));
        QCOMPARE(view.verticalScrollBar()->value() + view.verticalScrollBar()->pageStep(),
                 static_cast<int>(view.traceLayout()->displayIndexOf(99999)) + 1);
        view.fit();
        QVERIFY(view.grab().save(screenshot("waterfall-100k")));
    }

    void timeTicksAreRoundAndLabelled() {
        TimeTicks t = timeTicks(0, 3000 * kMs, 1000, 90);  // 270 ms at least between ticks
        QCOMPARE(t.stepNs, 500 * kMs);
        QCOMPARE(t.offsetsNs.size(), size_t{6});
        QCOMPARE(tickLabel(0, t), QStringLiteral("0"));
        QCOMPARE(tickLabel(1500 * kMs, t), QStringLiteral("1.5 s"));
        t = timeTicks(0, 900 * kMs, 900, 90);
        QCOMPARE(t.stepNs, 100 * kMs);
        QCOMPARE(tickLabel(200 * kMs, t), QStringLiteral("200 ms"));
        t = timeTicks(1000 * kMs, 1001 * kMs, 1000, 100);  // 1 ms at 1 s in: steps of 100 µs, in ms
        QCOMPARE(t.stepNs, int64_t{100000});
        QCOMPARE(tickLabel(1000 * kMs + 100000, t), QStringLiteral("1000.1 ms"));
        t = timeTicks(-2 * kMs, 8 * kMs, 100, 20);  // before the origin under clock skew
        QCOMPARE(t.offsetsNs.front(), -2 * kMs);
        QCOMPARE(tickLabel(-2 * kMs, t), QString(QChar(0x2212)) + QStringLiteral("2 ms"));
        QVERIFY(timeTicks(5, 5, 100, 10).offsetsNs.empty());
        // Past a minute the axis reads as a clock, in round seconds, minutes and hours.
        const int64_t hour = 3600 * 1000 * kMs;
        t = timeTicks(0, hour * 27 / 2, 1500, 90);  // 13.5 h: 32 s a pixel, ticks an hour apart
        QCOMPARE(t.stepNs, hour);
        QCOMPARE(tickLabel(2 * hour, t), QStringLiteral("2:00:00"));
        t = timeTicks(24270 * 1000 * kMs, 24318 * 1000 * kMs, 1500, 90);  // 48 s deep in the same trace
        QCOMPARE(t.stepNs, 5 * 1000 * kMs);
        QCOMPARE(tickLabel(24270 * 1000 * kMs, t), QStringLiteral("6:44:30"));
        t = timeTicks(0, 300 * 1000 * kMs, 1000, 90);  // 5 min: steps of 30 s
        QCOMPARE(t.stepNs, 30 * 1000 * kMs);
        QCOMPARE(tickLabel(270 * 1000 * kMs, t), QStringLiteral("4:30"));
        t = timeTicks(61 * 1000 * kMs, 62 * 1000 * kMs, 1000, 100);  // a second at 1 min: 100 ms steps
        QCOMPARE(tickLabel(61 * 1000 * kMs + 200 * kMs, t), QStringLiteral("1:01.2"));
    }

    void timeWindowStaysInsideTheTrace() {
        TimeWindow w;
        w.setBounds(1000 * kMs, 3000 * kMs);
        QVERIFY(w.fit());
        QCOMPARE(w.begin(), 1000 * kMs);
        QCOMPARE(w.width(), 2000 * kMs);
        // Zooming in around a pivot keeps it at the same share of the window: 1500 ms at 1/4 stays at 1/4.
        QVERIFY(w.zoomAround(1500 * kMs, 0.5));
        QCOMPARE(w.width(), 1000 * kMs);
        QCOMPARE(w.begin(), 1250 * kMs);
        QVERIFY(w.panBy(5000 * kMs));  // stops at the end
        QCOMPARE(w.end(), 3000 * kMs);
        QVERIFY(!w.panBy(1));
        QVERIFY(w.centreOn(0.5));
        QCOMPARE(w.begin(), 1500 * kMs);
        // On screen already: nothing to do; too wide for the window: zoom out to it with a twentieth each side.
        QVERIFY(!w.reveal(1600 * kMs, 1700 * kMs));
        QVERIFY(w.reveal(1000 * kMs, 3000 * kMs));
        QCOMPARE(w.width(), 2000 * kMs);
        QVERIFY(w.set(1100 * kMs, 1300 * kMs));
        QVERIFY(w.reveal(2500 * kMs, 2600 * kMs));  // centred on it, same width
        QCOMPARE(w.begin(), 2450 * kMs);
        QCOMPARE(w.width(), 200 * kMs);
        // The scroll bar scale: a tenth of the trace is a tenth of the units, and back.
        QCOMPARE(w.scrollPage(), TimeWindow::kScrollUnits / 10);
        QCOMPARE(w.scrollValue(), 72500);
        QVERIFY(w.scrollTo(0));
        QCOMPARE(w.begin(), 1000 * kMs);
        QCOMPARE(w.width(), 200 * kMs);
        w.set(5, 5);
        QCOMPARE(w.width(), TimeWindow::kMinWidthNs);
        // A trace of zero-length spans gets a microsecond.
        w.setBounds(7, 7);
        QCOMPARE(w.boundsEnd(), int64_t{1007});
    }

    void filterBarProducesRules() {
        WaterfallFilterBar bar;
        QSignalSpy changed(&bar, &WaterfallFilterBar::rulesChanged);
        LayoutOptions rules;
        rules.minDurationNs = 10 * kMs;
        rules.kinds = kAllSpanKinds & ~kindBit(SpanKind::Tool);
        rules.hideName = "retry";
        bar.setRules(rules);
        QCOMPARE(changed.count(), 1);
        const LayoutOptions back = bar.rules();
        QCOMPARE(back.minDurationNs, 10 * kMs);
        QCOMPARE(back.kinds, rules.kinds);
        QCOMPARE(back.hideName, std::string("retry"));
        // A threshold between steps rounds down to the step below.
        rules.minDurationNs = 5 * kMs;
        bar.setRules(rules);
        QCOMPARE(bar.rules().minDurationNs, 1 * kMs);
        bar.setRules(LayoutOptions{});
        QCOMPARE(bar.rules().kinds, kAllSpanKinds);
        QCOMPARE(bar.rules().minDurationNs, int64_t{0});
        bar.resize(900, 40);
        QVERIFY(bar.grab().save(screenshot("waterfall-filterbar")));
    }

    void barLabelIsNameAndDuration() {
        const auto d = fixtures::build(supportChat());
        QCOMPARE(WaterfallPainter::barLabel(*d, fixtures::rowNamed(*d, RequestIndex{0u}, "kb_search")),
                 QStringLiteral("kb_search  250 ms"));
    }
};

QTEST_MAIN(TestWaterfallView)
#include "tst_waterfallview.moc"
