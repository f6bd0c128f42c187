#include <QTest>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "tracediff.h"
#include "tracefixtures.h"

using namespace ps;
using fixtures::kMs;

namespace {

// The same support request under two prompt versions: B drops the retrieval, answers with more tokens, its CRM
// lookup fails slowly, and it makes an extra order_status call.
fixtures::Trace versionA() {
    return {"a",
            {{1, 0, 0, 1000, "chat", SpanKind::Agent},
             {2, 1, 0, 100, "classify", SpanKind::Llm, SpanStatus::Ok, 10, 5, 0.001},
             {3, 1, 100, 300, "retrieve", SpanKind::Retrieval},
             {4, 1, 300, 900, "answer", SpanKind::Llm, SpanStatus::Ok, 100, 50, 0.010},
             {5, 1, 900, 950, "crm_account_lookup", SpanKind::Tool}},
            {}};
}

fixtures::Trace versionB() {
    return {"b",
            {{11, 0, 0, 1500, "chat", SpanKind::Agent},
             {12, 11, 0, 120, "classify", SpanKind::Llm, SpanStatus::Ok, 10, 5, 0.001},
             {14, 11, 120, 1000, "answer", SpanKind::Llm, SpanStatus::Ok, 100, 80, 0.014},
             {15, 11, 1000, 1400, "crm_account_lookup", SpanKind::Tool, SpanStatus::Error},
             {16, 11, 1400, 1450, "order_status", SpanKind::Tool}},
            {}};
}

std::string nameOf(const Dataset& d, const DiffSpan& s) {
    return s.present() ? std::string(d.str(d.spans.name[s.row])) : std::string("-");
}

// "name:side" per row, with the name from whichever side has the span.
std::vector<std::string> shape(const TraceDiff& diff, const Dataset& a, const Dataset& b) {
    std::vector<std::string> out;
    for (const TraceDiffRow& r : diff.rows) {
        const char* side = r.side == DiffSide::Both ? "both" : r.side == DiffSide::OnlyA ? "A" : "B";
        out.push_back(std::string(r.depth, ' ') + (r.a.present() ? nameOf(a, r.a) : nameOf(b, r.b)) + ":" + side);
    }
    return out;
}

using Lines = std::vector<std::string>;

fixtures::Trace randomTrace(std::mt19937& rng, const std::string& id, int n) {
    const char* names[] = {"agent", "llm", "tool", "search"};
    fixtures::Trace t{id, {{1, 0, 0, 10000, "root", SpanKind::Agent}}, {}};
    for (int i = 1; i < n; ++i) {
        const auto p = static_cast<uint64_t>(rng() % static_cast<unsigned>(i)) + 1;
        const int64_t s = static_cast<int64_t>(rng() % 9000);
        t.spans.push_back({static_cast<uint64_t>(i + 1), p, s, s + 1 + static_cast<int64_t>(rng() % 900),
                           names[rng() % 4], SpanKind::Llm, SpanStatus::Ok, 10, 20, 0.5});
    }
    return t;
}

}  // namespace

class TestTraceDiff : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void alignsTwoVersionsOfARequest() {
        const auto d = fixtures::build(std::vector<fixtures::Trace>{versionA(), versionB()});
        const RequestIndex ra = d->findRequest("a");
        const RequestIndex rb = d->findRequest("b");
        const TraceDiff diff = diffTraces(*d, ra, *d, rb);
        QCOMPARE(shape(diff, *d, *d), (Lines{"chat:both", " classify:both", " retrieve:A", " answer:both",
                                             " crm_account_lookup:both", " order_status:B"}));
        QCOMPARE(diff.matched, 4u);
        QCOMPARE(diff.onlyA, 1u);
        QCOMPARE(diff.onlyB, 1u);
        QCOMPARE(diff.durationA, 1000 * kMs);
        QCOMPARE(diff.durationB, 1500 * kMs);
        QCOMPARE(diff.tokensA, int64_t{165});
        QCOMPARE(diff.tokensB, int64_t{195});
        QVERIFY(std::abs(diff.costA - 0.011) < 1e-12);
        QVERIFY(std::abs(diff.costB - 0.015) < 1e-12);

        const TraceDiffRow& root = diff.rows[0];
        QCOMPARE(root.durationDeltaNs(), 500 * kMs);
        const TraceDiffRow& answer = diff.rows[3];
        QVERIFY(answer.a.isGeneration && answer.b.isGeneration);
        QCOMPARE(answer.durationDeltaNs(), 280 * kMs);
        QCOMPARE(answer.tokenDelta(), int64_t{30});
        QVERIFY(std::abs(answer.costDelta() - 0.004) < 1e-12);
        QCOMPARE(answer.b.startOffsetNs, 120 * kMs);
        const TraceDiffRow& lookup = diff.rows[4];
        QVERIFY(lookup.statusChanged());
        QVERIFY(!lookup.a.isGeneration);
        QVERIFY(std::isnan(lookup.costDelta()));
        const TraceDiffRow& retrieve = diff.rows[2];
        QVERIFY(retrieve.a.present() && !retrieve.b.present());
        QCOMPARE(retrieve.durationDeltaNs(), int64_t{0});
        QCOMPARE(retrieve.a.kind, SpanKind::Retrieval);
    }

    void tracesFromTwoDatasetsCompareByName() {
        // Separate string pools: the same name has different ids on each side.
        const auto da = fixtures::build(fixtures::Trace{"x", {{1, 0, 0, 10, "zzz-only-here"}, {2, 1, 0, 5, "llm"}}, {}});
        const auto db = fixtures::build(fixtures::Trace{"y", {{1, 0, 0, 12, "root-b"}, {2, 1, 0, 6, "llm"}}, {}});
        const TraceDiff diff = diffTraces(*da, RequestIndex{0u}, *db, RequestIndex{0u});
        // Roots pair whatever their names.
        QCOMPARE(shape(diff, *da, *db), (Lines{"zzz-only-here:both", " llm:both"}));
        QCOMPARE(diff.rows[1].durationDeltaNs(), 1 * kMs);
    }

    void siblingsWithTheSameNamePairInOrder() {
        const auto d = fixtures::build(std::vector<fixtures::Trace>{
            {"a", {{1, 0, 0, 100, "r"}, {2, 1, 0, 10, "llm"}, {3, 1, 10, 20, "tool"}, {4, 1, 20, 30, "llm"}}, {}},
            {"b",
             {{1, 0, 0, 100, "r"},
              {2, 1, 0, 11, "llm"},
              {3, 1, 11, 22, "llm"},
              {4, 1, 22, 33, "tool"},
              {5, 1, 33, 44, "llm"},
              {6, 5, 33, 40, "retry"}},
             {}}});
        const TraceDiff diff = diffTraces(*d, d->findRequest("a"), *d, d->findRequest("b"));
        // A's first llm with B's first, A's second with B's second; B's third llm (and its subtree) is B's only.
        QCOMPARE(shape(diff, *d, *d), (Lines{"r:both", " llm:both", " tool:both", " llm:both", " llm:B", "  retry:B"}));
        QCOMPARE(diff.rows[1].durationDeltaNs(), 1 * kMs);
        QCOMPARE(diff.rows[3].durationDeltaNs(), 1 * kMs);  // A [20, 30) against B [11, 22)
        QCOMPARE(diff.onlyB, 2u);
    }

    void manySiblingsUseTheNameMap() {
        // More than 16 children takes the hashed path; the pairing must be the same as the scan's.
        fixtures::Trace a{"a", {{1, 0, 0, 1000, "r"}}, {}};
        fixtures::Trace b{"b", {{1, 0, 0, 1000, "r"}}, {}};
        for (uint64_t i = 0; i < 40; ++i) {
            const std::string name = "step" + std::to_string(i % 5);
            a.spans.push_back({i + 2, 1, static_cast<int64_t>(i), static_cast<int64_t>(i) + 1, name});
            if (i % 8 != 3) {  // B skips 5 of them
                b.spans.push_back({i + 2, 1, static_cast<int64_t>(i), static_cast<int64_t>(i) + 2, name});
            }
        }
        const auto d = fixtures::build(std::vector<fixtures::Trace>{a, b});
        const TraceDiff diff = diffTraces(*d, d->findRequest("a"), *d, d->findRequest("b"));
        QCOMPARE(diff.matched, 1u + 35u);
        QCOMPARE(diff.onlyA, 5u);
        QCOMPARE(diff.onlyB, 0u);
        // Name by name, occurrences pair in order: every pair has the same name, and A's rows stay in A's order.
        uint32_t lastA = 0;
        for (const TraceDiffRow& r : diff.rows) {
            QVERIFY(r.a.row > lastA || r.a.row == 0);
            lastA = r.a.row;
            if (r.side == DiffSide::Both) {
                QCOMPARE(d->spans.name[r.a.row], d->spans.name[r.b.row]);
            }
        }
    }

    void aTraceAgainstItselfMatchesEverySpan() {
        std::mt19937 rng(5);
        for (int round = 0; round < 10; ++round) {
            const auto t = randomTrace(rng, "t", 2 + static_cast<int>(rng() % 300));
            const auto d = fixtures::build(t);
            const TraceDiff diff = diffTraces(*d, RequestIndex{0u}, *d, RequestIndex{0u});
            QCOMPARE(diff.rows.size(), t.spans.size());
            QCOMPARE(diff.matched, static_cast<uint32_t>(t.spans.size()));
            QCOMPARE(diff.tokensA, diff.tokensB);
            QCOMPARE(diff.tokensA, static_cast<int64_t>(30 * (t.spans.size() - 1)));
            for (const TraceDiffRow& r : diff.rows) {
                QCOMPARE(r.a.row, r.b.row);
                QCOMPARE(r.durationDeltaNs(), int64_t{0});
                uint32_t depth = 0;
                for (uint32_t p = d->spans.parent[r.a.row]; p != SpanIndex::kInvalid; p = d->spans.parent[p]) {
                    ++depth;
                }
                QCOMPARE(r.depth, depth);
            }
        }
    }

    void aRemovedSubtreeIsOnlyInA() {
        std::mt19937 rng(9);
        auto a = randomTrace(rng, "a", 200);
        a.spans[1].name = "the-removed-step";  // a unique name, so no sibling of the same name can take its place
        // B: the same trace without span 2 and everything under it.
        std::vector<bool> removed(a.spans.size() + 2, false);
        removed[2] = true;
        fixtures::Trace b{"b", {}, {}};
        for (const auto& s : a.spans) {
            if (s.id != 1 && removed[s.parent]) {
                removed[s.id] = true;
            }
        }
        for (const auto& s : a.spans) {
            if (!removed[s.id]) {
                b.spans.push_back(s);
            }
        }
        const auto expectedRemoved = static_cast<uint32_t>(a.spans.size() - b.spans.size());
        QVERIFY(expectedRemoved >= 1);
        const auto d = fixtures::build(std::vector<fixtures::Trace>{a, b});
        const TraceDiff diff = diffTraces(*d, d->findRequest("a"), *d, d->findRequest("b"));
        QCOMPARE(diff.onlyA, expectedRemoved);
        QCOMPARE(diff.onlyB, 0u);
        QCOMPARE(diff.matched, static_cast<uint32_t>(b.spans.size()));
    }

    void invalidRequestGivesNoRows() {
        const auto d = fixtures::build(versionA());
        QVERIFY(diffTraces(*d, RequestIndex{}, *d, RequestIndex{0u}).rows.empty());
        QVERIFY(diffTraces(*d, RequestIndex{0u}, *d, RequestIndex{7u}).rows.empty());
    }
};

QTEST_GUILESS_MAIN(TestTraceDiff)
#include "tst_tracediff.moc"
