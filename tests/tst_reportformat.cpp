// Report output: the JSON shape of the README, escaping, and the table and Markdown forms.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "datasetbuilder.h"
#include "jsonwriter.h"
#include "reportformat.h"

using namespace ps;

namespace {

// Three requests: two on version "42" (one failing, one with a failed and a passed eval), one with no version.
DatasetPtr smallDataset() {
    DatasetBuilder builder;
    RecordBatch b;
    auto span = [&](const char* trace, uint64_t id, uint64_t parent, int64_t startMs, int64_t endMs) {
        RawSpan s;
        s.traceId = b.strings.intern(trace);
        s.spanId = id;
        s.parentSpanId = parent;
        s.startNs = startMs * 1000000;
        s.endNs = endMs * 1000000;
        s.name = b.strings.intern("s");
        return s;
    };
    RawSpan r1 = span("t1", 1, 0, 0, 100);
    r1.promptVersion = b.strings.intern("42");
    r1.status = SpanStatus::Error;
    RawSpan g1 = span("t1", 2, 1, 10, 90);
    g1.kind = SpanKind::Llm;
    g1.inputTokens = 10;
    g1.outputTokens = 5;
    g1.costUsd = 0.5;
    RawSpan r2 = span("t2", 3, 0, 200, 500);
    r2.promptVersion = b.strings.intern("42");
    RawSpan g2 = span("t2", 4, 3, 210, 400);
    g2.kind = SpanKind::Llm;
    g2.inputTokens = 20;
    g2.outputTokens = 7;
    g2.costUsd = 0.25;
    g2.finishReason = b.strings.intern("content_filter");
    RawSpan r3 = span("t3", 5, 0, 600, 610);
    for (const RawSpan& s : {r1, g1, r2, g2, r3}) {
        b.spans.push_back(s);
    }
    for (auto [outcome, label] : {std::pair{EvalOutcome::Pass, "pass"}, std::pair{EvalOutcome::Fail, "fail"}}) {
        RawEval e;
        e.traceId = b.strings.intern("t2");
        e.name = b.strings.intern("judge");
        e.outcome = outcome;
        e.label = b.strings.intern(label);
        b.evals.push_back(e);
    }
    builder.addBatch(std::move(b));
    builder.addIssue({"file \"a\".jsonl", 3, "bad\tline \xff"});
    return builder.build();
}

}  // namespace

class TestReportFormat : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void jsonHasTheDocumentedShape() {
        const DatasetPtr ds = smallDataset();
        const Report report = buildReport(*ds, GroupField::PromptVersion, Grain::Request);
        const std::string json = formatReportJson(report);
        QJsonParseError error{};
        const QJsonObject root = QJsonDocument::fromJson(QByteArray::fromStdString(json), &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, json.c_str());
        QCOMPARE(root[QStringLiteral("grain")].toString(), QStringLiteral("request"));
        QCOMPARE(root[QStringLiteral("group_by")].toString(), QStringLiteral("prompt_version"));
        const QJsonArray groups = root[QStringLiteral("groups")].toArray();
        QCOMPARE(groups.size(), 2);
        const QJsonObject v42 = groups[0].toObject();
        QCOMPARE(v42[QStringLiteral("key")].toString(), QStringLiteral("42"));
        QCOMPARE(v42[QStringLiteral("count")].toInt(), 2);
        QCOMPARE(v42[QStringLiteral("errors")].toInt(), 1);
        QCOMPARE(v42[QStringLiteral("error_rate")].toDouble(), 0.5);
        QCOMPARE(v42[QStringLiteral("refusals")].toInt(), 1);
        const QJsonObject lat = v42[QStringLiteral("latency_ms")].toObject();
        for (const char* k : {"p50", "p90", "p95", "p99", "max", "mean"}) {
            QVERIFY2(lat[QLatin1String(k)].isDouble(), k);
        }
        QCOMPARE(lat[QStringLiteral("p50")].toDouble(), 200.0);  // type 7 of {100, 300}
        QCOMPARE(lat[QStringLiteral("max")].toDouble(), 300.0);
        QCOMPARE(v42[QStringLiteral("input_tokens")].toInt(), 30);
        QCOMPARE(v42[QStringLiteral("output_tokens")].toInt(), 12);
        QCOMPARE(v42[QStringLiteral("cost_usd")].toDouble(), 0.75);
        QCOMPARE(v42[QStringLiteral("eval_pass_rate")].toDouble(), 0.5);
        const QJsonObject none = groups[1].toObject();
        QCOMPARE(none[QStringLiteral("key")].toString(), QStringLiteral("(none)"));
        QVERIFY(none[QStringLiteral("eval_pass_rate")].isNull());
        QCOMPARE(root[QStringLiteral("total")][QStringLiteral("count")].toInt(), 3);
        const QJsonObject issues = root[QStringLiteral("parse_issues")].toObject();
        QCOMPARE(issues[QStringLiteral("count")].toInt(), 1);
        const QJsonObject first = issues[QStringLiteral("first")].toArray()[0].toObject();
        QCOMPARE(first[QStringLiteral("file")].toString(), QStringLiteral("file \"a\".jsonl"));
        QCOMPARE(first[QStringLiteral("line")].toInt(), 3);
        QCOMPARE(first[QStringLiteral("message")].toString(), QStringLiteral("bad\tline \uFFFD"));
    }

    void generationGrain() {
        const DatasetPtr ds = smallDataset();
        const Report report = buildReport(*ds, GroupField::PromptVersion, Grain::Generation);
        QCOMPARE(report.total.count, uint64_t{2});
        QCOMPARE(report.groups.size(), size_t{1});  // both calls inherit "42"
        QCOMPARE(report.total.refusals, uint64_t{1});
        QCOMPARE(report.total.latencyMs.max, 190.0);
        const std::vector<uint32_t> firstOnly = {0};
        QCOMPARE(buildReport(*ds, GroupField::Model, Grain::Generation, &firstOnly).total.count, uint64_t{1});
    }

    void writerEscapesAndNulls() {
        JsonWriter w;
        w.beginArray().value("q\"b\\s\x01").value(std::nan("")).value(1.5).value(uint64_t{7}).endArray();
        QCOMPARE(QString::fromStdString(w.text()), QStringLiteral("[\"q\\\"b\\\\s\\u0001\", null, 1.5, 7]"));
    }

    void tableAndMarkdown() {
        const DatasetPtr ds = smallDataset();
        const Report report = buildReport(*ds, GroupField::PromptVersion, Grain::Request);
        const QString table = QString::fromStdString(formatReportTable(report));
        QVERIFY(table.startsWith(QStringLiteral("prompt_version")));
        QVERIFY(table.contains(QStringLiteral("(all)")));
        QVERIFY(table.contains(QStringLiteral("50.00%")));
        const QString md = QString::fromStdString(formatReportMarkdown(report));
        QVERIFY(md.startsWith(QStringLiteral("| prompt_version |")));
        QVERIFY(md.contains(QStringLiteral("| --- |")));
        QVERIFY(md.contains(QStringLiteral("**(all)**")));
    }
};

QTEST_GUILESS_MAIN(TestReportFormat)
#include "tst_reportformat.moc"
