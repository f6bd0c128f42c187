// Appending a delta to a snapshot gives what reading everything at once gives: the same report (every grouping,
// both grains, byte for byte), the same rows per trace, and a consistent snapshot (parents inside their trace,
// requests in time order, lookups by trace id), including traces the delta brings again with more spans.
#include <QtTest>

#include <cstdio>
#include <map>

#include "datasetappend.h"
#include "datasetbuilder.h"
#include "groupsummary.h"
#include "reportformat.h"

using namespace ps;

namespace {

constexpr int64_t kMs = 1000000;
constexpr int64_t kEpoch = 1'790'000'000'000LL * kMs;

uint64_t mix(uint64_t x) {  // splitmix64: the same trace number always gives the same trace
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

std::string traceName(int t) {
    char id[24];
    std::snprintf(id, sizeof id, "trace-%04d", t);
    return id;
}

// Trace t: a root carrying the dimensions, one to three model calls (some without a cost), a tool call that may
// fail, evals and feedback. `extended` is the same trace once more rows of it have arrived: one more model call
// and a failing retrieval, with one more eval.
void addTrace(RecordBatch& b, int t, int64_t startNs, bool extended = false) {
    StringPool& s = b.strings;
    uint64_t r = mix(static_cast<uint64_t>(t) + 7);
    auto pick = [&](uint64_t n) {
        r = mix(r);
        return r % n;
    };
    const StringId trace = s.intern(traceName(t));
    const char* features[] = {"support_chatbot", "invoice_parser", "sales_email"};
    const char* versions[] = {"41", "42", "43"};
    const char* models[] = {"gpt-4.1", "gpt-4.1-mini", "claude-sonnet-4"};
    const char* tenants[] = {"acme", "globex", "initech", "umbrella"};
    RawSpan root;
    root.traceId = trace;
    root.spanId = 1;
    root.startNs = startNs;
    root.endNs = startNs + static_cast<int64_t>(200 + pick(5000)) * kMs;
    root.name = s.intern("request");
    root.service = s.intern("api");
    root.feature = s.intern(features[pick(3)]);
    root.promptName = s.intern("answer");
    root.promptVersion = s.intern(versions[pick(3)]);
    root.user = s.intern("user-" + std::to_string(pick(12)));
    root.session = s.intern("session-" + std::to_string(t / 3));
    const uint64_t tenant = pick(4);
    root.tenant = s.intern(tenants[tenant]);
    root.tenantTier = s.intern(tenant < 2 ? "enterprise" : "free");
    root.environment = s.intern(pick(10) == 0 ? "canary" : "production");
    root.status = pick(9) == 0 ? SpanStatus::Error : SpanStatus::Ok;
    b.spans.push_back(root);
    const int calls = 1 + static_cast<int>(pick(3)) + (extended ? 1 : 0);
    uint64_t next = 2;
    for (int c = 0; c < calls; ++c) {
        RawSpan call;
        call.traceId = trace;
        call.spanId = next++;
        call.parentSpanId = 1;
        call.startNs = startNs + (10 + 30 * c) * kMs;
        call.endNs = call.startNs + static_cast<int64_t>(20 + pick(900)) * kMs;
        call.name = s.intern("chat");
        call.kind = SpanKind::Llm;
        call.model = s.intern(models[pick(3)]);
        call.provider = s.intern("openai");
        call.inputTokens = static_cast<int64_t>(100 + pick(4000));
        call.outputTokens = static_cast<int64_t>(pick(800));
        call.costUsd = pick(5) == 0 ? kNaN : static_cast<double>(pick(1000)) * 1e-5 + 1e-7 * t;
        call.finishReason = s.intern(pick(20) == 0 ? "content_filter" : "stop");
        call.ttftNs = static_cast<int64_t>(pick(300)) * kMs;
        b.spans.push_back(call);
    }
    if (pick(3) == 0) {
        RawSpan tool;
        tool.traceId = trace;
        tool.spanId = next++;
        tool.parentSpanId = 2;  // under the first model call: a nested subtree
        tool.startNs = startNs + 15 * kMs;
        tool.endNs = tool.startNs + 5 * kMs;
        tool.name = s.intern("execute_tool lookup");
        tool.kind = SpanKind::Tool;
        tool.status = pick(2) == 0 ? SpanStatus::Error : SpanStatus::Ok;
        tool.errorType = s.intern(tool.status == SpanStatus::Error ? "TimeoutError" : "");
        tool.statusMessage = s.intern(tool.status == SpanStatus::Error ? "lookup timed out after 30s" : "");
        b.spans.push_back(tool);
    }
    if (extended) {
        RawSpan retrieval;
        retrieval.traceId = trace;
        retrieval.spanId = next++;
        retrieval.parentSpanId = 1;
        retrieval.startNs = startNs + 150 * kMs;
        retrieval.endNs = retrieval.startNs + 40 * kMs;
        retrieval.name = s.intern("retrieve");
        retrieval.kind = SpanKind::Retrieval;
        retrieval.status = SpanStatus::Error;
        retrieval.httpStatus = 503;
        retrieval.statusMessage = s.intern("index unavailable");
        b.spans.push_back(retrieval);
    }
    const int evals = static_cast<int>(pick(3)) + (extended ? 1 : 0);
    for (int e = 0; e < evals; ++e) {
        RawEval ev;
        ev.traceId = trace;
        ev.spanId = e == 0 ? 2 : 0;
        ev.name = s.intern(e == 0 ? "faithfulness" : "judge");
        ev.score = static_cast<double>(1 + pick(5));
        ev.outcome = ev.score >= 3 ? EvalOutcome::Pass : EvalOutcome::Fail;
        ev.label = s.intern(ev.outcome == EvalOutcome::Pass ? "pass" : "fail");
        b.evals.push_back(ev);
    }
    if (pick(4) == 0) {
        RawSignal sig;
        sig.requestId = trace;
        sig.type = pick(2) == 0 ? SignalType::ThumbsDown : SignalType::ThumbsUp;
        sig.timeNs = root.endNs;
        b.signals.push_back(sig);
    }
}

void addRecords(RecordBatch& b, const std::string& version, const std::string& tier) {
    StringPool& s = b.strings;
    PromptVersionRecord p;
    p.prompt = s.intern("answer");
    p.version = s.intern(version);
    p.model = s.intern("gpt-4.1");
    p.deployedAtNs = kEpoch;
    b.promptVersions.push_back(p);
    b.tenants.push_back({s.intern("umbrella"), s.intern(tier)});
    RawSignal sessionOnly;  // feedback about a session, not a request: kept across appends
    sessionOnly.session = s.intern("session-" + version);
    sessionOnly.type = SignalType::Abandoned;
    b.signals.push_back(sessionOnly);
}

DatasetPtr build(RecordBatch&& batch, const std::string& sourcePath) {
    DatasetBuilder builder;
    builder.addSource({sourcePath, SourceFormat::Database, 0, 0});
    builder.addBatch(std::move(batch));
    return builder.build();
}

int64_t startOf(int t) {
    return kEpoch + static_cast<int64_t>(t / 2) * 700 * kMs;  // pairs of traces start together: ties
}

std::string allReports(const Dataset& d) {
    std::string out;
    for (const GroupField f : {GroupField::PromptVersion, GroupField::Prompt, GroupField::Model, GroupField::Feature,
                               GroupField::Environment, GroupField::Tenant, GroupField::User, GroupField::Provider}) {
        for (const Grain g : {Grain::Request, Grain::Generation}) {
            out += formatReportJson(buildReport(d, f, g, nullptr, 100)) + "\n";
        }
    }
    return out;
}

std::map<std::string, std::string> tiers(const Dataset& d) {
    std::map<std::string, std::string> out;
    for (const TenantRecord& t : d.tenants) {
        out[std::string(d.str(t.tenant))] = std::string(d.str(t.tier));
    }
    return out;
}

bool sameDouble(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

}  // namespace

class TestDatasetAppend : public QObject {
    Q_OBJECT

private:
    // Checks what must hold of any snapshot: spans of a request in its range with their parent before them,
    // requests in time order, every trace found by its id.
    static void checkConsistent(const Dataset& d) {
        for (uint32_t r = 0; r < d.requestCount(); ++r) {
            if (r > 0) {
                QVERIFY(d.requests.startNs[r - 1] <= d.requests.startNs[r]);
            }
            const uint32_t first = d.requests.firstSpan[r];
            QCOMPARE(d.spans.parent[first], SpanIndex::kInvalid);
            for (uint32_t s = first + 1; s < d.spanEnd(RequestIndex{r}); ++s) {
                const uint32_t p = d.spans.parent[s];
                QVERIFY(p == SpanIndex::kInvalid || (p >= first && p < s));
            }
            for (uint32_t g = d.requests.firstGeneration[r]; g < d.generationEnd(RequestIndex{r}); ++g) {
                QCOMPARE(d.requestOfSpan(SpanIndex{d.generations.span[g]}).value, r);
            }
            QCOMPARE(d.findRequest(d.str(d.requests.traceId[r])).value, r);
        }
        for (size_t e = 0; e < d.evals.size(); ++e) {
            QVERIFY(d.evals.request[e] < d.requestCount());
            const uint32_t span = d.evals.span[e];
            QVERIFY(span == SpanIndex::kInvalid || d.requestOfSpan(SpanIndex{span}).value == d.evals.request[e]);
        }
        for (size_t e = 0; e < d.errors.size(); ++e) {
            QVERIFY(d.errors.span[e] < d.spanCount());
        }
    }

    // Row by row, each trace of the full read against the same trace of the appended snapshot.
    static void compareTraces(const Dataset& full, const Dataset& appended) {
        QCOMPARE(appended.requestCount(), full.requestCount());
        QCOMPARE(appended.spanCount(), full.spanCount());
        QCOMPARE(appended.generationCount(), full.generationCount());
        QCOMPARE(appended.evals.size(), full.evals.size());
        QCOMPARE(appended.errors.size(), full.errors.size());
        QCOMPARE(appended.signals.size(), full.signals.size());
        QCOMPARE(appended.promptVersions.size(), full.promptVersions.size());
        QCOMPARE(appended.tenants.size(), full.tenants.size());
        for (uint32_t r = 0; r < full.requestCount(); ++r) {
            const std::string_view id = full.str(full.requests.traceId[r]);
            // Same position too: the order decides how sums are rounded.
            QCOMPARE(appended.str(appended.requests.traceId[r]), id);
            const RequestIndex a{r};
            const RequestIndex f{r};
            QCOMPARE(appended.spanEnd(a) - appended.requests.firstSpan[r], full.spanEnd(f) - full.requests.firstSpan[r]);
            QCOMPARE(appended.generationEnd(a) - appended.requests.firstGeneration[r],
                     full.generationEnd(f) - full.requests.firstGeneration[r]);
            QCOMPARE(appended.requests.durationNs[r], full.requests.durationNs[r]);
            QCOMPARE(appended.requests.flags[r], full.requests.flags[r]);
            QCOMPARE(appended.requests.errorClass[r], full.requests.errorClass[r]);
            QVERIFY(sameDouble(appended.requests.costUsd[r], full.requests.costUsd[r]));
            QCOMPARE(appended.requests.evalFail[r], full.requests.evalFail[r]);
            QCOMPARE(appended.str(appended.requests.tenant[r]), full.str(full.requests.tenant[r]));
            QCOMPARE(appended.str(appended.requests.promptVersion[r]), full.str(full.requests.promptVersion[r]));
            for (uint32_t k = 0; k < full.spanEnd(f) - full.requests.firstSpan[r]; ++k) {
                const uint32_t sa = appended.requests.firstSpan[r] + k;
                const uint32_t sf = full.requests.firstSpan[r] + k;
                QCOMPARE(appended.str(appended.spans.name[sa]), full.str(full.spans.name[sf]));
                QCOMPARE(appended.spans.startNs[sa], full.spans.startNs[sf]);
                QCOMPARE(appended.spans.parent[sa] == SpanIndex::kInvalid,
                         full.spans.parent[sf] == SpanIndex::kInvalid);
            }
        }
    }

private Q_SLOTS:
    void appendEqualsFullRead() {
        // The full read: traces 0-99 as they finally are (10 and 55 with their later rows), then trace 100, which
        // started among the old ones but was written late.
        RecordBatch all;
        addRecords(all, "41", "free");
        all.addIssue("logs", 3, "a bad row");
        for (int t = 0; t < 100; ++t) {
            addTrace(all, t, startOf(t), t == 10 || t == 55);
        }
        addTrace(all, 100, startOf(31));
        addRecords(all, "43", "enterprise");
        all.addIssue("logs", 120, "another bad row");
        const DatasetPtr full = build(std::move(all), "sqlite:/logs.db");

        RecordBatch first;
        addRecords(first, "41", "free");
        first.addIssue("logs", 3, "a bad row");
        for (int t = 0; t < 60; ++t) {
            addTrace(first, t, startOf(t));
        }
        const DatasetPtr old = build(std::move(first), "sqlite:/logs.db");

        RecordBatch later;
        addTrace(later, 10, startOf(10), true);
        for (int t = 60; t < 100; ++t) {
            addTrace(later, t, startOf(t));
        }
        addTrace(later, 55, startOf(55), true);
        addTrace(later, 100, startOf(31));
        addRecords(later, "43", "enterprise");
        later.addIssue("logs", 120, "another bad row");
        const DatasetPtr delta = build(std::move(later), "sqlite:/logs.db");

        AppendSummary summary;
        const DatasetPtr appended = appendToDataset(*old, *delta, &summary);
        QCOMPARE(summary.newRequests, uint64_t{41});
        QCOMPARE(summary.replacedRequests, uint64_t{2});
        QCOMPARE(appended->sources.size(), size_t{1});
        checkConsistent(*appended);
        compareTraces(*full, *appended);
        QCOMPARE(appended->issueCount, full->issueCount);
        QCOMPARE(tiers(*appended), tiers(*full));
        const std::string expected = allReports(*full);
        QCOMPARE(allReports(*appended), expected);
        // And the snapshot before the delta is untouched (it is shared with pages still showing it).
        QCOMPARE(old->requestCount(), size_t{60});
    }

    void appendsInSteps() {
        // Five polls of ten traces each give what one read of fifty gives.
        RecordBatch all;
        for (int t = 0; t < 50; ++t) {
            addTrace(all, t, startOf(t));
        }
        const DatasetPtr full = build(std::move(all), "logs");
        DatasetPtr current;
        for (int step = 0; step < 5; ++step) {
            RecordBatch b;
            for (int t = step * 10; t < step * 10 + 10; ++t) {
                addTrace(b, t, startOf(t));
            }
            const DatasetPtr delta = build(std::move(b), "logs");
            current = current ? appendToDataset(*current, *delta) : delta;
        }
        checkConsistent(*current);
        compareTraces(*full, *current);
        QCOMPARE(allReports(*current), allReports(*full));
    }

    void emptyDeltaKeepsEverything() {
        RecordBatch b;
        for (int t = 0; t < 20; ++t) {
            addTrace(b, t, startOf(t));
        }
        const DatasetPtr old = build(std::move(b), "logs");
        const DatasetPtr none = build(RecordBatch{}, "logs");
        AppendSummary summary;
        const DatasetPtr same = appendToDataset(*old, *none, &summary);
        QCOMPARE(summary.newRequests, uint64_t{0});
        QCOMPARE(allReports(*same), allReports(*old));
        compareTraces(*old, *same);
    }

    void deltaFromAnotherSourcePointsItsRowsThere() {
        RecordBatch a;
        addTrace(a, 1, startOf(1));
        const DatasetPtr old = build(std::move(a), "first.db");
        RecordBatch b;
        addTrace(b, 2, startOf(2));
        const DatasetPtr delta = build(std::move(b), "second.db");
        const DatasetPtr both = appendToDataset(*old, *delta);
        QCOMPARE(both->sources.size(), size_t{2});
        const RequestIndex r = both->findRequest("trace-0002");
        QVERIFY(r.isValid());
        QCOMPARE(both->spans.cold[both->requests.firstSpan[r.value]].source().value, 1u);
        const RequestIndex first = both->findRequest("trace-0001");
        QCOMPARE(both->spans.cold[both->requests.firstSpan[first.value]].source().value, 0u);
    }
};

QTEST_GUILESS_MAIN(TestDatasetAppend)
#include "tst_datasetappend.moc"
