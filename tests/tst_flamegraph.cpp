#include <QTest>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "flamegraph.h"
#include "tracefixtures.h"

using namespace ps;
using fixtures::kMs;

namespace {

// run [0, 100): plan [0, 10), step [10, 40) {llm_call [10, 20), tool [20, 35)}, step [40, 90) {llm_call [40, 60),
// llm_call [60, 80)}, answer [90, 100).
fixtures::Trace agentRun() {
    return {"t1",
            {{1, 0, 0, 100, "run", SpanKind::Agent},
             {2, 1, 0, 10, "plan", SpanKind::Llm},
             {3, 1, 10, 40, "step", SpanKind::Chain},
             {4, 3, 10, 20, "llm_call", SpanKind::Llm},
             {5, 3, 20, 35, "tool", SpanKind::Tool, SpanStatus::Error},
             {6, 1, 40, 90, "step", SpanKind::Chain},
             {7, 6, 40, 60, "llm_call", SpanKind::Llm},
             {8, 6, 60, 80, "llm_call", SpanKind::Llm},
             {9, 1, 90, 100, "answer", SpanKind::Llm}},
            {}};
}

FlameGraph graphOf(const Dataset& d, FlameOrder order = FlameOrder::ByName) {
    return buildFlameGraph(d, layoutTrace(d, RequestIndex{0u}, {}), order);
}

std::vector<std::string> childNames(const Dataset& d, const FlameGraph& g, uint32_t node) {
    std::vector<std::string> names;
    const FlameNode& n = g.nodes[node];
    for (uint32_t c = n.firstChild; c < n.firstChild + n.childCount; ++c) {
        names.emplace_back(d.str(g.nodes[c].name));
    }
    return names;
}

uint32_t nodeAt(const Dataset& d, const FlameGraph& g, const std::string& path) {
    for (uint32_t i = 1; i < g.nodes.size(); ++i) {
        if (flamePath(d, g, i) == path) {
            return i;
        }
    }
    return FlameNode::kNoNode;
}

using Names = std::vector<std::string>;

struct Aggregate {
    uint64_t count = 0;
    int64_t totalNs = 0;
    int64_t selfNs = 0;
};

// Path, count, total and self time by brute force: the path by walking parent links, self time by counting the
// milliseconds of the span that no child covers (all times in the random traces are whole milliseconds).
std::map<std::string, Aggregate> referenceAggregates(const Dataset& d) {
    std::map<std::string, Aggregate> out;
    const uint32_t first = d.requests.firstSpan[0];
    const uint32_t end = d.spanEnd(RequestIndex{0u});
    for (uint32_t row = first; row < end; ++row) {
        std::string path(d.str(d.spans.name[row]));
        for (uint32_t p = d.spans.parent[row]; p != SpanIndex::kInvalid; p = d.spans.parent[p]) {
            path = std::string(d.str(d.spans.name[p])) + ";" + path;
        }
        const int64_t s = d.spans.startNs[row] / kMs;
        const int64_t e = s + d.spans.durationNs[row] / kMs;
        int64_t self = 0;
        for (int64_t t = s; t < e; ++t) {
            bool covered = false;
            for (uint32_t c = first; c < end && !covered; ++c) {
                const int64_t cs = d.spans.startNs[c] / kMs;
                covered = d.spans.parent[c] == row && cs <= t && t < cs + d.spans.durationNs[c] / kMs;
            }
            self += covered ? 0 : 1;
        }
        Aggregate& a = out[path];
        a.count += 1;
        a.totalNs += d.spans.durationNs[row];
        a.selfNs += self * kMs;
    }
    return out;
}

}  // namespace

class TestFlameGraph : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aggregatesByNamePath() {
        const auto d = fixtures::build(agentRun());
        const FlameGraph g = graphOf(*d);
        QCOMPARE(g.nodes.size(), size_t{7});  // top, run, plan, step, step;llm_call, step;tool, answer
        QCOMPARE(g.maxDepth, 3u);
        QCOMPARE(g.nodes[0].totalNs, 100 * kMs);
        QCOMPARE(g.nodes[0].childCount, 1u);
        const uint32_t run = nodeAt(*d, g, "run");
        const uint32_t step = nodeAt(*d, g, "run;step");
        const uint32_t llm = nodeAt(*d, g, "run;step;llm_call");
        const uint32_t tool = nodeAt(*d, g, "run;step;tool");
        QCOMPARE(run, 1u);
        QCOMPARE(g.nodes[run].totalNs, 100 * kMs);
        QCOMPARE(g.nodes[run].selfNs, int64_t{0});
        QCOMPARE(g.nodes[step].count, uint64_t{2});
        QCOMPARE(g.nodes[step].totalNs, 80 * kMs);
        QCOMPARE(g.nodes[step].selfNs, 15 * kMs);  // 30 - 25 and 50 - 40
        QCOMPARE(g.nodes[llm].count, uint64_t{3});
        QCOMPARE(g.nodes[llm].totalNs, 50 * kMs);
        QCOMPARE(g.nodes[llm].selfNs, 50 * kMs);
        QCOMPARE(g.nodes[llm].kind, SpanKind::Llm);
        QCOMPARE(g.nodes[llm].depth, 3u);
        QCOMPARE(g.nodes[tool].errorCount, 1u);
        QCOMPARE(g.nodes[llm].parent, step);
        // Every span points at the node of its path.
        for (uint32_t row = 0; row < d->spanCount(); ++row) {
            const uint32_t node = g.nodeOfSpan[row];
            QCOMPARE(g.nodes[node].name, d->spans.name[row]);
        }
    }

    void childrenSortedByNameTimeOrStart() {
        const auto d = fixtures::build(agentRun());
        QCOMPARE(childNames(*d, graphOf(*d, FlameOrder::ByName), 1), (Names{"answer", "plan", "step"}));
        // answer and plan both total 10 ms: the name breaks the tie.
        QCOMPARE(childNames(*d, graphOf(*d, FlameOrder::ByTotalTime), 1), (Names{"step", "answer", "plan"}));
        QCOMPARE(childNames(*d, graphOf(*d, FlameOrder::ByFirstStart), 1), (Names{"plan", "step", "answer"}));
        // Re-sorting renumbers nodes and keeps nodeOfSpan pointing at the same paths.
        FlameGraph g = graphOf(*d, FlameOrder::ByName);
        sortFlameGraph(*d, g, FlameOrder::ByFirstStart);
        QCOMPARE(childNames(*d, g, 1), (Names{"plan", "step", "answer"}));
        const uint32_t toolRow = fixtures::rowNamed(*d, RequestIndex{0u}, "tool");
        QCOMPARE(flamePath(*d, g, g.nodeOfSpan[toolRow]), std::string("run;step;tool"));
        for (uint32_t i = 1; i < g.nodes.size(); ++i) {
            QVERIFY(g.nodes[i].parent < i);  // breadth-first: parents first
        }
    }

    void orphansAreSiblingsOfTheRoot() {
        // Span 3's parent 99 is not in the data: it becomes a second depth-0 span.
        const auto d = fixtures::build(
            fixtures::Trace{"t1", {{1, 0, 0, 50, "root"}, {2, 1, 0, 20, "child"}, {3, 99, 60, 70, "lost"}}, {}});
        const FlameGraph g = graphOf(*d);
        QCOMPARE(g.nodes[0].childCount, 2u);
        QCOMPARE(g.nodes[0].totalNs, 60 * kMs);
        QCOMPARE(childNames(*d, g, 0), (Names{"lost", "root"}));
    }

    void numberedStepsMergeWhenAsked() {
        const auto d = fixtures::build(fixtures::Trace{"t1",
                                                       {{1, 0, 0, 100, "run"},
                                                        {2, 1, 0, 30, "step 1"},
                                                        {3, 2, 0, 20, "llm"},
                                                        {4, 1, 30, 70, "step 2"},
                                                        {5, 4, 30, 60, "llm"},
                                                        {6, 1, 70, 80, "chat gpt-4"},
                                                        {7, 1, 80, 90, "chat gpt-5"},
                                                        {8, 1, 90, 95, "turn_12"}},
                                                       {}});
        const TraceLayout l = layoutTrace(*d, RequestIndex{0u}, {});
        const FlameGraph plain = buildFlameGraph(*d, l, FlameOrder::ByName, false);
        QCOMPARE(childNames(*d, plain, 1), (Names{"chat gpt-4", "chat gpt-5", "step 1", "step 2", "turn_12"}));
        const FlameGraph merged = buildFlameGraph(*d, l, FlameOrder::ByName, true);
        QCOMPARE(merged.nodes.size(), size_t{7});  // top, run, step #, step #;llm, gpt-4, gpt-5, turn_#
        const uint32_t step = nodeAt(*d, merged, "run;step #");
        QVERIFY(step != FlameNode::kNoNode);
        QVERIFY(merged.nodes[step].numbered);
        QCOMPARE(merged.nodes[step].count, uint64_t{2});
        QCOMPARE(merged.nodes[step].totalNs, 70 * kMs);
        QCOMPARE(merged.nodes[nodeAt(*d, merged, "run;step #;llm")].totalNs, 50 * kMs);
        QVERIFY(nodeAt(*d, merged, "run;turn_#") != FlameNode::kNoNode);
        // Sorted by the names as shown.
        for (uint32_t c = merged.nodes[1].firstChild + 1; c < merged.nodes[1].firstChild + merged.nodes[1].childCount; ++c) {
            QVERIFY(flameLabel(*d, merged.nodes[c - 1]) < flameLabel(*d, merged.nodes[c]));
        }
        QCOMPARE(numberedStem("step 12"), std::string("step #"));
        QCOMPARE(numberedStem("gpt-4"), std::string("gpt-4"));
        QCOMPARE(numberedStem("v1.2"), std::string("v1.2"));
        QCOMPARE(numberedStem("42"), std::string("42"));
        QCOMPARE(numberedStem("item#7"), std::string("item##"));
    }

    void emptyLayoutGivesTheTopNodeOnly() {
        const auto d = fixtures::build(agentRun());
        const FlameGraph g = buildFlameGraph(*d, layoutTrace(*d, RequestIndex{}, {}), FlameOrder::ByName);
        QVERIFY(g.empty());
        QCOMPARE(g.nodes.size(), size_t{1});
        QCOMPARE(flameRects(g, 0, 100, 1).size(), size_t{1});
    }

    void rectsSplitTheWidthByTotal() {
        const auto d = fixtures::build(agentRun());
        const FlameGraph g = graphOf(*d);
        const auto rects = flameRects(g, 1, 1000, 1);
        // Pre-order: run, answer, plan, step, step;llm_call, step;tool.
        QCOMPARE(rects.size(), size_t{6});
        auto check = [&](size_t i, const char* path, uint32_t level, double x, double w) {
            QCOMPARE(flamePath(*d, g, rects[i].node), std::string(path));
            QCOMPARE(rects[i].level, level);
            QCOMPARE(rects[i].x, x);
            QCOMPARE(rects[i].width, w);
        };
        check(0, "run", 0, 0, 1000);
        check(1, "run;answer", 1, 0, 100);
        check(2, "run;plan", 1, 100, 100);
        check(3, "run;step", 1, 200, 800);
        check(4, "run;step;llm_call", 2, 200, 500);  // 50 of 80 ms
        check(5, "run;step;tool", 2, 700, 150);
        // Zoomed into step: it fills the width; nodes under 160 px are left out with their subtrees.
        const auto zoomed = flameRects(g, nodeAt(*d, g, "run;step"), 800, 160);
        QCOMPARE(zoomed.size(), size_t{2});
        QCOMPARE(zoomed[1].width, 500.0);
        QVERIFY(flameRects(g, 1, 0, 1).empty());
        QVERIFY(flameRects(g, 999, 100, 1).empty());
    }

    void parallelChildrenShareTheParentWidth() {
        // Two 10 ms children running side by side under a 10 ms parent: 20 ms of child time in 10 ms.
        const auto d = fixtures::build(
            fixtures::Trace{"t1", {{1, 0, 0, 10, "fanout"}, {2, 1, 0, 10, "a"}, {3, 1, 0, 10, "b"}}, {}});
        const FlameGraph g = graphOf(*d);
        const auto rects = flameRects(g, 1, 200, 1);
        QCOMPARE(rects.size(), size_t{3});
        QCOMPARE(rects[1].x, 0.0);
        QCOMPARE(rects[1].width, 100.0);
        QCOMPARE(rects[2].x, 100.0);
        QCOMPARE(rects[2].width, 100.0);
    }

    void matchesABruteForceAggregationOfRandomTraces() {
        std::mt19937 rng(11);
        const char* names[] = {"agent", "llm", "tool", "search"};
        for (int round = 0; round < 20; ++round) {
            // Random nested tree: each span inside a random earlier span, whole milliseconds.
            fixtures::Trace t{"t", {{1, 0, 0, 1000, "root"}}, {}};
            std::vector<std::pair<int64_t, int64_t>> range{{0, 1000}};
            const int n = 2 + static_cast<int>(rng() % 60);
            for (int i = 1; i < n; ++i) {
                const auto p = static_cast<size_t>(rng() % static_cast<unsigned>(i));
                const auto [ps, pe] = range[p];
                const int64_t s = ps + static_cast<int64_t>(rng() % static_cast<unsigned>(pe - ps + 1));
                const int64_t e = s + static_cast<int64_t>(rng() % static_cast<unsigned>(pe - s + 1));
                t.spans.push_back({static_cast<uint64_t>(i + 1), static_cast<uint64_t>(p + 1), s, e, names[rng() % 4]});
                range.emplace_back(s, e);
            }
            const auto d = fixtures::build(t);
            const FlameGraph g = graphOf(*d, FlameOrder::ByTotalTime);
            const auto expected = referenceAggregates(*d);
            QCOMPARE(g.nodes.size(), expected.size() + 1);
            for (uint32_t i = 1; i < g.nodes.size(); ++i) {
                const auto it = expected.find(flamePath(*d, g, i));
                QVERIFY(it != expected.end());
                QCOMPARE(g.nodes[i].count, it->second.count);
                QCOMPARE(g.nodes[i].totalNs, it->second.totalNs);
                QCOMPARE(g.nodes[i].selfNs, it->second.selfNs);
                for (uint32_t c = g.nodes[i].firstChild + 1; c < g.nodes[i].firstChild + g.nodes[i].childCount; ++c) {
                    QVERIFY(g.nodes[c - 1].totalNs >= g.nodes[c].totalNs);
                }
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestFlameGraph)
#include "tst_flamegraph.moc"
