#include "mainwindow.h"

#include <algorithm>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimeZone>
#include <QVBoxLayout>

#include "comparisonchooser.h"
#include "connectionprofile.h"
#include "databasedrilldown.h"
#include "dbconnection.h"
#include "filtersidebar.h"
#include "incidentspage.h"
#include "liverefresh.h"
#include "modebanner.h"
#include "outlierspage.h"
#include "overviewpage.h"
#include "pricingjson.h"
#include "parseissuesdialog.h"
#include "qualitypage.h"
#include "requesttexts.h"
#include "recentsources.h"
#include "reviewpage.h"
#include "savedfilters.h"
#include "sourceloadjob.h"
#include "tracespage.h"
#include "versionspage.h"
#include "workspace.h"
#include "workspacefile.h"
#include "workspacesaver.h"

namespace ps {
namespace {

QString formatTime(int64_t ns) {
    return QDateTime::fromMSecsSinceEpoch(ns / 1000000, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), job_(new SourceLoadJob(this)), saver_(new WorkspaceSaver(this)),
      live_(new LiveRefresh(this)) {
    setWindowTitle(tr("PromptScope"));
    setAcceptDrops(true);
    resize(1400, 900);

    auto* split = new QSplitter(this);
    split_ = split;
    sidebar_ = new FilterSidebar(split);
    auto* pages = new QTabWidget(split);
    pages_ = pages;
    overview_ = new OverviewPage(pages);
    pages->addTab(overview_, tr("Overview"));
    versions_ = new VersionsPage(pages);
    pages->addTab(versions_, tr("Versions"));
    traces_ = new TracesPage(pages);
    pages->addTab(traces_, tr("Traces"));
    outliers_ = new OutliersPage(pages);
    pages->addTab(outliers_, tr("Outliers"));
    quality_ = new QualityPage(pages);
    pages->addTab(quality_, tr("Quality"));
    review_ = new ReviewPage(pages);
    pages->addTab(review_, tr("Review"));
    incidents_ = new IncidentsPage(pages);
    pages->addTab(incidents_, tr("Incidents"));
    connect(review_, &ReviewPage::incidentsChanged, incidents_, &IncidentsPage::reload);
    connect(review_, &ReviewPage::traceRequested, this, &MainWindow::openTrace);
    connect(incidents_, &IncidentsPage::traceRequested, this, &MainWindow::openTrace);
    split->addWidget(sidebar_);
    auto* right = new QWidget(split);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    modeBanner_ = new ModeBanner(right);
    drill_ = new DatabaseDrillDown(this);
    connect(modeBanner_, &ModeBanner::actionTriggered, this, &MainWindow::onBannerAction);
    rightLayout->addWidget(modeBanner_);
    rightLayout->addWidget(pages, 1);
    split->addWidget(right);
    connect(pages, &QTabWidget::currentChanged, this, &MainWindow::updateModeBanner);
    split->setStretchFactor(1, 1);
    split->setSizes({290, 1110});
    setCentralWidget(split);

    engine_ = new AnalysisEngine(this);
    connect(engine_, &AnalysisEngine::resultReady, this, &MainWindow::onResult);
    connect(engine_, &AnalysisEngine::busyChanged, overview_, &OverviewPage::setBusy);
    dbEngine_ = new DatabaseAggregateEngine(this);
    connect(dbEngine_, &DatabaseAggregateEngine::opened, this, &MainWindow::onDatabaseOpened);
    connect(dbEngine_, &DatabaseAggregateEngine::failed, this, &MainWindow::onFailed);
    connect(dbEngine_, &DatabaseAggregateEngine::resultReady, this, &MainWindow::onAggregateResult);
    connect(dbEngine_, &DatabaseAggregateEngine::busyChanged, overview_, &OverviewPage::setBusy);
    connect(sidebar_, &FilterSidebar::filterEdited, this, &MainWindow::applyFilter);
    connect(sidebar_, &FilterSidebar::backRequested, this, &MainWindow::goBack);
    connect(sidebar_, &FilterSidebar::forwardRequested, this, &MainWindow::goForward);
    connect(sidebar_, &FilterSidebar::resetRequested, this, [this] { applyFilter(Filter{}); });
    connect(overview_, &OverviewPage::grainChanged, this, &MainWindow::recompute);
    connect(overview_, &OverviewPage::timeRangeSelected, this, [this](int64_t begin, int64_t end) {
        Filter f = history_.current();
        f.beginNs = begin;
        f.endNs = end;
        applyFilter(f);
    });
    // A histogram bar or a breakdown row narrows the current filter: a click applies it, opening it also shows the
    // slowest request it keeps.
    const auto latencyRange = [this](double lo, double hi) {
        Filter f = history_.current();
        f.minLatencyMs = lo;
        f.maxLatencyMs = hi;
        return f;
    };
    const auto costRange = [this](double lo, double hi) {
        Filter f = history_.current();
        f.minCostUsd = lo;
        f.maxCostUsd = hi;
        return f;
    };
    const auto dimensionValue = [this](Dimension d, const QString& value) {
        Filter f = history_.current();
        f.of(d) = {value.toStdString()};
        return f;
    };
    connect(overview_, &OverviewPage::latencyRangeSelected, this,
            [this, latencyRange](double lo, double hi) { applyFilter(latencyRange(lo, hi)); });
    connect(overview_, &OverviewPage::costRangeSelected, this,
            [this, costRange](double lo, double hi) { applyFilter(costRange(lo, hi)); });
    connect(overview_, &OverviewPage::dimensionValueClicked, this,
            [this, dimensionValue](Dimension d, const QString& v) { applyFilter(dimensionValue(d, v)); });
    connect(overview_, &OverviewPage::latencyRangeOpened, this,
            [this, latencyRange](double lo, double hi) { openSlowestOf(latencyRange(lo, hi)); });
    connect(overview_, &OverviewPage::costRangeOpened, this,
            [this, costRange](double lo, double hi) { openSlowestOf(costRange(lo, hi)); });
    connect(overview_, &OverviewPage::dimensionValueOpened, this,
            [this, dimensionValue](Dimension d, const QString& v) { openSlowestOf(dimensionValue(d, v)); });
    // Drill-downs from the Versions page land on the trace list.
    connect(versions_, &VersionsPage::filterRequested, this, [this](const Filter& f) {
        applyFilter(f);
        pages_->setCurrentWidget(traces_);
    });
    connect(versions_, &VersionsPage::requestsRequested, this,
            [this](const QString& title, const std::vector<uint32_t>& requests) {
                traces_->showRequests(title, requests);
                pages_->setCurrentWidget(traces_);
            });
    connect(versions_, &VersionsPage::traceRequested, this, &MainWindow::openTrace);
    connect(versions_, &VersionsPage::pairRequested, this, [this](RequestIndex a, RequestIndex b) {
        traces_->comparePair(a, b);
        pages_->setCurrentWidget(traces_);
    });
    connect(versions_, &VersionsPage::timeRangeSelected, this, [this](int64_t begin, int64_t end) {
        Filter f = history_.current();
        f.beginNs = begin;
        f.endNs = end;
        applyFilter(f);
    });
    sidebar_->setHistoryState(false, false);
    connect(traces_, &TracesPage::reviewRequested, this, [this](const QString& traceId) {
        statusBar()->showMessage(review_->addByHand(traceId)
                                     ? tr("%1 is in the review queue (Review page).").arg(traceId)
                                     : tr("%1 could not be added to the review queue.").arg(traceId),
                                 6000);
    });
    connect(traces_, &TracesPage::incidentLinkRequested, this, [this](const QString& traceId) {
        if (!incidents_->currentIncident()) {
            statusBar()->showMessage(tr("Choose or create an incident on the Incidents page first."), 6000);
        } else if (incidents_->linkTrace(traceId)) {
            statusBar()->showMessage(tr("%1 is linked to the current incident.").arg(traceId), 6000);
        }
    });
    connect(outliers_, &OutliersPage::traceRequested, this, &MainWindow::openTrace);
    connect(quality_, &QualityPage::traceRequested, this, &MainWindow::openTrace);

    selectionText_ = new QLabel(this);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setMaximumWidth(240);
    progressText_ = new QLabel(this);
    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->setShortcut(QKeySequence(Qt::Key_Escape));
    summary_ = new QLabel(tr("No data loaded. Open a trace export (Ctrl+O) or drop files here."), this);
    issues_ = new QPushButton(this);
    issues_->setFlat(true);
    issues_->setToolTip(tr("Show the records that could not be read"));
    statusBar()->addWidget(summary_, 1);
    statusBar()->addPermanentWidget(live_->createStatusLabel(this));
    statusBar()->addPermanentWidget(selectionText_);
    statusBar()->addPermanentWidget(issues_);
    statusBar()->addPermanentWidget(progressText_);
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(cancel_);
    setLoading(false);
    issues_->hide();

    connect(cancel_, &QPushButton::clicked, job_, &SourceLoadJob::cancel);
    connect(issues_, &QPushButton::clicked, this, &MainWindow::showIssues);
    connect(job_, &SourceLoadJob::progress, this, &MainWindow::onProgress);
    connect(job_, &SourceLoadJob::loaded, this, &MainWindow::onLoaded);
    connect(job_, &SourceLoadJob::failed, this, &MainWindow::onFailed);
    connect(job_, &SourceLoadJob::cancelled, this, [this] {
        setLoading(false);
        if (drill_->isPending()) {  // still aggregating, as before the drill-down
            drill_->finish(false, 0);
            updateModeBanner();
        }
        statusBar()->showMessage(tr("Loading cancelled."), 5000);
    });

    connect(saver_, &WorkspaceSaver::saved, this, [this](const QString& path) {
        rememberRecent({path});
        openWorkspace(path);  // as after any Save As, the window works on the saved file: annotations go there
    });
    savedFilters_ = new SavedFilters(this);
    connect(savedFilters_, &SavedFilters::applyRequested, this, &MainWindow::applyFilter);
    connect(savedFilters_, &SavedFilters::changed, versions_->chooser(), &ComparisonChooser::setSavedFilters);
    versions_->chooser()->setSavedFilters(savedFilters_->list());
    connect(live_, &LiveRefresh::refreshed, this, [this](DatasetPtr dataset) {
        const QString now = QTime::currentTime().toString(QStringLiteral("HH:mm:ss"));
        showDataset(std::move(dataset), tr("refreshed %1").arg(now));
    });

    createMenus();
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    split_->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    overview_->setGrain(static_cast<Grain>(settings.value(QStringLiteral("overview/grain"), 0).toInt()));
    usePricingFile(settings.value(QStringLiteral("pricing/file")).toString(), false);
    QString workspaceError;
    if (!openWorkspace(settings.value(QStringLiteral("workspace/file"), Workspace::defaultPath()).toString(),
                       &workspaceError)) {
        statusBar()->showMessage(workspaceError, 15000);
    }
}

bool MainWindow::openWorkspace(const QString& path, QString* error) {
    std::string why;
    std::shared_ptr<Workspace> opened = Workspace::open(path.toStdString(), &why);
    if (!opened) {
        if (error) {
            *error = tr("The workspace could not be opened: %1").arg(QString::fromStdString(why));
        }
        return false;
    }
    workspace_ = std::move(opened);
    review_->setWorkspace(workspace_);
    incidents_->setWorkspace(workspace_);
    review_->setToolTip(tr("Labels and the review queue are kept in %1").arg(path));
    incidents_->setToolTip(tr("Incidents are kept in %1").arg(path));
    return true;
}

void MainWindow::chooseWorkspace() {
    const QString current = workspace_ ? QString::fromStdString(workspace_->path()) : Workspace::defaultPath();
    const QString path = QFileDialog::getSaveFileName(this, tr("Open or create a workspace"), current,
                                                      tr("Workspaces (*.sqlite);;All files (*)"), nullptr,
                                                      QFileDialog::DontConfirmOverwrite);
    QString error;
    if (path.isEmpty()) {
        return;
    }
    if (!openWorkspace(path, &error)) {
        QMessageBox::warning(this, tr("Workspace not opened"), error);
        return;
    }
    QSettings().setValue(QStringLiteral("workspace/file"), path);
    statusBar()->showMessage(tr("Workspace: %1").arg(path), 5000);
}

bool MainWindow::usePricingFile(const QString& path, bool reload) {
    QSettings settings;
    if (path.isEmpty()) {
        job_->setPricing(nullptr);
        settings.remove(QStringLiteral("pricing/file"));
        if (reload) {
            statusBar()->showMessage(tr("Costs missing from the data are priced with the bundled table."), 5000);
        }
    } else {
        std::string error;
        auto table = loadPricingFile(path.toStdString(), &error);
        if (!table) {
            QMessageBox::warning(this, tr("Price table not used"),
                                 tr("%1 could not be used as a price table:\n%2\n\nThe bundled prices stay in use.")
                                     .arg(path, QString::fromStdString(error)));
            job_->setPricing(nullptr);
            settings.remove(QStringLiteral("pricing/file"));
            return false;
        }
        job_->setPricing(std::move(table));
        settings.setValue(QStringLiteral("pricing/file"), path);
        if (reload) {
            statusBar()->showMessage(tr("Costs missing from the data are priced with %1.").arg(path), 5000);
        }
    }
    if (reload && !sources_.isEmpty()) {
        openSources(sources_, customSelect_);
    }
    return true;
}

MainWindow::~MainWindow() = default;

QStringList MainWindow::demoSources() {
    QStringList dirs = {QCoreApplication::applicationDirPath() + QStringLiteral("/../demo"),
                        QCoreApplication::applicationDirPath() + QStringLiteral("/../share/promptscope/demo")};
#ifdef PROMPTSCOPE_DEMO_DIR
    dirs.prepend(QStringLiteral(PROMPTSCOPE_DEMO_DIR));
#endif
    for (const QString& dir : dirs) {
        const QString traces = dir + QStringLiteral("/demo.otlp.jsonl");
        if (QFileInfo::exists(traces)) {
            QStringList files = {QDir::cleanPath(traces)};
            const QString records = dir + QStringLiteral("/demo.records.jsonl");
            if (QFileInfo::exists(records)) {
                files << QDir::cleanPath(records);
            }
            return files;
        }
    }
    return {};
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open…"), this, &MainWindow::chooseFiles);
    open->setShortcut(QKeySequence::Open);
    file->addAction(tr("Open &Demo"), this, &MainWindow::openDemo);
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    updateRecentMenu();
    file->addAction(tr("Connect to &Database…"), this, &MainWindow::connectToDatabase)
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    file->addSeparator();
    file->addAction(tr("&Price Table…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Price table for model calls without a cost"),
                                                          {}, tr("Price tables (*.json);;All files (*)"));
        if (!path.isEmpty()) {
            usePricingFile(path, true);
        }
    });
    file->addAction(tr("Use &Bundled Prices"), this, [this] { usePricingFile({}, true); });
    file->addAction(tr("Open &Workspace…"), this, &MainWindow::chooseWorkspace)
        ->setToolTip(tr("Where labels, the review queue and incidents are kept (never in the sources)"));
    file->addAction(tr("&Save Workspace As…"), this, [this] {
        saver_->saveAs(dataset_, workspace_ ? QString::fromStdString(workspace_->path()) : QString());
    });
    QAction* issues = file->addAction(tr("Parse &Issues…"), this, &MainWindow::showIssues);
    issues->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = menuBar()->addMenu(tr("&Filter"));
    QAction* back = view->addAction(tr("&Back"), this, &MainWindow::goBack);
    back->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Left));
    QAction* forward = view->addAction(tr("&Forward"), this, &MainWindow::goForward);
    forward->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Right));
    QAction* reset = view->addAction(tr("&Reset Filters"), this, [this] { applyFilter(Filter{}); });
    reset->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    QAction* query = view->addAction(tr("Edit &Query"), this, [this] {
        sidebar_->queryLine()->setFocus();
        sidebar_->queryLine()->selectAll();
    });
    query->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    savedFilters_->addActions(view, this, [this] { return history_.current(); });

    live_->addActions(menuBar()->addMenu(tr("&Data")), this);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About PromptScope"), this, [this] {
        QMessageBox::about(this, tr("About PromptScope"),
                           tr("<b>PromptScope %1</b><p>A desktop dashboard for LLM prompts in production: latency, "
                              "errors, cost and quality per prompt version, from trace exports on disk.</p>")
                               .arg(QCoreApplication::applicationVersion()));
    });
}

void MainWindow::chooseFiles() {
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("open/lastDir"), QDir::homePath()).toString();
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Open trace exports"), dir,
        tr("Trace exports and saved workspaces (*.json *.jsonl *.ndjson *.promptscope);;All files (*)"));
    if (!files.isEmpty()) {
        settings.setValue(QStringLiteral("open/lastDir"), QFileInfo(files.first()).absolutePath());
        openSources(files);
    }
}

void MainWindow::openDemo() {
    const QStringList demo = demoSources();
    if (demo.isEmpty()) {
        QMessageBox::warning(this, tr("No demo data"),
                             tr("The demo files were not found next to the program. Build the project with "
                                "scripts/build.sh, which generates them."));
        return;
    }
    openSources(demo);
}

void MainWindow::openSources(const QStringList& paths, const QString& customSelect) {
    if (paths.isEmpty()) {
        return;
    }
    sources_ = paths;
    customSelect_ = customSelect;
    setLoading(true);
    progress_->setRange(0, 0);  // indeterminate until the first report
    progressText_->setText(tr("Opening %1…").arg(displayNameOfSource(paths.first())));
    dbEngine_->setSource(nullptr);
    updateModeBanner();
    // A database is counted first: above the threshold it is aggregated in place instead of loaded. A custom
    // SELECT is always loaded: aggregation reads the detected table.
    if (paths.size() == 1 && customSelect.isEmpty() && db::parseTarget(paths.first().toStdString())) {
        dbEngine_->open(paths.first());
        return;
    }
    job_->start(paths, customSelect);
}

void MainWindow::onProgress(double fraction, double secondsLeft) {
    progress_->setRange(0, 1000);
    progress_->setValue(static_cast<int>(fraction * 1000));
    QString text = tr("Loading %1%").arg(static_cast<int>(fraction * 100));
    if (secondsLeft >= 0) {
        text += tr(", about %1 s left").arg(std::max(1, static_cast<int>(std::lround(secondsLeft))));
    }
    progressText_->setText(text);
}

void MainWindow::onLoaded(DatasetPtr dataset, const QStringList& paths, qint64 elapsedMs) {
    setLoading(false);
    if (drill_->isPending()) {  // rows drilled out of the aggregated database: every page works on them
        drill_->finish(true, dataset->requestCount());
        dbEngine_->setSource(nullptr);
        history_ = FilterHistory{};
        history_.push(drill_->filter());
        sidebar_->setFilter(history_.current());
        sidebar_->setHistoryState(history_.canGoBack(), false);
        showDataset(std::move(dataset), tr("drilled in %1 s").arg(elapsedMs / 1000.0, 0, 'f', 2));
        updateModeBanner();
        return;
    }
    rememberRecent(paths, job_->customSelect());
    QString error;  // a saved workspace file brings its annotations: it becomes the workspace (data only read)
    if (paths.size() == 1 && isWorkspaceFileWithData(paths.first().toStdString()) &&
        !openWorkspace(paths.first(), &error)) {
        statusBar()->showMessage(error, 15000);
    }
    setWindowTitle(tr("%1 — PromptScope").arg(displayNameOfSource(paths.first())));
    history_ = FilterHistory{};
    sidebar_->setFilter(history_.current());
    sidebar_->setHistoryState(false, false);
    showDataset(std::move(dataset), tr("loaded in %1 s").arg(elapsedMs / 1000.0, 0, 'f', 2));
    live_->setPricing(job_->pricing());
    live_->watch(paths, dataset_, job_->customSelect());
}

void MainWindow::showDataset(DatasetPtr dataset, const QString& when) {
    dataset_ = std::move(dataset);
    const Dataset& ds = *dataset_;
    const QLocale locale;
    QString text = (ds.sources.size() == 1 ? tr("1 source") : tr("%1 sources").arg(ds.sources.size())) +
                   QStringLiteral(" · ") +
                   tr("%1 spans · %2 requests · %3 LLM calls")
                       .arg(locale.toString(static_cast<qulonglong>(ds.spanCount())),
                            locale.toString(static_cast<qulonglong>(ds.requestCount())),
                            locale.toString(static_cast<qulonglong>(ds.generationCount())));
    if (ds.requestCount() > 0) {
        int64_t end = 0;
        for (size_t r = 0; r < ds.requestCount(); ++r) {
            end = std::max(end, ds.requests.startNs[r] + ds.requests.durationNs[r]);
        }
        text += QStringLiteral(" · ") + formatTime(ds.requests.startNs.front()) + QStringLiteral(" – ") +
                formatTime(end) + QStringLiteral(" UTC");
    }
    text += QStringLiteral(" · ") + when;
    summary_->setText(text);
    issues_->setVisible(ds.issueCount > 0);
    issues_->setText(ds.issueCount == 1 ? tr("⚠ 1 parse issue")
                                        : tr("⚠ %1 parse issues").arg(QLocale().toString(ds.issueCount)));
    engine_->setDataset(dataset_);
    review_->setData(dataset_, nullptr);
    incidents_->setDataset(dataset_);
    // The eval-case export reads each linked request's messages back from its source, on the GUI thread (an
    // incident links a handful of traces).
    incidents_->setTextProvider([reader = std::make_shared<ColdDataReader>(dataset_)](RequestIndex r) {
        return requestInputOutput(*reader, r);
    });
    recompute();
    Q_EMIT datasetChanged();
}

void MainWindow::applyFilter(const Filter& filter) {
    history_.push(filter);
    sidebar_->setFilter(history_.current());
    sidebar_->setHistoryState(history_.canGoBack(), history_.canGoForward());
    recompute();
}

void MainWindow::goBack() {
    if (history_.canGoBack()) {
        sidebar_->setFilter(history_.back());
        sidebar_->setHistoryState(history_.canGoBack(), history_.canGoForward());
        recompute();
    }
}

void MainWindow::goForward() {
    if (history_.canGoForward()) {
        sidebar_->setFilter(history_.forward());
        sidebar_->setHistoryState(history_.canGoBack(), history_.canGoForward());
        recompute();
    }
}

void MainWindow::recompute() {
    if (isAggregating()) {
        dbEngine_->request(history_.current(), overview_->grain());
    } else if (dataset_) {
        engine_->request(history_.current(), overview_->grain());
    }
}

void MainWindow::onResult(AnalysisResultPtr result) {
    if (isAggregating()) {  // the empty data set under the banner; the aggregate owns the Overview
        showOnPages(engine_->dataset(), engine_->index(), result);
        return;
    }
    lastResult_ = result;
    overview_->showResult(dataset_, *result);
    sidebar_->setSelection(dataset_, result->selection);
    showOnPages(dataset_, engine_->index(), result);
    const QLocale locale;
    selectionText_->setText(result->filter.isEmpty()
                                ? tr("No filter")
                                : tr("Filtered: %1 of %2 requests")
                                      .arg(locale.toString(static_cast<qulonglong>(result->selection.requests.size())),
                                           locale.toString(static_cast<qulonglong>(dataset_->requestCount()))));
    if (openSlowestFor_ && result->filter == *openSlowestFor_) {
        openSlowestFor_.reset();
        const auto& duration = dataset_->requests.durationNs;
        const std::vector<uint32_t>& rows = result->selection.requests;
        const auto slowest = std::max_element(rows.begin(), rows.end(),
                                              [&](uint32_t a, uint32_t b) { return duration[a] < duration[b]; });
        if (slowest != rows.end()) {
            openTrace(RequestIndex{*slowest});
        } else {
            statusBar()->showMessage(tr("No request matches that range under the current filter."), 5000);
        }
    }
    Q_EMIT resultShown();
}

void MainWindow::openSlowestOf(const Filter& filter) {
    openSlowestFor_ = filter;
    if (isAggregating()) {  // the slowest rows of that group come out of the database first
        drillDown(filter, DrillOrder::Slowest, DatabaseDrillDown::kSlowestRows, std::nullopt);
        return;
    }
    pages_->setCurrentWidget(traces_);
    applyFilter(filter);  // recomputes even when the filter is already current, so a result always arrives
}

bool MainWindow::openTrace(RequestIndex request) {
    if (!traces_->showTrace(request)) {
        return false;
    }
    pages_->setCurrentWidget(traces_);
    return true;
}

bool MainWindow::showPage(const QString& name) {
    const QStringList names = {QStringLiteral("overview"), QStringLiteral("versions"), QStringLiteral("traces"),
                               QStringLiteral("outliers"), QStringLiteral("quality"), QStringLiteral("review"),
                               QStringLiteral("incidents")};
    const auto i = names.indexOf(name.toLower());
    if (i < 0) {
        return false;
    }
    pages_->setCurrentIndex(static_cast<int>(i));
    return true;
}

void MainWindow::showOnPages(const DatasetPtr& dataset, const std::shared_ptr<const FacetIndex>& index,
                             const AnalysisResultPtr& result) {
    versions_->setData(dataset, index, result->filter);
    traces_->setSelection(dataset, result->selection);
    outliers_->setInput(dataset, index, result);
    quality_->setInput(dataset, index, result);
    review_->setData(dataset, std::shared_ptr<const Selection>(result, &result->selection));
}

void MainWindow::onFailed(const QString& message) {
    setLoading(false);
    if (drill_->isPending()) {
        drill_->finish(false, 0);
        updateModeBanner();
    }
    const QString text = QString::fromStdString(db::withoutPassword(message.toStdString()));
    // Not exec(): a window driven by a test or the screenshot command must not wait for someone to click OK.
    auto* box = new QMessageBox(QMessageBox::Critical, tr("Could not open"), text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    Q_EMIT loadFailed(text);
}

void MainWindow::setLoading(bool loading) {
    progress_->setVisible(loading);
    progressText_->setVisible(loading);
    cancel_->setVisible(loading);
}

void MainWindow::showIssues() {
    if (!dataset_ || dataset_->issueCount == 0) {
        statusBar()->showMessage(tr("No parse issues."), 3000);
        return;
    }
    ParseIssuesDialog dialog(*dataset_, this);
    dialog.exec();
}

void MainWindow::updateRecentMenu() {
    recentMenu_->clear();
    const std::vector<RecentSourceSet> recent = recentSourceSets();
    for (const RecentSourceSet& set : recent) {
        QString label = displayNameOfSource(set.paths.first());
        if (set.paths.size() > 1) {
            label += tr(" and %n more", nullptr, static_cast<int>(set.paths.size() - 1));
        }
        if (!set.customSelect.isEmpty()) {
            label += tr(" (custom SELECT)");
        }
        QAction* action = recentMenu_->addAction(label, this, [this, set] { openSources(set.paths, set.customSelect); });
        action->setToolTip(set.customSelect);
    }
    recentMenu_->setEnabled(!recent.empty());
}

void MainWindow::rememberRecent(const QStringList& paths, const QString& customSelect) {
    rememberSourceSet(paths, customSelect);
    updateRecentMenu();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) {
        event->acceptProposedAction();
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls()) {
        if (url.isLocalFile()) {
            paths << url.toLocalFile();
        }
    }
    openSources(paths);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/splitter"), split_->saveState());
    settings.setValue(QStringLiteral("overview/grain"), static_cast<int>(overview_->grain()));
    job_->cancel();
    event->accept();
}

}  // namespace ps
