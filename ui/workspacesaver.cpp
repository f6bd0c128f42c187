#include "workspacesaver.h"

#include <QCoreApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QMainWindow>
#include <QMessageBox>
#include <QProgressDialog>
#include <QStatusBar>
#include <QThreadPool>
#include <QWidget>

#include "progressrelay.h"
#include "workspacefile.h"

namespace ps {

WorkspaceSaver::WorkspaceSaver(QWidget* window) : QObject(window), window_(window) {
    connect(this, &WorkspaceSaver::saved, this,
            [this](const QString& path) { tell(tr("Saved the data and the annotations to %1").arg(path)); });
    connect(this, &WorkspaceSaver::failed, this, [this](const QString& message) {
        QMessageBox::warning(window_, tr("Workspace not saved"), message);
    });
    connect(this, &WorkspaceSaver::cancelled, this, [this] { tell(tr("Saving cancelled; nothing was written.")); });
}

void WorkspaceSaver::tell(const QString& message) {
    if (auto* main = qobject_cast<QMainWindow*>(window_)) {
        main->statusBar()->showMessage(message, 8000);
    }
}

WorkspaceSaver::~WorkspaceSaver() {
    if (cancel_) {
        cancel_->store(true);
    }
}

void WorkspaceSaver::saveAs(DatasetPtr data, const QString& workspacePath) {
    if (!data) {
        tell(tr("Nothing to save yet: open some data first."));
        return;
    }
    const QString suffix = QString::fromLatin1(kWorkspaceFileSuffix);
    QString path = QFileDialog::getSaveFileName(window_, tr("Save Workspace As"),
                                                QFileInfo(workspacePath).absolutePath() + QStringLiteral("/untitled") +
                                                    suffix,
                                                tr("PromptScope workspaces (*%1)").arg(suffix));
    if (path.isEmpty()) {
        return;
    }
    if (!path.endsWith(suffix)) {
        path += suffix;
    }
    save(std::move(data), workspacePath, path);
}

void WorkspaceSaver::save(DatasetPtr data, const QString& workspacePath, const QString& target) {
    if (cancel_) {
        cancel_->store(true);  // a newer save supersedes the running one
    }
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    running_ = true;
    clock_.start();
    target_ = QFileInfo(target).fileName();
    if (!dialog_) {
        dialog_ = new QProgressDialog(window_);
        dialog_->setWindowTitle(tr("Saving workspace"));
        dialog_->setWindowModality(Qt::WindowModal);
        dialog_->setMinimumDuration(300);
        dialog_->setRange(0, 1000);
        connect(dialog_, &QProgressDialog::canceled, this, &WorkspaceSaver::cancel);
        connect(this, &WorkspaceSaver::progress, dialog_, [this](double fraction, double secondsLeft) {
            dialog_->setValue(static_cast<int>(fraction * 1000));
            dialog_->setLabelText(secondsLeft < 0 ? tr("Saving the data and the annotations to %1…").arg(target_)
                                                  : tr("Saving the data and the annotations to %1… about %2 s left")
                                                        .arg(target_)
                                                        .arg(qMax(1, qRound(secondsLeft))));
        });
    }
    dialog_->setLabelText(tr("Saving the data and the annotations to %1…").arg(target_));
    dialog_->setValue(0);
    const std::string writtenBy =
        QStringLiteral("PromptScope %1 (Save Workspace As)").arg(QCoreApplication::applicationVersion()).toStdString();

    QPointer<WorkspaceSaver> self(this);
    auto cancel = cancel_;
    const QElapsedTimer clock = clock_;
    QThreadPool::globalInstance()->start([self, cancel, clock, writtenBy, data = std::move(data),
                                          workspace = workspacePath.toStdString(), target] {
        DatasetImportOptions options;
        options.replace = true;  // the save dialog asked before overwriting
        options.cancel = cancel.get();
        options.writtenBy = writtenBy;
        options.progress = relayProgress(self, cancel, clock);
        const DatasetWriteResult result = saveWorkspaceFile(data, workspace, target.toStdString(), options);
        QMetaObject::invokeMethod(self, [self, cancel, result, target] {
            if (!self || self->cancel_ != cancel) {
                return;  // superseded, or the window is gone
            }
            self->finish();
            if (result.cancelled || cancel->load()) {
                Q_EMIT self->cancelled();
            } else if (!result.ok()) {
                Q_EMIT self->failed(QString::fromStdString(result.error));
            } else {
                Q_EMIT self->saved(target);
            }
        }, Qt::QueuedConnection);
    });
}

void WorkspaceSaver::cancel() {
    if (cancel_) {
        cancel_->store(true);
    }
}

void WorkspaceSaver::finish() {
    running_ = false;
    if (dialog_) {
        dialog_->reset();
        dialog_->hide();
    }
}

}  // namespace ps
