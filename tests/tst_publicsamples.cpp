// The real upstream files in tests/data/public-samples, loaded through the public loader, checked against values
// read off the files by hand (see SOURCES.md for where each file comes from).
#include <QTest>

#include "ingesttesting.h"

using namespace ps;
using namespace ps::testing;

class TestPublicSamples : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void otelJsSdkChat() {
        const LoadResult r = loadFiles({samplePath("otel-js-sdk__instrumentation-openai__chat.jsonl")});
        QVERIFY2(r.dataset, r.error.c_str());
        const Dataset& ds = *r.dataset;
        QCOMPARE(ds.issueCount, uint64_t{0});
        QCOMPARE(ds.spanCount(), size_t{48});
        QCOMPARE(ds.requestCount(), size_t{24});
        QCOMPARE(ds.generationCount(), size_t{24});
        QCOMPARE(ds.sources.size(), size_t{1});
        QCOMPARE(ds.sources[0].format, SourceFormat::OtlpJson);
        uint64_t input = 0;
        uint64_t output = 0;
        int v42 = 0;
        int v43 = 0;
        int errors = 0;
        for (uint32_t r = 0; r < ds.requestCount(); ++r) {
            const uint32_t root = ds.requests.firstSpan[r];
            QCOMPARE(ds.spanEnd(RequestIndex{r}) - root, 2u);
            QCOMPARE(ds.str(ds.spans.name[root]), std::string_view("support_chatbot.request"));
            QCOMPARE(ds.spans.parent[root], SpanIndex::kInvalid);
            QCOMPARE(ds.spans.parent[root + 1], root);
            QVERIFY(ds.str(ds.spans.name[root + 1]).starts_with("chat gpt-4.1"));
            QCOMPARE(ds.spans.kind[root + 1], SpanKind::Llm);
            QCOMPARE(ds.str(ds.spans.service[root]), std::string_view("support-bot"));
            QCOMPARE(ds.str(ds.requests.environment[r]), std::string_view("production"));
            QCOMPARE(ds.str(ds.requests.promptName[r]), std::string_view("support_answer"));
            input += ds.requests.inputTokens[r];
            output += ds.requests.outputTokens[r];
            const std::string_view version = ds.str(ds.requests.promptVersion[r]);
            v42 += version == "42";
            v43 += version == "43";
            if (ds.requests.flags[r] & kRequestError) {
                ++errors;
                QCOMPARE(ds.requests.errorClass[r], ErrorClass::RateLimited);
                QCOMPARE(ds.str(ds.requests.traceId[r]), std::string_view("7501aa7d047b8088a3cd1da51041636f"));
            }
        }
        QCOMPARE(input, uint64_t{6393});
        QCOMPARE(output, uint64_t{5231});
        QCOMPARE(v42, 18);
        QCOMPARE(v43, 6);
        QCOMPARE(errors, 1);

        const RequestIndex first = ds.findRequest("b8bec48fd81b9660f33b6f27e4656b9e");
        QVERIFY(first.value != RequestIndex::kInvalid);
        QCOMPARE(ds.requests.durationNs[first.value], int64_t{109277678});
        QCOMPARE(ds.str(ds.requests.session[first.value]), std::string_view("sess-0"));
        QCOMPARE(ds.str(ds.requests.user[first.value]), std::string_view("user-0"));
        const uint32_t gen = ds.requests.firstGeneration[first.value];
        // The response model is preferred over the requested one.
        QCOMPARE(ds.str(ds.generations.model[gen]), std::string_view("gpt-4.1-mini-2025-04-14"));
        QCOMPARE(ds.str(ds.generations.provider[gen]), std::string_view("openai"));
        QCOMPARE(ds.str(ds.generations.finishReason[gen]), std::string_view("stop"));
        QCOMPARE(ds.generations.inputTokens[gen], 415u);
        QCOMPARE(ds.generations.outputTokens[gen], 638u);
        // No cost in the data: priced from the bundled table (gpt-4.1-mini: $0.40 in, $1.60 out per MTok).
        QCOMPARE(ds.generations.costSource[gen], CostSource::Pricing);
        QVERIFY(std::abs(ds.generations.costUsd[gen] - (415 * 0.4 + 638 * 1.6) / 1e6) < 1e-12);
        // The prompt version is inherited from the root by the model call.
        QCOMPARE(ds.str(ds.generations.promptVersion[gen]), std::string_view("43"));
    }

    void otlpProtoExample() {
        const LoadResult r = loadFiles({samplePath("open-telemetry__opentelemetry-proto__examples_trace.json")});
        QVERIFY2(r.dataset, r.error.c_str());
        const Dataset& ds = *r.dataset;
        QCOMPARE(ds.issueCount, uint64_t{0});
        QCOMPARE(ds.spanCount(), size_t{1});
        QCOMPARE(ds.requestCount(), size_t{1});
        // Upper-case hex ids become canonical lower case; the parent is not in the file, so the span is a root.
        QCOMPARE(ds.str(ds.requests.traceId[0]), std::string_view("5b8efff798038103d269b633813fc60c"));
        QCOMPARE(ds.spans.parent[0], SpanIndex::kInvalid);
        QCOMPARE(ds.stats.orphanSpans, uint64_t{1});
        QCOMPARE(ds.str(ds.spans.name[0]), std::string_view("I'm a server span"));
        QCOMPARE(ds.str(ds.spans.service[0]), std::string_view("my.service"));
        QCOMPARE(ds.spans.startNs[0], int64_t{1544712660000000000});
        QCOMPARE(ds.spans.durationNs[0], int64_t{1000000000});
    }

    void jaegerOtlpFixture() {
        const LoadResult r = loadFiles({samplePath("jaegertracing__jaeger__example_trace_otlp.json")});
        QVERIFY2(r.dataset, r.error.c_str());
        const Dataset& ds = *r.dataset;
        QCOMPARE(ds.issueCount, uint64_t{0});
        QCOMPARE(ds.spanCount(), size_t{5});
        QCOMPARE(ds.requestCount(), size_t{1});
        QCOMPARE(ds.str(ds.requests.traceId[0]), std::string_view("00000000000000000000000000000011"));
        QStringList services;
        for (uint32_t s = 0; s < 5; ++s) {
            QCOMPARE(ds.spans.durationNs[s], int64_t{100000});
            QCOMPARE(ds.spans.parent[s], SpanIndex::kInvalid);
            services << QString::fromUtf8(ds.str(ds.spans.service[s]));
        }
        services.sort();
        QCOMPARE(services.join(u','), QStringLiteral("example-service-1,example-service-1,example-service-1,"
                                                     "example-service-2,example-service-3"));
    }

    void envoyBareOpenInferenceSpan() {
        const LoadResult r = loadFiles({samplePath("envoyproxy__ai-gateway__testopeninference_chat-tools.json")});
        QVERIFY2(r.dataset, r.error.c_str());
        const Dataset& ds = *r.dataset;
        QCOMPARE(ds.spanCount(), size_t{1});
        QCOMPARE(ds.generationCount(), size_t{1});
        QCOMPARE(ds.str(ds.spans.name[0]), std::string_view("ChatCompletion"));
        QCOMPARE(ds.spans.kind[0], SpanKind::Llm);
        QCOMPARE(ds.spans.status[0], SpanStatus::Ok);
        QCOMPARE(ds.str(ds.generations.model[0]), std::string_view("gpt-5-nano-2025-08-07"));
        QCOMPARE(ds.str(ds.generations.provider[0]), std::string_view("openai"));
        QCOMPARE(ds.generations.inputTokens[0], 162u);
        QCOMPARE(ds.generations.outputTokens[0], 287u);
        QCOMPARE(ds.generations.reasoningTokens[0], 256u);
        QCOMPARE(ds.generations.cachedTokens[0], 0u);
        // The recorded span has no ids and no times: kept, with one issue saying so.
        QVERIFY(hasIssue(ds, 1, "startTimeUnixNano"));
        QVERIFY(hasIssue(ds, 1, "traceId"));
    }

    void unsupportedFormatSaysSo() {
        const LoadResult r = loadFiles({samplePath("BerriAI__litellm__spend_logs_payload.json")});
        QVERIFY(!r.dataset);
        QVERIFY2(r.error.find("LiteLLM") != std::string::npos, r.error.c_str());
    }
};

QTEST_GUILESS_MAIN(TestPublicSamples)
#include "tst_publicsamples.moc"
