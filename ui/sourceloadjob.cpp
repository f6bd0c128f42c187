#include "sourceloadjob.h"

#include <QPointer>
#include <QThreadPool>

#include <utility>

#include "progressrelay.h"
#include "sourceloader.h"

namespace ps {

SourceLoadJob::SourceLoadJob(QObject* parent) : QObject(parent) {
    qRegisterMetaType<ps::DatasetPtr>();
}

SourceLoadJob::~SourceLoadJob() {
    if (cancel_) {
        cancel_->store(true);
    }
}

void SourceLoadJob::start(const QStringList& paths, const QString& customSelect) {
    if (cancel_) {
        cancel_->store(true);  // a newer load supersedes the running one
    }
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    running_ = true;
    customSelect_ = customSelect;
    clock_.start();
    std::vector<std::string> files;
    for (const QString& p : paths) {
        files.push_back(p.toStdString());
    }
    QPointer<SourceLoadJob> self(this);
    auto cancel = cancel_;
    const QElapsedTimer clock = clock_;
    QThreadPool::globalInstance()->start([self, cancel, files, paths, clock, pricing = pricing_,
                                          subset = std::exchange(subset_, nullptr),
                                          select = customSelect.toStdString()] {
        LoadOptions options;
        options.pricing = pricing;
        options.databaseRows = subset;
        options.customSelect = select;
        options.cancel = cancel.get();
        options.progress = relayProgress(self, cancel, clock);
        LoadResult result = loadSources(files, options);
        if (!self) {
            return;
        }
        QMetaObject::invokeMethod(self, [self, cancel, result = std::move(result), paths, clock] {
            if (!self || self->cancel_ != cancel) {
                return;  // superseded or the window is gone
            }
            self->running_ = false;
            if (result.cancelled || cancel->load()) {
                Q_EMIT self->cancelled();
            } else if (!result.dataset) {
                Q_EMIT self->failed(QString::fromStdString(result.error));
            } else {
                Q_EMIT self->loaded(result.dataset, paths, clock.elapsed());
            }
        }, Qt::QueuedConnection);
    });
}

void SourceLoadJob::cancel() {
    if (cancel_) {
        cancel_->store(true);
    }
    if (running_) {
        running_ = false;
        Q_EMIT cancelled();
    }
}

}  // namespace ps
