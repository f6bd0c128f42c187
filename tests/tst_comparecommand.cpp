// `promptscope compare` end to end on a tracegen export large enough for the canary gate to judge (support_answer
// v43 has a few hundred requests and about twice v42's failure rate: the rule must fail and the exit code be 2).
// Figures are checked against a second computation straight from the file with QJsonDocument (no project code):
// request counts, error and failure rates, and the latency test's p-value from a brute-force U.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

namespace {

const QString kProgram = QStringLiteral(PROMPTSCOPE_BINARY_DIR "/app/promptscope");
const QString kTracegen = QStringLiteral(PROMPTSCOPE_BINARY_DIR "/app/tracegen");

struct Side {
    int requests = 0;
    int errors = 0;
    int failures = 0;
    QList<double> latencyMs;
};

QString attribute(const QJsonObject& span, const QString& key) {
    for (const QJsonValue& a : span.value(QStringLiteral("attributes")).toArray()) {
        if (a[QStringLiteral("key")].toString() == key) {
            return a[QStringLiteral("value")].toObject().begin().value().toString();
        }
    }
    return {};
}

// A trace fails when its root span failed or any eval event on any of its spans has the label "fail".
QMap<QString, Side> readSides(const QString& path, const QString& prompt) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        qFatal("cannot open the generated file");
    }
    struct Trace {
        QString version;
        bool root = false;
        bool error = false;
        bool failedEval = false;
        double ms = 0;
    };
    QMap<QString, Trace> traces;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine();
        for (const QJsonValue& rs : QJsonDocument::fromJson(line)[QStringLiteral("resourceSpans")].toArray()) {
            for (const QJsonValue& ss : rs[QStringLiteral("scopeSpans")].toArray()) {
                for (const QJsonValue& v : ss[QStringLiteral("spans")].toArray()) {
                    const QJsonObject s = v.toObject();
                    Trace& t = traces[s[QStringLiteral("traceId")].toString()];
                    for (const QJsonValue& e : s[QStringLiteral("events")].toArray()) {
                        if (e[QStringLiteral("name")].toString() == QStringLiteral("gen_ai.evaluation.result") &&
                            attribute(e.toObject(), QStringLiteral("gen_ai.evaluation.score.label")) ==
                                QStringLiteral("fail")) {
                            t.failedEval = true;
                        }
                    }
                    if (s[QStringLiteral("parentSpanId")].toString().isEmpty()) {
                        t.root = true;
                        t.version = attribute(s, QStringLiteral("prompt.name")) == prompt
                                        ? attribute(s, QStringLiteral("prompt.version"))
                                        : QString();
                        t.error = s[QStringLiteral("status")][QStringLiteral("code")].toInt() == 2;
                        t.ms = static_cast<double>(s[QStringLiteral("endTimeUnixNano")].toString().toLongLong() -
                                                   s[QStringLiteral("startTimeUnixNano")].toString().toLongLong()) /
                               1e6;
                    }
                }
            }
        }
    }
    QMap<QString, Side> sides;
    for (const Trace& t : traces) {
        if (!t.root || t.version.isEmpty()) {
            continue;
        }
        Side& side = sides[t.version];
        ++side.requests;
        side.errors += t.error;
        side.failures += t.error || t.failedEval;
        side.latencyMs << t.ms;
    }
    return sides;
}

// Two-sided Mann-Whitney p-value, normal approximation with tie and continuity corrections, U by brute force.
double mannWhitneyP(const QList<double>& a, const QList<double>& b) {
    double u = 0;
    for (double y : b) {
        for (double x : a) {
            u += y > x ? 1.0 : y == x ? 0.5 : 0.0;
        }
    }
    QMap<double, int> counts;
    for (double x : a) {
        ++counts[x];
    }
    for (double y : b) {
        ++counts[y];
    }
    double ties = 0;
    for (int t : counts) {
        ties += static_cast<double>(t) * t * t - t;
    }
    const double na = a.size();
    const double nb = b.size();
    const double n = na + nb;
    const double sd = std::sqrt(na * nb / 12 * ((n + 1) - ties / (n * (n - 1))));
    const double z = std::max(0.0, std::fabs(u - na * nb / 2) - 0.5) / sd;
    return std::erfc(z / std::sqrt(2.0));
}

struct Run {
    int code = -1;
    QByteArray out;
    QByteArray err;
};

Run run(const QStringList& args) {
    QProcess p;
    p.start(kProgram, args);
    if (!p.waitForFinished(120000)) {
        qFatal("promptscope did not finish");
    }
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

QJsonObject metricNamed(const QJsonObject& report, const QString& name) {
    for (const QJsonValue& m : report[QStringLiteral("metrics")].toArray()) {
        if (m[QStringLiteral("name")].toString() == name) {
            return m.toObject();
        }
    }
    return {};
}

}  // namespace

class TestCompareCommand : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        traces_ = dir_.filePath(QStringLiteral("canary.otlp.jsonl"));
        records_ = dir_.filePath(QStringLiteral("canary.records.jsonl"));
        QProcess gen;
        gen.start(kTracegen, {QStringLiteral("--requests"), QStringLiteral("8000"), QStringLiteral("--seed"),
                              QStringLiteral("3"), QStringLiteral("--format"), QStringLiteral("otlp"),
                              QStringLiteral("--out"), traces_});
        QVERIFY(gen.waitForFinished(300000));
        QCOMPARE(gen.exitCode(), 0);
        sides_ = readSides(traces_, QStringLiteral("support_answer"));
        QVERIFY2(sides_[QStringLiteral("43")].requests >= 200, "the canary needs 200 requests for the gate");
    }

    void jsonMatchesAnIndependentComputation() {
        const Run r = run({QStringLiteral("compare"), QStringLiteral("--prompt"), QStringLiteral("support_answer"),
                           QStringLiteral("--versions"), QStringLiteral("42,43"), QStringLiteral("--format"),
                           QStringLiteral("json"), traces_, records_});
        QCOMPARE(r.code, 2);  // the failure-rate gate fails
        const QJsonObject report = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(report[QStringLiteral("a")].toString(), QStringLiteral("42"));
        QCOMPARE(report[QStringLiteral("b")].toString(), QStringLiteral("43"));
        const Side& a = sides_[QStringLiteral("42")];
        const Side& b = sides_[QStringLiteral("43")];
        QCOMPARE(report[QStringLiteral("requests")][QStringLiteral("a")].toInt(), a.requests);
        QCOMPARE(report[QStringLiteral("requests")][QStringLiteral("b")].toInt(), b.requests);

        const QJsonObject errors = metricNamed(report, QStringLiteral("error_rate"));
        QCOMPARE(errors[QStringLiteral("a")].toDouble(), static_cast<double>(a.errors) / a.requests);
        QCOMPARE(errors[QStringLiteral("b")].toDouble(), static_cast<double>(b.errors) / b.requests);
        QCOMPARE(errors[QStringLiteral("ci95")].toArray().size(), 2);
        QVERIFY(errors[QStringLiteral("p_value")].isDouble());
        QVERIFY(!errors[QStringLiteral("verdict")].toString().isEmpty());

        const QJsonObject failures = metricNamed(report, QStringLiteral("failure_rate"));
        const double fa = static_cast<double>(a.failures) / a.requests;
        const double fb = static_cast<double>(b.failures) / b.requests;
        QCOMPARE(failures[QStringLiteral("a")].toDouble(), fa);
        QCOMPARE(failures[QStringLiteral("b")].toDouble(), fb);
        QVERIFY(fb / fa >= 2.0);
        QCOMPARE(failures[QStringLiteral("verdict")].toString(), QStringLiteral("worse"));

        const QJsonObject latency = metricNamed(report, QStringLiteral("latency_ms"));
        QVERIFY(latency[QStringLiteral("a")].isObject());
        QVERIFY(latency[QStringLiteral("b")][QStringLiteral("p95")].isDouble());
        const double p = mannWhitneyP(a.latencyMs, b.latencyMs);
        const double reported = latency[QStringLiteral("p_value")].toDouble();
        QVERIFY2(std::fabs(reported - p) <= 1e-9 + 1e-6 * p,
                 qPrintable(QStringLiteral("%1 vs %2").arg(reported).arg(p)));
        QCOMPARE(latency[QStringLiteral("verdict")].toString(), QStringLiteral("worse"));

        const QJsonArray rules = report[QStringLiteral("rules")].toArray();
        QCOMPARE(rules.size(), 3);
        QVERIFY(rules[0][QStringLiteral("name")].toString().startsWith(QStringLiteral("Failure rate")));
        QCOMPARE(rules[0][QStringLiteral("passed")].toBool(), false);
        QVERIFY(rules[1][QStringLiteral("passed")].isBool());
    }

    void tableAndMarkdown() {
        Run r = run({QStringLiteral("compare"), QStringLiteral("--prompt"), QStringLiteral("support_answer"), traces_,
                     records_});
        QCOMPARE(r.code, 2);
        QVERIFY(r.out.contains("support_answer: v42 (baseline"));  // the two most recent versions by default
        QVERIFY(r.out.contains("FAIL  Failure rate below 2x"));
        QVERIFY(r.out.contains("Mann-Whitney U"));
        r = run({QStringLiteral("compare"), QStringLiteral("--prompt"), QStringLiteral("support_answer"),
                 QStringLiteral("--format"), QStringLiteral("markdown"), traces_, records_});
        QCOMPARE(r.code, 2);
        QVERIFY(r.out.contains("| metric | v42 | v43 |"));
        QVERIFY(r.out.contains("**FAIL**"));
    }

    void thresholdsDecideTheExitCode() {
        const Run r = run({QStringLiteral("compare"), QStringLiteral("--prompt"), QStringLiteral("support_answer"),
                           QStringLiteral("--max-failure-ratio"), QStringLiteral("5"),
                           QStringLiteral("--min-eval-pass-rate"), QStringLiteral("0.5"), traces_, records_});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("PASS  Failure rate below 5x"));
    }

    void otherSides() {
        const Run r = run({QStringLiteral("compare"), QStringLiteral("--by"), QStringLiteral("environment"),
                           QStringLiteral("--versions"), QStringLiteral("production,canary"), QStringLiteral("--format"),
                           QStringLiteral("json"), traces_, records_});
        QVERIFY(r.code == 0 || r.code == 2);
        const QJsonObject report = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(report[QStringLiteral("by")].toString(), QStringLiteral("environment"));
        QCOMPARE(report[QStringLiteral("b")].toString(), QStringLiteral("canary"));
        // Only v43 runs in the canary environment.
        QCOMPARE(report[QStringLiteral("requests")][QStringLiteral("b")].toInt(),
                 sides_[QStringLiteral("43")].requests);
    }

    void badArguments_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no prompt") << QStringList{QStringLiteral("compare")} << QStringLiteral("--prompt is needed");
        QTest::newRow("one version") << QStringList{QStringLiteral("compare"), QStringLiteral("--prompt"),
                                                    QStringLiteral("support_answer"), QStringLiteral("--versions"),
                                                    QStringLiteral("42")}
                                     << QStringLiteral("two values");
        QTest::newRow("unknown version") << QStringList{QStringLiteral("compare"), QStringLiteral("--prompt"),
                                                        QStringLiteral("support_answer"), QStringLiteral("--versions"),
                                                        QStringLiteral("42,99")}
                                         << QStringLiteral("no requests for v99");
        QTest::newRow("bad threshold") << QStringList{QStringLiteral("compare"), QStringLiteral("--prompt"),
                                                      QStringLiteral("x"), QStringLiteral("--min-eval-pass-rate"),
                                                      QStringLiteral("92")}
                                       << QStringLiteral("between 0 and 1");
    }

    void badArguments() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = run(args << traces_);
        QCOMPARE(r.code, 1);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    }

private:
    QTemporaryDir dir_;
    QString traces_;
    QString records_;
    QMap<QString, Side> sides_;
};

QTEST_GUILESS_MAIN(TestCompareCommand)
#include "tst_comparecommand.moc"
