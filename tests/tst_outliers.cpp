// Outlier tables and similar-failure groups on hand-made data sets with answers worked out by hand, and on a
// random data set against plain reference computations (a full sort for the top N, a loop per row for ranks).
#include <QTest>

#include <algorithm>
#include <map>
#include <tuple>
#include <random>

#include "failuregroups.h"
#include "outlierformat.h"
#include "versionlabel.h"
#include "outliers.h"
#include "percentile.h"
#include "tracefixture.h"

using namespace ps;
using namespace ps::testing;

namespace {

Selection all(const Dataset& d) {
    Selection s;
    for (uint32_t r = 0; r < d.requestCount(); ++r) {
        s.requests.push_back(r);
    }
    return s;
}

std::vector<std::string> traces(const Dataset& d, const OutlierTable& t) {
    std::vector<std::string> out;
    for (const OutlierRow& row : t.rows) {
        out.emplace_back(d.str(d.requests.traceId[row.request.value]));
    }
    return out;
}

// Reference rank: a loop over the feature's values, as the definition reads.
double referenceRank(const Dataset& d, const Selection& s, OutlierKind kind, uint32_t request,
                     const std::vector<double>& scores, const std::vector<uint32_t>& retries) {
    const double v = outlierValue(d, kind, request, scores, retries);
    double below = 0, equal = 0, n = 0;
    for (uint32_t r : s.requests) {
        if (d.requests.feature[r] != d.requests.feature[request]) {
            continue;
        }
        const double w = outlierValue(d, kind, r, scores, retries);
        if (std::isnan(w)) {
            continue;
        }
        ++n;
        below += w < v;
        equal += w == v;
    }
    return (below + equal / 2) / n * 100;
}

// Three features, random latencies with ties, some unknown costs, random tool calls, evals and tiers.
DatasetPtr randomData(size_t n) {
    std::mt19937_64 rng(42);
    TraceFixture f;
    const char* features[] = {"support", "invoice", "email"};
    const char* tenants[] = {"acme", "globex", "initech"};
    f.tier("acme", "enterprise");
    f.tier("globex", "free");
    for (size_t i = 0; i < n; ++i) {
        RequestSpec r;
        r.trace = "r" + std::to_string(i);
        r.feature = features[rng() % 3];
        r.tenant = tenants[rng() % 3];
        r.startMs = static_cast<int64_t>(i) * 1000;
        r.durationMs = 1 + static_cast<int64_t>(rng() % 400);  // many ties
        r.cost = rng() % 10 == 0 ? kNaN : static_cast<double>(rng() % 1000) / 1e4;
        r.model = std::isnan(r.cost) ? "unpriced-model" : "gpt-4.1";
        r.inputTokens = static_cast<int64_t>(rng() % 5000);
        r.outputTokens = static_cast<int64_t>(rng() % 500);
        const uint64_t root = f.request(r);
        const int tools = static_cast<int>(rng() % 4);
        for (int t = 0; t < tools; ++t) {
            f.span(r.trace, root, "lookup", SpanKind::Tool, r.startMs + 2 + t);
        }
        if (rng() % 3 == 0) {
            f.eval(r.trace, "correctness", static_cast<double>(1 + rng() % 5), EvalOutcome::Unknown);
        }
    }
    return f.build();
}

}  // namespace

class TestOutliers : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // A version stored as "43" reads "v43"; one stored as "v4" or "prod" is not prefixed again.
    void versionLabels() {
        QCOMPARE(versionLabel("43"), std::string("v43"));
        QCOMPARE(versionLabel("v4"), std::string("v4"));
        QCOMPARE(versionLabel("V2.1"), std::string("V2.1"));
        QCOMPARE(versionLabel("prod"), std::string("prod"));
        QCOMPARE(versionLabel(""), std::string());
        Dataset d;
        const StringId prompt = d.strings.intern("support_answer");
        QCOMPARE(promptVersionLabel(d, prompt, d.strings.intern("v4")), std::string("support_answer v4"));
        QCOMPARE(promptVersionLabel(d, prompt, d.strings.intern("12")), std::string("support_answer v12"));
        QCOMPARE(promptVersionLabel(d, StringId{}, d.strings.intern("12")), std::string("v12"));
    }

    void midRank() {
        QCOMPARE(midRankPercentile(0, 1, 1), 50.0);
        QCOMPARE(midRankPercentile(999, 1, 1000), 99.95);
        QCOMPARE(midRankPercentile(0, 1, 4), 12.5);
        QCOMPARE(midRankPercentile(2, 2, 4), 75.0);
        QVERIFY(std::isnan(midRankPercentile(0, 0, 0)));
    }

    void rankLabels_data() {
        QTest::addColumn<double>("percentile");
        QTest::addColumn<QString>("label");
        QTest::newRow("plain") << 99.72 << "p99.7";
        QTest::newRow("near the top keeps two decimals") << 99.97 << "p99.97";
        QTest::newRow("near the top never rounds to 100") << 99.999 << "p99.99";
        QTest::newRow("near the bottom") << 0.02 << "p0.02";
        QTest::newRow("middle") << 50.0 << "p50.0";
    }
    void rankLabels() {
        QFETCH(double, percentile);
        QFETCH(QString, label);
        QCOMPARE(QString::fromStdString(percentileRankLabel(percentile)), label);
    }

    // Ten chat requests of 100..1000 ms and four mail requests (50, 5000, 5000, 20 ms).
    void slowestByHand() {
        TraceFixture f;
        for (int i = 0; i < 10; ++i) {
            f.request({.trace = "c" + std::to_string(i), .feature = "chat", .startMs = i * 1000,
                       .durationMs = 100 * (i + 1)});
        }
        const int64_t mail[] = {50, 5000, 5000, 20};
        for (int i = 0; i < 4; ++i) {
            f.request({.trace = "m" + std::to_string(i), .feature = "mail", .startMs = 20000 + i * 1000,
                       .durationMs = mail[i]});
        }
        const DatasetPtr d = f.build();
        const FacetIndex index = buildFacetIndex(*d);
        OutlierOptions options;
        options.limit = 3;
        const OutlierTable t = computeOutlierTable(*d, index, all(*d), OutlierKind::Slowest, options);
        QCOMPARE(traces(*d, t), (std::vector<std::string>{"m1", "m2", "c9"}));  // a tie goes to the earlier request
        QCOMPARE(t.rows[0].value, 5000.0);
        QCOMPARE(t.rows[0].percentile, 75.0);  // (2 below + 2 equal / 2) / 4
        QCOMPARE(t.rows[1].percentile, 75.0);
        QCOMPARE(t.rows[2].percentile, 95.0);  // (9 + 0.5) / 10
        QCOMPARE(t.rows[2].distributionSize, 10u);
        QCOMPARE(t.candidates, uint64_t{14});
        OutlierRow row = t.rows[2];
        QCOMPARE(QString::fromStdString(rankPhrase(*d, OutlierKind::Slowest, row)),
                 QStringLiteral("p95.0 of latency for chat"));
    }

    // Every table against a full sort and a per-row rank loop, on 3,000 random requests.
    void everyTableMatchesAFullSort_data() {
        QTest::addColumn<int>("kind");
        for (size_t k = 0; k < kOutlierKindCount; ++k) {
            QTest::newRow(outlierMetricName(static_cast<OutlierKind>(k)).data()) << static_cast<int>(k);
        }
    }
    void everyTableMatchesAFullSort() {
        QFETCH(int, kind);
        const auto k = static_cast<OutlierKind>(kind);
        const DatasetPtr d = randomData(3000);
        const Dataset& data = *d;
        const FacetIndex index = buildFacetIndex(data);
        Selection s;
        for (uint32_t r = 0; r < data.requestCount(); r += 2) {
            s.requests.push_back(r);  // every other request: ranks must use the selection only
        }
        const std::vector<double> scores = requestScores(data);
        std::vector<uint8_t> last;
        const std::vector<uint32_t> retries = retryCounts(data, s, OutlierOptions{}.retryWindowNs, &last);
        OutlierOptions options;
        options.limit = 25;
        const OutlierTable t = computeOutlierTable(data, index, s, k, options);

        std::vector<uint32_t> expected;
        for (uint32_t r : s.requests) {
            const double v = outlierValue(data, k, r, scores, retries);
            const bool positive = k == OutlierKind::MostRetried || k == OutlierKind::LongestAgentLoops ||
                                  k == OutlierKind::LargestTokenUsers;
            if (!std::isnan(v) && !(positive && v <= 0)) {
                expected.push_back(r);
            }
        }
        QCOMPARE(t.candidates, uint64_t{expected.size()});
        std::stable_sort(expected.begin(), expected.end(), [&](uint32_t a, uint32_t b) {
            const double va = outlierValue(data, k, a, scores, retries);
            const double vb = outlierValue(data, k, b, scores, retries);
            if (k == OutlierKind::LowestScoring) {
                return va != vb ? va < vb : data.requests.evalFail[a] > data.requests.evalFail[b];
            }
            return va > vb;
        });
        expected.resize(std::min<size_t>(expected.size(), 25));
        QCOMPARE(t.rows.size(), expected.size());
        for (size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(t.rows[i].request.value, expected[i]);
            QCOMPARE(t.rows[i].percentile, referenceRank(data, s, k, expected[i], scores, retries));
        }
    }

    void unknownCostsAreLeftOut() {
        TraceFixture f;
        f.request({.trace = "a", .cost = 0.5});
        f.request({.trace = "b", .startMs = 10, .model = "unpriced", .cost = kNaN});
        f.request({.trace = "c", .startMs = 20, .cost = 0.1});
        const DatasetPtr d = f.build();
        const FacetIndex index = buildFacetIndex(*d);
        const OutlierTable t = computeOutlierTable(*d, index, all(*d), OutlierKind::MostExpensive, {});
        QCOMPARE(traces(*d, t), (std::vector<std::string>{"a", "c"}));
        QCOMPARE(t.rows[0].percentile, 75.0);  // (1 + 0.5) / 2
    }

    // A 1-5 judge and a 0/1 rule on one scale: (s - 1) / 4 and s, averaged per request.
    void scoresNormalisePerEvalName() {
        TraceFixture f;
        f.request({.trace = "a"});
        f.request({.trace = "b", .startMs = 10});
        f.request({.trace = "c", .startMs = 20});
        f.eval("a", "correctness", 5, EvalOutcome::Pass);
        f.eval("a", "format", 1, EvalOutcome::Pass);
        f.eval("b", "correctness", 2, EvalOutcome::Fail);
        f.eval("b", "format", 0, EvalOutcome::Fail);
        f.eval("c", "correctness", 1, EvalOutcome::Fail);
        f.eval("c", "format", 1, EvalOutcome::Pass);
        f.eval("c", "constant", 7, EvalOutcome::Pass);  // one value only: says nothing, left out
        const DatasetPtr d = f.build();
        const std::vector<double> s = requestScores(*d);
        QCOMPARE(s[0], 1.0);
        QCOMPARE(s[1], 0.125);  // (0.25 + 0) / 2
        QCOMPARE(s[2], 0.5);    // (0 + 1) / 2
        const FacetIndex index = buildFacetIndex(*d);
        const OutlierTable t = computeOutlierTable(*d, index, all(*d), OutlierKind::LowestScoring, {});
        QCOMPARE(traces(*d, t), (std::vector<std::string>{"b", "c", "a"}));
        QCOMPARE(t.rows[0].percentile, midRankPercentile(0, 1, 3));
    }

    void retriesInsideARequest() {
        TraceFixture f;
        const uint64_t root = f.request({.trace = "t", .session = "s", .prompt = "answer", .model = "m"});
        f.call("t", root, "answer", "m", 2, true);   // fails...
        f.call("t", root, "answer", "m", 3, false);  // ...and is retried: 1
        f.call("t", root, "other", "m", 4, true);    // fails, never retried
        f.call("t", root, "", "m", 5, true);         // no prompt: matched by model...
        f.call("t", root, "", "x", 6, false);        // ...so another model is no retry
        f.call("t", root, "answer", "x", 7, true);   // the same prompt on a fallback model: a retry, failing
        f.call("t", root, "answer", "y", 8, false);  // retried again: 3
        const DatasetPtr d = f.build();
        const std::vector<uint32_t> retries = retryCounts(*d, all(*d), 600 * 1000 * kMsNs);
        QCOMPARE(retries[0], 3u);
    }

    // Same session, feature, prompt and first-call input tokens within the window: one chain.
    void retriesAcrossRequests() {
        TraceFixture f;
        const int64_t minute = 60000;
        f.request({.trace = "a1", .startMs = 0, .session = "s1", .inputTokens = 321});
        f.request({.trace = "a2", .startMs = 3 * minute, .session = "s1", .inputTokens = 321});
        f.request({.trace = "a3", .startMs = 12 * minute, .session = "s1", .inputTokens = 321});  // 9 min after a2
        f.request({.trace = "a4", .startMs = 30 * minute, .session = "s1", .inputTokens = 321});  // too late: new chain
        f.request({.trace = "b1", .startMs = 1 * minute, .session = "s1", .inputTokens = 999});   // other input
        f.request({.trace = "c1", .startMs = 2 * minute, .session = "s2", .inputTokens = 321});   // other session
        f.request({.trace = "d1", .startMs = 4 * minute, .inputTokens = 321});                    // no session
        f.request({.trace = "d2", .startMs = 5 * minute, .inputTokens = 321});
        f.request({.trace = "e1", .feature = "mail", .startMs = 6 * minute, .session = "s1", .inputTokens = 321});
        const DatasetPtr d = f.build();
        std::vector<uint8_t> last;
        const std::vector<uint32_t> retries = retryCounts(*d, all(*d), 10 * minute * kMsNs, &last);
        std::map<std::string, std::pair<uint32_t, int>> got;
        for (uint32_t r = 0; r < d->requestCount(); ++r) {
            got[std::string(d->str(d->requests.traceId[r]))] = {retries[r], last[r]};
        }
        QCOMPARE(got["a1"], std::make_pair(0u, 0));
        QCOMPARE(got["a2"], std::make_pair(1u, 0));
        QCOMPARE(got["a3"], std::make_pair(2u, 1));
        QCOMPARE(got["a4"], std::make_pair(0u, 1));
        QCOMPARE(got["b1"].first, 0u);
        QCOMPARE(got["c1"].first, 0u);
        QCOMPARE(got["d2"].first, 0u);
        QCOMPARE(got["e1"].first, 0u);
        // The table shows the chain once, by its last attempt.
        const FacetIndex index = buildFacetIndex(*d);
        const OutlierTable t = computeOutlierTable(*d, index, all(*d), OutlierKind::MostRetried, {});
        QCOMPARE(traces(*d, t), (std::vector<std::string>{"a3"}));
        // Outside the selection a request is no attempt: without a2, a3 comes 12 minutes after a1.
        Selection withoutA2;
        for (uint32_t r : all(*d).requests) {
            if (d->str(d->requests.traceId[r]) != "a2") {
                withoutA2.requests.push_back(r);
            }
        }
        QCOMPARE(retryCounts(*d, withoutA2, 10 * minute * kMsNs)[d->findRequest("a3").value], 0u);
    }

    void messagesNormalise_data() {
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("normalised");
        QTest::newRow("numbers") << "429 Rate limit reached, retry in 1.5 seconds"
                                 << "<n> Rate limit reached, retry in <n> seconds";
        QTest::newRow("units") << "Request timed out after 30s (500ms budget)"
                               << "Request timed out after <n>s (<n>ms budget)";
        QTest::newRow("uuid") << "order 3f2b8c1e-9a4d-4e5f-8a7b-0c1d2e3f4a5b not found" << "order <uuid> not found";
        QTest::newRow("hex") << "span 0x7fa3 and trace 4bf92f3577b34da6a3ce929d0e0e4736"
                             << "span <id> and trace <id>";
        QTest::newRow("mixed id") << "session s-a1b2c3d4e5f6 expired" << "session s-<id> expired";
        QTest::newRow("quotes") << "unknown tool 'crm_lookup' in \"step 3\"" << "unknown tool <str> in <str>";
        QTest::newRow("apostrophe") << "can't parse user's input" << "can't parse user's input";
        QTest::newRow("short words kept") << "gpt-4o v2 failed" << "gpt-4o v2 failed";
        QTest::newRow("empty") << "" << "";
    }
    void messagesNormalise() {
        QFETCH(QString, message);
        QFETCH(QString, normalised);
        QCOMPARE(QString::fromStdString(normaliseErrorMessage(message.toStdString())), normalised);
    }

    void toolNames() {
        QCOMPARE(toolNameOfSpan("execute_tool crm_lookup"), std::string_view("crm_lookup"));
        QCOMPARE(toolNameOfSpan("crm_lookup"), std::string_view("crm_lookup"));
        QCOMPARE(toolNameOfSpan("execute_tool "), std::string_view("execute_tool "));
    }

    // Seven requests fail at a call with one of two messages; the root echoes the call's error and is not counted
    // again; two tools fail; evals fail.
    void similarFailuresGroup() {
        TraceFixture f;
        for (int i = 0; i < 7; ++i) {
            const std::string trace = "t" + std::to_string(i);
            const uint64_t root = f.request({.trace = trace, .startMs = i * 1000});
            const std::string message = i < 6 ? "429 Rate limit reached for org-" + std::to_string(1000 + i)
                                              : "Request timed out after 30 s";
            const uint64_t call = f.call(trace, root, "answer", "m", i * 1000 + 2, true);
            f.fail(call, i < 6 ? "RateLimitError" : "timeout", message);
            f.fail(root, "", message);  // the root fails because its call did
            if (i < 2) {
                f.span(trace, root, "execute_tool crm_lookup", SpanKind::Tool, i * 1000 + 3, true, "ToolError",
                       "crm_lookup: upstream returned 503");
            }
            if (i == 3) {
                f.span(trace, root, "crm_lookup", SpanKind::Tool, i * 1000 + 3, true);
                f.span(trace, root, "crm_lookup", SpanKind::Tool, i * 1000 + 4, true);  // same request: counted once
            }
            f.eval(trace, "format_check", 0, i % 2 ? EvalOutcome::Fail : EvalOutcome::Pass,
                   i % 2 ? "not JSON" : "");
        }
        f.request({.trace = "ok", .startMs = 9000});
        const DatasetPtr d = f.build();
        const std::vector<FailureGroup> groups = groupFailures(*d, all(*d));
        std::vector<std::tuple<FailureGroupKind, std::string, std::string, uint64_t>> got;
        for (const FailureGroup& g : groups) {
            got.emplace_back(g.kind, g.errorType, g.key, g.requests);
        }
        using K = FailureGroupKind;
        // Errors by requests, ties by type; then evals; then tools. The failing tool spans are failure origins
        // too; the ones without a type go under their error class.
        const decltype(got) expected = {
            {K::Error, "RateLimitError", "<n> Rate limit reached for org-<n>", 6},
            {K::Error, "ToolError", "crm_lookup: upstream returned <n>", 2},
            {K::Error, "timeout", "Request timed out after <n> s", 1},
            {K::Error, "tool_error", "", 1},
            {K::Eval, "", "format_check", 3},  // t1, t3, t5
            {K::Tool, "", "crm_lookup", 3},    // t0, t1 (as execute_tool crm_lookup) and t3 (twice, counted once)
        };
        QCOMPARE(got, expected);
        const FailureGroup& limit = groups[0];
        QCOMPARE(limit.share, 6.0 / 8.0);
        QCOMPARE(limit.firstNs, 0 * kMsNs);
        QCOMPARE(limit.lastNs, 5000 * kMsNs);
        QCOMPARE(limit.example, std::string("429 Rate limit reached for org-1005"));
        QCOMPARE(limit.samples.size(), kFailureSamples);
        QCOMPARE(d->str(d->requests.traceId[limit.samples.front().value]), std::string_view("t5"));  // most recent
        QCOMPARE(d->str(d->requests.traceId[limit.samples.back().value]), std::string_view("t1"));
        QCOMPARE(groups[4].example, std::string("not JSON"));
        // A selection without t0..t2 leaves three rate limits (t3..t5).
        Selection later;
        for (uint32_t r = 3; r < d->requestCount(); ++r) {
            later.requests.push_back(r);
        }
        QCOMPARE(groupFailures(*d, later)[0].requests, uint64_t{3});
    }

    // The tail table: feature x tier, p50/p99 against a type-7 reference over the same requests.
    void tailsByFeatureAndTier() {
        const DatasetPtr d = randomData(2000);
        const FacetIndex index = buildFacetIndex(*d);
        const Selection s = all(*d);
        const OutlierResult result = computeOutliers(*d, index, s, {});
        const std::vector<TailRow>& tails = result.tails[static_cast<size_t>(OutlierKind::Slowest)];
        QCOMPARE(tails.size(), size_t{9});  // 3 features x (enterprise, free, none)
        std::map<std::pair<std::string, std::string>, std::vector<double>> groups;
        for (uint32_t r : s.requests) {
            const std::string tenant(d->str(d->requests.tenant[r]));
            const std::string tier = tenant == "acme" ? "enterprise" : tenant == "globex" ? "free" : "";
            groups[{std::string(d->str(d->requests.feature[r])), tier}].push_back(
                static_cast<double>(d->requests.durationNs[r]) / 1e6);
        }
        double previousRatio = INFINITY;
        for (const TailRow& row : tails) {
            std::vector<double> v = groups[{std::string(d->str(row.feature)), std::string(d->str(row.tier))}];
            QCOMPARE(row.count, uint64_t{v.size()});
            std::sort(v.begin(), v.end());
            auto type7 = [&](double p) {
                const double h = (static_cast<double>(v.size()) - 1) * p;
                const auto lo = static_cast<size_t>(h);
                const size_t hi = std::min(lo + 1, v.size() - 1);
                return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
            };
            QCOMPARE(row.p50, type7(0.5));
            QCOMPARE(row.p99, type7(0.99));
            QCOMPARE(row.max, v.back());
            QVERIFY(row.ratio() <= previousRatio);
            previousRatio = row.ratio();
        }
    }

    void cancelledComputationSaysSo() {
        const DatasetPtr d = randomData(100);
        const FacetIndex index = buildFacetIndex(*d);
        std::atomic<bool> cancel{true};
        QVERIFY(computeOutliers(*d, index, all(*d), {}, &cancel).cancelled);
    }

    void isoTimes() {
        QCOMPARE(isoTimeUtc(0), std::string("1970-01-01T00:00:00.000Z"));
        QCOMPARE(isoTimeUtc(1790000000123LL * 1000000), std::string("2026-09-21T14:13:20.123Z"));
        QCOMPARE(isoTimeUtc(951825600000LL * 1000000), std::string("2000-02-29T12:00:00.000Z"));
    }
};

QTEST_GUILESS_MAIN(TestOutliers)
#include "tst_outliers.moc"
