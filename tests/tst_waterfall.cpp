#include <QElapsedTimer>
#include <QTest>

#include <string>
#include <vector>

#include "datasetbuilder.h"
#include "waterfall.h"

using namespace ps;

namespace {

constexpr int64_t kMs = 1000000;

struct SpanSpec {
    uint64_t id;
    uint64_t parent;
    int64_t startMs;
    int64_t endMs;
    SpanKind kind = SpanKind::Other;
};

DatasetPtr buildTrace(const std::vector<SpanSpec>& specs) {
    DatasetBuilder builder;
    RecordBatch b;
    const StringId trace = b.strings.intern("t1");
    for (const SpanSpec& s : specs) {
        RawSpan r;
        r.traceId = trace;
        r.spanId = s.id;
        r.parentSpanId = s.parent;
        r.startNs = s.startMs * kMs;
        r.endNs = s.endMs * kMs;
        r.kind = s.kind;
        r.name = b.strings.intern("span-" + std::to_string(s.id));
        b.spans.push_back(r);
    }
    builder.addBatch(std::move(b));
    return builder.build();
}

// Root 1 [0, 100) with children 2 [10, 40) and 3 [50, 90); 2 has child 4 [15, 30). Rows: 1, 2, 4, 3.
DatasetPtr smallTrace(SpanKind kindOf2 = SpanKind::Other) {
    return buildTrace({{3, 1, 50, 90}, {2, 1, 10, 40, kindOf2}, {4, 2, 15, 30}, {1, 0, 0, 100, SpanKind::Agent}});
}

std::string nameOf(const Dataset& d, uint32_t row) { return std::string(d.str(d.spans.name[row])); }

TraceLayout layout(const Dataset& d, const LayoutOptions& options = {}) {
    return layoutTrace(d, RequestIndex{0u}, options);
}

using Rows = std::vector<uint32_t>;

}  // namespace

class TestWaterfall : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void depthSubtreeAndDisplayOrder() {
        const auto d = smallTrace();
        QCOMPARE(nameOf(*d, 2), std::string("span-4"));
        const TraceLayout l = layout(*d);
        QCOMPARE(l.spanCount(), size_t{4});
        QCOMPARE(l.depth, (Rows{0, 1, 2, 1}));
        QCOMPARE(l.subtreeEnd, (Rows{4, 3, 3, 4}));
        QCOMPARE(l.visibleRows, (Rows{0, 1, 2, 3}));
        QCOMPARE(l.visibleDepth, (Rows{0, 1, 2, 1}));
        QCOMPARE(l.maxDepth, 2u);
        QCOMPARE(l.beginNs, int64_t{0});
        QCOMPARE(l.endNs, 100 * kMs);
        QCOMPARE(l.displayIndexOf(2), size_t{2});
        QVERIFY(l.isVisible(3));
    }

    void invalidRequestGivesAnEmptyLayout() {
        const auto d = smallTrace();
        const TraceLayout l = layoutTrace(*d, RequestIndex{}, {});
        QCOMPARE(l.spanCount(), size_t{0});
        QVERIFY(l.visibleRows.empty());
        QVERIFY(barsForPixels(l, *d, 0, 100, 100, 0, 10).empty());
        QCOMPARE(minimap(l, *d, 4), (std::vector<uint32_t>{0, 0, 0, 0}));
    }

    void collapsedSpanHidesItsDescendantsOnly() {
        const auto d = smallTrace();
        LayoutOptions o;
        o.collapsed = {1};
        TraceLayout l = layout(*d, o);
        QCOMPARE(l.visibleRows, (Rows{0, 1, 3}));
        QCOMPARE(l.visibleDepth, (Rows{0, 1, 1}));
        QVERIFY(l.flags[1] & kSpanCollapsed);
        QVERIFY(!l.isVisible(2));
        QCOMPARE(l.displayIndexOf(2), SIZE_MAX);
        QCOMPARE(l.displayIndexOf(3), size_t{2});
        // A leaf has nothing to collapse; the root collapses the whole trace to one row.
        o.collapsed = {2};
        l = layout(*d, o);
        QCOMPARE(l.visibleRows, (Rows{0, 1, 2, 3}));
        QVERIFY(!(l.flags[2] & kSpanCollapsed));
        o.collapsed = {0};
        QCOMPARE(layout(*d, o).visibleRows, (Rows{0}));
    }

    void shortSpansAreHiddenWithTheirSubtree() {
        const auto d = smallTrace();
        LayoutOptions o;
        o.minDurationNs = 35 * kMs;  // span 2 lasts 30 ms, span 3 40 ms
        TraceLayout l = layout(*d, o);
        QCOMPARE(l.visibleRows, (Rows{0, 3}));
        QVERIFY(l.flags[1] & kSpanHiddenByRule);
        QVERIFY(!(l.flags[2] & kSpanHiddenByRule));  // hidden as a descendant, not by the rule
        QVERIFY(!l.isVisible(2));
        // Inclusive: a span exactly at the threshold stays.
        o.minDurationNs = 40 * kMs;
        QCOMPARE(layout(*d, o).visibleRows, (Rows{0, 3}));
        // The root is never hidden by a rule.
        o.minDurationNs = 1000 * kMs;
        QCOMPARE(layout(*d, o).visibleRows, (Rows{0}));
    }

    void kindsOutsideTheSetAreHidden() {
        const auto d = smallTrace(SpanKind::Tool);
        LayoutOptions o;
        o.kinds = kAllSpanKinds & ~kindBit(SpanKind::Tool);
        QCOMPARE(layout(*d, o).visibleRows, (Rows{0, 3}));
        // The root is an Agent span: leaving Agent out does not hide it.
        o.kinds = kindBit(SpanKind::Other);
        QCOMPARE(layout(*d, o).visibleRows, (Rows{0, 3}));
        o.kinds = kindBit(SpanKind::Tool);
        QCOMPARE(layout(*d, o).visibleRows, (Rows{0, 1}));  // span 4 is Other
    }

    void namesContainingTheTextAreHidden() {
        const auto d = smallTrace();
        LayoutOptions o;
        o.hideName = "SPAN-3";  // case-insensitive
        QCOMPARE(layout(*d, o).visibleRows, (Rows{0, 1, 2}));
        o.hideName = "an-4";
        QCOMPARE(layout(*d, o).visibleRows, (Rows{0, 1, 3}));
        o.hideName = "span-";  // every span but the root
        QCOMPARE(layout(*d, o).visibleRows, (Rows{0}));
        o.hideName = "nothing like it";
        QCOMPARE(layout(*d, o).visibleRows.size(), size_t{4});
    }

    void selfTimeSubtractsTheUnionOfClippedChildren() {
        // Root [0, 100): children [10, 40) and [30, 60) overlap, [90, 120) sticks out and counts only to 100.
        // Under [10, 40): one child [20, 50) covering its end and one [0, 15) starting before it.
        const auto d = buildTrace({{1, 0, 0, 100},
                                   {2, 1, 10, 40},
                                   {3, 1, 30, 60},
                                   {4, 1, 90, 120},
                                   {5, 2, 20, 50},
                                   {6, 2, 5, 15}});
        const TraceLayout l = layout(*d);
        // Rows: 1, 2, 6, 5, 3, 4 (children by start).
        QCOMPARE(nameOf(*d, 2), std::string("span-6"));
        QCOMPARE(l.selfNs[0], 40 * kMs);  // 100 - (50 + 10)
        QCOMPARE(l.selfNs[1], 5 * kMs);   // 30 - (5 + 20)
        QCOMPARE(l.selfNs[2], 10 * kMs);
        QCOMPARE(l.selfNs[4], 30 * kMs);
        QCOMPARE(l.selfNs[5], 30 * kMs);
    }

    void selfTimeIsNeverNegative() {
        // A child covering its parent and more, and two children covering the same interval.
        const auto d = buildTrace({{1, 0, 0, 100}, {2, 1, 0, 50}, {3, 1, 1, 50}, {4, 2, 0, 60}, {5, 1, 50, 100}});
        const TraceLayout l = layout(*d);
        QCOMPARE(l.selfNs[0], int64_t{0});
        QCOMPARE(l.selfNs[1], int64_t{0});
        for (int64_t self : l.selfNs) {
            QVERIFY(self >= 0);
        }
    }

    void criticalPathWalksBackFromTheEnd() {
        // Parallel children: 2 ends at 80, 3 and 4 both end at 90 and 3 is longer. Under 3, 6 ends last.
        const auto d = buildTrace({{1, 0, 0, 100},
                                   {2, 1, 0, 80},
                                   {3, 1, 10, 90},
                                   {4, 1, 20, 90},
                                   {5, 3, 10, 50},
                                   {6, 3, 12, 85},
                                   {7, 4, 20, 90}});
        const TraceLayout l = layout(*d);
        // Rows: 1, 2, 3, 5, 6, 4, 7. Under the root, from 100 back: 3 (ends 90, longer than 4), the cursor moves
        // to 10; 4 starts at 20, after it, so it ran alongside 3; 2 started at 0 and held the start up. Under 3,
        // from 90: 6, the cursor to 12; 5 started at 10. 4 and its child 7 are off the path.
        QCOMPARE(nameOf(*d, 4), std::string("span-6"));
        QCOMPARE(l.criticalPath, (Rows{0, 1, 2, 3, 4}));
        QVERIFY(l.flags[2] & kSpanCriticalPath);
        QVERIFY(!(l.flags[5] & kSpanCriticalPath));
        QVERIFY(!(l.flags[6] & kSpanCriticalPath));
        // Slowest besides the root: 2 and 3 both last 80 ms; the first row wins.
        QCOMPARE(l.slowestRow, 1u);
        QVERIFY(l.flags[1] & kSpanSlowest);
    }

    void criticalPathOfParallelCallsTakesTheLastToFinish() {
        // Root [0, 100): plan [0, 10), three parallel tool calls [10, 70), [11, 50), [12, 60), answer [70, 100)
        // with a child [75, 95). The answer waited for the slowest call only; the others ran alongside it.
        const auto d = buildTrace({{1, 0, 0, 100},
                                   {2, 1, 0, 10},
                                   {3, 1, 10, 70},
                                   {4, 1, 11, 50},
                                   {5, 1, 12, 60},
                                   {6, 1, 70, 100},
                                   {7, 6, 75, 95}});
        const TraceLayout l = layout(*d);
        QCOMPARE(nameOf(*d, 3), std::string("span-4"));
        QCOMPARE(l.criticalPath, (Rows{0, 1, 2, 5, 6}));
    }

    void failedEvalsMarkTheirSpanOrTheRoot() {
        // Trace t1: a failed eval on span 2, a passed one on span 3. Trace t2: a failed eval about the whole
        // request, which marks its root. Evals of one trace never mark another's spans.
        DatasetBuilder builder;
        RecordBatch b;
        const StringId t1 = b.strings.intern("t1");
        const StringId t2 = b.strings.intern("t2");
        auto span = [&](StringId trace, uint64_t id, uint64_t parent, int64_t startMs) {
            RawSpan r;
            r.traceId = trace;
            r.spanId = id;
            r.parentSpanId = parent;
            r.startNs = startMs * kMs;
            r.endNs = (startMs + 10) * kMs;
            b.spans.push_back(r);
        };
        auto eval = [&](StringId trace, uint64_t spanId, EvalOutcome outcome) {
            RawEval e;
            e.traceId = trace;
            e.spanId = spanId;
            e.outcome = outcome;
            b.evals.push_back(e);
        };
        span(t1, 1, 0, 0);
        span(t1, 2, 1, 1);
        span(t1, 3, 1, 2);
        span(t2, 1, 0, 100);
        span(t2, 2, 1, 101);
        eval(t2, 0, EvalOutcome::Fail);
        eval(t1, 2, EvalOutcome::Fail);
        eval(t1, 3, EvalOutcome::Pass);
        builder.addBatch(std::move(b));
        const auto d = builder.build();
        const TraceLayout l1 = layout(*d);
        QCOMPARE(l1.flags[0] & kSpanFailedEval, 0);
        QVERIFY(l1.flags[1] & kSpanFailedEval);
        QCOMPARE(l1.flags[2] & kSpanFailedEval, 0);
        const TraceLayout l2 = layoutTrace(*d, RequestIndex{1u}, {});
        QVERIFY(l2.flags[0] & kSpanFailedEval);
        QCOMPARE(l2.flags[1] & kSpanFailedEval, 0);
    }

    void oneSpanTraceHasNoSlowestAndAOneStepPath() {
        const auto d = buildTrace({{1, 0, 0, 10}});
        const TraceLayout l = layout(*d);
        QCOMPARE(l.slowestRow, SpanIndex::kInvalid);
        QCOMPARE(l.criticalPath, (Rows{0}));
        QCOMPARE(l.selfNs[0], 10 * kMs);
    }

    void clockSkewWidensTheTraceRange() {
        // Root [10, 50); one child starts before it, another ends after it.
        const auto d = buildTrace({{1, 0, 10, 50}, {2, 1, 0, 20}, {3, 1, 40, 70}});
        const TraceLayout l = layout(*d);
        QCOMPARE(l.beginNs, int64_t{0});
        QCOMPARE(l.endNs, 70 * kMs);
        QCOMPARE(l.depth, (Rows{0, 1, 1}));
        QCOMPARE(l.selfNs[0], 20 * kMs);
        // From the root's end (50): 3 [40, 70) clipped, then 2 [0, 20), which started before 40.
        QCOMPARE(l.criticalPath, (Rows{0, 1, 2}));
        // Minimap over [0, 70) in 7 columns: starts at 10, 0 and 40 ms.
        QCOMPARE(minimap(l, *d, 7), (std::vector<uint32_t>{1, 1, 0, 0, 1, 0, 0}));
        const auto bars = barsForPixels(l, *d, l.beginNs, l.endNs, 7, 0, 10);
        QCOMPARE(bars.size(), size_t{3});
        QCOMPARE(bars[0].x, 1);
        QCOMPARE(bars[0].width, 4);
        QCOMPARE(bars[1].x, 0);
        QCOMPARE(bars[1].width, 2);
        QCOMPARE(bars[2].x, 4);
        QCOMPARE(bars[2].width, 3);
    }

    void barsArePixelsOfTheWindowRows() {
        // Root [0, 1000); a 1 ms child at 500 and a child [900, 1000) under it.
        const auto d = buildTrace({{1, 0, 0, 1000}, {2, 1, 500, 501}, {3, 1, 900, 1000}, {4, 3, 950, 960}});
        const TraceLayout l = layout(*d);
        // 100 px over the whole trace: 10 ms a pixel, so the 1 ms span is widened to one pixel.
        auto bars = barsForPixels(l, *d, 0, 1000 * kMs, 100, 0, 100);
        QCOMPARE(bars.size(), size_t{4});
        QCOMPARE(bars[0].x, 0);
        QCOMPARE(bars[0].width, 100);
        QCOMPARE(bars[1].x, 50);
        QCOMPARE(bars[1].width, 1);
        QCOMPARE(bars[2].x, 90);
        QCOMPARE(bars[2].width, 10);
        QCOMPARE(bars[3].depth, 2u);
        QVERIFY(!bars[0].clippedLeft && !bars[0].clippedRight);
        // Rows 1..2 of the display only.
        bars = barsForPixels(l, *d, 0, 1000 * kMs, 100, 1, 2);
        QCOMPARE(bars.size(), size_t{2});
        QCOMPARE(bars[0].displayIndex, 1u);
        QCOMPARE(bars[1].row, 2u);
        // Zoomed on [400, 600): the root is clipped both sides, the spans after 600 get no bar.
        bars = barsForPixels(l, *d, 400 * kMs, 600 * kMs, 200, 0, 100);
        QCOMPARE(bars.size(), size_t{2});
        QVERIFY(bars[0].clippedLeft && bars[0].clippedRight);
        QCOMPARE(bars[0].width, 200);
        QCOMPARE(bars[1].x, 100);
        QCOMPARE(bars[1].width, 1);
        // A bar at the right edge stays inside the view.
        bars = barsForPixels(l, *d, 0, 501 * kMs, 10, 1, 1);
        QCOMPARE(bars.size(), size_t{1});
        QVERIFY(bars[0].x + bars[0].width <= 10);
        QVERIFY(barsForPixels(l, *d, 0, 1000 * kMs, 0, 0, 10).empty());
        QVERIFY(barsForPixels(l, *d, 5, 5, 100, 0, 10).empty());
        QVERIFY(barsForPixels(l, *d, 0, 1000 * kMs, 100, 4, 10).empty());
    }

    void longChainNeedsNoRecursion() {
        constexpr uint64_t n = 100000;
        std::vector<SpanSpec> specs;
        specs.reserve(n);
        for (uint64_t i = 0; i < n; ++i) {
            const auto at = static_cast<int64_t>(i);
            specs.push_back({i + 1, i, at, 2 * static_cast<int64_t>(n) - at});
        }
        const auto d = buildTrace(specs);
        QElapsedTimer timer;
        timer.start();
        const TraceLayout l = layout(*d);
        const double ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        qInfo("layout of a %llu-span chain: %.2f ms", static_cast<unsigned long long>(n), ms);
        QVERIFY(ms < 1000);
        QCOMPARE(l.visibleRows.size(), size_t{n});
        QCOMPARE(l.maxDepth, static_cast<uint32_t>(n - 1));
        QCOMPARE(l.subtreeEnd[0], static_cast<uint32_t>(n));
        QCOMPARE(l.criticalPath.size(), size_t{n});
        QCOMPARE(l.selfNs[0], 2 * kMs);  // the child leaves 1 ms uncovered at each end
        QCOMPARE(l.selfNs[n - 1], 2 * kMs);
        LayoutOptions o;
        o.collapsed = {static_cast<uint32_t>(n / 2)};
        QCOMPARE(layout(*d, o).visibleRows.size(), size_t{n / 2 + 1});
    }

    void flatTraceOfManyChildren() {
        constexpr uint64_t n = 100000;
        std::vector<SpanSpec> specs;
        specs.reserve(n);
        specs.push_back({1, 0, 0, static_cast<int64_t>(n)});
        for (uint64_t i = 1; i < n; ++i) {
            const auto at = static_cast<int64_t>(i);
            specs.push_back({i + 1, 1, at - 1, at});  // back to back, each 1 ms
        }
        const auto d = buildTrace(specs);
        QElapsedTimer timer;
        timer.start();
        const TraceLayout l = layout(*d);
        const double ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        qInfo("layout of a %llu-span flat trace: %.2f ms", static_cast<unsigned long long>(n), ms);
        QVERIFY(ms < 1000);
        QCOMPARE(l.visibleRows.size(), size_t{n});
        QCOMPARE(l.maxDepth, 1u);
        QCOMPARE(l.selfNs[0], 1 * kMs);  // [n - 1, n) is not covered
        QCOMPARE(l.criticalPath.size(), size_t{n});  // back to back: every step held the next one up
        const auto columns = minimap(l, *d, 1000);
        uint64_t total = 0;
        for (uint32_t c : columns) {
            total += c;
        }
        QCOMPARE(total, uint64_t{n});
        const auto bars = barsForPixels(l, *d, l.beginNs, l.endNs, 1600, 5000, 60);
        QCOMPARE(bars.size(), size_t{60});
        QCOMPARE(bars.front().width, 1);
    }
};

QTEST_GUILESS_MAIN(TestWaterfall)
#include "tst_waterfall.moc"
