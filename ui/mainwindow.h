// The main window: File menu (open, open demo, recent files), drag and drop, progress with time left and cancel
// in the status bar, the overview page, and a status line (sources, spans, requests, time range, parse issues).
#pragma once

#include <QMainWindow>
#include <QStringList>

#include "dataset.h"

class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QStackedWidget;

namespace ps {

class OverviewPage;
class SourceLoadJob;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    void openSources(const QStringList& paths);
    void openDemo();
    [[nodiscard]] DatasetPtr dataset() const { return dataset_; }

    // The demo files shipped with this build, or an empty list when none is found.
    static QStringList demoSources();

Q_SIGNALS:
    void datasetChanged();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void createMenus();
    void chooseFiles();
    void updateRecentMenu();
    void rememberRecent(const QStringList& paths);
    void onProgress(double fraction, double secondsLeft);
    void onLoaded(DatasetPtr dataset, const QStringList& paths, qint64 elapsedMs);
    void onFailed(const QString& message);
    void setLoading(bool loading);
    void showIssues();
    // A price table file chosen by the user (remembered), or the bundled one when path is empty.
    bool usePricingFile(const QString& path, bool reload);

    QStringList sources_;  // what is shown, for reloading

    DatasetPtr dataset_;
    SourceLoadJob* job_;
    OverviewPage* overview_;
    QMenu* recentMenu_ = nullptr;
    QProgressBar* progress_;
    QLabel* progressText_;
    QPushButton* cancel_;
    QLabel* summary_;
    QPushButton* issues_;
};

}  // namespace ps
