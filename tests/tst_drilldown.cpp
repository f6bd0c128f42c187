// Drilling into a log database aggregated in place: the rows matching a filter (newest first, or the slowest
// first, up to a limit) are read through the same readers as a whole table. The expected rows come from the
// fixture's own formulas (row i: model i % 3, failure when i % 11 == 0, team i % 3, user i % 5, start i * 1.5 s,
// duration 300 ms + (i * 104729 % 7700) ms), never from the project's SQL. In the window: aggregation mode
// offers to load the matching rows, shows them on every page with a banner, opens the slowest row of a group, and
// goes back to aggregating the whole database.
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <functional>

#include "aggregationmode.h"
#include "databasedrilldown.h"
#include "litellmfixture.h"
#include "mainwindow.h"
#include "modebanner.h"
#include "pgtestserver.h"
#include "sourceloader.h"
#include "tracespage.h"

using namespace ps;

namespace {

constexpr int kRows = 400;
const char* const kModels[] = {"gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet"};

int64_t durationMs(int i) { return 300 + (static_cast<int64_t>(i) * 104729 % 7700); }

std::string rowId(int i) {
    char id[32];
    std::snprintf(id, sizeof id, "chatcmpl-%06d", i);
    return id;
}

// The ids of the rows keep() accepts, newest (largest i) first or slowest first (ties by id), at most limit.
std::vector<std::string> expectedRows(const std::function<bool(int)>& keep, DrillOrder order, size_t limit) {
    std::vector<int> rows;
    for (int i = 0; i < kRows; ++i) {
        if (keep(i)) {
            rows.push_back(i);
        }
    }
    std::sort(rows.begin(), rows.end(), [&](int a, int b) {
        if (order == DrillOrder::Newest) {
            return a > b;
        }
        return durationMs(a) != durationMs(b) ? durationMs(a) > durationMs(b) : a < b;
    });
    rows.resize(std::min(rows.size(), limit));
    std::vector<std::string> ids;
    for (int i : rows) {
        ids.push_back(rowId(i));
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::vector<std::string> loadedIds(const Dataset& d) {
    std::vector<std::string> ids;
    for (size_t r = 0; r < d.requestCount(); ++r) {
        ids.emplace_back(d.str(d.requests.traceId[r]));
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

bool fillTable(db::Connection& c, std::string* error) {
    if (!c.execute(testing::liteLlmDdl(c.dialect()), {}, error) || !c.execute("BEGIN", {}, error)) {
        return false;
    }
    for (int i = 0; i < kRows; ++i) {
        if (!testing::insertLiteLlmRow(c, i, error)) {
            return false;
        }
    }
    return c.execute("COMMIT", {}, error);
}

}  // namespace

class TestDrillDown : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("PromptScopeTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_drilldown"));
        QSettings().clear();
    }

    void readsTheRowsOfAFilter_data() {
        QTest::addColumn<bool>("postgres");
        QTest::newRow("sqlite") << false;
        QTest::newRow("postgresql") << true;
    }

    void readsTheRowsOfAFilter() {
        QFETCH(bool, postgres);
        QTemporaryDir dir;
        std::string source = "sqlite:" + dir.filePath(QStringLiteral("spend.db")).toStdString();
        PgTestServer server;
        std::string schema;
        std::string error;
        std::unique_ptr<db::Connection> writer;
        if (postgres) {
            if (!server.start()) {
                if (PgTestServer::requiredByCi()) {
                    QFAIL(server.reason().c_str());
                }
                QSKIP(server.reason().c_str());
            }
            schema = PgTestServer::uniqueName("drill");
            writer = server.connect(false, &error);
            QVERIFY2(writer && writer->execute("CREATE SCHEMA " + schema, {}, &error), error.c_str());
            source = server.uriForSchema(schema);
            writer = server.connect(false, &error, schema);
        } else {
            writer = db::openConnection(*db::parseTarget(source), {.readOnly = false}, &error);
        }
        QVERIFY2(writer && fillTable(*writer, &error), error.c_str());

        DatabaseSource opened;
        QVERIFY2(openDatabaseSource(source, {}, &opened, &error), error.c_str());
        const LoadResult whole = loadSources({source});
        QVERIFY2(whole.dataset && whole.dataset->requestCount() == kRows, whole.error.c_str());

        struct Case {
            const char* name;
            Filter filter;
            std::function<bool(int)> keep;
            DrillOrder order;
            size_t limit;
        };
        std::vector<Case> cases;
        Filter failedGpt;
        failedGpt.of(Dimension::Model) = {"gpt-4o"};
        failedGpt.status = StatusFilter::Error;
        cases.push_back({"failed gpt-4o", failedGpt, [](int i) { return i % 3 == 0 && i % 11 == 0; },
                         DrillOrder::Newest, 1000});
        Filter user;
        user.of(Dimension::Tenant) = {"team-support"};
        user.of(Dimension::User) = {"user-2"};
        cases.push_back({"newest 5 of a team's user", user, [](int i) { return i % 3 == 1 && i % 5 == 2; },
                         DrillOrder::Newest, 5});
        Filter claude;
        claude.of(Dimension::Model) = {"claude-3-5-sonnet"};
        cases.push_back({"slowest claude", claude, [](int i) { return i % 3 == 2; }, DrillOrder::Slowest, 10});
        Filter slow;
        slow.minLatencyMs = 5000;
        cases.push_back({"slow ones", slow, [](int i) { return durationMs(i) >= 5000; }, DrillOrder::Newest, 20});
        cases.push_back({"nothing", failedGpt, [](int) { return false; }, DrillOrder::Newest, 0});
        cases.back().filter.of(Dimension::Model) = {"no-such-model"};

        for (const Case& c : cases) {
            LoadOptions options;
            options.databaseRows =
                std::make_shared<db::RowSubset>(drillDownRows(opened.mapping, c.filter, c.order, c.limit ? c.limit : 10));
            const LoadResult part = loadSources({source}, options);
            QVERIFY2(part.dataset, (std::string(c.name) + ": " + part.error).c_str());
            QCOMPARE(part.dataset->issueCount, uint64_t{0});
            const std::vector<std::string> want = expectedRows(c.keep, c.order, c.limit ? c.limit : 10);
            QVERIFY2(!want.empty() || std::string(c.name) == "nothing", c.name);
            QCOMPARE(loadedIds(*part.dataset), want);
            // Each drilled request is the one the whole table gives.
            const Dataset& d = *part.dataset;
            for (size_t r = 0; r < d.requestCount(); ++r) {
                const RequestIndex w = whole.dataset->findRequest(d.str(d.requests.traceId[r]));
                QVERIFY(w.isValid());
                QCOMPARE(d.requests.durationNs[r], whole.dataset->requests.durationNs[w.value]);
                QCOMPARE(d.requests.startNs[r], whole.dataset->requests.startNs[w.value]);
            }
        }
        if (postgres) {
            writer = server.connect(false, &error);
            QVERIFY2(writer && writer->execute("DROP SCHEMA " + schema + " CASCADE", {}, &error), error.c_str());
        }
    }

    void windowLoadsTheRowsItDrillsInto() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("spend.db"));
        std::string error;
        auto writer = db::openConnection({db::Dialect::Sqlite, path.toStdString()}, {.readOnly = false}, &error);
        QVERIFY2(writer && fillTable(*writer, &error), error.c_str());
        writer.reset();

        DatabaseAggregateEngine::setThresholdOverride(100);  // 400 rows: aggregated in place
        MainWindow window;
        window.resize(1500, 950);
        window.show();
        window.openSources({QStringLiteral("sqlite:") + path});
        QTRY_VERIFY_WITH_TIMEOUT(window.isAggregating() && window.lastResult(), 20000);
        QCOMPARE(window.lastResult()->overview.rows, uint64_t{kRows});
        QVERIFY(!window.modeBanner()->isVisible());  // the Overview works in aggregation mode

        Filter gpt;
        gpt.of(Dimension::Model) = {"gpt-4o"};
        window.applyFilter(gpt);
        QVERIFY(window.showPage(QStringLiteral("traces")));
        const uint64_t gptRows = (kRows + 2) / 3;  // i % 3 == 0
        QTRY_VERIFY_WITH_TIMEOUT(window.lastResult()->filter == gpt && window.lastResult()->overview.rows == gptRows,
                                 20000);
        QVERIFY(window.modeBanner()->isVisible());
        QPushButton* load = window.modeBanner()->button();
        QVERIFY(load->isEnabled());
        QCOMPARE(load->text(), QStringLiteral("Load the %1 Matching Rows").arg(gptRows));
        window.grab().save(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots/drilldown-offer.png"));

        load->click();
        QTRY_VERIFY_WITH_TIMEOUT(window.drillDownState()->isActive() && window.dataset(), 20000);
        QVERIFY(!window.isAggregating());
        QCOMPARE(loadedIds(*window.dataset()), expectedRows([](int i) { return i % 3 == 0; }, DrillOrder::Newest, 1000));
        QCOMPARE(window.history().current(), gpt);
        QTRY_VERIFY_WITH_TIMEOUT(window.lastResult() && window.lastResult()->selection.requests.size() == gptRows, 20000);
        QVERIFY(window.modeBanner()->isVisible());
        QVERIFY2(window.modeBanner()->text().contains(QStringLiteral("Rows drilled out of")),
                 qPrintable(window.modeBanner()->text()));
        QCOMPARE(window.modeBanner()->button()->text(), DatabaseDrillDown::backButtonText());
        window.grab().save(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots/drilldown-rows.png"));

        // Back to the whole database, the filter kept.
        window.modeBanner()->button()->click();
        QVERIFY(window.isAggregating());
        QVERIFY(!window.dataset());
        QCOMPARE(window.history().current(), gpt);
        QTRY_VERIFY_WITH_TIMEOUT(window.lastResult() && window.lastResult()->overview.rows == gptRows, 20000);

        // The Overview's "slowest" link of a model: the slowest claude row opens on the Traces page.
        Filter claude;
        claude.of(Dimension::Model) = {"claude-3-5-sonnet"};
        window.showPage(QStringLiteral("overview"));
        window.openSlowestOf(claude);
        const std::string slowest = expectedRows([](int i) { return i % 3 == 2; }, DrillOrder::Slowest, 1).front();
        QTRY_VERIFY_WITH_TIMEOUT(window.drillDownState()->isActive() && window.traces()->currentTrace().isValid(), 20000);
        const Dataset& d = *window.dataset();
        QCOMPARE(d.requestCount(), size_t{DatabaseDrillDown::kSlowestRows < 133 ? DatabaseDrillDown::kSlowestRows : 133});
        QCOMPARE(std::string(d.str(d.requests.traceId[window.traces()->currentTrace().value])), slowest);
        QCOMPARE(window.findChild<QTabWidget*>()->currentWidget(), static_cast<QWidget*>(window.traces()));
        window.grab().save(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots/drilldown-slowest.png"));
        DatabaseAggregateEngine::setThresholdOverride(0);
    }
};

QTEST_MAIN(TestDrillDown)
#include "tst_drilldown.moc"
