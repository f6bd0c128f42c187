// The database connection layer on SQLite: source strings recognised as databases, read-only sessions that
// cannot write, parameters bound (never pasted), rows streamed and stopped early, clear errors.
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

#include "dbconnection.h"

using namespace ps::db;

class TestDbConnection : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    std::string path_;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        path_ = dir_.filePath(QStringLiteral("logs.data")).toStdString();  // no telling extension: found by its header
        std::string error;
        auto writable = openConnection(Target{Dialect::Sqlite, path_}, ConnectOptions{.readOnly = false}, &error);
        QVERIFY2(writable, error.c_str());
        QVERIFY2(writable->execute("CREATE TABLE t (id INTEGER, name TEXT, cost REAL);"
                                   "INSERT INTO t VALUES (1, 'a', 0.5), (2, 'it''s', NULL), (3, 'c', 2);",
                                   {}, &error),
                 error.c_str());
    }

    void parsesTargets() {
        QCOMPARE(parseTarget("postgresql://u@h:5432/db")->dialect, Dialect::Postgres);
        QCOMPARE(parseTarget("postgres://h/db")->dialect, Dialect::Postgres);
        QCOMPARE(parseTarget("sqlite:/x/y.bin")->location, std::string("/x/y.bin"));
        QCOMPARE(parseTarget("sqlite:///x/y.bin")->location, std::string("/x/y.bin"));
        QCOMPARE(parseTarget("logs.PromptScope")->dialect, Dialect::Sqlite);
        QCOMPARE(parseTarget(path_)->location, path_);
        QVERIFY(!parseTarget("trace.otlp.json").has_value());
        QVERIFY(!parseTarget(PROMPTSCOPE_SAMPLES_DIR "/otel-js-sdk__instrumentation-openai__chat.jsonl"));
    }

    void hidesPasswords() {
        QCOMPARE(withoutPassword("postgresql://me:s3cr@t@db:5432/logs"), std::string("postgresql://me:***@db:5432/logs"));
        QCOMPARE(withoutPassword("postgresql://me@db/logs?password=x&sslmode=require"),
                 std::string("postgresql://me@db/logs?password=***&sslmode=require"));
        QCOMPARE(withoutPassword("postgresql://db/logs"), std::string("postgresql://db/logs"));
        QCOMPARE(withoutPasswordToReopen("postgresql://me:s3cr@t@db:5432/logs"),
                 std::string("postgresql://me@db:5432/logs"));
        QCOMPARE(withoutPasswordToReopen("postgresql://me@db/logs?password=x&sslmode=require"),
                 std::string("postgresql://me@db/logs?sslmode=require"));
        QCOMPARE(withoutPasswordToReopen("postgresql://me@db/logs?sslmode=require&password=x"),
                 std::string("postgresql://me@db/logs?sslmode=require"));
        QCOMPARE(withoutPasswordToReopen("host=db password=x dbname=logs"), std::string("host=db dbname=logs"));
        QCOMPARE(withoutPasswordToReopen("postgresql://db/logs"), std::string("postgresql://db/logs"));
    }

    void bindsAndStreams() {
        std::string error;
        auto c = openConnection(*parseTarget(path_), {}, &error);
        QVERIFY2(c, error.c_str());
        std::vector<std::string> names;
        std::vector<double> costs;
        QVERIFY2(c->query("SELECT name, cost FROM t WHERE id >= $2 AND name <> $1 ORDER BY id",
                          {std::string("c"), int64_t{1}},
                          [&](const Row& row) {
                              names.emplace_back(row.text(0));
                              costs.push_back(row.real(1).value_or(-1));
                              return true;
                          },
                          &error),
                 error.c_str());
        QCOMPARE(names, (std::vector<std::string>{"a", "it's"}));
        QCOMPARE(costs, (std::vector<double>{0.5, -1}));
        int seen = 0;
        QVERIFY(c->query("SELECT id FROM t", {}, [&](const Row&) { return ++seen < 2; }, &error));
        QCOMPARE(seen, 2);
        QCOMPARE(c->tables(&error), std::vector<std::string>{"t"});
        QCOMPARE(c->columns("t", &error), (std::vector<std::string>{"id", "name", "cost"}));
        QVERIFY(c->columns("nope", &error).empty());
        QVERIFY((error.find("no such table") != std::string::npos));
    }

    void readOnlyCannotWrite() {
        std::string error;
        auto c = openConnection(*parseTarget(path_), {}, &error);
        QVERIFY(c);
        QVERIFY(!c->execute("INSERT INTO t VALUES (9, 'x', 1)", {}, &error));
        QVERIFY(!c->execute("CREATE TEMP TABLE scratch (x)", {}, &error));
        int rows = 0;
        QVERIFY(c->query("SELECT count(*) FROM t", {}, [&](const Row& r) { rows = int(*r.integer(0)); return true; }, &error));
        QCOMPARE(rows, 3);
    }

    void clearErrors() {
        std::string error;
        QVERIFY(!openConnection(Target{Dialect::Sqlite, dir_.filePath(QStringLiteral("missing.db")).toStdString()}, {}, &error));
        QVERIFY((error.find("no such database file") != std::string::npos));
        const QString text = dir_.filePath(QStringLiteral("notes.db"));
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        QVERIFY(!openConnection(Target{Dialect::Sqlite, text.toStdString()}, {}, &error));
        QVERIFY2((error.find("not a SQLite database") != std::string::npos), error.c_str());
    }
};

QTEST_GUILESS_MAIN(TestDbConnection)
#include "tst_dbconnection.moc"
