// Live refresh without widgets, on a LiteLLM SpendLogs table in SQLite (and in the throwaway PostgreSQL cluster):
// a first read matches SQL computed on the table; rows written later (including late rows that started before the
// newest one read) are picked up by the next poll exactly once; snapshot + polls gives the same report as one
// read of the whole table. And the connection test says what is wrong in each case.
#include <QTemporaryDir>
#include <QtTest>

#include <random>

#include "connectionprobe.h"
#include "groupsummary.h"
#include "litellmfixture.h"
#include "livepoll.h"
#include "reportformat.h"

using namespace ps;
using namespace ps::live;

namespace {

std::string allReports(const Dataset& d) {
    std::string out;
    for (const GroupField f : {GroupField::Model, GroupField::User, GroupField::Tenant, GroupField::Provider}) {
        out += formatReportJson(buildReport(d, f, Grain::Request, nullptr, 100)) + "\n";
        out += formatReportJson(buildReport(d, f, Grain::Generation, nullptr, 100)) + "\n";
    }
    return out;
}

PollOptions unpriced() {
    PollOptions o;
    o.pricing = std::make_shared<PricingTable>();  // costs only from spend: what SQL can sum
    return o;
}

double sqlNumber(db::Connection& c, const std::string& sql) {
    double v = -1;
    std::string error;
    const bool ok = c.query(sql, {}, [&](const db::Row& row) {
        v = row.real(0).value_or(0);
        return false;
    }, &error);
    if (!ok) {
        qWarning("%s: %s", sql.c_str(), error.c_str());
    }
    return v;
}

// A PostgreSQL database of its own for one test, dropped at the end; null (after QSKIP/QFAIL) without a server.
struct PgDatabase {
    std::string adminUri;
    std::string name;
    std::string uri;

    ~PgDatabase() {
        if (name.empty()) {
            return;
        }
        std::string error;
        if (auto admin = db::openConnection(*db::parseTarget(adminUri), {.readOnly = false}, &error)) {
            admin->execute("DROP DATABASE IF EXISTS " + db::quoteIdentifier(name) + " WITH (FORCE)", {}, &error);
        }
    }
};

}  // namespace

class TestLivePoll : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;

    std::string newSqliteTable(const char* file, int rows) {
        const std::string path = dir_.filePath(QString::fromLatin1(file)).toStdString();
        std::string error;
        auto c = db::openConnection({db::Dialect::Sqlite, path}, {.readOnly = false}, &error);
        if (!c || !c->execute(testing::liteLlmDdl(db::Dialect::Sqlite), {}, &error)) {
            qWarning("%s", error.c_str());
            return {};
        }
        c->execute("BEGIN", {}, &error);
        for (int i = 0; i < rows; ++i) {
            testing::insertLiteLlmRow(*c, i, &error);
        }
        c->execute("COMMIT", {}, &error);
        return "sqlite:" + path;
    }

    // Reads rows [0, first) in one poll, then writes rows [first, total) plus late rows, polls again, and
    // compares with one read of everything.
    void checkIncremental(const std::string& source, db::Connection& writer) {
        std::vector<LiveSource> sources = liveSourcesOf({source});
        QCOMPARE(sources.size(), size_t{1});
        PollResult first = pollSources(nullptr, sources, unpriced());
        QVERIFY2(first.error.empty(), first.error.c_str());
        QVERIFY(first.dataset);
        QCOMPARE(first.sources[0].schema.kind, DatabaseSchemaKind::LiteLlmSpendLogs);
        const size_t before = first.dataset->requestCount();

        std::string error;
        for (int i = 200; i < 260; ++i) {
            QVERIFY2(testing::insertLiteLlmRow(writer, i, &error), error.c_str());
        }
        // Written late: they started before the newest row the first poll read (row 199 at ~298.5 s).
        for (int i = 900; i < 905; ++i) {
            QVERIFY2(testing::insertLiteLlmRow(writer, i, &error, (250 + i - 900) * 1'000'000LL + 123), error.c_str());
        }
        PollResult second = pollSources(first.dataset, first.sources, unpriced());
        QVERIFY2(second.error.empty(), second.error.c_str());
        QVERIFY(second.dataset);
        QCOMPARE(second.rows, uint64_t{65});
        QCOMPARE(second.appended.newRequests, uint64_t{65});
        QCOMPARE(second.dataset->requestCount(), before + 65);

        const PollResult whole = pollSources(nullptr, liveSourcesOf({source}), unpriced());
        QVERIFY(whole.dataset);
        QCOMPARE(second.dataset->requestCount(), whole.dataset->requestCount());
        QCOMPARE(allReports(*second.dataset), allReports(*whole.dataset));

        // Nothing new: no snapshot, nothing read twice.
        const PollResult third = pollSources(second.dataset, second.sources, unpriced());
        QVERIFY2(third.error.empty(), third.error.c_str());
        QCOMPARE(third.rows, uint64_t{0});
        QVERIFY(!third.dataset);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void firstReadMatchesSql() {
        const std::string source = newSqliteTable("first.db", 300);
        QVERIFY(!source.empty());
        const PollResult r = pollSources(nullptr, liveSourcesOf({source}), unpriced());
        QVERIFY2(r.error.empty(), r.error.c_str());
        QVERIFY(r.dataset);
        QCOMPARE(r.rows, uint64_t{300});
        std::string error;
        auto c = db::openConnection(*db::parseTarget(source), {}, &error);
        QVERIFY(c);
        const Report report = buildReport(*r.dataset, GroupField::Model, Grain::Request);
        const std::string t = "FROM \"LiteLLM_SpendLogs\"";
        QCOMPARE(static_cast<double>(report.total.count), sqlNumber(*c, "SELECT count(*) " + t));
        QCOMPARE(static_cast<double>(report.total.errors),
                 sqlNumber(*c, "SELECT count(*) " + t + " WHERE status = 'failure'"));
        QCOMPARE(static_cast<double>(report.total.inputTokens), sqlNumber(*c, "SELECT sum(prompt_tokens) " + t));
        QCOMPARE(static_cast<double>(report.total.outputTokens), sqlNumber(*c, "SELECT sum(completion_tokens) " + t));
        QVERIFY(std::abs(report.total.costUsd - sqlNumber(*c, "SELECT sum(spend) " + t)) < 1e-9);
        QCOMPARE(static_cast<double>(report.groups.size()), sqlNumber(*c, "SELECT count(DISTINCT model) " + t));
        // One request by hand: row 7 lasts 300 ms + (7 * 104729 mod 7700) ms, starts 10.5 s + 449 ms after the base.
        const RequestIndex seven = r.dataset->findRequest("chatcmpl-000007");
        QVERIFY(seven.isValid());
        QCOMPARE(r.dataset->requests.durationNs[seven.value], (300 + 7 * 104729 % 7700) * 1'000'000LL);
        QCOMPARE(r.dataset->requests.startNs[seven.value],
                 (testing::kLiteLlmBaseSeconds * 1000 + 10'500 + 7 * 7919 % 1000) * 1'000'000LL);
        QCOMPARE(r.dataset->str(r.dataset->requests.user[seven.value]), std::string_view("user-2"));
        QCOMPARE(r.dataset->str(r.dataset->requests.tenant[seven.value]), std::string_view("team-support"));
        QCOMPARE(r.dataset->sources.at(0).format, SourceFormat::Database);
    }

    void incrementalEqualsFullReadSqlite() {
        const std::string source = newSqliteTable("incremental.db", 200);
        QVERIFY(!source.empty());
        std::string error;
        auto writer = db::openConnection(*db::parseTarget(source), {.readOnly = false}, &error);
        QVERIFY2(writer, error.c_str());
        checkIncremental(source, *writer);
    }

    void markFromSnapshotLoadedElsewhere() {
        // A snapshot read in full by another path: its first poll reads only rows written after it.
        const std::string source = newSqliteTable("elsewhere.db", 120);
        const PollResult loaded = pollSources(nullptr, liveSourcesOf({source}), unpriced());
        QVERIFY(loaded.dataset);
        std::string error;
        auto writer = db::openConnection(*db::parseTarget(source), {.readOnly = false}, &error);
        for (int i = 120; i < 130; ++i) {
            QVERIFY(testing::insertLiteLlmRow(*writer, i, &error));
        }
        const PollResult next = pollSources(loaded.dataset, liveSourcesOf({source}), unpriced());
        QVERIFY2(next.error.empty(), next.error.c_str());
        QCOMPARE(next.rows, uint64_t{10});
        QCOMPARE(next.dataset->requestCount(), size_t{130});
        QCOMPARE(next.dataset->sources.size(), size_t{1});
    }

    void incrementalEqualsFullReadPostgres() {
        const QByteArray admin = qgetenv("PROMPTSCOPE_TEST_PG_URI");
        const bool ci = qgetenv("CI") == "true";
        if (admin.isEmpty()) {
            if (ci) {
                QFAIL("PROMPTSCOPE_TEST_PG_URI is not set (scripts/pgcluster.sh start)");
            }
            QSKIP("no PostgreSQL test server: run `eval \"$(scripts/pgcluster.sh start)\"` first");
        }
        std::string error;
        auto adminConnection = db::openConnection(*db::parseTarget(admin.toStdString()), {.readOnly = false}, &error);
        if (!adminConnection && error.find("not available in this build") != std::string::npos) {
            QSKIP("this build has no PostgreSQL connection yet");
        }
        QVERIFY2(adminConnection, error.c_str());
        PgDatabase database;
        database.adminUri = admin.toStdString();
        database.name = "ps_livepoll_" + std::to_string(QCoreApplication::applicationPid()) + "_" +
                        std::to_string(std::random_device{}() % 100000);
        QVERIFY2(adminConnection->execute("CREATE DATABASE " + db::quoteIdentifier(database.name), {}, &error),
                 error.c_str());
        database.uri = database.adminUri.substr(0, database.adminUri.rfind('/') + 1) + database.name;
        auto writer = db::openConnection(*db::parseTarget(database.uri), {.readOnly = false}, &error);
        QVERIFY2(writer, error.c_str());
        QVERIFY2(writer->execute(testing::liteLlmDdl(db::Dialect::Postgres), {}, &error), error.c_str());
        for (int i = 0; i < 200; ++i) {
            QVERIFY2(testing::insertLiteLlmRow(*writer, i, &error), error.c_str());
        }
        checkIncremental(database.uri, *writer);
        writer.reset();
    }

    void classifiesConnectErrors_data() {
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("problem");
        QTest::newRow("refused") << QStringLiteral(
            "connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n\tIs the server running on "
            "that host and accepting TCP/IP connections?") << int(ProbeProblem::NotReachable);
        QTest::newRow("password") << QStringLiteral(
            "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  password authentication failed for "
            "user \"promptscope\"") << int(ProbeProblem::Authentication);
        QTest::newRow("no database") << QStringLiteral("FATAL:  database \"nope\" does not exist")
                                     << int(ProbeProblem::NoSuchDatabase);
        QTest::newRow("no file") << QStringLiteral("no such database file: /tmp/x.db") << int(ProbeProblem::NoSuchDatabase);
        QTest::newRow("host") << QStringLiteral("could not translate host name \"nohost\" to address")
                              << int(ProbeProblem::NotReachable);
    }

    void classifiesConnectErrors() {
        QFETCH(QString, message);
        QFETCH(int, problem);
        QCOMPARE(int(classifyConnectError(message.toStdString())), problem);
    }

    void probesSqlite() {
        const std::string litellm = newSqliteTable("probe.db", 5);
        ProbeRequest request;
        request.source = litellm;
        ProbeResult r = probeConnection(request);
        QVERIFY2(r.ok(), r.message.c_str());
        QCOMPARE(r.schema, DatabaseSchemaKind::LiteLlmSpendLogs);

        request.source = "sqlite:" + dir_.filePath(QStringLiteral("missing.db")).toStdString();
        r = probeConnection(request);
        QCOMPARE(r.problem, ProbeProblem::NoSuchDatabase);
        QVERIFY(r.message.find("No such database") != std::string::npos);

        const std::string other = dir_.filePath(QStringLiteral("other.db")).toStdString();
        std::string error;
        auto w = db::openConnection({db::Dialect::Sqlite, other}, {.readOnly = false}, &error);
        QVERIFY(w->execute("CREATE TABLE invoices (id INTEGER); CREATE TABLE customers (id INTEGER)", {}, &error));
        request.source = "sqlite:" + other;
        r = probeConnection(request);
        QCOMPARE(r.problem, ProbeProblem::UnknownSchema);
        QVERIFY2(r.message.find("customers, invoices") != std::string::npos, r.message.c_str());

        request.source = litellm;
        request.customQuery = true;
        request.sql = "SELECT * FROM llm_calls;";
        r = probeConnection(request);
        QCOMPARE(r.problem, ProbeProblem::NoSuchTable);
        QVERIFY2(r.message.find("llm_calls") != std::string::npos, r.message.c_str());

        request.sql = R"(SELECT request_id AS trace_id, model FROM "LiteLLM_SpendLogs")";
        r = probeConnection(request);
        QCOMPARE(r.problem, ProbeProblem::BadQuery);
        QVERIFY2(r.message.find("start_time") != std::string::npos, r.message.c_str());

        request.sql = R"(SELECT request_id AS trace_id, "startTime" AS start_time, "endTime" AS end_time,
                         model, spend FROM "LiteLLM_SpendLogs";)";
        r = probeConnection(request);
        QVERIFY2(r.ok(), r.message.c_str());
        QVERIFY2(r.message.find("spend") != std::string::npos, r.message.c_str());  // named as ignored
    }
};

QTEST_GUILESS_MAIN(TestLivePoll)
#include "tst_livepoll.moc"
