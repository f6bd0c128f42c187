// File > Connect to Database, offscreen: the fields driven as a user would, Test Connection (off the GUI thread)
// on SQLite files and on the throwaway PostgreSQL cluster with the right and a wrong password, the field help of
// custom SELECTs, and saved connections whose settings never hold a password (none offscreen has a keychain, so
// the password is asked for again).
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <random>

#include "connectdialog.h"
#include "litellmfixture.h"

using ps::ConnectDialog;

namespace {

QString screenshot(const char* name) {
    QDir().mkpath(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots"));
    return QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots/") + QLatin1String(name) + QStringLiteral(".png");
}

template <typename W>
W* child(ConnectDialog& d, const char* name) {
    W* w = d.findChild<W*>(QLatin1String(name));
    if (!w) {
        qFatal("no child %s", name);
    }
    return w;
}

// Clicks Test Connection and waits for its answer.
bool runTest(ConnectDialog& d, bool* ok, QString* message) {
    QSignalSpy done(&d, &ConnectDialog::testFinished);
    QTest::mouseClick(child<QPushButton>(d, "testConnection"), Qt::LeftButton);
    if (!d.isTesting() && done.isEmpty()) {
        return false;  // the answer must come later, from the pool
    }
    if (!done.wait(30000)) {
        return false;
    }
    *ok = done.at(0).at(0).toBool();
    *message = done.at(0).at(1).toString();
    return true;
}

QByteArray settingsFileBytes() {
    QSettings settings;
    settings.sync();
    QFile f(settings.fileName());
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class TestConnectDialog : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString litellm_;

    // The test cluster's address, or empty after QSKIP (QFAIL under CI) when there is none.
    static QUrl pgServer(bool* skip) {
        const QByteArray uri = qgetenv("PROMPTSCOPE_TEST_PG_URI");
        *skip = uri.isEmpty();
        return QUrl(QString::fromUtf8(uri));
    }

    static void fillPostgres(ConnectDialog& d, const QUrl& server, const QString& password, const QString& database) {
        child<QRadioButton>(d, "postgresql")->click();
        child<QLineEdit>(d, "host")->setText(server.host());
        child<QSpinBox>(d, "port")->setValue(server.port(5432));
        child<QLineEdit>(d, "database")->setText(database);
        child<QLineEdit>(d, "user")->setText(server.userName());
        QLineEdit* field = child<QLineEdit>(d, "password");
        field->clear();
        QTest::keyClicks(field, password);
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("PromptScopeTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_connectdialog"));
        QSettings().clear();
        QVERIFY(dir_.isValid());
        litellm_ = dir_.filePath(QStringLiteral("litellm.db"));
        std::string error;
        auto c = ps::db::openConnection({ps::db::Dialect::Sqlite, litellm_.toStdString()}, {.readOnly = false}, &error);
        QVERIFY2(c && c->execute(ps::testing::liteLlmDdl(ps::db::Dialect::Sqlite), {}, &error), error.c_str());
        for (int i = 0; i < 20; ++i) {
            QVERIFY(ps::testing::insertLiteLlmRow(*c, i, &error));
        }
    }

    void testsSqliteFiles() {
        ConnectDialog d;
        d.resize(720, 640);
        d.show();
        QVERIFY(!child<QPushButton>(d, "testConnection")->isEnabled());  // nothing to test yet
        QTest::keyClicks(child<QLineEdit>(d, "sqlitePath"), litellm_);
        QVERIFY(child<QPushButton>(d, "testConnection")->isEnabled());
        QCOMPARE(d.sourceString(), QStringLiteral("sqlite:") + litellm_);
        bool ok = false;
        QString message;
        QVERIFY(runTest(d, &ok, &message));
        QVERIFY2(ok, qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("LiteLLM SpendLogs")), qPrintable(message));
        QVERIFY(child<QLabel>(d, "testResult")->text().contains(QStringLiteral("LiteLLM SpendLogs")));
        QVERIFY(d.grab().save(screenshot("connect-dialog-sqlite")));

        child<QLineEdit>(d, "sqlitePath")->setText(dir_.filePath(QStringLiteral("missing.db")));
        QVERIFY(runTest(d, &ok, &message));
        QVERIFY(!ok);
        QVERIFY2(message.startsWith(QStringLiteral("No such database")), qPrintable(message));

        const QString plain = dir_.filePath(QStringLiteral("app.db"));
        std::string error;
        auto w = ps::db::openConnection({ps::db::Dialect::Sqlite, plain.toStdString()}, {.readOnly = false}, &error);
        QVERIFY(w->execute("CREATE TABLE orders (id INTEGER)", {}, &error));
        child<QLineEdit>(d, "sqlitePath")->setText(plain);
        QVERIFY(runTest(d, &ok, &message));
        QVERIFY(!ok);
        QCOMPARE(d.lastResult().problem, ps::live::ProbeProblem::UnknownSchema);
        QVERIFY2(message.contains(QStringLiteral("orders")), qPrintable(message));
    }

    void customSelectHasFieldHelp() {
        ConnectDialog d;
        d.resize(720, 700);
        d.show();
        QPlainTextEdit* sql = child<QPlainTextEdit>(d, "sql");
        QVERIFY(!sql->isEnabled());
        child<QRadioButton>(d, "customQuery")->click();
        QVERIFY(sql->isEnabled());
        const QString help = child<QLabel>(d, "fieldHelp")->text();
        for (const char* field : {"trace_id", "span_id", "parent_span_id", "start_time", "end_time", "duration_ms",
                                  "name", "kind", "status", "model", "provider", "prompt_name", "prompt_version",
                                  "feature", "user_id", "session_id", "tenant", "environment", "input_tokens",
                                  "output_tokens", "cost_usd", "finish_reason", "error_type", "input", "output"}) {
            QVERIFY2(help.contains(QLatin1String(field)), field);
        }
        child<QLineEdit>(d, "sqlitePath")->setText(litellm_);
        QTest::keyClicks(sql, QStringLiteral("SELECT id AS trace_id FROM llm_calls"));
        bool ok = false;
        QString message;
        QVERIFY(runTest(d, &ok, &message));
        QVERIFY(!ok);
        QVERIFY2(message.startsWith(QStringLiteral("No such table")), qPrintable(message));
        sql->setPlainText(QStringLiteral("SELECT request_id AS trace_id, \"startTime\" AS start_time,\n"
                                         "       \"endTime\" AS end_time, model, spend AS cost_usd\n"
                                         "FROM \"LiteLLM_SpendLogs\""));
        QVERIFY(runTest(d, &ok, &message));
        QVERIFY2(ok, qPrintable(message));
        QVERIFY(d.grab().save(screenshot("connect-dialog-custom")));
    }

    void testsPostgresPasswords() {
        bool skip = false;
        const QUrl server = pgServer(&skip);
        if (skip) {
            if (qgetenv("CI") == "true") {
                QFAIL("PROMPTSCOPE_TEST_PG_URI is not set (scripts/pgcluster.sh start)");
            }
            QSKIP("no PostgreSQL test server: run `eval \"$(scripts/pgcluster.sh start)\"` first");
        }
        std::string error;
        auto admin = ps::db::openConnection(*ps::db::parseTarget(server.toString().toStdString()),
                                            {.readOnly = false}, &error);
        if (!admin && error.find("not available in this build") != std::string::npos) {
            QSKIP("this build has no PostgreSQL connection yet");
        }
        QVERIFY2(admin, error.c_str());
        const std::string name = "ps_connectdialog_" + std::to_string(QCoreApplication::applicationPid()) + "_" +
                                 std::to_string(std::random_device{}() % 100000);
        QVERIFY2(admin->execute("CREATE DATABASE " + name, {}, &error), error.c_str());
        {
            QUrl dbUrl = server;
            dbUrl.setPath(QLatin1Char('/') + QString::fromStdString(name));
            auto c = ps::db::openConnection(*ps::db::parseTarget(dbUrl.toString().toStdString()), {.readOnly = false},
                                            &error);
            QVERIFY2(c && c->execute(ps::testing::liteLlmDdl(ps::db::Dialect::Postgres), {}, &error), error.c_str());
            QVERIFY(ps::testing::insertLiteLlmRow(*c, 1, &error));
        }

        ConnectDialog d;
        d.resize(720, 640);
        d.show();
        fillPostgres(d, server, server.password(), QString::fromStdString(name));
        bool ok = false;
        QString message;
        QVERIFY(runTest(d, &ok, &message));
        QVERIFY2(ok, qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("LiteLLM SpendLogs")), qPrintable(message));
        QVERIFY(!message.contains(server.password()));
        QVERIFY(d.grab().save(screenshot("connect-dialog-postgresql")));

        fillPostgres(d, server, QStringLiteral("wrong-password"), QString::fromStdString(name));
        QVERIFY(runTest(d, &ok, &message));
        QVERIFY(!ok);
        QCOMPARE(d.lastResult().problem, ps::live::ProbeProblem::Authentication);
        QVERIFY2(message.startsWith(QStringLiteral("Authentication failed")), qPrintable(message));
        QVERIFY(!message.contains(QStringLiteral("wrong-password")));

        fillPostgres(d, server, server.password(), QString::fromStdString(name));
        child<QSpinBox>(d, "port")->setValue(1);  // nothing listens there
        QVERIFY(runTest(d, &ok, &message));
        QVERIFY(!ok);
        QCOMPARE(d.lastResult().problem, ps::live::ProbeProblem::NotReachable);

        admin->execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", {}, &error);
    }

    void savedConnectionsNeverHoldThePassword() {
        const QString secret = QStringLiteral("S3cret-Passw0rd-4711");
        const QString other = QStringLiteral("Uri-Secret-0815");
        {
            ConnectDialog d;
            d.show();
            QSignalSpy keychain(&d, &ConnectDialog::keychainAnswered);
            child<QRadioButton>(d, "postgresql")->click();
            child<QLineEdit>(d, "name")->setText(QStringLiteral("LiteLLM production"));
            child<QLineEdit>(d, "host")->setText(QStringLiteral("db.internal"));
            child<QSpinBox>(d, "port")->setValue(6543);
            child<QLineEdit>(d, "database")->setText(QStringLiteral("litellm"));
            child<QLineEdit>(d, "user")->setText(QStringLiteral("reader"));
            QTest::keyClicks(child<QLineEdit>(d, "password"), secret);
            QVERIFY(child<QCheckBox>(d, "rememberPassword")->isChecked());
            QVERIFY(d.sourceString().contains(secret));  // the load path gets it...
            QVERIFY(!d.profile().displaySource().contains(secret));  // ...nothing shown does
            QVERIFY(d.saveProfile());
            QVERIFY(keychain.wait(30000));
            if (!keychain.at(0).at(0).toBool()) {  // no keychain: said so, nothing stored
                QVERIFY(child<QLabel>(d, "keychainNote")->text().contains(QStringLiteral("asked for again")));
            }

            // A URI with a password in it: the password moves to its field and is not saved with the URI.
            child<QLineEdit>(d, "name")->setText(QStringLiteral("Langfuse by URI"));
            QLineEdit* uri = child<QLineEdit>(d, "uri");
            uri->setFocus();
            QTest::keyClicks(uri, QStringLiteral("postgresql://lf:") + other + QStringLiteral("@10.0.0.5:5432/langfuse"));
            QTest::keyClick(uri, Qt::Key_Return);
            QCOMPARE(uri->text(), QStringLiteral("postgresql://lf@10.0.0.5:5432/langfuse"));
            QCOMPARE(d.password(), other);
            QVERIFY(d.saveProfile());
        }
        const QByteArray bytes = settingsFileBytes();
        QVERIFY(bytes.contains("db.internal"));
        QVERIFY(bytes.contains("10.0.0.5"));
        QVERIFY(!bytes.contains(secret.toUtf8()));
        QVERIFY(!bytes.contains(other.toUtf8()));
        QVERIFY(!bytes.contains(QUrl::toPercentEncoding(secret)));

        ConnectDialog again;
        QCOMPARE(child<QComboBox>(again, "savedConnections")->count(), 3);  // (new connection) and the two
        QSignalSpy keychain(&again, &ConnectDialog::keychainAnswered);
        again.loadSaved(QStringLiteral("LiteLLM production"));
        QCOMPARE(again.profile().host, QStringLiteral("db.internal"));
        QCOMPARE(again.profile().port, 6543);
        QCOMPARE(again.profile().user, QStringLiteral("reader"));
        QVERIFY(keychain.wait(30000));
        // With a keychain the password comes back from it; without one it is asked for again.
        QCOMPARE(again.password(), keychain.at(0).at(0).toBool() ? secret : QString());
        again.deleteSaved(QStringLiteral("LiteLLM production"));
        QCOMPARE(child<QComboBox>(again, "savedConnections")->count(), 2);
        QSettings settings;
        QCOMPARE(ps::SavedConnections(settings).names(), QStringList{QStringLiteral("Langfuse by URI")});
    }
};

QTEST_MAIN(TestConnectDialog)
#include "tst_connectdialog.moc"
