// `promptscope outliers` end to end on a tracegen export, against a second, deliberately plain computation of the
// same rows straight from the OTLP file with QJsonDocument (no project code involved): latency, tokens and score
// values, the order of the rows and their mid-rank percentiles within their feature.
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>

namespace {

const QString kProgram = QStringLiteral(PROMPTSCOPE_BINARY_DIR "/app/promptscope");
const QString kTracegen = QStringLiteral(PROMPTSCOPE_BINARY_DIR "/app/tracegen");

struct Trace {
    QString feature;
    double latencyMs = 0;
    double tokens = 0;
    QList<QPair<QString, double>> evals;  // name, score
    double score = NAN;
};

QJsonValue attribute(const QJsonArray& attributes, const QString& key) {
    for (const QJsonValue& a : attributes) {
        if (a[QStringLiteral("key")].toString() == key) {
            return a[QStringLiteral("value")].toObject().begin().value();
        }
    }
    return {};
}

double number(const QJsonValue& v) {
    return v.isString() ? v.toString().toDouble() : v.toDouble();
}

// Times in ns need all 64 bits: a double would round them to 256 ns.
qint64 nanos(const QJsonValue& v) {
    return v.isString() ? v.toString().toLongLong() : v.toInteger();
}

// Requests as the file says: a root span's duration and feature; tokens summed over the three vocabularies'
// keys; evals from gen_ai.evaluation.result events.
QHash<QString, Trace> readTraces(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        qFatal("cannot open the generated export");
    }
    QHash<QString, Trace> traces;
    const QStringList inKeys = {QStringLiteral("gen_ai.usage.input_tokens"),
                                QStringLiteral("gen_ai.usage.prompt_tokens"), QStringLiteral("llm.token_count.prompt")};
    const QStringList outKeys = {QStringLiteral("gen_ai.usage.output_tokens"),
                                 QStringLiteral("gen_ai.usage.completion_tokens"),
                                 QStringLiteral("llm.token_count.completion")};
    for (const QByteArray& line : file.readAll().split('\n')) {
        if (line.trimmed().isEmpty()) {
            continue;
        }
        for (const QJsonValue& rs : QJsonDocument::fromJson(line)[QStringLiteral("resourceSpans")].toArray()) {
            for (const QJsonValue& ss : rs[QStringLiteral("scopeSpans")].toArray()) {
                for (const QJsonValue& s : ss[QStringLiteral("spans")].toArray()) {
                    Trace& t = traces[s[QStringLiteral("traceId")].toString().toLower()];
                    const QJsonArray attrs = s[QStringLiteral("attributes")].toArray();
                    if (s[QStringLiteral("parentSpanId")].toString().isEmpty()) {
                        t.feature = attribute(attrs, QStringLiteral("feature")).toString();
                        t.latencyMs = static_cast<double>(nanos(s[QStringLiteral("endTimeUnixNano")]) -
                                                          nanos(s[QStringLiteral("startTimeUnixNano")])) / 1e6;
                    }
                    for (const QString& k : inKeys + outKeys) {
                        const QJsonValue v = attribute(attrs, k);
                        if (!v.isUndefined()) {
                            t.tokens += number(v);
                        }
                    }
                    for (const QJsonValue& e : s[QStringLiteral("events")].toArray()) {
                        if (e[QStringLiteral("name")].toString() == QStringLiteral("gen_ai.evaluation.result")) {
                            const QJsonArray ea = e[QStringLiteral("attributes")].toArray();
                            t.evals.append({attribute(ea, QStringLiteral("gen_ai.evaluation.name")).toString(),
                                            number(attribute(ea, QStringLiteral("gen_ai.evaluation.score.value")))});
                        }
                    }
                }
            }
        }
    }
    // Score: each eval name's scores on 0..1 by its lowest and highest score, averaged per request.
    QHash<QString, QPair<double, double>> range;
    for (const Trace& t : traces) {
        for (const auto& [name, score] : t.evals) {
            auto it = range.find(name);
            if (it == range.end()) {
                range.insert(name, {score, score});
            } else {
                it->first = std::min(it->first, score);
                it->second = std::max(it->second, score);
            }
        }
    }
    for (Trace& t : traces) {
        double sum = 0;
        int n = 0;
        for (const auto& [name, score] : t.evals) {
            const auto [lo, hi] = range.value(name);
            if (hi > lo) {
                sum += (score - lo) / (hi - lo);
                ++n;
            }
        }
        t.score = n ? sum / n : NAN;
    }
    return traces;
}

double valueOf(const Trace& t, const QString& metric) {
    return metric == QStringLiteral("latency") ? t.latencyMs : metric == QStringLiteral("tokens") ? t.tokens : t.score;
}

QJsonObject run(const QStringList& args, int* exitCode) {
    QProcess p;
    p.start(kProgram, args);
    if (!p.waitForFinished(120000)) {
        qFatal("promptscope did not finish");
    }
    *exitCode = p.exitCode();
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

}  // namespace

class TestOutliersCommand : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        file_ = dir_.filePath(QStringLiteral("traffic.otlp.jsonl"));
        QProcess gen;
        gen.start(kTracegen, {QStringLiteral("--requests"), QStringLiteral("1500"), QStringLiteral("--seed"),
                              QStringLiteral("11"), QStringLiteral("--format"), QStringLiteral("otlp"),
                              QStringLiteral("--no-records"), QStringLiteral("--out"), file_});
        QVERIFY(gen.waitForFinished(120000));
        QCOMPARE(gen.exitCode(), 0);
        traces_ = readTraces(file_);
        QCOMPARE(traces_.size(), 1500);
    }

    void jsonMatchesTheFile_data() {
        QTest::addColumn<QString>("metric");
        QTest::newRow("latency") << QStringLiteral("latency");
        QTest::newRow("tokens") << QStringLiteral("tokens");
        QTest::newRow("score") << QStringLiteral("score");
    }
    void jsonMatchesTheFile() {
        QFETCH(QString, metric);
        int code = -1;
        const QJsonObject out = run({QStringLiteral("outliers"), QStringLiteral("--metric"), metric,
                                     QStringLiteral("--limit"), QStringLiteral("15"), QStringLiteral("--format"),
                                     QStringLiteral("json"), file_},
                                    &code);
        QCOMPARE(code, 0);
        QCOMPARE(out[QStringLiteral("metric")].toString(), metric);
        const QJsonArray rows = out[QStringLiteral("rows")].toArray();
        QCOMPARE(rows.size(), 15);
        const bool lowest = metric == QStringLiteral("score");
        double previous = lowest ? -INFINITY : INFINITY;
        for (const QJsonValue& row : rows) {
            const QString id = row[QStringLiteral("trace_id")].toString();
            QVERIFY2(traces_.contains(id), qPrintable(id));
            const Trace& t = traces_[id];
            const double value = row[QStringLiteral("value")].toDouble();
            QVERIFY2(std::abs(value - valueOf(t, metric)) < 1e-6, qPrintable(id));
            QVERIFY(lowest ? value >= previous : value <= previous);
            previous = value;
            QCOMPARE(row[QStringLiteral("feature")].toString(), t.feature);
            // Mid-rank within the feature, counted with a loop.
            double below = 0, equal = 0, n = 0;
            for (const Trace& other : traces_) {
                const double v = valueOf(other, metric);
                if (other.feature != t.feature || std::isnan(v)) {
                    continue;
                }
                ++n;
                below += v < valueOf(t, metric) - 1e-9;
                equal += std::abs(v - valueOf(t, metric)) <= 1e-9;
            }
            QVERIFY2(std::abs(row[QStringLiteral("percentile")].toDouble() - (below + equal / 2) / n * 100) < 1e-9,
                     qPrintable(id));
            QCOMPARE(row[QStringLiteral("distribution_size")].toInt(), static_cast<int>(n));
        }
        // Nothing left out is worse than the last row shown.
        int worse = 0;
        for (const Trace& t : traces_) {
            const double v = valueOf(t, metric);
            worse += lowest ? v < previous : v > previous;
        }
        QVERIFY(worse < 15);
    }

    void tableAndQuery() {
        QProcess p;
        p.start(kProgram, {QStringLiteral("outliers"), QStringLiteral("--metric"), QStringLiteral("latency"),
                           QStringLiteral("--limit"), QStringLiteral("3"), QStringLiteral("--query"),
                           QStringLiteral("feature:invoice_parser"), file_});
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 0);
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        QVERIFY2(out.contains(QStringLiteral("of latency for invoice_parser")), qPrintable(out));
        QVERIFY(!out.contains(QStringLiteral("for support_chatbot")));
        QCOMPARE(out.count(QLatin1Char('\n')), 6);  // header, rule, three rows, summary
    }

    void badArgumentsFail_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no metric") << QStringList{QStringLiteral("outliers"), file_};
        QTest::newRow("unknown metric") << QStringList{QStringLiteral("outliers"), QStringLiteral("--metric"),
                                                       QStringLiteral("speed"), file_};
        QTest::newRow("zero limit") << QStringList{QStringLiteral("outliers"), QStringLiteral("--metric"),
                                                   QStringLiteral("cost"), QStringLiteral("--limit"),
                                                   QStringLiteral("0"), file_};
        QTest::newRow("no source") << QStringList{QStringLiteral("outliers"), QStringLiteral("--metric"),
                                                  QStringLiteral("cost")};
        QTest::newRow("bad query") << QStringList{QStringLiteral("outliers"), QStringLiteral("--metric"),
                                                  QStringLiteral("cost"), QStringLiteral("--query"),
                                                  QStringLiteral("modle:x"), file_};
    }
    void badArgumentsFail() {
        QFETCH(QStringList, args);
        QProcess p;
        p.start(kProgram, args);
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY(!p.readAllStandardError().isEmpty());
    }

private:
    QTemporaryDir dir_;
    QString file_;
    QHash<QString, Trace> traces_;
};

QTEST_GUILESS_MAIN(TestOutliersCommand)
#include "tst_outlierscommand.moc"
