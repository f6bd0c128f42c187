// The main window's log-database modes: a database too large to load aggregated in place (the Overview from SQL,
// the other pages emptied under a banner), the rows a user drills into loaded from it, and the way back.
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QTabWidget>

#include "connectdialog.h"
#include "databasedrilldown.h"
#include "datasetbuilder.h"
#include "filtersidebar.h"
#include "mainwindow.h"
#include "modebanner.h"
#include "overviewpage.h"
#include "sourceloadjob.h"

namespace ps {

void MainWindow::onDatabaseOpened(DatabaseSourceInfoPtr info) {
    if (info->mode == DatabaseMode::LoadRows) {
        job_->start(sources_);
        return;
    }
    setLoading(false);
    Filter none;
    drill_->leave(&none);
    enterAggregation(std::move(info), Filter{});
}

void MainWindow::enterAggregation(DatabaseSourceInfoPtr info, const Filter& filter) {
    dataset_.reset();
    lastResult_.reset();
    dbEngine_->setSource(info);
    // The pages that need rows show an empty data set (their empty states) under the banner, not stale rows.
    engine_->setDataset(DatasetBuilder().build());
    engine_->request(Filter{}, Grain::Request);
    summary_->setText(info->description + QStringLiteral(" · ") + QString::fromStdString(info->display));
    setWindowTitle(tr("%1 — PromptScope").arg(QString::fromStdString(info->display)));
    history_ = FilterHistory{};
    if (!filter.isEmpty()) {
        history_.push(filter);
    }
    sidebar_->setFilter(history_.current());
    sidebar_->setHistoryState(history_.canGoBack(), false);
    updateModeBanner();
    recompute();
    Q_EMIT datasetChanged();
}

void MainWindow::drillDown(const Filter& filter, DrillOrder order, uint64_t limit, std::optional<uint64_t> matching) {
    if (!isAggregating() || job_->isRunning() || limit == 0) {
        return;
    }
    job_->setRowSubsetForNextStart(drill_->begin(dbEngine_->source(), filter, order, limit, matching));
    setLoading(true);
    progress_->setRange(0, 0);
    progressText_->setText(tr("Loading rows of %1…").arg(QString::fromStdString(dbEngine_->source()->display)));
    updateModeBanner();
    job_->start(sources_);
}

void MainWindow::backToDatabase() {
    Filter filter;
    if (DatabaseSourceInfoPtr info = drill_->leave(&filter)) {
        enterAggregation(std::move(info), filter);
    }
}

void MainWindow::onBannerAction() {
    if (drill_->isActive()) {
        backToDatabase();
    } else if (isAggregating() && lastResult_ && lastResult_->filter == history_.current()) {
        const uint64_t matching = lastResult_->overview.rows;
        drillDown(history_.current(), DrillOrder::Newest, DatabaseDrillDown::rowsToLoad(matching), matching);
    }
}

void MainWindow::onAggregateResult(AnalysisResultPtr result, DatasetPtr labels) {
    lastResult_ = result;
    overview_->showResult(nullptr, *result);
    sidebar_->setSelection(std::move(labels), result->selection);
    selectionText_->setText(tr("%1 rows match · computed in the database")
                                .arg(QLocale().toString(static_cast<qulonglong>(result->overview.rows))));
    updateModeBanner();  // the load button counts the rows matching the filter
    Q_EMIT resultShown();
}

void MainWindow::updateModeBanner() {
    if (drill_->isActive()) {
        modeBanner_->showMessage(drill_->drilledText(), DatabaseDrillDown::backButtonText());
    } else if (isAggregating() && pages_->currentWidget() != overview_) {
        std::optional<uint64_t> matching;
        if (lastResult_ && lastResult_->filter == history_.current()) {
            matching = lastResult_->overview.rows;
        }
        modeBanner_->showMessage(DatabaseDrillDown::aggregatingText(*dbEngine_->source()),
                                 DatabaseDrillDown::loadButtonText(matching),
                                 matching && *matching > 0 && !drill_->isPending());
    } else {
        modeBanner_->hide();
    }
}

void MainWindow::connectToDatabase() {
    ConnectDialog dialog(this);
    if (dialog.exec() == QDialog::Accepted) {
        openSources({dialog.sourceString()}, dialog.profile().customSelect());
    }
}

}  // namespace ps
