// The PostgreSQL connection against a throwaway server (scripts/pgcluster.sh): parameters bound, rows
// streamed and stopped early, read-only sessions that refuse writes, interrupt from another thread, and the
// sentences shown for a refused port, a wrong password, a missing database and a missing table.
#include <QtTest>
#include <atomic>
#include <thread>

#include "dbconnection.h"
#include "pgtestserver.h"

using namespace ps::db;

class TestPgConnection : public QObject {
    Q_OBJECT

private:
    PgTestServer server_;
    std::string schema_;

private Q_SLOTS:
    void initTestCase() {
        if (!server_.start()) {
            PGTEST_SKIP_OR_FAIL(server_);
        }
        schema_ = server_.uniqueName("pgconn");
        std::string error;
        auto w = server_.connect(/*readOnly=*/false, &error);
        QVERIFY2(w, error.c_str());
        const std::string s = quoteIdentifier(schema_);
        QVERIFY2(
            w->execute(
                "CREATE SCHEMA " + s +
                    ";"
                    "CREATE TABLE " +
                    s +
                    ".\"MixedCase\" (id bigint, name text, cost double precision, "
                    "at timestamptz, ok boolean, amount numeric);"
                    "INSERT INTO " +
                    s +
                    ".\"MixedCase\" VALUES "
                    "(1, 'a', 0.5, '2024-05-01 10:00:00+02', true, 12.0), "
                    "(2, 'it''s', NULL, NULL, false, NULL), (3, 'c', 2, '2024-05-01 08:00:00Z', NULL, 3.5);"
                    "INSERT INTO " +
                    s +
                    ".\"MixedCase\" SELECT g, 'bulk', g * 0.25, NULL, NULL, NULL "
                    "FROM generate_series(100, 200099) g;",
                {}, &error),
            error.c_str());
    }

    void cleanupTestCase() {
        if (!schema_.empty()) {
            std::string error;
            if (auto w = server_.connect(false, &error)) {
                w->execute("DROP SCHEMA " + quoteIdentifier(schema_) + " CASCADE", {}, &error);
            }
        }
    }

    void bindsAndStreams() {
        std::string error;
        auto c = server_.connect(true, &error, schema_);
        QVERIFY2(c, error.c_str());
        QCOMPARE(c->dialect(), Dialect::Postgres);
        QVERIFY(c->displayName().find("***") != std::string::npos);
        std::vector<std::string> names;
        std::vector<double> costs;
        std::vector<std::string> times;
        QVERIFY2(c->query(
                     "SELECT name, cost, at FROM \"MixedCase\" WHERE id >= $2 AND name <> $1 AND id < $3 "
                     "ORDER BY id",
                     {std::string("c"), int64_t{1}, 100.0},
                     [&](const Row& row) {
                         names.emplace_back(row.text(0));
                         costs.push_back(row.real(1).value_or(-1));
                         times.emplace_back(row.isNull(2) ? "NULL" : row.text(2));
                         return true;
                     },
                     &error),
                 error.c_str());
        QCOMPARE(names, (std::vector<std::string>{"a", "it's"}));
        QCOMPARE(costs, (std::vector<double>{0.5, -1}));
        // The session renders times in UTC, ISO style, whatever the server's defaults.
        QCOMPARE(times, (std::vector<std::string>{"2024-05-01 08:00:00+00", "NULL"}));

        // A value that would be SQL if pasted is only ever a value.
        int count = -1;
        QVERIFY2(c->query(
                     "SELECT count(*) FROM \"MixedCase\" WHERE name = $1", {std::string("x' OR '1'='1")},
                     [&](const Row& row) {
                         count = static_cast<int>(*row.integer(0));
                         return true;
                     },
                     &error),
                 error.c_str());
        QCOMPARE(count, 0);

        // Numbers from numeric, boolean and NULL columns.
        QVERIFY(c->query(
            "SELECT ok, amount, cost FROM \"MixedCase\" WHERE id = $1", {int64_t{1}},
            [&](const Row& row) {
                [&] {
                    QCOMPARE(row.size(), 3);
                    QCOMPARE(row.columnName(1), std::string_view("amount"));
                    QCOMPARE(row.integer(0), std::optional<int64_t>(1));
                    QCOMPARE(row.integer(1), std::optional<int64_t>(12));
                    QCOMPARE(row.real(2), std::optional<double>(0.5));
                }();
                return true;
            },
            &error));
        QVERIFY(c->query(
            "SELECT amount FROM \"MixedCase\" WHERE id = 2", {},
            [&](const Row& row) {
                [&] {
                    QVERIFY(row.isNull(0));
                    QVERIFY(!row.integer(0).has_value());
                    QVERIFY(!row.real(0).has_value());
                }();
                return true;
            },
            &error));
    }

    // 200,000 rows arrive one by one; the sum computed from the stream equals the server's own.
    void streamsManyRowsAndStopsEarly() {
        std::string error;
        auto c = server_.connect(true, &error, schema_);
        QVERIFY2(c, error.c_str());
        double sum = 0;
        int64_t rows = 0;
        QVERIFY2(c->query(
                     "SELECT cost FROM \"MixedCase\" WHERE name = 'bulk'", {},
                     [&](const Row& row) {
                         sum += row.real(0).value_or(0);
                         ++rows;
                         return true;
                     },
                     &error),
                 error.c_str());
        QCOMPARE(rows, int64_t{200000});
        double serverSum = -1;
        QVERIFY(c->query(
            "SELECT sum(cost)::float8 FROM \"MixedCase\" WHERE name = 'bulk'", {},
            [&](const Row& row) {
                serverSum = *row.real(0);
                return true;
            },
            &error));
        QCOMPARE(sum, serverSum);

        int seen = 0;
        QVERIFY2(c->query(
                     "SELECT id FROM \"MixedCase\"", {}, [&](const Row&) { return ++seen < 5; }, &error),
                 error.c_str());
        QCOMPARE(seen, 5);
        // The connection is usable right after an early stop.
        int one = 0;
        QVERIFY2(c->query(
                     "SELECT 1", {},
                     [&](const Row& row) {
                         one = static_cast<int>(*row.integer(0));
                         return true;
                     },
                     &error),
                 error.c_str());
        QCOMPARE(one, 1);
    }

    // A writable session streams in libpq's single-row mode (no transaction to hold a cursor): same rows.
    void streamsOnWritableSessions() {
        std::string error;
        auto w = server_.connect(false, &error, schema_);
        QVERIFY2(w, error.c_str());
        int64_t sum = 0;
        int64_t rows = 0;
        QVERIFY2(w->query(
                     "SELECT g FROM generate_series(1, $1::int) g", {int64_t{50000}},
                     [&](const Row& row) {
                         sum += *row.integer(0);
                         ++rows;
                         return true;
                     },
                     &error),
                 error.c_str());
        QCOMPARE(rows, int64_t{50000});
        QCOMPARE(sum, int64_t{50000} * 50001 / 2);
        int seen = 0;
        QVERIFY2(w->query(
                     "SELECT g FROM generate_series(1, 1000000) g", {},
                     [&](const Row&) { return ++seen < 3; }, &error),
                 error.c_str());
        QCOMPARE(seen, 3);
        QVERIFY2(w->query("SELECT 1", {}, {}, &error), error.c_str());
    }

    void tablesAndColumns() {
        std::string error;
        auto c = server_.connect(true, &error, schema_);
        QVERIFY2(c, error.c_str());
        const auto tables = c->tables(&error);
        QVERIFY2(std::find(tables.begin(), tables.end(), "MixedCase") != tables.end(), error.c_str());
        QCOMPARE(c->columns("MixedCase", &error),
                 (std::vector<std::string>{"id", "name", "cost", "at", "ok", "amount"}));
        QVERIFY(c->columns("mixedcase", &error).empty());
        QVERIFY2(error.find("no such table") != std::string::npos, error.c_str());
        QVERIFY(!c->query("SELECT * FROM nothing_here", {}, {}, &error));
        QVERIFY2(error.find("no such table") != std::string::npos, error.c_str());
        QVERIFY(!c->query("SELECT nope FROM \"MixedCase\"", {}, {}, &error));
        QVERIFY2(error.find("no such column") != std::string::npos, error.c_str());
    }

    void readOnlyCannotWrite() {
        std::string error;
        auto c = server_.connect(true, &error, schema_);
        QVERIFY2(c, error.c_str());
        QVERIFY(!c->execute("INSERT INTO \"MixedCase\" VALUES (9, 'x', 1)", {}, &error));
        QVERIFY2(error.find("read-only") != std::string::npos, error.c_str());
        QVERIFY(!c->execute("CREATE TABLE sneaky (x int)", {}, &error));
        // Not even through a query, nor by switching the session back.
        QVERIFY(!c->query("INSERT INTO \"MixedCase\" VALUES ($1, 'x', 1) RETURNING id", {int64_t{9}}, {},
                          &error));
        QVERIFY(!c->query("SET default_transaction_read_only = off; INSERT INTO \"MixedCase\" VALUES (9)", {},
                          {}, &error));
        QVERIFY(
            !c->execute("COMMIT; SET default_transaction_read_only = off; "
                        "INSERT INTO \"MixedCase\" VALUES (9)",
                        {}, &error));
        int64_t count = -1;
        QVERIFY(c->query(
            "SELECT count(*) FROM \"MixedCase\" WHERE id = 9", {},
            [&](const Row& row) {
                count = *row.integer(0);
                return true;
            },
            &error));
        QCOMPARE(count, int64_t{0});
    }

    void interruptsFromAnotherThread() {
        std::string error;
        auto c = server_.connect(true, &error, schema_);
        QVERIFY2(c, error.c_str());
        std::atomic<bool> started{false};
        std::thread stopper([&] {
            while (!started.load()) {
                std::this_thread::yield();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            c->interrupt();
        });
        started = true;
        const bool ok = c->query("SELECT pg_sleep(30)", {}, {}, &error);
        stopper.join();
        QVERIFY(!ok);
        QVERIFY2(error.find("interrupted") != std::string::npos, error.c_str());
        // And the next query runs normally.
        QVERIFY2(c->query("SELECT 1", {}, {}, &error), error.c_str());
    }

    void passwordFromOptions() {
        std::string error;
        const std::string uri = server_.uriWithoutPassword();
        auto c = openConnection(Target{Dialect::Postgres, uri},
                                ConnectOptions{.password = server_.password()}, &error);
        QVERIFY2(c, error.c_str());
        QVERIFY(c->query("SELECT 1", {}, {}, &error));
    }

    void clearErrors() {
        std::string error;
        // A port where nothing listens: the server's own port plus nothing is not guaranteed free, so use a
        // port that was just free.
        const std::string refused =
            "postgresql://promptscope:x@127.0.0.1:" + std::to_string(freePort()) + "/postgres";
        QVERIFY(!openConnection(*parseTarget(refused), {}, &error));
        QVERIFY2(error.rfind("connection refused", 0) == 0, error.c_str());
        qInfo("%s", error.c_str());

        QVERIFY(!openConnection(*parseTarget(server_.uriWithPassword("wrong-password")), {}, &error));
        QVERIFY2(error.rfind("authentication failed", 0) == 0, error.c_str());
        QVERIFY2(error.find("wrong-password") == std::string::npos, error.c_str());
        qInfo("%s", error.c_str());

        QVERIFY(!openConnection(Target{Dialect::Postgres, server_.uriWithoutPassword()}, {}, &error));
        QVERIFY2(error.rfind("authentication failed", 0) == 0, error.c_str());

        QVERIFY(!openConnection(*parseTarget(server_.uriForDatabase("no_such_db_here")), {}, &error));
        QVERIFY2(error.rfind("no such database", 0) == 0, error.c_str());
        qInfo("%s", error.c_str());
    }
};

QTEST_GUILESS_MAIN(TestPgConnection)
#include "tst_pgconnection.moc"
