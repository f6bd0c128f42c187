// `promptscope report` on log databases end to end: a LiteLLM spend-log table in SQLite (sqlite:PATH and a
// .sqlite path) and in PostgreSQL (a postgresql:// URI, its password from PGPASSWORD), its JSON compared with
// SQL run on the same table (percentile_cont on PostgreSQL, a sort of the generated latencies for SQLite).
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <map>

#include "dbconnection.h"
#include "logtablefixture.h"
#include "pgtestserver.h"

namespace {

const QString kProgram = QStringLiteral(PROMPTSCOPE_BINARY_DIR "/app/promptscope");

double type7(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    const double h = (static_cast<double>(v.size()) - 1) * p;
    const size_t lo = static_cast<size_t>(std::floor(h));
    return lo + 1 < v.size() ? v[lo] + (h - static_cast<double>(lo)) * (v[lo + 1] - v[lo]) : v[lo];
}

double sqlNumber(ps::db::Connection& c, const std::string& sql) {
    double v = std::nan("");
    std::string error;
    c.query(
        sql, {},
        [&](const ps::db::Row& row) {
            v = row.real(0).value_or(std::nan(""));
            return true;
        },
        &error);
    return v;
}

QJsonObject runReport(const QStringList& args,
                      const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(kProgram, QStringList{QStringLiteral("report"), QStringLiteral("--format"),
                                  QStringLiteral("json"), QStringLiteral("--by"), QStringLiteral("model")} +
                          args);
    if (!p.waitForFinished(120000) || p.exitCode() != 0) {
        qWarning("report failed: %s", p.readAllStandardError().constData());
        return {};
    }
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

}  // namespace

class TestDatabaseReport : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    PgTestServer server_;

    void compare(const QJsonObject& report, ps::db::Connection& sql, double p50, double p95) {
        QVERIFY(!report.isEmpty());
        const QJsonObject total = report[QStringLiteral("total")].toObject();
        QCOMPARE(total[QStringLiteral("count")].toDouble(),
                 sqlNumber(sql, "SELECT count(*) FROM \"LiteLLM_SpendLogs\""));
        QCOMPARE(total[QStringLiteral("errors")].toDouble(),
                 sqlNumber(sql, "SELECT count(*) FROM \"LiteLLM_SpendLogs\" WHERE status = 'failure'"));
        QCOMPARE(total[QStringLiteral("input_tokens")].toDouble(),
                 sqlNumber(sql, "SELECT sum(prompt_tokens) FROM \"LiteLLM_SpendLogs\""));
        QCOMPARE(total[QStringLiteral("output_tokens")].toDouble(),
                 sqlNumber(sql, "SELECT sum(completion_tokens) FROM \"LiteLLM_SpendLogs\""));
        const QJsonObject latency = total[QStringLiteral("latency_ms")].toObject();
        QVERIFY(std::fabs(latency[QStringLiteral("p50")].toDouble() - p50) < 1e-6);
        QVERIFY(std::fabs(latency[QStringLiteral("p95")].toDouble() - p95) < 1e-6);
        for (const QJsonValue& g : report[QStringLiteral("groups")].toArray()) {
            const std::string model = g[QStringLiteral("key")].toString().toStdString();
            QCOMPARE(
                g[QStringLiteral("count")].toDouble(),
                sqlNumber(sql, "SELECT count(*) FROM \"LiteLLM_SpendLogs\" WHERE model = '" + model + "'"));
        }
        QCOMPARE(report[QStringLiteral("groups")].toArray().size(), 3);
    }

private Q_SLOTS:
    void sqlite() {
        QVERIFY(dir_.isValid());
        const std::string path = dir_.filePath(QStringLiteral("spend.sqlite")).toStdString();
        GeneratedLogs generated;
        std::string error;
        {
            auto w = ps::db::openConnection({ps::db::Dialect::Sqlite, path}, {.readOnly = false}, &error);
            QVERIFY2(w, error.c_str());
            QVERIFY2(createLiteLlmTable(*w, false, false, 250, &generated, &error), error.c_str());
        }
        auto sql = ps::db::openConnection({ps::db::Dialect::Sqlite, path}, {}, &error);
        QVERIFY(sql);
        const QStringList sources{QStringLiteral("sqlite:") + QString::fromStdString(path),
                                  QString::fromStdString(path)};
        for (const QString& source : sources) {
            compare(runReport({source}), *sql, type7(generated.latencyMs, 0.5),
                    type7(generated.latencyMs, 0.95));
        }
        // The same table through a custom SELECT naming PromptScope's fields: same requests, errors, latency.
        const QJsonObject custom = runReport(
            {QStringLiteral("--select"),
             QStringLiteral(
                 "SELECT request_id AS trace_id, \"startTime\" AS start_time, \"endTime\" AS end_time, "
                 "model, status, prompt_tokens AS input_tokens, completion_tokens AS output_tokens "
                 "FROM \"LiteLLM_SpendLogs\""),
             QString::fromStdString(path)});
        compare(custom, *sql, type7(generated.latencyMs, 0.5), type7(generated.latencyMs, 0.95));
    }

    // The window opens Langfuse tables too (aggregation in the database only maps LiteLLM-shaped tables; the
    // others are read row by row): the screenshot command loads them and renders the Traces page.
    void langfuseInTheWindow() {
        const std::string path = dir_.filePath(QStringLiteral("langfuse.sqlite")).toStdString();
        std::string error;
        {
            auto w = ps::db::openConnection({ps::db::Dialect::Sqlite, path}, {.readOnly = false}, &error);
            QVERIFY2(w, error.c_str());
            QVERIFY2(createLangfuseTables(*w, false, 40, &error), error.c_str());
        }
        const QString png = dir_.filePath(QStringLiteral("langfuse.png"));
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        p.setProcessEnvironment(env);
        p.start(kProgram, {QStringLiteral("--screenshot"), png, QStringLiteral("--page"), QStringLiteral("traces"),
                           QStringLiteral("--trace"), QStringLiteral("trace-3"),
                           QStringLiteral("sqlite:") + QString::fromStdString(path)});
        const bool finished = p.waitForFinished(120000);
        if (!finished) {
            p.kill();
            p.waitForFinished();
        }
        QVERIFY2(finished, "the screenshot of a Langfuse database did not finish");
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(QFileInfo(png).size() > 0);
    }

    // A source that cannot be opened ends the screenshot command with the reason, without the password and
    // without waiting for someone to dismiss a message box.
    void screenshotOfAnUnreachableDatabaseFails() {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        p.setProcessEnvironment(env);
        p.start(kProgram, {QStringLiteral("--screenshot"), dir_.filePath(QStringLiteral("none.png")),
                           QStringLiteral("postgresql://someone:s3cret-pw@127.0.0.1:1/nowhere")});
        const bool finished = p.waitForFinished(60000);
        if (!finished) {
            p.kill();
            p.waitForFinished();
        }
        QVERIFY2(finished, "the screenshot command waited instead of failing");
        QCOMPARE(p.exitCode(), 1);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains(QStringLiteral("postgresql://someone:***@127.0.0.1:1/nowhere: connection refused")), qPrintable(err));
        QVERIFY2(!err.contains(QStringLiteral("s3cret")), qPrintable(err));
        QVERIFY(!QFileInfo::exists(dir_.filePath(QStringLiteral("none.png"))));
    }

    void postgres() {
        if (!server_.start()) {
            PGTEST_SKIP_OR_FAIL(server_);
        }
        const std::string schema = PgTestServer::uniqueName("dbreport");
        std::string error;
        auto w = server_.connect(false, &error);
        QVERIFY2(w && w->execute("CREATE SCHEMA " + schema + "; SET search_path TO " + schema, {}, &error),
                 error.c_str());
        GeneratedLogs generated;
        QVERIFY2(createLiteLlmTable(*w, true, false, 250, &generated, &error), error.c_str());
        const std::string latency = "greatest(0, extract(epoch FROM \"endTime\" - \"startTime\") * 1000)";
        const double p50 = sqlNumber(*w, "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY " + latency +
                                             ") FROM \"LiteLLM_SpendLogs\"");
        const double p95 = sqlNumber(*w, "SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY " + latency +
                                             ") FROM \"LiteLLM_SpendLogs\"");
        // The password comes from the environment, as a script would pass it; the URI carries none.
        const std::string uri = server_.uriWithoutPassword() + "?options=-csearch_path%3D" + schema;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PGPASSWORD"), QString::fromStdString(server_.password()));
        compare(runReport({QString::fromStdString(uri)}, env), *w, p50, p95);
        // A wrong password is a clear failure, not an empty report.
        QProcess p;
        p.start(kProgram,
                {QStringLiteral("report"), QString::fromStdString(server_.uriWithPassword("not-it") +
                                                                  "?options=-csearch_path%3D" + schema)});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(err.contains("authentication failed") && !err.contains("not-it"), err.constData());
        w->execute("DROP SCHEMA " + schema + " CASCADE", {}, &error);
    }
};

QTEST_GUILESS_MAIN(TestDatabaseReport)
#include "tst_databasereport.moc"
