// The flame graph widget offscreen: boxes where flameRects puts them, click to zoom in, Esc to zoom out, the
// order switch keeping the zoomed path, hover tooltips; grabs saved under <build>/screenshots/.
#include <QDir>
#include <QHelpEvent>
#include <QSignalSpy>
#include <QTest>
#include <QToolTip>

#include "flamegraphview.h"
#include "tracefixtures.h"

using namespace ps;
using namespace ps::trace;
using fixtures::kMs;

namespace {

QString screenshot(const char* name) {
    QDir().mkpath(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots"));
    return QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots/trace-") + QLatin1String(name) +
           QStringLiteral(".png");
}

// An agent run repeating its step three times: run [0, 1000) with plan, 3 x step {llm_call, web_search}, answer.
fixtures::Trace agentRun() {
    fixtures::Trace t{"agent", {{1, 0, 0, 1000, "agent_run", SpanKind::Agent}, {2, 1, 0, 50, "plan", SpanKind::Llm}}, {}};
    for (uint64_t k = 0; k < 3; ++k) {
        const auto at = 50 + static_cast<int64_t>(k) * 300;
        const uint64_t id = 10 + k * 3;
        t.spans.push_back({id, 1, at, at + 300, "step", SpanKind::Chain});
        t.spans.push_back({id + 1, id, at, at + 200, "llm_call", SpanKind::Llm});
        t.spans.push_back({id + 2, id, at + 200, at + 290, "web_search", SpanKind::Tool,
                           k == 2 ? SpanStatus::Error : SpanStatus::Ok});
    }
    t.spans.push_back({3, 1, 950, 1000, "answer", SpanKind::Llm});
    return t;
}

uint32_t nodeNamed(const Dataset& d, const FlameGraph& g, const char* path) {
    for (uint32_t i = 1; i < g.nodes.size(); ++i) {
        if (flamePath(d, g, i) == path) {
            return i;
        }
    }
    return FlameNode::kNoNode;
}

}  // namespace

class TestFlameGraphView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void clickZoomsInAndEscZoomsOut() {
        const auto d = fixtures::build(agentRun());
        FlameGraphView view;
        view.resize(900, 260);
        view.show();
        QSignalSpy focus(&view, &FlameGraphView::focusChanged);
        view.setTrace(d, RequestIndex{0u});
        QVERIFY(view.graph());
        QCOMPARE(view.focusNode(), 1u);  // one root: the view starts at it, not at "all spans"
        QVERIFY(view.grab().save(screenshot("flamegraph")));
        const auto& g = *view.graph();
        const uint32_t step = nodeNamed(*d, g, "agent_run;step");
        const QRectF box = view.nodeRect(step);
        QVERIFY(!box.isEmpty());
        // 900 of the root's 1000 ms, across the viewport minus the margins.
        QVERIFY(std::abs(box.width() - 0.9 * (view.viewport()->width() - 16)) < 1.0);
        QCOMPARE(view.nodeAt(box.center().toPoint()), step);
        QVERIFY(view.nodeToolTip(step).contains(QStringLiteral("3 spans")));
        // Hovering shows that text as the viewport's tooltip.
        QHelpEvent help(QEvent::ToolTip, box.center().toPoint(), view.viewport()->mapToGlobal(box.center().toPoint()));
        QCoreApplication::sendEvent(view.viewport(), &help);
        QTRY_COMPARE(QToolTip::text(), view.nodeToolTip(step));
        QToolTip::hideText();
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, box.center().toPoint());
        QCOMPARE(view.focusNode(), step);
        // Zoomed: the step fills the width and its children split it 200 : 90.
        const uint32_t llm = nodeNamed(*d, g, "agent_run;step;llm_call");
        QVERIFY(std::abs(view.nodeRect(step).width() - (view.viewport()->width() - 16)) < 1.0);
        QVERIFY(std::abs(view.nodeRect(llm).width() - (view.viewport()->width() - 16) * 600.0 / 900.0) < 1.0);
        QVERIFY(view.nodeRect(nodeNamed(*d, g, "agent_run;plan")).isEmpty());
        QVERIFY(view.grab().save(screenshot("flamegraph-zoomed")));
        QTest::keyClick(&view, Qt::Key_Escape);
        QCOMPARE(view.focusNode(), 1u);
        QTest::keyClick(&view, Qt::Key_Escape);  // never above the root
        QCOMPARE(view.focusNode(), 1u);
        QCOMPARE(focus.count(), 3);
    }

    void orderChangeKeepsTheZoomedPath() {
        const auto d = fixtures::build(agentRun());
        FlameGraphView view;
        view.resize(900, 260);
        view.show();
        view.setTrace(d, RequestIndex{0u});
        view.zoomToNode(nodeNamed(*d, *view.graph(), "agent_run;step"));
        view.setOrder(FlameOrder::ByName);
        QCOMPARE(view.order(), FlameOrder::ByName);
        QCOMPARE(flamePath(*d, *view.graph(), view.focusNode()), std::string("agent_run;step"));
        // By name under the root: answer, plan, step from left to right.
        view.zoomToNode(1);
        const auto& g = *view.graph();
        QVERIFY(view.nodeRect(nodeNamed(*d, g, "agent_run;answer")).left() <
                view.nodeRect(nodeNamed(*d, g, "agent_run;plan")).left());
        QVERIFY(view.nodeRect(nodeNamed(*d, g, "agent_run;plan")).left() <
                view.nodeRect(nodeNamed(*d, g, "agent_run;step")).left());
    }

    void emptyAndLargeTraces() {
        FlameGraphView view;
        view.resize(600, 200);
        view.show();
        view.setTrace(nullptr, RequestIndex{0u});
        QVERIFY(!view.graph());
        QVERIFY(!view.grab().isNull());
        fixtures::Trace t{"big", {{1, 0, 0, 100000, "run", SpanKind::Agent}}, {}};
        for (uint64_t i = 2; i <= 60000; ++i) {
            t.spans.push_back({i, 1, static_cast<int64_t>(i), static_cast<int64_t>(i) + 1, i % 2 ? "a" : "b"});
        }
        const auto d = fixtures::build(t);
        QSignalSpy changed(&view, &FlameGraphView::graphChanged);
        view.setTrace(d, RequestIndex{0u});
        QVERIFY(view.isPending());
        // An order picked while the graph is aggregated on the pool is the order it arrives in.
        view.setOrder(FlameOrder::ByName);
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 20000);
        QCOMPARE(view.graph()->nodes.size(), size_t{4});
        QCOMPARE(view.graph()->nodes[1].count, uint64_t{1});
        // "b" has one span more than "a" (largest first would put it first), but by name "a" comes first.
        QCOMPARE(d->str(view.graph()->nodes[2].name), std::string_view("a"));
        QCOMPARE(d->str(view.graph()->nodes[3].name), std::string_view("b"));
        QVERIFY(view.graph()->nodes[3].totalNs > view.graph()->nodes[2].totalNs);
    }
};

QTEST_MAIN(TestFlameGraphView)
#include "tst_flamegraphview.moc"
