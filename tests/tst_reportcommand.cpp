// `promptscope report` end to end on a real OTLP export, against a second, deliberately simple computation of the
// same figures straight from the file with QJsonDocument (no project code involved).
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QTest>

#include <algorithm>
#include <cmath>

namespace {

const QString kProgram = QStringLiteral(PROMPTSCOPE_BINARY_DIR "/app/promptscope");
const QString kSample = QStringLiteral(PROMPTSCOPE_SAMPLES_DIR "/otel-js-sdk__instrumentation-openai__chat.jsonl");

struct Expected {
    int count = 0;
    int errors = 0;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    double cost = 0;
    QList<double> latencyMs;
};

QJsonValue attribute(const QJsonObject& span, const QString& key) {
    for (const QJsonValue& a : span.value(QStringLiteral("attributes")).toArray()) {
        if (a[QStringLiteral("key")].toString() == key) {
            const QJsonObject v = a[QStringLiteral("value")].toObject();
            return v.begin().value();
        }
    }
    return {};
}

// Type-7 percentile (linear interpolation between closest ranks), written independently of the project's.
double type7(QList<double> v, double p) {
    std::sort(v.begin(), v.end());
    const double h = (v.size() - 1) * p;
    const auto lo = static_cast<qsizetype>(std::floor(h));
    const auto hi = std::min<qsizetype>(lo + 1, v.size() - 1);
    return v[lo] + (h - lo) * (v[hi] - v[lo]);
}

// Reads the sample the obvious way: roots carry prompt.version; children carry tokens and the model.
QMap<QString, Expected> expectedByVersion() {
    QFile file(kSample);
    if (!file.open(QIODevice::ReadOnly)) {
        qFatal("cannot open sample");
    }
    QList<QJsonObject> spans;
    for (const QByteArray& line : file.readAll().split('\n')) {
        if (line.trimmed().isEmpty()) {
            continue;
        }
        for (const QJsonValue& rs : QJsonDocument::fromJson(line)[QStringLiteral("resourceSpans")].toArray()) {
            for (const QJsonValue& ss : rs[QStringLiteral("scopeSpans")].toArray()) {
                for (const QJsonValue& s : ss[QStringLiteral("spans")].toArray()) {
                    spans << s.toObject();
                }
            }
        }
    }
    QMap<QString, QString> versionOfTrace;
    QMap<QString, Expected> out;
    for (const QJsonObject& s : spans) {
        if (!s.contains(QStringLiteral("parentSpanId")) || s[QStringLiteral("parentSpanId")].toString().isEmpty()) {
            const QString version = attribute(s, QStringLiteral("prompt.version")).toString();
            versionOfTrace[s[QStringLiteral("traceId")].toString()] = version;
            Expected& e = out[version];
            ++e.count;
            e.errors += s[QStringLiteral("status")][QStringLiteral("code")].toInt() == 2;
            const qint64 ns = s[QStringLiteral("endTimeUnixNano")].toString().toLongLong() -
                              s[QStringLiteral("startTimeUnixNano")].toString().toLongLong();
            e.latencyMs << static_cast<double>(ns) / 1e6;
        }
    }
    for (const QJsonObject& s : spans) {
        const QJsonValue in = attribute(s, QStringLiteral("gen_ai.usage.input_tokens"));
        if (in.isUndefined()) {
            continue;
        }
        Expected& e = out[versionOfTrace[s[QStringLiteral("traceId")].toString()]];
        const qint64 input = in.toInteger();
        const qint64 output = attribute(s, QStringLiteral("gen_ai.usage.output_tokens")).toInteger();
        e.inputTokens += input;
        e.outputTokens += output;
        // List prices per million tokens as in resources/pricing.json.
        const bool mini = attribute(s, QStringLiteral("gen_ai.request.model")).toString() == QStringLiteral("gpt-4.1-mini");
        e.cost += (input * (mini ? 0.4 : 2.0) + output * (mini ? 1.6 : 8.0)) / 1e6;
    }
    return out;
}

QJsonObject runJson(const QStringList& args, int* exitCode = nullptr) {
    QProcess p;
    p.start(kProgram, args);
    if (!p.waitForFinished(60000)) {
        qFatal("promptscope did not finish");
    }
    if (exitCode) {
        *exitCode = p.exitCode();
    }
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

}  // namespace

class TestReportCommand : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void jsonMatchesAnIndependentComputation() {
        int code = -1;
        const QJsonObject report = runJson({QStringLiteral("report"), QStringLiteral("--format"), QStringLiteral("json"), kSample}, &code);
        QCOMPARE(code, 0);
        QCOMPARE(report[QStringLiteral("grain")].toString(), QStringLiteral("request"));
        QCOMPARE(report[QStringLiteral("group_by")].toString(), QStringLiteral("prompt_version"));
        QCOMPARE(report[QStringLiteral("parse_issues")][QStringLiteral("count")].toInt(), 0);
        QVERIFY(report[QStringLiteral("parse_issues")][QStringLiteral("first")].isArray());
        const QMap<QString, Expected> expected = expectedByVersion();
        const QJsonArray groups = report[QStringLiteral("groups")].toArray();
        QCOMPARE(groups.size(), expected.size());
        for (const QJsonValue& g : groups) {
            const QString key = g[QStringLiteral("key")].toString();
            QVERIFY2(expected.contains(key), qPrintable(key));
            const Expected& e = expected[key];
            QCOMPARE(g[QStringLiteral("count")].toInt(), e.count);
            QCOMPARE(g[QStringLiteral("errors")].toInt(), e.errors);
            QCOMPARE(g[QStringLiteral("error_rate")].toDouble(), double(e.errors) / e.count);
            QCOMPARE(g[QStringLiteral("input_tokens")].toInteger(), e.inputTokens);
            QCOMPARE(g[QStringLiteral("output_tokens")].toInteger(), e.outputTokens);
            QVERIFY(std::abs(g[QStringLiteral("cost_usd")].toDouble() - e.cost) < 1e-12);
            const QJsonObject lat = g[QStringLiteral("latency_ms")].toObject();
            const std::pair<const char*, double> ps[] = {{"p50", 0.5}, {"p90", 0.9}, {"p95", 0.95}, {"p99", 0.99}};
            for (const auto& [name, p] : ps) {
                QVERIFY2(std::abs(lat[QLatin1String(name)].toDouble() - type7(e.latencyMs, p)) < 1e-6, name);
            }
            QVERIFY(std::abs(lat[QStringLiteral("max")].toDouble() - *std::max_element(e.latencyMs.begin(), e.latencyMs.end())) < 1e-6);
            QVERIFY(g[QStringLiteral("eval_pass_rate")].isNull());
        }
        QCOMPARE(report[QStringLiteral("total")][QStringLiteral("count")].toInt(), 24);
    }

    void otherFormatsAndGroupings() {
        QProcess p;
        p.start(kProgram, {QStringLiteral("report"), QStringLiteral("--by"), QStringLiteral("model"), QStringLiteral("--grain"),
                           QStringLiteral("generation"), QStringLiteral("--format"), QStringLiteral("markdown"), kSample});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        QVERIFY2(out.contains(QStringLiteral("gpt-4.1-mini-2025-04-14")), qPrintable(out));
        QVERIFY(out.contains(QLatin1Char('|')));
    }

    void unreadableInputFails() {
        QProcess p;
        p.start(kProgram, {QStringLiteral("report"), QStringLiteral("/nonexistent/file.jsonl")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY(p.readAllStandardError().contains("no such file"));
        p.start(kProgram, {QStringLiteral("report"), QStringLiteral("--by"), QStringLiteral("colour"), kSample});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1);
        p.start(kProgram, {QStringLiteral("report")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1);
    }
};

QTEST_GUILESS_MAIN(TestReportCommand)
#include "tst_reportcommand.moc"
