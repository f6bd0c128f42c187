// "Add the failing cases to the eval dataset": the JSON Lines written for an incident's traces, read back
// with a JSON parser and compared with the hand-made data set: ids, input and output from the text provider
// (redacted), labels, evals and dimensions; null text when a trace is not loaded or no text is known.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "datasetbuilder.h"
#include "evalcaseexport.h"

using namespace ps;

namespace {

DatasetPtr build() {
    DatasetBuilder builder;
    RecordBatch b;
    const char* traces[] = {"t1", "t2"};
    for (int i = 0; i < 2; ++i) {
        RawSpan root;
        root.traceId = b.strings.intern(traces[i]);
        root.spanId = static_cast<uint64_t>(i + 1);
        root.startNs = i * 1000000000LL;
        root.endNs = root.startNs + 1000000;
        root.feature = b.strings.intern("support_chatbot");
        root.promptVersion = b.strings.intern(i == 0 ? "43" : "42");
        root.model = b.strings.intern("gpt-4.1");
        root.kind = SpanKind::Llm;
        b.spans.push_back(root);
    }
    RawEval fail;
    fail.traceId = b.strings.intern("t1");
    fail.name = b.strings.intern("correctness");
    fail.score = 1;
    fail.outcome = EvalOutcome::Fail;
    b.evals.push_back(fail);
    RawEval unscored;
    unscored.traceId = b.strings.intern("t1");
    unscored.name = b.strings.intern("format_check");
    unscored.outcome = EvalOutcome::Pass;
    b.evals.push_back(unscored);
    builder.addBatch(std::move(b));
    return builder.build();
}

QList<QJsonObject> parseLines(const std::string& text) {
    QList<QJsonObject> out;
    for (const QByteArray& line : QByteArray::fromStdString(text).split('\n')) {
        if (!line.isEmpty()) {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
            if (error.error != QJsonParseError::NoError || !doc.isObject()) {
                qWarning("bad line: %s", line.constData());
                return {};
            }
            out << doc.object();
        }
    }
    return out;
}

QString s(const char* text) { return QString::fromUtf8(text); }

}  // namespace

class TestEvalCaseExport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void casesCarryTextLabelsAndEvals() {
        const DatasetPtr d = build();
        const RequestIndex t1 = d->findRequest("t1");
        const RequestIndex t2 = d->findRequest("t2");
        QVERIFY(t1.isValid() && t2.isValid());
        std::vector<EvalCase> cases = {
            {"t1", "req-1", t1, {{"hallucinated", "told ana@example.com a wrong refund window", "bo"}}},
            {"t2", "req-2", t2, {}},
            {"gone", "gone", RequestIndex{}, {{"unsafe", "", "cy"}}},
        };
        int calls = 0;
        const RequestTextProvider text = [&](RequestIndex r) -> std::pair<std::string, std::string> {
            ++calls;
            if (r == t1) {
                return {"My key is sk-abcdefghijklmnopqrstuvwxyz0123, refund?", "Refunds within 90 days."};
            }
            return {};  // t2 recorded no messages
        };
        EvalExportSummary summary;
        const std::string out = evalCasesJsonLines(d.get(), cases, text, "Canary v43 refunds", &summary);
        QCOMPARE(calls, 2);  // never asked about a trace that is not loaded
        QCOMPARE(std::count(out.begin(), out.end(), '\n'), 3);
        const QList<QJsonObject> lines = parseLines(out);
        QCOMPARE(lines.size(), 3);

        const QJsonObject& a = lines[0];
        QCOMPARE(a.value(s("trace_id")).toString(), s("t1"));
        QCOMPARE(a.value(s("request_id")).toString(), s("req-1"));
        QCOMPARE(a.value(s("input")).toString(), s("My key is [REDACTED_KEY], refund?"));
        QCOMPARE(a.value(s("output")).toString(), s("Refunds within 90 days."));
        const QJsonArray labels = a.value(s("labels")).toArray();
        QCOMPARE(labels.size(), 1);
        QCOMPARE(labels[0].toObject().value(s("label")).toString(), s("hallucinated"));
        QCOMPARE(labels[0].toObject().value(s("note")).toString(),
                 s("told [REDACTED_EMAIL] a wrong refund window"));
        QCOMPARE(labels[0].toObject().value(s("reviewer")).toString(), s("bo"));
        const QJsonArray evals = a.value(s("evals")).toArray();
        QCOMPARE(evals.size(), 2);
        QCOMPARE(evals[0].toObject().value(s("name")).toString(), s("correctness"));
        QCOMPARE(evals[0].toObject().value(s("score")).toDouble(), 1.0);
        QCOMPARE(evals[0].toObject().value(s("outcome")).toString(), s("fail"));
        QVERIFY(evals[1].toObject().value(s("score")).isNull());
        QCOMPARE(evals[1].toObject().value(s("outcome")).toString(), s("pass"));
        QCOMPARE(a.value(s("feature")).toString(), s("support_chatbot"));
        QCOMPARE(a.value(s("prompt_version")).toString(), s("43"));
        QCOMPARE(a.value(s("model")).toString(), s("gpt-4.1"));
        QCOMPARE(a.value(s("incident")).toString(), s("Canary v43 refunds"));

        const QJsonObject& b = lines[1];
        QVERIFY(b.value(s("input")).isNull());
        QVERIFY(b.value(s("output")).isNull());
        QCOMPARE(b.value(s("labels")).toArray().size(), 0);
        QCOMPARE(b.value(s("evals")).toArray().size(), 0);
        QCOMPARE(b.value(s("prompt_version")).toString(), s("42"));

        const QJsonObject& c = lines[2];
        QCOMPARE(c.value(s("trace_id")).toString(), s("gone"));
        QVERIFY(c.value(s("input")).isNull());
        QVERIFY(c.value(s("feature")).isNull());
        QCOMPARE(c.value(s("labels")).toArray()[0].toObject().value(s("label")).toString(), s("unsafe"));

        QCOMPARE(summary.cases, size_t{3});
        QCOMPARE(summary.withText, size_t{1});
        QCOMPARE(summary.redactions, size_t{2});
    }

    void withoutDataOrTextProvider() {
        const std::vector<EvalCase> cases = {{"t1", "t1", RequestIndex{0u}, {}}};
        const QList<QJsonObject> lines = parseLines(evalCasesJsonLines(nullptr, cases, {}, "x"));
        QCOMPARE(lines.size(), 1);
        QVERIFY(lines[0].value(s("input")).isNull());
        QVERIFY(lines[0].value(s("model")).isNull());
        QCOMPARE(evalCasesJsonLines(nullptr, {}, {}, "x"), std::string());
    }

    void invalidUtf8InTextStaysValidJson() {
        const DatasetPtr d = build();
        const std::vector<EvalCase> cases = {
            {"t1", "t1", d->findRequest("t1"), {{"unsafe", "bad \xff byte", ""}}}};
        const RequestTextProvider text = [](RequestIndex) {
            return std::pair<std::string, std::string>("in \xc3", "\"quoted\"\nline");
        };
        const QList<QJsonObject> lines = parseLines(evalCasesJsonLines(d.get(), cases, text, "x"));
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines[0].value(s("output")).toString(), s("\"quoted\"\nline"));
        QCOMPARE(lines[0].value(s("input")).toString(), QString(s("in ") + QChar(0xfffd)));
    }
};

QTEST_GUILESS_MAIN(TestEvalCaseExport)
#include "tst_evalcaseexport.moc"
