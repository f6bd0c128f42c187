// Cold data on demand: span records read back from their sources and parsed into SpanDetails. Checked on the
// real public samples against values read by hand from the files, on tracegen output against an independent
// reading of the same file with QJsonDocument, and on malformed, truncated, changed and vanished sources.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <set>

#include "colddata.h"
#include "colddatatexts.h"
#include "contentsearch.h"
#include "conversation.h"
#include "datasetbuilder.h"
#include "ingesttesting.h"
#include "otlpreference.h"
#include "otlpspanrecord.h"

using namespace ps;
using ps::testing::handMadeRequest;
using ps::testing::loadFiles;
using ps::testing::malformedSpanTexts;
using ps::testing::readReference;
using ps::testing::referenceMessages;
using ps::testing::ReferenceSpan;
using ps::testing::samplePath;
using ps::testing::stringAttr;
using ps::testing::writeFile;

namespace {

const QString kTracegen = QStringLiteral(PROMPTSCOPE_BINARY_DIR "/app/tracegen");

bool runTracegen(const QStringList& args) {
    QProcess p;
    p.start(kTracegen, args);
    return p.waitForFinished(120000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

DatasetPtr load(const std::string& path) {
    return loadFiles({path}).dataset;
}

// The row of the span with this id, found by reading every span's record.
uint32_t rowOfSpanId(const DatasetPtr& d, const std::string& spanId) {
    ColdDataReader reader(d);
    for (uint32_t row = 0; row < d->spanCount(); ++row) {
        if (reader.readSpan(row, false).spanId == spanId) {
            return row;
        }
    }
    return SpanIndex::kInvalid;
}

std::string attr(const SpanDetails& s, std::string_view key) {
    const DetailAttribute* a = s.attribute(key);
    return a != nullptr ? a->value : std::string("<missing>");
}

AttributeGroup groupOf(const SpanDetails& s, std::string_view key) {
    const DetailAttribute* a = s.attribute(key);
    return a != nullptr ? a->group : AttributeGroup::Other;
}

}  // namespace

class TestColdData : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        otlp_ = dir_.path() + QStringLiteral("/small.otlp.jsonl");
        requestLog_ = dir_.path() + QStringLiteral("/small.jsonl");
        QVERIFY(runTracegen({QStringLiteral("--requests"), QStringLiteral("40"), QStringLiteral("--seed"),
                             QStringLiteral("5"), QStringLiteral("--format"), QStringLiteral("otlp"),
                             QStringLiteral("--content-rate"), QStringLiteral("1"),
                             QStringLiteral("--no-records"), QStringLiteral("--out"), otlp_}));
        QVERIFY(runTracegen({QStringLiteral("--requests"), QStringLiteral("20"), QStringLiteral("--seed"),
                             QStringLiteral("5"), QStringLiteral("--format"), QStringLiteral("jsonl"),
                             QStringLiteral("--out"), requestLog_}));
    }

    // opentelemetry-proto examples/trace.json: one pretty-printed request, UPPERCASE hex ids, kind 2.
    void canonicalSampleSpan() {
        const DatasetPtr d = load(samplePath("open-telemetry__opentelemetry-proto__examples_trace.json"));
        QVERIFY(d);
        QCOMPARE(d->spanCount(), size_t{1});
        ColdDataReader reader(d);
        const SpanDetails s = reader.readSpan(0);
        QVERIFY2(s.ok(), s.error.c_str());
        QCOMPARE(s.name, std::string("I'm a server span"));
        QCOMPARE(s.kind, std::string("server"));
        QCOMPARE(s.traceId, std::string("5b8efff798038103d269b633813fc60c"));
        QCOMPARE(s.spanId, std::string("eee19b7ec3c1b174"));
        QCOMPARE(s.parentSpanId, std::string("eee19b7ec3c1b173"));
        QCOMPARE(s.startNs, int64_t{1544712660000000000});
        QCOMPARE(s.endNs, int64_t{1544712661000000000});
        QCOMPARE(attr(s, "my.span.attr"), std::string("some value"));
        QCOMPARE(groupOf(s, "my.span.attr"), AttributeGroup::Other);
        QCOMPARE(attr(s, "service.name"), std::string("my.service"));
        QCOMPARE(groupOf(s, "service.name"), AttributeGroup::Resource);
        QCOMPARE(s.scopeName, std::string("my.library"));
        QCOMPARE(s.scopeVersion, std::string("1.0.0"));
        QCOMPARE(attr(s, "my.scope.attribute"), std::string("some scope attribute"));
        QCOMPARE(s.attributes.size(), size_t{5});  // span 1, resource 1, scope name + version + 1 attribute
        QVERIFY(s.messages.empty());
        QVERIFY(s.events.empty());
    }

    // Jaeger's OTLP fixture: three resourceSpans entries, each its own service; events with only a time.
    void jaegerSampleResourcePerEntry() {
        const DatasetPtr d = load(samplePath("jaegertracing__jaeger__example_trace_otlp.json"));
        QVERIFY(d);
        QCOMPARE(d->spanCount(), size_t{5});
        const std::pair<const char*, const char*> expected[] = {{"0000000000000004", "example-service-2"},
                                                                {"0000000000000005", "example-service-3"},
                                                                {"0000000000000003", "example-service-1"},
                                                                {"0000000000000007", "example-service-1"}};
        ColdDataReader reader(d);
        for (const auto& [id, service] : expected) {
            const uint32_t row = rowOfSpanId(d, id);
            QVERIFY2(row != SpanIndex::kInvalid, id);
            const SpanDetails s = reader.readSpan(row);
            QCOMPARE(attr(s, "service.name"), std::string(service));
            QCOMPARE(s.events.size(), size_t{2});
            QCOMPARE(s.events[0].timeNs, int64_t{1485449191639875000});
            QVERIFY(s.events[0].name.empty());
            QCOMPARE(s.statusCode, std::string("unset"));
        }
        QCOMPARE(reader.readSpan(rowOfSpanId(d, "0000000000000007")).kind, std::string("client"));
    }

    // Envoy AI Gateway's OpenInference span: a bare pretty-printed Span, enum names, intValue strings, a tool
    // call in llm.output_messages.
    void openInferenceSampleConversation() {
        const DatasetPtr d = load(samplePath("envoyproxy__ai-gateway__testopeninference_chat-tools.json"));
        QVERIFY(d);
        QCOMPARE(d->spanCount(), size_t{1});
        ColdDataReader reader(d);
        const SpanDetails s = reader.readSpan(0);
        QVERIFY2(s.ok(), s.error.c_str());
        QCOMPARE(s.name, std::string("ChatCompletion"));
        QCOMPARE(s.kind, std::string("internal"));
        QCOMPARE(s.statusCode, std::string("ok"));
        QCOMPARE(s.attributes.size(), size_t{22});
        QCOMPARE(attr(s, "llm.token_count.prompt"), std::string("162"));
        QCOMPARE(s.attribute("llm.token_count.prompt")->type, std::string("int"));
        QCOMPARE(groupOf(s, "llm.model_name"), AttributeGroup::OpenInference);
        QCOMPARE(groupOf(s, "input.value"), AttributeGroup::OpenInference);
        QCOMPARE(s.messages.size(), size_t{2});
        QCOMPARE(s.messages[0].role, MessageRole::User);
        QCOMPARE(s.messages[0].content, std::string("What is the weather like in Boston today?"));
        QVERIFY(!s.messages[0].output);
        QCOMPARE(s.messages[1].role, MessageRole::Assistant);
        QVERIFY(s.messages[1].output);
        QVERIFY(s.messages[1].content.empty());
        QCOMPARE(s.messages[1].toolCalls.size(), size_t{1});
        QCOMPARE(s.messages[1].toolCalls[0].name, std::string("get_current_weather"));
        QCOMPARE(s.messages[1].toolCalls[0].id, std::string("call_8fxy20OEu9ulvvaa5b5CzVA4"));
        QCOMPARE(s.messages[1].toolCalls[0].arguments,
                 std::string("{\n  \"location\": \"Boston, MA\",\n  \"unit\": \"fahrenheit\"\n}"));
        QCOMPARE(s.messagesFrom, std::string("llm.input_messages.N.*; llm.output_messages.N.*"));
    }

    // The OpenTelemetry JS SDK file: a 429 recorded as an exception event with a stack trace.
    void jsSdkSampleExceptionEvent() {
        const DatasetPtr d = load(samplePath("otel-js-sdk__instrumentation-openai__chat.jsonl"));
        QVERIFY(d);
        const uint32_t row = rowOfSpanId(d, "f60f27c3352efc82");
        QVERIFY(row != SpanIndex::kInvalid);
        ColdDataReader reader(d);
        const SpanDetails s = reader.readSpan(row);
        QCOMPARE(s.name, std::string("support_chatbot.request"));
        QCOMPARE(s.traceId, std::string("7501aa7d047b8088a3cd1da51041636f"));
        QCOMPARE(s.statusCode, std::string("error"));
        QCOMPARE(s.statusMessage, std::string("429 Rate limit reached"));
        QCOMPARE(s.events.size(), size_t{1});
        QVERIFY(s.events[0].isException());
        QCOMPARE(s.events[0].exceptionType, std::string("rate_limit_exceeded"));
        QCOMPARE(s.events[0].exceptionMessage, std::string("429 Rate limit reached"));
        QVERIFY(
            s.events[0].stacktrace.starts_with("Error: 429 Rate limit reached\n    at APIError.generate "
                                               "(/srv/support-bot/node_modules/openai/"));
        QCOMPARE(s.events[0].timeNs, int64_t{1795353231840503788});
        QCOMPARE(attr(s, "session.id"), std::string("sess-7"));
        QCOMPARE(attr(s, "service.name"), std::string("support-bot"));
        QCOMPARE(attr(s, "deployment.environment"), std::string("production"));
        QCOMPARE(s.scopeName, std::string("support-bot"));  // its own scope, not the model call's
        // A model call that succeeded: a finish_reasons array, numbers as JSON numbers.
        const SpanDetails call = reader.readSpan(rowOfSpanId(d, "a0bbe36f74f11060"));
        QCOMPARE(call.name, std::string("chat gpt-4.1-mini"));
        QCOMPARE(attr(call, "gen_ai.usage.input_tokens"), std::string("415"));
        QCOMPARE(call.scopeName, std::string("@opentelemetry/instrumentation-openai"));
        QCOMPARE(attr(call, "gen_ai.response.finish_reasons"), std::string("[\"stop\"]"));
        QCOMPARE(call.attribute("gen_ai.response.finish_reasons")->type, std::string("array"));
        QCOMPARE(attr(call, "gen_ai.request.temperature"), std::string("0.2"));
        QCOMPARE(groupOf(call, "gen_ai.request.temperature"), AttributeGroup::GenAi);
    }

    void tracegenSpansMatchAnIndependentReading() {
        const DatasetPtr d = load(otlp_.toStdString());
        QVERIFY(d);
        const auto reference = readReference(otlp_);
        QCOMPARE(reference.size(), d->spanCount());
        ColdDataReader reader(d);
        int withMessages = 0;
        std::set<std::string> conventions;
        for (uint32_t row = 0; row < d->spanCount(); ++row) {
            const SpanDetails s = reader.readSpan(row);
            QVERIFY2(s.ok(), s.error.c_str());
            const auto it = reference.find(s.spanId);
            QVERIFY2(it != reference.end(), s.spanId.c_str());
            const QJsonObject& span = it->second.span;
            QCOMPARE(QString::fromStdString(s.name), span[QStringLiteral("name")].toString());
            QCOMPARE(QString::fromStdString(s.traceId), span[QStringLiteral("traceId")].toString());
            QCOMPARE(QString::fromStdString(s.parentSpanId), span[QStringLiteral("parentSpanId")].toString());
            QCOMPARE(QString::number(s.startNs), span[QStringLiteral("startTimeUnixNano")].toString());
            const QJsonArray attributes = span[QStringLiteral("attributes")].toArray();
            // Span attributes, resource attributes, then the scope's name and version.
            QCOMPARE(s.attributes.size(),
                     static_cast<size_t>(attributes.size() + it->second.resource.size() + 2));
            for (qsizetype i = 0; i < attributes.size(); ++i) {
                QCOMPARE(QString::fromStdString(s.attributes[static_cast<size_t>(i)].key),
                         attributes[i][QStringLiteral("key")].toString());
            }
            QCOMPARE(QString::fromStdString(attr(s, "service.name")),
                     stringAttr(it->second.resource, QStringLiteral("service.name")));
            QCOMPARE(QString::fromStdString(s.scopeName),
                     it->second.scope[QStringLiteral("name")].toString());
            QStringList texts;
            QStringList tools;
            referenceMessages(attributes, &texts, &tools);
            QStringList got;
            QStringList gotTools;
            for (const ChatMessage& m : s.messages) {
                got << QString::fromStdString(m.content);
                for (const ToolCall& c : m.toolCalls) {
                    gotTools << QString::fromStdString(c.name);
                }
            }
            QCOMPARE(got, texts);
            QCOMPARE(gotTools, tools);
            if (!s.messages.empty()) {
                ++withMessages;
                conventions.insert(s.messagesFrom);
            }
        }
        QVERIFY(withMessages >= 40);  // every request's model calls record content at --content-rate 1
        QVERIFY(conventions.count("gen_ai.input.messages; gen_ai.output.messages") == 1);
        QVERIFY(conventions.count("gen_ai.prompt.N.*; gen_ai.completion.N.*") == 1);
        QVERIFY(conventions.count("llm.input_messages.N.*; llm.output_messages.N.*") == 1);
    }

    void handMadeVariantsAndConversations() {
        QTemporaryDir dir;
        const DatasetPtr d = load(writeFile(dir, "hand.otlp.jsonl", handMadeRequest()));
        QVERIFY(d);
        QCOMPARE(d->issueCount, uint64_t{0});
        QCOMPARE(d->spanCount(), size_t{2});
        ColdDataReader reader(d);
        const SpanDetails chat = reader.readSpan(0);
        QVERIFY2(chat.ok(), chat.error.c_str());
        QCOMPARE(chat.traceId, std::string("5b8efff798038103d269b633813fc60c"));
        QCOMPARE(chat.spanId, std::string("eee19b7ec3c1b174"));
        QCOMPARE(chat.kind, std::string("client"));
        QCOMPARE(chat.startNs, int64_t{1000});
        QCOMPARE(chat.endNs, int64_t{5000});
        QCOMPARE(chat.statusCode, std::string("error"));
        QCOMPARE(chat.statusMessage, std::string("boom"));
        QCOMPARE(attr(chat, "gen_ai.usage.input_tokens"), std::string("12"));
        QCOMPARE(chat.attribute("gen_ai.usage.input_tokens")->type, std::string("double"));
        QCOMPARE(attr(chat, "score"), std::string("NaN"));
        QCOMPARE(attr(chat, "flag"), std::string("true"));
        QCOMPARE(chat.attribute("blob")->type, std::string("bytes"));
        QCOMPARE(attr(chat, "meta"), std::string("{\"a\": 1}"));
        QCOMPARE(chat.attribute("meta")->type, std::string("map"));
        QCOMPARE(attr(chat, "service.name"), std::string("hand-svc"));
        QCOMPARE(attr(chat, "otel.scope.version"), std::string("2"));
        QCOMPARE(chat.links.size(), size_t{1});
        QCOMPARE(chat.links[0].traceId, std::string("00000000000000000000000000000011"));
        QCOMPARE(chat.links[0].spanId, std::string("0000000000000004"));
        QCOMPARE(chat.links[0].traceState, std::string("k=v"));
        QCOMPARE(chat.links[0].attributes.size(), size_t{1});
        // System instructions, the structured input messages, and the answer from the gen_ai.choice event.
        QCOMPARE(chat.messages.size(), size_t{3});
        QCOMPARE(chat.messages[0].role, MessageRole::System);
        QCOMPARE(chat.messages[0].content, std::string("Be brief."));
        QCOMPARE(chat.messages[1].role, MessageRole::User);
        QCOMPARE(chat.messages[1].content, std::string("Where is my order?"));
        QCOMPARE(chat.messages[2].role, MessageRole::Assistant);
        QCOMPARE(chat.messages[2].content, std::string("It ships today."));
        QCOMPARE(chat.messages[2].finishReason, std::string("stop"));
        QVERIFY(chat.messages[2].output);
        QCOMPARE(chat.messagesFrom,
                 std::string("gen_ai.system_instructions, gen_ai.input.messages; span events"));

        const SpanDetails step = reader.readSpan(1);
        QVERIFY2(step.ok(), step.error.c_str());
        QCOMPARE(step.parentSpanId, std::string("eee19b7ec3c1b174"));
        QCOMPARE(step.messages.size(), size_t{4});
        QCOMPARE(step.messages[0].role, MessageRole::System);
        QCOMPARE(step.messages[0].content, std::string("S"));
        QCOMPARE(step.messages[1].content, std::string("U"));
        QCOMPARE(step.messages[2].role, MessageRole::Tool);
        QCOMPARE(step.messages[2].toolCallId, std::string("call_1"));
        QCOMPARE(step.messages[3].role, MessageRole::Assistant);
        QCOMPARE(step.messages[3].finishReason, std::string("tool_calls"));
        QCOMPARE(step.messages[3].toolCalls.size(), size_t{1});
        QCOMPARE(step.messages[3].toolCalls[0].name, std::string("lookup"));
        QCOMPARE(step.messages[3].toolCalls[0].id, std::string("call_2"));
        QCOMPARE(step.messages[3].toolCalls[0].arguments, std::string("{\n  \"q\": 1\n}"));
    }

    // Every prefix of a real record, invalid bytes and wrong types: an error or partial details, never a
    // crash.
    void malformedRecordsNeverCrash() {
        const std::string line = handMadeRequest();
        const size_t begin = line.find("{\"trace_id\"");
        QVERIFY(begin != std::string::npos);
        const std::string span = line.substr(begin, line.find(",{\"trace_id\":\"W47", begin) - begin);
        SpanDetails whole;
        QVERIFY2(readOtlpSpanRecord(span, whole), whole.error.c_str());
        int failures = 0;
        for (size_t n = 0; n < span.size(); ++n) {
            SpanDetails cut;
            if (!readOtlpSpanRecord(std::string_view(span).substr(0, n), cut)) {
                QVERIFY(!cut.error.empty());
                ++failures;
            }
            QVERIFY(!findOtlpEnvelope(std::string_view(line).substr(0, n), begin).found);
        }
        QCOMPARE(failures, static_cast<int>(span.size()));  // no prefix of an object is a whole object
        const std::vector<std::string> odd = malformedSpanTexts();
        for (const std::string& text : odd) {
            SpanDetails details;
            if (readOtlpSpanRecord(text, details)) {
                QVERIFY(details.error.empty());
            } else {
                QVERIFY(!details.error.empty());
            }
        }
        SpanDetails repaired;
        QVERIFY(readOtlpSpanRecord(odd.back(), repaired));
        QVERIFY(!repaired.notice.empty());
        fillConversation(repaired);
    }

    // Random bytes of real records replaced by JSON punctuation, in the record and in the message JSON inside
    // its attributes: parsing and the conversation never crash, and a record that parses has no error.
    void mutatedRecordsNeverCrash() {
        const std::string line = handMadeRequest();
        uint64_t state = 42;
        auto next = [&state] {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            return state >> 33;
        };
        const char kBytes[] = "{}[]\":,\\ 0x\x80";
        // Replacing bytes never moves the records: the first span keeps its place and length.
        const size_t begin = line.find("{\"trace_id\"");
        const size_t length = line.find(",{\"trace_id\":\"W47", begin) - begin;
        int parsed = 0;
        for (int i = 0; i < 3000; ++i) {
            std::string mutated = line;
            for (int k = 0; k < 1 + i % 3; ++k) {
                mutated[next() % mutated.size()] = kBytes[next() % (sizeof kBytes - 1)];
            }
            (void)findOtlpEnvelope(mutated, begin);
            SpanDetails details;
            if (readOtlpSpanRecord(std::string_view(mutated).substr(begin, length), details)) {
                QVERIFY(details.error.empty());
                fillConversation(details);
                ++parsed;
            }
        }
        QVERIFY(parsed > 0);
        // The message JSON itself, mutated inside otherwise good records.
        SpanDetails good;
        QVERIFY(readOtlpSpanRecord(line.substr(begin, length), good));
        for (int i = 0; i < 3000; ++i) {
            SpanDetails details = good;
            for (DetailAttribute& a : details.attributes) {
                if (!a.value.empty() && (a.value[0] == '[' || a.value[0] == '{')) {
                    a.value[next() % a.value.size()] = kBytes[next() % (sizeof kBytes - 1)];
                }
            }
            for (DetailEvent& e : details.events) {
                for (DetailAttribute& a : e.attributes) {
                    if (!a.value.empty()) {
                        a.value[next() % a.value.size()] = kBytes[next() % (sizeof kBytes - 1)];
                    }
                }
            }
            fillConversation(details);
        }
    }

    void sourceThatChangedOrVanished() {
        QTemporaryDir dir;
        const std::string path = writeFile(dir, "hand.otlp.jsonl", handMadeRequest());
        const DatasetPtr d = load(path);
        QVERIFY(d);
        QVERIFY(ColdDataReader(d).readSpan(0).ok());
        {
            std::ofstream out(path, std::ios::app);
            out << "\n";
        }
        SpanDetails changed = ColdDataReader(d).readSpan(0);
        QVERIFY(!changed.ok());
        QVERIFY2(changed.error.find("changed since it was loaded") != std::string::npos,
                 changed.error.c_str());
        // Same size, other content, other time.
        writeFile(dir, "hand.otlp.jsonl", handMadeRequest());
        std::filesystem::last_write_time(path,
                                         std::filesystem::last_write_time(path) + std::chrono::seconds(5));
        changed = ColdDataReader(d).readSpan(0);
        QVERIFY2(changed.error.find("changed since it was loaded") != std::string::npos,
                 changed.error.c_str());
        std::filesystem::remove(path);
        const SpanDetails gone = ColdDataReader(d).readSpan(0);
        QVERIFY2(gone.error.find("the source file is gone") != std::string::npos, gone.error.c_str());
        std::string error;
        QVERIFY(ColdDataReader(d).requestTexts(RequestIndex{0u}, &error).empty());
        QVERIFY(!error.empty());
    }

    // A source whose size and time were not recorded: a record cut short, or an offset that no longer points
    // at a record, still give an error.
    void recordsThatAreNotThereAnyMore() {
        QTemporaryDir dir;
        const std::string path = writeFile(dir, "cut.jsonl", R"({"name":"a","attributes":[{"key":"k")");
        DatasetBuilder builder;
        const SourceIndex source = builder.addSource({path, SourceFormat::OtlpJson, 0, 0});
        RecordBatch batch;
        RawSpan span;
        span.traceId = batch.strings.intern("t");
        span.spanId = 1;
        span.cold = ColdRef::make(source, 0);
        batch.spans.push_back(span);
        span.traceId = batch.strings.intern("u");
        span.cold = ColdRef::make(source, 5);
        batch.spans.push_back(span);
        span.traceId = batch.strings.intern("v");
        span.cold = ColdRef::make(source, 1u << 20);
        batch.spans.push_back(span);
        builder.addBatch(std::move(batch));
        const DatasetPtr d = builder.build();
        QCOMPARE(d->spanCount(), size_t{3});
        ColdDataReader reader(d);
        for (uint32_t row = 0; row < 3; ++row) {
            const SpanDetails s = reader.readSpan(row);
            QVERIFY(!s.ok());
            const std::string_view cold = d->spans.cold[row].offset() == 0 ? "cut short" : "changed";
            QVERIFY2(s.error.find(cold) != std::string::npos, s.error.c_str());
        }
        QVERIFY(!reader.readSpan(99).ok());
    }

    void requestLogRecord() {
        const DatasetPtr d = load(requestLog_.toStdString());
        QVERIFY(d);
        QCOMPARE(d->requestCount(), size_t{20});
        // Every request record, found by its request id with QJsonDocument.
        std::map<std::string, QJsonObject> records;
        QFile f(requestLog_);
        QVERIFY(f.open(QIODevice::ReadOnly));
        while (!f.atEnd()) {
            const QJsonObject o = QJsonDocument::fromJson(f.readLine()).object();
            if (o[QStringLiteral("type")].toString() == QStringLiteral("request")) {
                records[o[QStringLiteral("request_id")].toString().toStdString()] = o;
            }
        }
        QCOMPARE(records.size(), size_t{20});
        ColdDataReader reader(d);
        int errors = 0;
        for (uint32_t row = 0; row < d->spanCount(); ++row) {
            const SpanDetails s = reader.readSpan(row);
            QVERIFY2(s.ok(), s.error.c_str());
            const QJsonObject& record = records[s.traceId];
            QVERIFY(!record.isEmpty());
            QCOMPARE(QString::fromStdString(s.name), record[QStringLiteral("feature_id")].toString());
            QCOMPARE(QString::fromStdString(attr(s, "model_id")),
                     record[QStringLiteral("model_id")].toString());
            QCOMPARE(QString::fromStdString(attr(s, "session_id")),
                     record[QStringLiteral("session_id")].toString());
            QCOMPARE(QString::fromStdString(attr(s, "input_tokens")),
                     QString::number(record[QStringLiteral("input_tokens")].toInteger()));
            const QJsonValue error = record[QStringLiteral("error")];
            if (error.isNull()) {
                QCOMPARE(s.statusCode, std::string("ok"));
                QCOMPARE(s.attribute("error")->type, std::string("empty"));
            } else {
                ++errors;
                QCOMPARE(s.statusCode, std::string("error"));
                QCOMPARE(QString::fromStdString(s.statusMessage),
                         error[QStringLiteral("message")].toString());
                QCOMPARE(QString::fromStdString(attr(s, "error.type")),
                         error[QStringLiteral("type")].toString());
            }
            QCOMPARE(s.startNs, d->spans.startNs[row]);  // request logs give no span times: the loaded ones
            QVERIFY(s.messages.empty());
        }
        Q_UNUSED(errors);
    }

    void contentSearchMatchesAPlainScan() {
        const DatasetPtr d = load(otlp_.toStdString());
        QVERIFY(d);
        const auto reference = readReference(otlp_);
        // Requests (by trace id) whose messages mention "order", read with QJsonDocument.
        std::set<std::string> expected;
        for (const auto& [id, ref] : reference) {
            QStringList texts;
            QStringList tools;
            referenceMessages(ref.span[QStringLiteral("attributes")].toArray(), &texts, &tools);
            for (const QString& t : texts) {
                if (t.contains(QStringLiteral("order"), Qt::CaseInsensitive)) {
                    expected.insert(ref.span[QStringLiteral("traceId")].toString().toStdString());
                }
            }
        }
        QVERIFY(!expected.empty());
        std::vector<uint32_t> all(d->requestCount());
        std::iota(all.begin(), all.end(), 0u);
        size_t calls = 0;
        const ContentSearchResult r =
            searchRequestContent(d, all, "ORDER", 1000, [&](size_t, size_t, size_t) {
                ++calls;
                return true;
            });
        QVERIFY(calls > 0);
        std::set<std::string> got;
        for (uint32_t row : r.rows) {
            got.insert(std::string(d->str(d->requests.traceId[row])));
        }
        QCOMPARE(got, expected);
        QVERIFY(std::is_sorted(r.rows.begin(), r.rows.end()));
        QCOMPARE(r.searched, d->requestCount());
        QVERIFY(r.error.empty());
        // The cap stops the search early, and a request's texts hold what the search found.
        const ContentSearchResult capped = searchRequestContent(d, all, "order", 2);
        QCOMPARE(capped.rows.size(), size_t{2});
        QVERIFY(capped.capped);
        ColdDataReader reader(d);
        bool mentions = false;
        for (const std::string& t : reader.requestTexts(RequestIndex{capped.rows[0]})) {
            mentions |= containsIgnoringCase(t, "order");
        }
        QVERIFY(mentions);
        // A text that JSON may escape (non-ASCII) takes the parsing path and finds nothing here.
        QVERIFY(searchRequestContent(d, all, "ordér", 10).rows.empty());
        // Cancelling from the progress callback stops at once.
        const ContentSearchResult cancelled =
            searchRequestContent(d, all, "order", 1000, [](size_t, size_t, size_t) { return false; });
        QVERIFY(cancelled.cancelled);
        QVERIFY(cancelled.rows.empty());
    }

private:
    QTemporaryDir dir_;
    QString otlp_;
    QString requestLog_;
};

QTEST_GUILESS_MAIN(TestColdData)
#include "tst_colddata.moc"
