// Filter -> Selection on a small hand-made data set: each kind of filter, the sidebar's counts under the other
// filters, and the overview's figures for a selection, checked against values worked out by hand.
#include <QTest>

#include <cmath>
#include <map>
#include <string>

#include "datasetbuilder.h"
#include "overview.h"
#include "selection.h"

using namespace ps;

namespace {

constexpr int64_t kMs = 1000000;

struct Req {
    const char* trace;
    const char* feature;
    const char* model;
    int64_t startMs;
    int64_t durationMs;
    bool error;
    double cost;
    const char* errorMessage = "";
};

// Six requests, one root span each (plus one LLM call carrying model and cost).
DatasetPtr build() {
    const Req reqs[] = {
        {"t1", "chat", "gpt-4.1", 0, 100, false, 0.01},
        {"t2", "chat", "gpt-4.1", 1000, 200, true, 0.02, "429 Rate limit reached"},
        {"t3", "chat", "claude", 2000, 300, false, 0.03},
        {"t4", "invoice", "gpt-4.1", 3000, 400, false, 0.04},
        {"t5", "invoice", "claude", 4000, 500, true, 0.05, "timeout"},
        {"t6", "sales", "claude", 5000, 600, false, 0.06},
    };
    DatasetBuilder builder;
    RecordBatch b;
    uint64_t id = 1;
    for (const Req& r : reqs) {
        RawSpan root;
        root.traceId = b.strings.intern(r.trace);
        root.spanId = id++;
        root.startNs = r.startMs * kMs;
        root.endNs = (r.startMs + r.durationMs) * kMs;
        root.name = b.strings.intern(std::string("handle ") + r.feature);
        root.feature = b.strings.intern(r.feature);
        root.status = r.error ? SpanStatus::Error : SpanStatus::Ok;
        if (r.error) {
            root.statusMessage = b.strings.intern(r.errorMessage);
        }
        RawSpan call = root;
        call.parentSpanId = root.spanId;
        call.spanId = id++;
        call.kind = SpanKind::Llm;
        call.status = SpanStatus::Ok;
        call.statusMessage = {};
        call.model = b.strings.intern(r.model);
        call.costUsd = r.cost;
        call.inputTokens = 10;
        call.outputTokens = 5;
        call.endNs = call.startNs + 10 * kMs;
        b.spans.push_back(root);
        b.spans.push_back(call);
    }
    builder.addBatch(std::move(b));
    return builder.build();
}

uint32_t facetCount(const Dataset& d, const Selection& s, Dimension dim, std::string_view value) {
    for (const FacetValue& v : s.facets[static_cast<size_t>(dim)]) {
        if (d.str(v.value) == value) {
            return v.count;
        }
    }
    return 0;
}

StringId valueOfDimension(const Dataset& d, Dimension dim, uint32_t r) {
    const RequestColumns& q = d.requests;
    switch (dim) {
    case Dimension::Feature: return q.feature[r];
    case Dimension::PromptName: return q.promptName[r];
    case Dimension::PromptVersion: return q.promptVersion[r];
    case Dimension::Model: return q.model[r];
    case Dimension::Provider: return q.provider[r];
    case Dimension::Environment: return q.environment[r];
    case Dimension::Tenant: return q.tenant[r];
    case Dimension::TenantTier: return StringId{};
    case Dimension::User: return q.user[r];
    case Dimension::Session: return q.session[r];
    case Dimension::FinishReason: return q.finishReason[r];
    }
    return StringId{};
}

}  // namespace

class TestSelection : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        data_ = build();
        QCOMPARE(data_->requestCount(), size_t{6});
        index_ = buildFacetIndex(*data_);
    }

    void everythingWithoutAFilter() {
        const Selection s = selectRequests(*data_, index_, Filter{});
        QCOMPARE(s.requests.size(), size_t{6});
        QCOMPARE(facetCount(*data_, s, Dimension::Feature, "chat"), 3u);
        QCOMPARE(facetCount(*data_, s, Dimension::Model, "claude"), 3u);
        QCOMPARE(s.statusCounts[2], 2u);
    }

    void facetCountsIgnoreTheirOwnDimension() {
        Filter f;
        f.of(Dimension::Feature) = {"chat"};
        f.of(Dimension::Model) = {"claude"};
        const Selection s = selectRequests(*data_, index_, f);
        QCOMPARE(s.requests, (std::vector<uint32_t>{2}));  // t3
        // Feature counts under model=claude: chat 1 (t3), invoice 1 (t5), sales 1 (t6).
        QCOMPARE(facetCount(*data_, s, Dimension::Feature, "invoice"), 1u);
        QCOMPARE(facetCount(*data_, s, Dimension::Feature, "sales"), 1u);
        // Model counts under feature=chat: gpt-4.1 2 (t1, t2), claude 1.
        QCOMPARE(facetCount(*data_, s, Dimension::Model, "gpt-4.1"), 2u);
        QCOMPARE(facetCount(*data_, s, Dimension::Model, "claude"), 1u);
    }

    void unknownValuesMatchNothingAndNoneMatchesMissing() {
        Filter f;
        f.of(Dimension::Feature) = {"nope"};
        QVERIFY(selectRequests(*data_, index_, f).requests.empty());
        Filter none;
        none.of(Dimension::Tenant) = {"(none)"};
        QCOMPARE(selectRequests(*data_, index_, none).requests.size(), size_t{6});
    }

    void timeRangeIsHalfOpen() {
        Filter f;
        f.beginNs = 1000 * kMs;  // t2 starts exactly here: kept
        f.endNs = 4000 * kMs;    // t5 starts exactly here: left out
        QCOMPARE(selectRequests(*data_, index_, f).requests, (std::vector<uint32_t>{1, 2, 3}));
    }

    void thresholdsStatusAndText() {
        Filter slow;
        slow.minLatencyMs = 300;
        slow.maxLatencyMs = 500;  // inclusive bounds: t3, t4, t5
        QCOMPARE(selectRequests(*data_, index_, slow).requests, (std::vector<uint32_t>{2, 3, 4}));
        Filter errors;
        errors.status = StatusFilter::Error;
        QCOMPARE(selectRequests(*data_, index_, errors).requests, (std::vector<uint32_t>{1, 4}));
        Filter expensive;
        expensive.minCostUsd = 0.045;
        QCOMPARE(selectRequests(*data_, index_, expensive).requests, (std::vector<uint32_t>{4, 5}));
        Filter text;
        text.text = "RATE LIMIT";  // case-insensitive, in an error message
        QCOMPARE(selectRequests(*data_, index_, text).requests, (std::vector<uint32_t>{1}));
        text.text = "Invoice";  // in the root span's name
        const Selection invoices = selectRequests(*data_, index_, text);
        QCOMPARE(invoices.requests, (std::vector<uint32_t>{3, 4}));
        // A second selection with the same text reuses the first one's verdicts (the previous period does).
        QVERIFY(invoices.textMatch);
        Filter later = text;
        later.beginNs = data_->requests.startNs[4];
        const Selection reused = selectRequests(*data_, index_, later, nullptr, false, invoices.textMatch);
        QCOMPARE(reused.textMatch, invoices.textMatch);
        QCOMPARE(reused.requests, (std::vector<uint32_t>{4}));
        QCOMPARE(reused.requests, selectRequests(*data_, index_, later).requests);
        QVERIFY(!selectRequests(*data_, index_, Filter{}, nullptr, true, invoices.textMatch).textMatch);
    }

    void overviewOfASelection() {
        Filter f;
        f.of(Dimension::Model) = {"claude"};  // t3 300 ms, t5 500 ms (error, timeout), t6 600 ms
        const Selection s = selectRequests(*data_, index_, f);
        const OverviewResult o = computeOverview(*data_, index_, f, s, Grain::Request);
        QCOMPARE(o.rows, uint64_t{3});
        QCOMPARE(o.kpis[static_cast<size_t>(Kpi::ErrorRate)].current, 1.0 / 3.0);
        // Type 7 over {300, 500, 600}: p95 at h = 1.9 -> 500 + 0.9 * 100.
        QCOMPARE(o.kpis[static_cast<size_t>(Kpi::P95Latency)].current, 590.0);
        QCOMPARE(o.latencyMs.p50, 500.0);
        QCOMPARE(o.tokens.input, uint64_t{30});
        double cost = 0;
        for (double c : o.series.costUsd) {
            cost += c;
        }
        QVERIFY(std::abs(cost - 0.14) < 1e-12);
        const Breakdown& byFeature = o.breakdowns[1];
        QCOMPARE(byFeature.field, GroupField::Feature);
        QCOMPARE(byFeature.rows.size(), size_t{3});
        size_t errorsByClass = 0;
        for (double r : o.series.errorRate[static_cast<size_t>(ErrorClass::Timeout)]) {
            errorsByClass += r > 0;
        }
        QCOMPARE(errorsByClass, size_t{1});
        const OverviewResult calls = computeOverview(*data_, index_, f, s, Grain::Generation);
        QCOMPARE(calls.rows, uint64_t{3});
        QCOMPARE(calls.latencyMs.p50, 10.0);
    }

    void bigSelectionsSplitAcrossThreadsGiveTheSameAnswer() {
        // 100,000 requests: big enough for the two-thread scan; compared with a plain loop written here.
        DatasetBuilder builder;
        RecordBatch b;
        const char* features[] = {"a", "b", "c", "d", "e"};
        for (uint32_t i = 0; i < 100000; ++i) {
            RawSpan s;
            s.traceId = b.strings.intern("t" + std::to_string(i));
            s.spanId = i + 1;
            s.startNs = int64_t{i} * kMs;
            s.endNs = s.startNs + int64_t{1 + i % 997} * kMs;
            s.feature = b.strings.intern(features[(i * 7) % 5]);
            s.user = b.strings.intern("u" + std::to_string(i % 1234));
            s.status = i % 13 == 0 ? SpanStatus::Error : SpanStatus::Ok;
            s.name = b.strings.intern("root");
            b.spans.push_back(s);
        }
        builder.addBatch(std::move(b));
        const DatasetPtr d = builder.build();
        const FacetIndex index = buildFacetIndex(*d);
        Filter f;
        f.of(Dimension::Feature) = {"b", "d"};
        f.minLatencyMs = 100;
        const Selection split = selectRequests(*d, index, f);
        const Selection plain = selectRequests(*d, index, f, nullptr, false);
        QCOMPARE(split.requests, plain.requests);
        std::vector<uint32_t> expected;
        uint32_t errors = 0;
        std::map<std::string, uint32_t> users;     // under feature b/d and the latency bound
        std::map<std::string, uint32_t> featureA;  // feature a under the latency bound
        for (uint32_t r = 0; r < d->requestCount(); ++r) {
            const std::string feature(d->str(d->requests.feature[r]));
            const bool slowEnough = static_cast<double>(d->requests.durationNs[r]) / 1e6 >= 100;
            if (!slowEnough) {
                continue;
            }
            if (feature == "a") {
                ++featureA[feature];
            }
            if (feature == "b" || feature == "d") {
                expected.push_back(r);
                errors += (d->requests.flags[r] & kRequestError) != 0;
                ++users[std::string(d->str(d->requests.user[r]))];
            }
        }
        QCOMPARE(split.requests, expected);
        QCOMPARE(split.statusCounts[2], errors);
        QCOMPARE(facetCount(*d, split, Dimension::Feature, "a"), featureA["a"]);
        QCOMPARE(split.valueCount[static_cast<size_t>(Dimension::User)], uint32_t(users.size()));
        const FacetValue& topUser = split.facets[static_cast<size_t>(Dimension::User)].front();
        QCOMPARE(topUser.count, users[std::string(d->str(topUser.value))]);
    }

    void facetCountsMatchAPlainCountForEveryValue() {
        // Dimensions of many sizes, so that the index packs several together and counts sessions (6,000 values)
        // on their own; two dimension filters, so that rows failing exactly one of them count for that one.
        DatasetBuilder builder;
        RecordBatch b;
        const int sizes[] = {5, 3, 7, 4, 2, 40, 1500, 6000};  // feature, env, model, provider, prompt, tenant, user, session
        for (uint32_t i = 0; i < 80000; ++i) {
            RawSpan s;
            s.traceId = b.strings.intern("t" + std::to_string(i));
            s.spanId = i + 1;
            s.startNs = int64_t{i} * kMs;
            s.endNs = s.startNs + int64_t{1 + (i * 31) % 997} * kMs;
            auto value = [&](int dim, uint32_t salt) {
                return b.strings.intern("v" + std::to_string(dim) + "_" + std::to_string((i * salt + i / 7) % sizes[dim]));
            };
            s.feature = value(0, 3);
            s.environment = value(1, 5);
            s.model = value(2, 11);
            s.provider = value(3, 13);
            s.promptName = value(4, 17);
            s.tenant = value(5, 19);
            s.user = value(6, 23);
            s.session = b.strings.intern("s" + std::to_string(i % 6000));
            s.name = b.strings.intern("root");
            b.spans.push_back(s);
        }
        builder.addBatch(std::move(b));
        const DatasetPtr d = builder.build();
        const FacetIndex index = buildFacetIndex(*d);
        QVERIFY(index.packs.size() >= 2);
        QVERIFY2(std::find(index.loneDims.begin(), index.loneDims.end(), static_cast<uint8_t>(Dimension::Session)) !=
                     index.loneDims.end(),
                 qPrintable(QString::number(index.valueOf[static_cast<size_t>(Dimension::Session)].size())));
        Filter f;
        f.of(Dimension::Feature) = {"v0_1", "v0_3"};
        f.of(Dimension::Model) = {"v2_0", "v2_2", "v2_5"};
        f.maxLatencyMs = 800;
        const Selection sel = selectRequests(*d, index, f);
        const std::vector<StringId> tiers = tenantTierColumn(*d);
        for (size_t k = 0; k < kDimensionCount; ++k) {
            const auto dim = static_cast<Dimension>(k);
            std::map<std::string, uint32_t> expected;
            for (uint32_t r = 0; r < d->requestCount(); ++r) {
                if (static_cast<double>(d->requests.durationNs[r]) / 1e6 > 800) {
                    continue;
                }
                auto passes = [&](Dimension other, StringId v) {
                    const auto& wanted = f.of(other);
                    const std::string text = v.isEmpty() ? std::string("(none)") : std::string(d->str(v));
                    return other == dim || wanted.empty() || std::find(wanted.begin(), wanted.end(), text) != wanted.end();
                };
                if (!passes(Dimension::Feature, d->requests.feature[r]) || !passes(Dimension::Model, d->requests.model[r])) {
                    continue;
                }
                const StringId v = dim == Dimension::TenantTier ? tiers[r] : valueOfDimension(*d, dim, r);
                ++expected[v.isEmpty() ? std::string("(none)") : std::string(d->str(v))];
            }
            QCOMPARE(sel.valueCount[k], static_cast<uint32_t>(expected.size()));
            for (const FacetValue& v : sel.facets[k]) {
                const std::string text = v.value.isEmpty() ? std::string("(none)") : std::string(d->str(v.value));
                QCOMPARE(v.count, expected[text]);
            }
        }
    }

private:
    DatasetPtr data_;
    FacetIndex index_;
};

QTEST_GUILESS_MAIN(TestSelection)
#include "tst_selection.moc"
