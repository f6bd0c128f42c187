#include <QTest>

#include <cmath>

#include "datasetbuilder.h"

using namespace ps;

namespace {

constexpr int64_t kMs = 1000000;

struct SpanSpec {
    const char* trace;
    uint64_t id;
    uint64_t parent;
    int64_t startMs;
    int64_t endMs;
    SpanKind kind = SpanKind::Other;
};

RawSpan makeSpan(RecordBatch& b, const SpanSpec& s) {
    RawSpan r;
    r.traceId = b.strings.intern(s.trace);
    r.spanId = s.id;
    r.parentSpanId = s.parent;
    r.startNs = s.startMs * kMs;
    r.endNs = s.endMs * kMs;
    r.kind = s.kind;
    r.name = b.strings.intern("span-" + std::to_string(s.id));
    return r;
}

std::string spanName(const Dataset& ds, uint32_t row) {
    return std::string(ds.str(ds.spans.name[row]));
}

}  // namespace

class TestDatasetBuilder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ordersTraceDepthFirstWithChildrenByStart() {
        DatasetBuilder builder;
        RecordBatch b;
        // Arrive out of order: children before the root, the later child first.
        b.spans.push_back(makeSpan(b, {"t1", 3, 1, 50, 90}));
        b.spans.push_back(makeSpan(b, {"t1", 2, 1, 10, 40}));
        b.spans.push_back(makeSpan(b, {"t1", 4, 2, 15, 30}));
        b.spans.push_back(makeSpan(b, {"t1", 1, 0, 0, 100}));
        builder.addBatch(std::move(b));
        auto ds = builder.build();
        QCOMPARE(ds->requestCount(), size_t{1});
        QCOMPARE(ds->spanCount(), size_t{4});
        QCOMPARE(spanName(*ds, 0), std::string("span-1"));
        QCOMPARE(spanName(*ds, 1), std::string("span-2"));
        QCOMPARE(spanName(*ds, 2), std::string("span-4"));
        QCOMPARE(spanName(*ds, 3), std::string("span-3"));
        QCOMPARE(ds->spans.parent[0], SpanIndex::kInvalid);
        QCOMPARE(ds->spans.parent[1], 0u);
        QCOMPARE(ds->spans.parent[2], 1u);
        QCOMPARE(ds->spans.parent[3], 0u);
        QCOMPARE(ds->requests.durationNs[0], 100 * kMs);
    }

    void spansOfOneTraceMergeAcrossBatches() {
        DatasetBuilder builder;
        RecordBatch a;
        a.spans.push_back(makeSpan(a, {"t1", 2, 1, 10, 20}));
        RecordBatch b;
        b.spans.push_back(makeSpan(b, {"t1", 1, 0, 0, 30}));
        b.spans.push_back(makeSpan(b, {"t2", 9, 0, 5, 6}));
        builder.addBatch(std::move(a));
        builder.addBatch(std::move(b));
        auto ds = builder.build();
        QCOMPARE(ds->requestCount(), size_t{2});
        // Requests are ordered by start: t1 (0 ms) then t2 (5 ms).
        QCOMPARE(ds->str(ds->requests.traceId[0]), std::string_view("t1"));
        QCOMPARE(ds->spanEnd(RequestIndex{0u}) - ds->requests.firstSpan[0], 2u);
        QCOMPARE(ds->findRequest("t2").value, 1u);
        QVERIFY(!ds->findRequest("missing").isValid());
    }

    void missingParentMakesARootAndIsCounted() {
        DatasetBuilder builder;
        RecordBatch b;
        b.spans.push_back(makeSpan(b, {"t1", 5, 77, 0, 10}));
        builder.addBatch(std::move(b));
        auto ds = builder.build();
        QCOMPARE(ds->spans.parent[0], SpanIndex::kInvalid);
        QCOMPARE(ds->stats.orphanSpans, uint64_t{1});
    }

    void parentCycleIsCutAndEverySpanKept() {
        DatasetBuilder builder;
        RecordBatch b;
        b.spans.push_back(makeSpan(b, {"t1", 1, 3, 0, 10}));
        b.spans.push_back(makeSpan(b, {"t1", 2, 1, 1, 9}));
        b.spans.push_back(makeSpan(b, {"t1", 3, 2, 2, 8}));
        b.spans.push_back(makeSpan(b, {"t1", 4, 4, 3, 4}));  // its own parent
        builder.addBatch(std::move(b));
        auto ds = builder.build();
        QCOMPARE(ds->spanCount(), size_t{4});
        QCOMPARE(ds->stats.cycleBreaks, uint64_t{1});
        QCOMPARE(spanName(*ds, 0), std::string("span-1"));
        QCOMPARE(ds->spans.parent[1], 0u);
        QCOMPARE(ds->spans.parent[2], 1u);
        QCOMPARE(ds->spans.parent[3], SpanIndex::kInvalid);
    }

    void duplicateSpanIdsAreKeptAndCounted() {
        DatasetBuilder builder;
        RecordBatch b;
        b.spans.push_back(makeSpan(b, {"t1", 2, 0, 0, 10}));
        b.spans.push_back(makeSpan(b, {"t1", 2, 0, 0, 10}));
        b.spans.push_back(makeSpan(b, {"t1", 3, 2, 1, 2}));
        builder.addBatch(std::move(b));
        auto ds = builder.build();
        QCOMPARE(ds->spanCount(), size_t{3});
        QCOMPARE(ds->stats.duplicateSpanIds, uint64_t{1});
    }

    void deepChainDoesNotOverflowTheStack() {
        DatasetBuilder builder;
        RecordBatch b;
        const uint64_t depth = 200000;
        for (uint64_t i = 1; i <= depth; ++i) {
            b.spans.push_back(makeSpan(b, {"deep", i, i - 1, static_cast<int64_t>(i), 1000000}));
        }
        builder.addBatch(std::move(b));
        auto ds = builder.build();
        QCOMPARE(ds->spanCount(), size_t{depth});
        QCOMPARE(ds->spans.parent[depth - 1], static_cast<uint32_t>(depth - 2));
    }

    void contextIsInheritedFromTheNearestAncestor() {
        DatasetBuilder builder;
        RecordBatch b;
        RawSpan root = makeSpan(b, {"t1", 1, 0, 0, 100});
        root.feature = b.strings.intern("support_chatbot");
        root.promptName = b.strings.intern("support_answer");
        root.promptVersion = b.strings.intern("42");
        root.user = b.strings.intern("u1");
        RawSpan classify = makeSpan(b, {"t1", 2, 1, 1, 10, SpanKind::Llm});
        classify.promptName = b.strings.intern("intent_classifier");
        classify.promptVersion = b.strings.intern("7");
        RawSpan chain = makeSpan(b, {"t1", 3, 1, 20, 90});
        RawSpan answer = makeSpan(b, {"t1", 4, 3, 30, 80, SpanKind::Llm});
        for (const auto& s : {root, classify, chain, answer}) {
            b.spans.push_back(s);
        }
        builder.addBatch(std::move(b));
        auto ds = builder.build();
        QCOMPARE(ds->generationCount(), size_t{2});
        QCOMPARE(ds->str(ds->generations.promptName[0]), std::string_view("intent_classifier"));
        QCOMPARE(ds->str(ds->generations.promptVersion[0]), std::string_view("7"));
        QCOMPARE(ds->str(ds->generations.promptName[1]), std::string_view("support_answer"));
        QCOMPARE(ds->str(ds->generations.promptVersion[1]), std::string_view("42"));
        QCOMPARE(ds->str(ds->requests.promptVersion[0]), std::string_view("42"));
        QCOMPARE(ds->str(ds->requests.user[0]), std::string_view("u1"));
    }

    void requestDimensionComesFromFirstDescendantWhenRootLacksIt() {
        DatasetBuilder builder;
        RecordBatch b;
        RawSpan root = makeSpan(b, {"t1", 1, 0, 0, 100});
        RawSpan late = makeSpan(b, {"t1", 2, 1, 50, 60, SpanKind::Llm});
        late.model = b.strings.intern("late-model");
        RawSpan early = makeSpan(b, {"t1", 3, 1, 10, 20, SpanKind::Llm});
        early.model = b.strings.intern("early-model");
        for (const auto& s : {root, late, early}) {
            b.spans.push_back(s);
        }
        builder.addBatch(std::move(b));
        auto ds = builder.build();
        QCOMPARE(ds->str(ds->requests.model[0]), std::string_view("early-model"));
    }

    void costFromDataElsePricingElseUnknown() {
        auto pricing = std::make_shared<PricingTable>();
        pricing->add("gpt-4.1-mini", {0.40, 1.60, 0.10});
        pricing->add("gpt-4.1", {2.00, 8.00, 0.50});
        DatasetBuilder builder(pricing);
        RecordBatch b;
        RawSpan root = makeSpan(b, {"t1", 1, 0, 0, 100});
        RawSpan withCost = makeSpan(b, {"t1", 2, 1, 1, 10, SpanKind::Llm});
        withCost.costUsd = 0.5;
        withCost.inputTokens = 10;
        RawSpan priced = makeSpan(b, {"t1", 3, 1, 11, 20, SpanKind::Llm});
        priced.model = b.strings.intern("gpt-4.1-mini-2025-04-14");
        priced.inputTokens = 1000;
        priced.cachedTokens = 200;
        priced.outputTokens = 500;
        RawSpan unknown = makeSpan(b, {"t1", 4, 1, 21, 30, SpanKind::Llm});
        unknown.model = b.strings.intern("house-model");
        unknown.inputTokens = 5;
        for (const auto& s : {root, withCost, priced, unknown}) {
            b.spans.push_back(s);
        }
        builder.addBatch(std::move(b));
        auto ds = builder.build();
        const auto& g = ds->generations;
        QCOMPARE(g.costSource[0], CostSource::Data);
        QCOMPARE(g.costUsd[0], 0.5);
        QCOMPARE(g.costSource[1], CostSource::Pricing);
        // 800 uncached input at 0.40, 200 cached at 0.10, 500 output at 1.60, per million tokens.
        QCOMPARE(g.costUsd[1], (800 * 0.40 + 200 * 0.10 + 500 * 1.60) / 1e6);
        QCOMPARE(g.costSource[2], CostSource::None);
        QVERIFY(std::isnan(g.costUsd[2]));
        QCOMPARE(ds->requests.costUsd[0], 0.5 + (800 * 0.40 + 200 * 0.10 + 500 * 1.60) / 1e6);
        QCOMPARE(ds->requests.inputTokens[0], 1015u);
        QVERIFY(ds->requests.flags[0] & kRequestCostUnknown);
        QCOMPARE(ds->stats.costFromPricing, uint64_t{1});
    }

    void generationsMapBackToTheirRequest() {
        // Requests a (2 calls), b (none), c (1 call), in start order: calls 0,1 -> a, call 2 -> c.
        DatasetBuilder builder;
        RecordBatch b;
        for (const auto& s : std::vector<SpanSpec>{{"a", 1, 0, 0, 50},
                                                   {"a", 2, 1, 1, 10, SpanKind::Llm},
                                                   {"a", 3, 1, 11, 20, SpanKind::Llm},
                                                   {"b", 4, 0, 60, 70},
                                                   {"c", 5, 0, 80, 90},
                                                   {"c", 6, 5, 81, 89, SpanKind::Llm}}) {
            b.spans.push_back(makeSpan(b, s));
        }
        builder.addBatch(std::move(b));
        auto ds = builder.build({}, 3);
        QCOMPARE(ds->generations.size(), size_t{3});
        QCOMPARE(ds->requestOfGeneration(0).value, 0u);
        QCOMPARE(ds->requestOfGeneration(1).value, 0u);
        QCOMPARE(ds->requestOfGeneration(2).value, 2u);
        QCOMPARE(ds->generationEnd(RequestIndex{1u}) - ds->requests.firstGeneration[1], 0u);
    }

    void errorsRefusalsAndErrorClass() {
        DatasetBuilder builder;
        RecordBatch b;
        RawSpan root = makeSpan(b, {"t1", 1, 0, 0, 100});
        root.status = SpanStatus::Error;
        RawSpan tool = makeSpan(b, {"t1", 2, 1, 1, 10, SpanKind::Tool});
        tool.status = SpanStatus::Error;
        tool.errorType = b.strings.intern("CrmUnavailable");
        RawSpan llm = makeSpan(b, {"t1", 3, 1, 20, 90, SpanKind::Llm});
        llm.status = SpanStatus::Error;
        llm.httpStatus = 429;
        llm.errorType = b.strings.intern("RateLimitError");
        RawSpan ok = makeSpan(b, {"t2", 1, 0, 200, 300, SpanKind::Llm});
        ok.finishReason = b.strings.intern("content_filter");
        for (const auto& s : {root, tool, llm, ok}) {
            b.spans.push_back(s);
        }
        builder.addBatch(std::move(b));
        auto ds = builder.build();
        QCOMPARE(ds->requests.errorClass[0], ErrorClass::RateLimited);
        QVERIFY(ds->requests.flags[0] & kRequestError);
        QVERIFY(ds->requests.flags[0] & kRequestToolError);
        QCOMPARE(ds->errors.size(), size_t{3});
        QCOMPARE(ds->requests.errorClass[1], ErrorClass::None);
        QVERIFY(ds->requests.flags[1] & kRequestRefusal);
        QVERIFY(!(ds->requests.flags[1] & kRequestError));
    }

    void evalsAndSignalsJoinByTraceId() {
        DatasetBuilder builder;
        RecordBatch b;
        b.spans.push_back(makeSpan(b, {"t1", 1, 0, 0, 100}));
        b.spans.push_back(makeSpan(b, {"t1", 2, 1, 10, 20, SpanKind::Llm}));
        RawEval onSpan;
        onSpan.traceId = b.strings.intern("t1");
        onSpan.spanId = 2;
        onSpan.name = b.strings.intern("correctness");
        onSpan.score = 2;
        onSpan.outcome = EvalOutcome::Fail;
        RawEval stray = onSpan;
        stray.traceId = b.strings.intern("nope");
        b.evals = {onSpan, stray};
        RawSignal down;
        down.requestId = b.strings.intern("t1");
        down.type = SignalType::ThumbsDown;
        RawSignal sessionOnly;
        sessionOnly.session = b.strings.intern("s9");
        sessionOnly.type = SignalType::Abandoned;
        RawSignal lost;
        lost.requestId = b.strings.intern("unknown");
        b.signals = {down, sessionOnly, lost};
        builder.addBatch(std::move(b));
        auto ds = builder.build();
        QCOMPARE(ds->evals.size(), size_t{1});
        QCOMPARE(ds->evals.span[0], 1u);
        QCOMPARE(ds->requests.evalFail[0], uint8_t{1});
        QCOMPARE(ds->stats.unmatchedEvals, uint64_t{1});
        QCOMPARE(ds->signals.size(), size_t{2});
        QVERIFY(ds->requests.flags[0] & kRequestThumbsDown);
        QCOMPARE(ds->signals.request[1], RequestIndex::kInvalid);
        QCOMPARE(ds->stats.unmatchedSignals, uint64_t{1});
    }

    void issuesAreCappedButCounted() {
        DatasetBuilder builder;
        RecordBatch b;
        for (int i = 0; i < 12000; ++i) {
            b.addIssue("f.jsonl", static_cast<uint64_t>(i + 1), "bad line");
        }
        builder.addBatch(std::move(b));
        auto ds = builder.build();
        QCOMPARE(ds->issueCount, uint64_t{12000});
        QCOMPARE(ds->issues.size(), DatasetBuilder::kMaxStoredIssues);
        QCOMPARE(ds->issues[0].line, uint64_t{1});
    }

    void pricingLookupPrefersLongestPrefix() {
        PricingTable t;
        t.add("gpt-4.1", {2, 8, -1});
        t.add("gpt-4.1-mini", {0.4, 1.6, -1});
        QCOMPARE(t.lookup("gpt-4.1-mini-2025-04-14")->inputPerMTok, 0.4);
        QCOMPARE(t.lookup("openai/GPT-4.1")->inputPerMTok, 2.0);
        QVERIFY(t.lookup("gpt-4") == nullptr);
        QVERIFY(t.lookup("gpt-4.10") == nullptr);
    }
};

QTEST_APPLESS_MAIN(TestDatasetBuilder)
#include "tst_datasetbuilder.moc"
