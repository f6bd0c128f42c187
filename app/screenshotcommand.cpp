// promptscope --screenshot: load, filter, render one page offscreen, save a PNG, exit. Used by the tests, the
// README's screenshots (scripts/screenshots.sh) and reviewers.
#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QTimer>

#include <cstdlib>
#include <iostream>

#include "commandline.h"
#include "dbconnection.h"
#include "mainwindow.h"
#include "outlierspage.h"
#include "overviewpage.h"
#include "qualitypage.h"
#include "query.h"
#include "reviewpage.h"
#include "tracespage.h"
#include "versionspage.h"

namespace ps::cli {
namespace {

int fail(const std::string& message) {
    std::cerr << "promptscope --screenshot: " << message << "\nRun 'promptscope --help' for usage.\n";
    return 1;
}

// Waits for a signal, or gives up after timeoutMs; false on timeout.
template <typename Sender, typename Signal>
bool waitFor(Sender* sender, Signal signal, int timeoutMs) {
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, [&loop] { loop.exit(1); });
    QObject::connect(sender, signal, &loop, [&loop] { loop.exit(0); });
    timer.start(timeoutMs);
    return loop.exec() == 0;
}

}  // namespace

int runScreenshot(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    std::string out;
    std::string page = "overview";
    std::string query;
    std::string trace;
    std::string workspace;
    Grain grain = Grain::Request;
    int width = 1600;
    int height = 1000;
    QStringList sources;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](std::string* target) {
            if (i + 1 >= args.size()) {
                return false;
            }
            *target = args[++i];
            return true;
        };
        std::string v;
        if (a == "--screenshot") {
            if (!value(&out)) {
                return fail("--screenshot needs the PNG file to write");
            }
        } else if (a == "--page") {
            if (!value(&page)) {
                return fail("--page needs a page name");
            }
        } else if (a == "--size") {
            if (!value(&v) || std::sscanf(v.c_str(), "%dx%d", &width, &height) != 2 || width < 200 ||
                height < 200 || width > 8000 || height > 8000) {
                return fail("--size needs WIDTHxHEIGHT, e.g. 1600x1000");
            }
        } else if (a == "--query") {
            if (!value(&query)) {
                return fail("--query needs a query");
            }
        } else if (a == "--grain") {
            if (!value(&v) || !parseGrain(v, &grain)) {
                return fail("--grain is request or generation");
            }
        } else if (a == "--trace") {
            if (!value(&trace)) {
                return fail("--trace needs a trace id");
            }
        } else if (a == "--aggregate-above") {
            std::string rows;
            if (!value(&rows) || std::atoll(rows.c_str()) < 0) {
                return fail("--aggregate-above needs a number of rows");
            }
            DatabaseAggregateEngine::setThresholdOverride(static_cast<uint64_t>(std::atoll(rows.c_str())));
        } else if (a == "--workspace") {
            if (!value(&workspace)) {
                return fail("--workspace needs a workspace file");
            }
        } else if (a.size() > 1 && a[0] == '-') {
            return fail("unknown option " + a);
        } else {
            sources << QString::fromStdString(a);
        }
    }
    Filter filter;
    if (!query.empty()) {
        const auto parsed = parseQuery(query, QDateTime::currentDateTimeUtc().toMSecsSinceEpoch() * 1000000);
        if (const auto* error = std::get_if<QueryError>(&parsed)) {
            return fail("bad --query at byte " + std::to_string(error->position) + ": " + error->message);
        }
        filter = std::get<Filter>(parsed);
    }
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") &&
        qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QElapsedTimer sinceStart;
    sinceStart.start();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("PromptScope"));
    QApplication::setOrganizationName(QStringLiteral("PromptScope"));
    MainWindow window;
    window.resize(width, height);
    if (!window.showPage(QString::fromStdString(page))) {
        return fail("unknown page '" + page +
                    "' (overview, versions, traces, outliers, quality, review, incidents)");
    }
    QString workspaceError;
    if (!workspace.empty() && !window.openWorkspace(QString::fromStdString(workspace), &workspaceError)) {
        return fail(workspaceError.toStdString());
    }
    window.show();
    window.overview()->setGrain(grain);
    if (sources.isEmpty()) {
        sources = MainWindow::demoSources();
        if (sources.isEmpty()) {
            return fail("no SOURCE given and no demo data found next to the program");
        }
    }
    std::string shown;  // the sources as messages may name them: without passwords
    for (const QString& source : sources) {
        shown += (shown.empty() ? "" : ", ") + db::withoutPassword(source.toStdString());
    }
    QString failure;
    QObject::connect(&window, &MainWindow::loadFailed, &window, [&failure, &window](const QString& message) {
        failure = message;
        Q_EMIT window.datasetChanged();  // ends the wait below
    });
    window.openSources(sources);
    if (!waitFor(&window, &MainWindow::datasetChanged, 600000) || !failure.isEmpty() ||
        (!window.dataset() && !window.isAggregating())) {
        // A failure's message names the source already.
        return fail(failure.isEmpty() ? "could not load " + shown : failure.toStdString());
    }
    // In aggregation mode the database computes the overview: minutes on a ten-million-row SQLite table.
    const int overviewTimeoutMs = window.isAggregating() ? 900000 : 120000;
    if (!window.lastResult() && !waitFor(&window, &MainWindow::resultShown, overviewTimeoutMs)) {
        return fail("the overview did not finish computing");
    }
    QApplication::processEvents();
    window.repaint();
    std::cout << "first overview painted " << sinceStart.elapsed() << " ms after start\n";
    // The Versions page computes after the overview it follows; wait for its latest comparison.
    const bool versions = page == "versions";
    auto waitForVersions = [&] {
        return !versions || (!window.versions()->isBusy() && window.versions()->result()) ||
               waitFor(window.versions(), &VersionsPage::resultShown, 120000);
    };
    if (!waitForVersions()) {
        return fail("the version comparison did not finish computing");
    }
    if (!filter.isEmpty()) {
        window.applyFilter(filter);
        if (!waitFor(&window, &MainWindow::resultShown, 120000)) {
            return fail("the filtered overview did not finish computing");
        }
        if (versions && !waitFor(window.versions(), &VersionsPage::resultShown, 120000)) {
            return fail("the filtered version comparison did not finish computing");
        }
    }
    if ((!trace.empty() || page == "traces") && window.dataset()) {
        // The trace asked for, or the first of the list (the newest request of the filter), with its waterfall
        // laid out and the selected span's details read from the source.
        RequestIndex request;
        if (!trace.empty()) {
            request = window.dataset()->findRequest(trace);
            if (!request.isValid()) {
                return fail("no trace with id " + trace + " in " + shown);
            }
        } else if (window.lastResult() && !window.lastResult()->selection.requests.empty()) {
            request = RequestIndex{window.lastResult()->selection.requests.back()};
        }
        if (request.isValid()) {
            QEventLoop loop;
            QTimer timer;
            timer.setSingleShot(true);
            QObject::connect(&timer, &QTimer::timeout, &loop, [&loop] { loop.exit(1); });
            QObject::connect(window.traces(), &TracesPage::traceShown, &loop, [&loop] { loop.exit(0); });
            timer.start(120000);
            if (!window.openTrace(request) || loop.exec() != 0) {
                return fail("the trace " + trace + " could not be shown");
            }
        }
    }
    // The outliers and quality pages compute their own figures from the selection, after the overview.
    if (window.outliersPage()->isBusy() && !waitFor(window.outliersPage(), &OutliersPage::resultShown, 120000)) {
        return fail("the outliers page did not finish computing");
    }
    if (window.qualityPage()->isBusy() && !waitFor(window.qualityPage(), &QualityPage::resultShown, 120000)) {
        return fail("the quality page did not finish computing");
    }
    // The review queue is computed after the overview, on the thread pool.
    if (window.review()->isBusy() && !waitFor(window.review(), &ReviewPage::queueShown, 120000)) {
        return fail("the review queue did not finish computing");
    }
    QApplication::processEvents();
    const QString path = QString::fromStdString(out);
    QDir().mkpath(QFileInfo(path).absolutePath());
    if (!window.grab().save(path)) {
        return fail("could not write " + out);
    }
    std::cout << "wrote " << out << " (" << width << "x" << height << ", " << page << ")\n";
    return 0;
}

}  // namespace ps::cli
