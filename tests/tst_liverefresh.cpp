// Live refresh in the window: a SQLite LiteLLM table that another connection keeps writing to. Rows written
// after the first read appear after a poll of the timer, the filter the user chose stays applied (and its counts
// match SQL on the table), Pause stops polling and Resume starts it again, and the status bar says so.
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

#include "filtersidebar.h"
#include "litellmfixture.h"
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
