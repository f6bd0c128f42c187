// A custom SELECT typed in File > Connect to Database reaches the load path: the window, offscreen, opens a SQLite
// LiteLLM table through the dialog's accepted profile with a SELECT that keeps one model's rows, and the loaded
// figures match SQL run on the table. The SELECT is saved with the connection and comes back when the saved
// connection is opened again and from File > Open Recent; live refresh reads new rows through it. A SELECT
// without start_time cannot be refreshed: the window says "Not live" and the Data menu says why.
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cmath>
#include <functional>

#include "connectdialog.h"
#include "litellmfixture.h"
#include "liverefresh.h"
#include "mainwindow.h"

namespace {

const QString kSelect = QStringLiteral(
    "SELECT request_id AS trace_id, \"startTime\" AS start_time, \"endTime\" AS end_time, model,\n"
    "       prompt_tokens AS input_tokens, completion_tokens AS output_tokens, spend AS cost_usd, status\n"
    "FROM \"LiteLLM_SpendLogs\" WHERE model = 'gpt-4o';");

double sql(ps::db::Connection& c, const std::string& text) {
    double v = -1;
    std::string error;
    c.query(text, {}, [&](const ps::db::Row& row) {
        v = row.real(0).value_or(0);
        return false;
    }, &error);
    return v;
}

// Runs `fill` on the Connect dialog once the window has opened it (exec() blocks until it is closed).
void whenDialogOpens(const std::function<void(ps::ConnectDialog&)>& fill) {
    QTimer::singleShot(0, [fill] {
        auto* dialog = qobject_cast<ps::ConnectDialog*>(QApplication::activeModalWidget());
        if (!dialog) {
            whenDialogOpens(fill);  // not shown yet
            return;
        }
        fill(*dialog);
    });
}

template <typename W>
W* child(QObject& parent, const char* name) {
    W* w = parent.findChild<W*>(QLatin1String(name));
    if (!w) {
        qFatal("no child %s", name);
    }
    return w;
}

}  // namespace

class TestConnectOpen : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString path_;
    std::unique_ptr<ps::db::Connection> writer_;

    // The window's figures are those SQL gives for the SELECT's rows.
    void checkAgainstSql(ps::MainWindow& window) {
        QTRY_VERIFY_WITH_TIMEOUT(window.dataset() != nullptr && !window.isAggregating(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(window.lastResult() != nullptr, 20000);
        const ps::Dataset& d = *window.dataset();
        const std::string where = " FROM \"LiteLLM_SpendLogs\" WHERE model = 'gpt-4o'";
        QCOMPARE(static_cast<double>(d.requestCount()), sql(*writer_, "SELECT count(*)" + where));
        QVERIFY(d.requestCount() < sql(*writer_, "SELECT count(*) FROM \"LiteLLM_SpendLogs\""));
        double input = 0;
        double cost = 0;  // what the rows say (the others are priced from the tokens)
        size_t errors = 0;
        for (size_t r = 0; r < d.requestCount(); ++r) {
            input += d.requests.inputTokens[r];
            errors += (d.requests.flags[r] & ps::kRequestError) != 0 ? 1 : 0;
            QCOMPARE(d.str(d.requests.model[r]), std::string_view("gpt-4o"));
        }
        for (size_t g = 0; g < d.generationCount(); ++g) {
            cost += d.generations.costSource[g] == ps::CostSource::Data ? d.generations.costUsd[g] : 0.0;
        }
        QCOMPARE(input, sql(*writer_, "SELECT sum(prompt_tokens)" + where));
        QVERIFY(std::abs(cost - sql(*writer_, "SELECT sum(spend)" + where)) < 1e-9);
        QCOMPARE(static_cast<double>(errors), sql(*writer_, "SELECT count(*)" + where + " AND status = 'failure'"));
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("PromptScopeTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_connectopen"));
        QSettings().clear();
        QVERIFY(dir_.isValid());
        path_ = dir_.filePath(QStringLiteral("spendlogs.db"));
        std::string error;
        writer_ = ps::db::openConnection({ps::db::Dialect::Sqlite, path_.toStdString()}, {.readOnly = false}, &error);
        QVERIFY2(writer_ && writer_->execute(ps::testing::liteLlmDdl(ps::db::Dialect::Sqlite), {}, &error),
                 error.c_str());
        for (int i = 0; i < 90; ++i) {
            QVERIFY(ps::testing::insertLiteLlmRow(*writer_, i, &error));
        }
    }

    void customSelectFromTheDialog() {
        ps::MainWindow window;
        window.resize(1400, 900);
        window.show();
        whenDialogOpens([this](ps::ConnectDialog& d) {
            child<QLineEdit>(d, "name")->setText(QStringLiteral("Only gpt-4o"));
            child<QLineEdit>(d, "sqlitePath")->setText(path_);
            child<QRadioButton>(d, "customQuery")->click();
            child<QPlainTextEdit>(d, "sql")->setPlainText(kSelect);
            QTest::mouseClick(child<QPushButton>(d, "connect"), Qt::LeftButton);
        });
        window.connectToDatabase();
        checkAgainstSql(window);
        // Read through the SELECT, the source is refreshed live like any other.
        QLabel* status = window.statusBar()->findChild<QLabel*>(QStringLiteral("liveStatus"));
        QVERIFY(window.liveRefresh()->isWatching());
        QVERIFY2(status->text().startsWith(QStringLiteral("Live")), qPrintable(status->text()));
        std::string error;
        for (int i = 90; i < 102; ++i) {  // four of them gpt-4o
            QVERIFY(ps::testing::insertLiteLlmRow(*writer_, i, &error));
        }
        window.liveRefresh()->refreshNowAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(static_cast<double>(window.dataset()->requestCount()),
                                  sql(*writer_, "SELECT count(*) FROM \"LiteLLM_SpendLogs\" WHERE model = 'gpt-4o'"),
                                  20000);
        checkAgainstSql(window);
    }

    void savedConnectionBringsItsSelectBack() {
        ps::MainWindow window;
        window.show();
        ps::ConnectionProfile restored;
        whenDialogOpens([&restored](ps::ConnectDialog& d) {
            d.loadSaved(QStringLiteral("Only gpt-4o"));
            restored = d.profile();
            QTest::mouseClick(child<QPushButton>(d, "connect"), Qt::LeftButton);
        });
        window.connectToDatabase();
        QVERIFY(restored.customQuery);
        QCOMPARE(restored.sql, kSelect);
        checkAgainstSql(window);
    }

    void openRecentBringsItsSelectBack() {
        ps::MainWindow window;
        window.show();
        window.openSources({QStringLiteral(PROMPTSCOPE_SAMPLES_DIR "/otel-js-sdk__instrumentation-openai__chat.jsonl")});
        QTRY_VERIFY_WITH_TIMEOUT(window.dataset() && window.dataset()->requestCount() == 24, 20000);
        QAction* entry = nullptr;
        for (QMenu* menu : window.findChildren<QMenu*>()) {
            for (QAction* a : menu->actions()) {
                if (a->text() == QStringLiteral("spendlogs.db (custom SELECT)")) {
                    entry = a;
                }
            }
        }
        QVERIFY(entry);
        QCOMPARE(entry->toolTip(), kSelect.trimmed());
        entry->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(window.dataset()->requestCount() != 24, 20000);
        checkAgainstSql(window);
    }

    void selectWithoutStartTimeIsNotLive() {
        ps::MainWindow window;
        window.resize(1400, 900);
        window.show();
        // The file loads; the database's rows cannot be read (no start time), nor refreshed.
        window.openSources({QStringLiteral(PROMPTSCOPE_SAMPLES_DIR "/otel-js-sdk__instrumentation-openai__chat.jsonl"),
                            QStringLiteral("sqlite:") + path_},
                           QStringLiteral("SELECT request_id AS trace_id, model FROM \"LiteLLM_SpendLogs\""));
        QTRY_VERIFY_WITH_TIMEOUT(window.dataset() != nullptr, 20000);
        QCOMPARE(window.dataset()->requestCount(), size_t{24});
        ps::LiveRefresh* live = window.liveRefresh();
        QVERIFY(!live->isWatching());
        QLabel* status = window.statusBar()->findChild<QLabel*>(QStringLiteral("liveStatus"));
        QCOMPARE(status->text(), QStringLiteral("Not live"));
        QVERIFY(status->isVisible());
        QVERIFY2(status->toolTip().contains(QStringLiteral("start_time")), qPrintable(status->toolTip().replace(QLatin1Char(10), QLatin1Char(32))));
        QVERIFY(!live->pauseAction()->isEnabled());
        QVERIFY(!live->refreshNowAction()->isEnabled());
        QVERIFY2(live->refreshNowAction()->toolTip().contains(QStringLiteral("start_time")),
                 qPrintable(live->refreshNowAction()->toolTip()));
        QTRY_VERIFY_WITH_TIMEOUT(window.lastResult() != nullptr, 20000);
        QDir().mkpath(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots"));
        QApplication::processEvents();
        QVERIFY(window.statusBar()->grab().save(
            QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots/not-live-statusbar.png")));
    }
};

QTEST_MAIN(TestConnectOpen)
#include "tst_connectopen.moc"
