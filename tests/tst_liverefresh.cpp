// Live refresh in the window: a SQLite LiteLLM table that another connection keeps writing to. Rows written
// after the first read appear after a poll of the timer, the filter the user chose stays applied (and its counts
// match SQL on the table), Pause stops polling and Resume starts it again, and the status bar says so. Langfuse
// tables and PromptScope's own, opened as the user would, are live too.
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

#include "datasetimport.h"
#include "filtersidebar.h"
#include "litellmfixture.h"
#include "logtablefixture.h"
#include "sourceloader.h"
#include "liverefresh.h"
#include "mainwindow.h"

namespace {

QString screenshot(const char* name) {
    QDir().mkpath(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots"));
    return QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots/") + QLatin1String(name) + QStringLiteral(".png");
}

size_t sqlCount(ps::db::Connection& c, const std::string& where) {
    size_t n = 0;
    std::string error;
    c.query("SELECT count(*) FROM \"LiteLLM_SpendLogs\" " + where, {}, [&](const ps::db::Row& row) {
        n = static_cast<size_t>(row.integer(0).value_or(0));
        return false;
    }, &error);
    return n;
}

}  // namespace

class TestLiveRefresh : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("PromptScopeTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_liverefresh"));
        QSettings().clear();
    }

    void newRowsAppearWithTheFilterKept() {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("spendlogs.db")).toStdString();
        std::string error;
        auto writer = ps::db::openConnection({ps::db::Dialect::Sqlite, path}, {.readOnly = false}, &error);
        QVERIFY2(writer, error.c_str());
        QVERIFY(writer->execute("PRAGMA journal_mode = WAL", {}, &error));  // as a live logger would
        QVERIFY2(writer->execute(ps::testing::liteLlmDdl(ps::db::Dialect::Sqlite), {}, &error), error.c_str());
        for (int i = 0; i < 100; ++i) {
            QVERIFY(ps::testing::insertLiteLlmRow(*writer, i, &error));
        }

        ps::MainWindow window;
        window.resize(1400, 900);
        window.show();
        ps::LiveRefresh* live = window.liveRefresh();
        live->setIntervalSeconds(1);
        QLabel* status = window.statusBar()->findChild<QLabel*>(QStringLiteral("liveStatus"));
        QVERIFY(status);
        QVERIFY(!live->pauseAction()->isEnabled());  // nothing to poll yet

        // The first read (the load path hands over a snapshot once the database readers are in; here the first
        // poll reads everything).
        live->watch({QStringLiteral("sqlite:") + QString::fromStdString(path)}, nullptr);
        QVERIFY(live->pauseAction()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(window.dataset() && window.dataset()->requestCount() == 100, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(window.lastResult() && window.lastResult()->selection.requests.size() == 100, 20000);
        QVERIFY2(status->isVisible(), qPrintable(status->text()));
        QVERIFY2(status->text().startsWith(QStringLiteral("Live · refreshed ")), qPrintable(status->text()));

        ps::Filter filter;
        filter.of(ps::Dimension::Model) = {"gpt-4o"};
        window.applyFilter(filter);
        QTRY_VERIFY_WITH_TIMEOUT(window.lastResult()->filter == filter, 20000);
        QCOMPARE(window.lastResult()->selection.requests.size(), sqlCount(*writer, "WHERE model = 'gpt-4o'"));

        const quint64 polls = live->pollsDone();
        for (int i = 100; i < 145; ++i) {
            QVERIFY(ps::testing::insertLiteLlmRow(*writer, i, &error));
        }
        // The timer polls on its own.
        QTRY_VERIFY_WITH_TIMEOUT(window.dataset()->requestCount() == 145, 20000);
        QVERIFY(live->pollsDone() > polls);
        QTRY_VERIFY_WITH_TIMEOUT(window.lastResult()->selection.requests.size() ==
                                     sqlCount(*writer, "WHERE model = 'gpt-4o'"), 20000);
        QCOMPARE(window.lastResult()->filter, filter);
        QCOMPARE(window.history().current(), filter);
        QVERIFY(window.lastResult()->selection.requests.size() > 15);
        QVERIFY(window.grab().save(screenshot("live-refresh-window")));
        QVERIFY(window.statusBar()->grab().save(screenshot("live-refresh-statusbar")));

        // Paused: rows wait; resumed: they come.
        live->pauseAction()->trigger();
        QVERIFY(live->isPaused());
        QCOMPARE(status->text(), QStringLiteral("Paused"));
        QVERIFY(window.statusBar()->grab().save(screenshot("live-refresh-statusbar-paused")));
        const quint64 pausedAt = live->pollsDone();
        for (int i = 145; i < 150; ++i) {
            QVERIFY(ps::testing::insertLiteLlmRow(*writer, i, &error));
        }
        QTest::qWait(2500);  // more than two intervals
        QCOMPARE(live->pollsDone(), pausedAt);
        QCOMPARE(window.dataset()->requestCount(), size_t{145});
        live->pauseAction()->trigger();
        QVERIFY(!live->isPaused());
        QTRY_VERIFY_WITH_TIMEOUT(window.dataset()->requestCount() == 150, 20000);
        QCOMPARE(window.history().current(), filter);
    }

    // Opened as a user opens a database (the load path reads it, then live refresh takes over from its snapshot).
    void langfuseAndOwnTablesAreLive() {
        QTemporaryDir dir;
        const QString langfuse = dir.filePath(QStringLiteral("langfuse.db"));
        std::string error;
        auto writer = ps::db::openConnection({ps::db::Dialect::Sqlite, langfuse.toStdString()}, {.readOnly = false},
                                             &error);
        QVERIFY2(writer && createLangfuseTables(*writer, false, 30, &error), error.c_str());
        ps::MainWindow window;
        window.resize(1400, 900);
        window.show();
        ps::LiveRefresh* live = window.liveRefresh();
        live->setIntervalSeconds(3600);  // polled by hand below
        QLabel* status = window.statusBar()->findChild<QLabel*>(QStringLiteral("liveStatus"));
        window.openSources({QStringLiteral("sqlite:") + langfuse});
        QTRY_VERIFY_WITH_TIMEOUT(window.dataset() && window.dataset()->requestCount() == 30, 20000);
        QVERIFY(live->isWatching());
        QVERIFY(live->refreshNowAction()->isEnabled());
        QVERIFY2(status->text().startsWith(QStringLiteral("Live")), qPrintable(status->text()));
        // A new trace, and a new observation of an old one.
        QVERIFY(writer->execute("INSERT INTO traces (id, timestamp, name, project_id) VALUES ('trace-new', $1, 'chat', "
                                "'proj')",
                                {fixtureTime(31 * 61'000'000LL)}, &error));
        QVERIFY(writer->execute("INSERT INTO observations (id, trace_id, project_id, type, start_time, "
                                "end_time, name, level, model, prompt_tokens, completion_tokens) VALUES "
                                "('trace-new-gen', 'trace-new', 'proj', 'GENERATION', $1, $2, 'llm-call', 'DEFAULT', "
                                "'gpt-4o', 10, 2), ('trace-29-gen-late', 'trace-29', 'proj', 'GENERATION', $1, $2, "
                                "'llm-call', 'DEFAULT', 'gpt-4o', 10, 2)",
                                {fixtureTime(31 * 61'000'000LL), fixtureTime(31 * 61'000'000LL + 500'000)}, &error));
        const size_t spans = window.dataset()->spanCount();
        live->refreshNowAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(window.dataset()->requestCount() == 31, 20000);
        QCOMPARE(window.dataset()->spanCount(), spans + 3);  // the new trace's span and observation, one more of 29
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("Live · refreshed ")), 20000);
        QApplication::processEvents();
        QVERIFY(window.statusBar()->grab().save(screenshot("live-langfuse-statusbar")));

        // PromptScope's own tables: the demo saved by `promptscope import`.
        const std::string own = dir.filePath(QStringLiteral("own.sqlite")).toStdString();
        const std::string demo = PROMPTSCOPE_BINARY_DIR "/demo/";
        const ps::LoadResult loaded = ps::loadSources({demo + "demo.otlp.jsonl", demo + "demo.records.jsonl"});
        QVERIFY(loaded.dataset);
        QVERIFY(ps::importDataset(loaded.dataset, own, {}).ok());
        window.openSources({QString::fromStdString(own)});
        QTRY_VERIFY_WITH_TIMEOUT(window.dataset()->requestCount() == loaded.dataset->requestCount(), 20000);
        QVERIFY(live->isWatching());
        live->refreshNowAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("Live · refreshed ")), 20000);
        QVERIFY2(status->toolTip().contains(QStringLiteral("own.sqlite")), qPrintable(status->toolTip()));
        QApplication::processEvents();  // lays the status bar out for its new text
        QVERIFY(window.grab().save(screenshot("live-own-window")));
    }

    void failuresAreShownAndPollingGoesOn() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("gone.db"));
        ps::MainWindow window;
        ps::LiveRefresh* live = window.liveRefresh();
        live->setIntervalSeconds(1);
        live->watch({QStringLiteral("sqlite:") + path}, nullptr);
        QLabel* status = window.statusBar()->findChild<QLabel*>(QStringLiteral("liveStatus"));
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("Live · refresh failed at")), 20000);
        QVERIFY2(status->toolTip().contains(QStringLiteral("no such database file")), qPrintable(status->toolTip()));
        // The file appears: the next poll reads it.
        std::string error;
        auto writer = ps::db::openConnection({ps::db::Dialect::Sqlite, path.toStdString()}, {.readOnly = false}, &error);
        QVERIFY(writer->execute(ps::testing::liteLlmDdl(ps::db::Dialect::Sqlite), {}, &error));
        QVERIFY(ps::testing::insertLiteLlmRow(*writer, 1, &error));
        QTRY_VERIFY_WITH_TIMEOUT(window.dataset() && window.dataset()->requestCount() == 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("Live · refreshed")), 20000);
        live->stop();
        QVERIFY(status->isHidden());
    }
};

QTEST_MAIN(TestLiveRefresh)
#include "tst_liverefresh.moc"
