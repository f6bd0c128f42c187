// The main window: File menu (open, open demo, recent files, connect to a database, workspace, save workspace
// as), drag and drop, progress with time left and cancel in the status bar, the pages (overview, versions, traces,
// outliers, quality, review, incidents), a status line (sources, spans, requests, time range, parse issues) and,
// for database sources, live refresh (Data menu, "Live · refreshed 12:03:04" in the status bar).
#pragma once

#include <QMainWindow>
#include <QStringList>

#include <memory>
#include <optional>

#include "analysisengine.h"
#include "databaseaggregateengine.h"
#include "dataset.h"
#include "drilldown.h"
#include "filterhistory.h"

class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTabWidget;

namespace ps {

class DatabaseDrillDown;
class FilterSidebar;
class IncidentsPage;
class LiveRefresh;
class ModeBanner;
class OutliersPage;
class OverviewPage;
class QualityPage;
class ReviewPage;
class SavedFilters;
class SourceLoadJob;
class TracesPage;
class VersionsPage;
class Workspace;
class WorkspaceSaver;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // customSelect: read the database sources through this SELECT (columns named after PromptScope's fields)
    // instead of detecting their tables; remembered with the sources in Open Recent.
    void openSources(const QStringList& paths, const QString& customSelect = {});
    void openDemo();
    [[nodiscard]] DatasetPtr dataset() const { return dataset_; }
    [[nodiscard]] FilterSidebar* sidebar() const { return sidebar_; }
    [[nodiscard]] OverviewPage* overview() const { return overview_; }
    [[nodiscard]] VersionsPage* versions() const { return versions_; }
    [[nodiscard]] OutliersPage* outliersPage() const { return outliers_; }
    [[nodiscard]] QualityPage* qualityPage() const { return quality_; }
    [[nodiscard]] AnalysisEngine* engine() const { return engine_; }
    [[nodiscard]] DatabaseAggregateEngine* databaseEngine() const { return dbEngine_; }
    // True while a log database too large to load is aggregated in place (the Overview only).
    [[nodiscard]] bool isAggregating() const { return dbEngine_->source() != nullptr; }
    // In aggregation mode: loads the rows matching filter (order, at most limit) as the window's data, leaving
    // the Overview's aggregate; the banner leads back. matching: the filter's row count, when known.
    void drillDown(const Filter& filter, DrillOrder order, uint64_t limit, std::optional<uint64_t> matching);
    // Back from drilled rows to aggregating the whole database, under the drill-down's filter.
    void backToDatabase();
    [[nodiscard]] DatabaseDrillDown* drillDownState() const { return drill_; }
    [[nodiscard]] ModeBanner* modeBanner() const { return modeBanner_; }
    [[nodiscard]] ReviewPage* review() const { return review_; }
    [[nodiscard]] IncidentsPage* incidents() const { return incidents_; }
    // The workspace holding labels, the review queue and incidents; null when none could be opened.
    [[nodiscard]] std::shared_ptr<Workspace> workspace() const { return workspace_; }
    // Opens (or creates) a workspace file for the Review and Incidents pages; on failure the previous
    // workspace stays and the error says why. File > Open Workspace remembers the choice for the next start.
    bool openWorkspace(const QString& path, QString* error = nullptr);
    [[nodiscard]] const FilterHistory& history() const { return history_; }
    [[nodiscard]] AnalysisResultPtr lastResult() const { return lastResult_; }
    // Applies a filter as if the user had: recorded in the history, recomputed.
    void applyFilter(const Filter& filter);
    void goBack();
    void goForward();
    // Shows a page by name: overview, versions, traces, outliers, quality, review, incidents; false for an
    // unknown name.
    bool showPage(const QString& name);
    // Shows a trace's waterfall on the Traces page; false for an invalid request.
    bool openTrace(RequestIndex request);
    // Applies the filter, shows the Traces page with its requests and opens the slowest of them when it is computed.
    void openSlowestOf(const Filter& filter);
    [[nodiscard]] TracesPage* traces() const { return traces_; }
    [[nodiscard]] SavedFilters* savedFilters() const { return savedFilters_; }
    // Polls database sources for new rows; its snapshots are shown with the filters kept.
    [[nodiscard]] LiveRefresh* liveRefresh() const { return live_; }
    // File > Connect to Database: the dialog, then the connection is opened as a source.
    void connectToDatabase();

    // The demo files shipped with this build, or an empty list when none is found.
    static QStringList demoSources();

Q_SIGNALS:
    void datasetChanged();
    // A recompute finished and is on screen.
    void resultShown();
    // Opening sources failed (the message, without passwords, is also shown in a message box).
    void loadFailed(const QString& message);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void createMenus();
    void chooseWorkspace();
    void chooseFiles();
    void updateRecentMenu();
    void rememberRecent(const QStringList& paths, const QString& customSelect = {});
    void onProgress(double fraction, double secondsLeft);
    void onLoaded(DatasetPtr dataset, const QStringList& paths, qint64 elapsedMs);
    // Puts a snapshot on every page and recomputes under the current filter; `when` ends the status line.
    void showDataset(DatasetPtr dataset, const QString& when);
    void onFailed(const QString& message);
    void setLoading(bool loading);
    void showIssues();
    void recompute();
    void onResult(AnalysisResultPtr result);
    void onDatabaseOpened(DatabaseSourceInfoPtr info);
    // Aggregates info in place from now on, under filter; the other pages are emptied.
    void enterAggregation(DatabaseSourceInfoPtr info, const Filter& filter);
    void onBannerAction();
    // Puts a result on every page but the Overview (and the sidebar), which an aggregate fills.
    void showOnPages(const DatasetPtr& dataset, const std::shared_ptr<const FacetIndex>& index, const AnalysisResultPtr& result);
    void onAggregateResult(AnalysisResultPtr result, DatasetPtr labels);
    void updateModeBanner();
    // A price table file chosen by the user (remembered), or the bundled one when path is empty.
    bool usePricingFile(const QString& path, bool reload);

    QStringList sources_;  // what is shown, for reloading
    QString customSelect_;  // the SELECT its databases are read through; empty: detected

    DatasetPtr dataset_;
    SourceLoadJob* job_;
    WorkspaceSaver* saver_;  // File > Save Workspace As
    OverviewPage* overview_;
    TracesPage* traces_;
    VersionsPage* versions_;
    OutliersPage* outliers_;
    QualityPage* quality_;
    ReviewPage* review_;
    IncidentsPage* incidents_;
    std::shared_ptr<Workspace> workspace_;
    FilterSidebar* sidebar_;
    AnalysisEngine* engine_;
    DatabaseAggregateEngine* dbEngine_;
    ModeBanner* modeBanner_;  // above the pages: what aggregation mode leaves out, or which rows were drilled
    DatabaseDrillDown* drill_;
    FilterHistory history_;
    AnalysisResultPtr lastResult_;
    // A filter applied to open its slowest request on the Traces page once its result arrives (a histogram bar
    // or breakdown row opened from the Overview).
    std::optional<Filter> openSlowestFor_;
    SavedFilters* savedFilters_ = nullptr;
    QTabWidget* pages_;
    QLabel* selectionText_;
    QSplitter* split_;
    QMenu* recentMenu_ = nullptr;
    QProgressBar* progress_;
    QLabel* progressText_;
    QPushButton* cancel_;
    QLabel* summary_;
    QPushButton* issues_;
    LiveRefresh* live_;
};

}  // namespace ps
