// File > Save Workspace As…: writes the loaded data and the workspace's annotations into one `.promptscope`
// file (models/storage/workspacefile.h) on the thread pool, with a progress dialog in the window that shows
// the time left and can cancel. A cancelled or failed save leaves no file behind; a newer save supersedes a
// running one. The outcome is told in the window (its status bar, or a message box for a failure) and by
// signals.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QString>

#include <atomic>
#include <memory>

#include "dataset.h"

class QProgressDialog;
class QWidget;

namespace ps {

class WorkspaceSaver : public QObject {
    Q_OBJECT

public:
    explicit WorkspaceSaver(QWidget* window);
    ~WorkspaceSaver() override;

    // Asks where to save (suggesting a .promptscope name), then saves. Null data: says there is nothing to save.
    void saveAs(DatasetPtr data, const QString& workspacePath);
    // Saves to target without asking, replacing it; the dialog still shows.
    void save(DatasetPtr data, const QString& workspacePath, const QString& target);
    void cancel();
    [[nodiscard]] bool isRunning() const { return running_; }

Q_SIGNALS:
    // fraction 0..1; secondsLeft < 0 while there is no estimate yet
    void progress(double fraction, double secondsLeft);
    void saved(const QString& path);
    void failed(const QString& message);
    void cancelled();

private:
    void finish();
    void tell(const QString& message);  // in the window's status bar

    QWidget* window_;
    QPointer<QProgressDialog> dialog_;
    std::shared_ptr<std::atomic<bool>> cancel_;
    QElapsedTimer clock_;
    QString target_;  // the file name being saved, for the dialog's text
    bool running_ = false;
};

}  // namespace ps
