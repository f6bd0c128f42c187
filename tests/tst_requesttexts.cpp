// A request's input and actual output for the eval-case export, read back from the source: on the hand-made
// request of the cold-data tests and on a two-call conversation written here, compared with the texts put in.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "colddatatexts.h"
#include "ingesttesting.h"
#include "requesttexts.h"

using namespace ps;
using ps::testing::loadFiles;
using ps::testing::writeFile;

namespace {

QJsonObject attribute(const char* key, const QString& value) {
    return QJsonObject{{QStringLiteral("key"), QString::fromUtf8(key)},
                       {QStringLiteral("value"), QJsonObject{{QStringLiteral("stringValue"), value}}}};
}

// GenAI messages as the JSON string the conventions allow: [{"role", "parts": [{"type": "text",
// "content"}]}].
QString messages(std::initializer_list<std::pair<const char*, const char*>> list) {
    QJsonArray out;
    for (const auto& [role, text] : list) {
        out.append(
            QJsonObject{{QStringLiteral("role"), QString::fromUtf8(role)},
                        {QStringLiteral("parts"),
                         QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                                {QStringLiteral("content"), QString::fromUtf8(text)}}}}});
    }
    return QString::fromUtf8(QJsonDocument(out).toJson(QJsonDocument::Compact));
}

QJsonObject span(const char* id, const char* parent, int start, QJsonArray attributes) {
    QJsonObject s{{QStringLiteral("traceId"), QStringLiteral("0123456789abcdef0123456789abcdef")},
                  {QStringLiteral("spanId"), QString::fromUtf8(id)},
                  {QStringLiteral("name"), QStringLiteral("step")},
                  {QStringLiteral("startTimeUnixNano"), QString::number(start * 1000000LL)},
                  {QStringLiteral("endTimeUnixNano"), QString::number((start + 10) * 1000000LL)},
                  {QStringLiteral("attributes"), attributes}};
    if (parent) {
        s.insert(QStringLiteral("parentSpanId"), QString::fromUtf8(parent));
    }
    return s;
}

// A root and two model calls: the second repeats the conversation and answers it.
std::string twoCallRequest() {
    const QJsonArray spans{
        span("00000000000000a1", nullptr, 0, {}),
        span("00000000000000a2", "00000000000000a1", 1,
             {attribute("gen_ai.request.model", QStringLiteral("gpt-4.1")),
              attribute("gen_ai.system_instructions",
                        QStringLiteral("[{\"type\":\"text\",\"content\":\"Be kind.\"}]")),
              attribute("gen_ai.input.messages", messages({{"user", "Can I return shoes?"}})),
              attribute("gen_ai.output.messages", messages({{"assistant", "Which order?"}}))}),
        span("00000000000000a3", "00000000000000a1", 20,
             {attribute("gen_ai.request.model", QStringLiteral("gpt-4.1")),
              attribute("gen_ai.input.messages", messages({{"system", "Policy: 30 days."},
                                                           {"user", "Can I return shoes?"},
                                                           {"assistant", "Which order?"},
                                                           {"user", "Order 42."}})),
              attribute("gen_ai.output.messages", messages({{"assistant", "Yes, within 30 days."}}))})};
    const QJsonObject request{
        {QStringLiteral("resourceSpans"),
         QJsonArray{QJsonObject{{QStringLiteral("scopeSpans"),
                                 QJsonArray{QJsonObject{{QStringLiteral("spans"), spans}}}}}}}};
    return QJsonDocument(request).toJson(QJsonDocument::Compact).toStdString() + "\n";
}

}  // namespace

class TestRequestTexts : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void theLastCallsConversationAndAnswer() {
        QTemporaryDir dir;
        const LoadResult loaded = loadFiles({writeFile(dir, "two.jsonl", twoCallRequest())});
        QVERIFY(loaded.dataset);
        QCOMPARE(loaded.dataset->requestCount(), size_t{1});
        QCOMPARE(loaded.dataset->generationCount(), size_t{2});
        ColdDataReader reader(loaded.dataset);
        const auto [input, output] = requestInputOutput(reader, RequestIndex{0u});
        QCOMPARE(input, std::string(
                            "[user]\nCan I return shoes?\n\n[assistant]\nWhich order?\n\n[user]\nOrder 42."));
        QCOMPARE(output, std::string("Yes, within 30 days."));
    }

    void oneCallWithStructuredMessages() {
        QTemporaryDir dir;
        const LoadResult loaded = loadFiles({writeFile(dir, "hand.jsonl", ps::testing::handMadeRequest())});
        QVERIFY(loaded.dataset);
        ColdDataReader reader(loaded.dataset);
        const auto [input, output] = requestInputOutput(reader, RequestIndex{0u});
        QCOMPARE(input, std::string("Where is my order?"));  // the system instructions are the prompt's
        QCOMPARE(output, std::string("It ships today."));
    }

    void nothingForAnInvalidRequestOrAVanishedSource() {
        QTemporaryDir dir;
        const std::string path = writeFile(dir, "two.jsonl", twoCallRequest());
        const LoadResult loaded = loadFiles({path});
        QVERIFY(loaded.dataset);
        ColdDataReader reader(loaded.dataset);
        QCOMPARE(requestInputOutput(reader, RequestIndex{}), (std::pair<std::string, std::string>()));
        QCOMPARE(requestInputOutput(reader, RequestIndex{5u}), (std::pair<std::string, std::string>()));
        QVERIFY(QFile::remove(QString::fromStdString(path)));
        ColdDataReader again(loaded.dataset);
        QCOMPARE(requestInputOutput(again, RequestIndex{0u}), (std::pair<std::string, std::string>()));
    }
};

QTEST_GUILESS_MAIN(TestRequestTexts)
#include "tst_requesttexts.moc"
