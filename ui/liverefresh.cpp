#include "liverefresh.h"

#include <algorithm>

#include <QAction>
#include <QCoreApplication>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QPointer>
#include <QSettings>
#include <QThreadPool>
#include <QTimer>

namespace ps {
namespace {

const QString kIntervalKey = QStringLiteral("live/intervalSeconds");

QString clock(const QDateTime& t) {
    return t.toString(QStringLiteral("HH:mm:ss"));
}

}  // namespace

LiveRefresh::LiveRefresh(QObject* parent) : QObject(parent), timer_(new QTimer(this)) {
    qRegisterMetaType<ps::AppendSummary>();
    timer_->setSingleShot(true);
    connect(timer_, &QTimer::timeout, this, &LiveRefresh::pollNow);
    intervalSeconds_ = std::max(1, QSettings().value(kIntervalKey, kDefaultIntervalSeconds).toInt());

    pause_ = new QAction(tr("&Pause Live Refresh"), this);
    pause_->setCheckable(true);
    connect(pause_, &QAction::toggled, this, &LiveRefresh::setPaused);
    refreshNow_ = new QAction(tr("&Refresh Now"), this);
    refreshNow_->setShortcut(QKeySequence::Refresh);
    connect(refreshNow_, &QAction::triggered, this, &LiveRefresh::pollNow);
    interval_ = new QAction(tr("Refresh &Interval…"), this);
    updateActions();
}

LiveRefresh::~LiveRefresh() = default;

void LiveRefresh::watch(const QStringList& sources, DatasetPtr shown, const QString& customSelect) {
    std::vector<std::string> all;
    for (const QString& s : sources) {
        all.push_back(s.toStdString());
    }
    ++generation_;
    polling_ = false;
    timer_->stop();
    sources_ = live::liveSourcesOf(all, customSelect.toStdString());
    shown_ = std::move(shown);
    lastRefresh_ = {};
    lastFailure_ = {};
    lastError_.clear();
    lastNewRequests_ = 0;
    updateActions();
    schedule();
    Q_EMIT stateChanged();
}

bool LiveRefresh::isWatching() const {
    return std::any_of(sources_.begin(), sources_.end(), [](const live::LiveSource& s) { return s.refreshable(); });
}

QString LiveRefresh::notRefreshedReason() const {
    QStringList lines;
    for (const live::LiveSource& s : sources_) {
        if (!s.refreshable()) {
            lines << tr("%1 is not refreshed: %2")
                         .arg(QString::fromStdString(s.displayName), QString::fromStdString(s.notRefreshable));
        }
    }
    return lines.join(QLatin1Char('\n'));
}

void LiveRefresh::updateActions() {
    const QString why = isWatching()      ? QString()
                        : sources_.empty() ? tr("Only log databases are refreshed live: none is open "
                                                "(File > Connect to Database)")
                                           : notRefreshedReason();
    for (QAction* a : {pause_, refreshNow_, interval_}) {
        a->setEnabled(isWatching());
    }
    pause_->setToolTip(why.isEmpty() ? tr("Stop polling the database for new rows until resumed") : why);
    refreshNow_->setToolTip(why.isEmpty() ? tr("Read the rows written since the last poll now") : why);
    interval_->setToolTip(why.isEmpty() ? tr("How often the database is polled for new rows") : why);
}

void LiveRefresh::stop() {
    watch({}, nullptr);
}

void LiveRefresh::setPaused(bool paused) {
    if (paused == paused_) {
        return;
    }
    paused_ = paused;
    pause_->setChecked(paused);
    if (paused) {
        timer_->stop();
    } else {
        schedule();
    }
    Q_EMIT stateChanged();
}

void LiveRefresh::setIntervalSeconds(int seconds) {
    intervalSeconds_ = std::max(1, seconds);
    QSettings().setValue(kIntervalKey, intervalSeconds_);
    if (timer_->isActive()) {
        timer_->start(intervalSeconds_ * 1000);
    }
    Q_EMIT stateChanged();
}

void LiveRefresh::chooseInterval(QWidget* parent) {
    bool ok = false;
    const int seconds = QInputDialog::getInt(parent, tr("Live refresh"),
                                             tr("Poll the database for new rows every (seconds):"), intervalSeconds_,
                                             1, 3600, 1, &ok);
    if (ok) {
        setIntervalSeconds(seconds);
    }
}

void LiveRefresh::addActions(QMenu* menu, QWidget* window) {
    menu->setToolTipsVisible(true);  // a disabled entry says why live refresh is off
    menu->addAction(refreshNow_);
    menu->addAction(pause_);
    menu->addAction(interval_);
    connect(interval_, &QAction::triggered, window, [this, window] { chooseInterval(window); });
}

QLabel* LiveRefresh::createStatusLabel(QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setObjectName(QStringLiteral("liveStatus"));
    label->hide();
    connect(this, &LiveRefresh::stateChanged, label, [this, label] {
        label->setVisible(!sources_.empty());
        label->setText(statusText());
        label->setToolTip(statusToolTip());
        label->setStyleSheet(isPaused() || !isWatching() ? QStringLiteral("color: palette(mid);")
                                                         : QStringLiteral("color: #1a7f37;"));
    });
    return label;
}

void LiveRefresh::schedule() {
    if (isWatching() && !paused_ && !polling_) {
        timer_->start(intervalSeconds_ * 1000);
    }
}

void LiveRefresh::pollNow() {
    if (!isWatching() || polling_) {
        return;
    }
    timer_->stop();
    polling_ = true;
    Q_EMIT stateChanged();
    live::PollOptions options;
    options.pricing = pricing_;
    QPointer<LiveRefresh> self(this);
    QThreadPool::globalInstance()->start(
        [self, generation = generation_, sources = sources_, shown = shown_, options] {
            live::PollResult result = live::pollSources(shown, sources, options);
            QMetaObject::invokeMethod(
                QCoreApplication::instance(),
                [self, generation, result = std::move(result)]() mutable {
                    if (self) {
                        self->finishPoll(generation, std::move(result));
                    }
                },
                Qt::QueuedConnection);
        });
}

void LiveRefresh::finishPoll(quint64 generation, live::PollResult result) {
    if (generation != generation_) {
        return;  // other sources were loaded meanwhile
    }
    polling_ = false;
    ++pollsDone_;
    sources_ = std::move(result.sources);
    updateActions();  // a source found not refreshable is no longer polled
    const QDateTime now = QDateTime::currentDateTime();
    if (result.error.empty()) {
        lastRefresh_ = now;
        lastError_.clear();
    } else {
        lastFailure_ = now;
        lastError_ = QString::fromStdString(result.error);
    }
    lastNewRequests_ = result.appended.newRequests;
    if (result.dataset) {
        shown_ = result.dataset;
        Q_EMIT refreshed(result.dataset, result.appended);
    }
    schedule();
    Q_EMIT stateChanged();
}

QString LiveRefresh::statusText() const {
    if (sources_.empty()) {
        return {};
    }
    if (!isWatching()) {
        return tr("Not live");
    }
    if (paused_) {
        return tr("Paused");
    }
    if (!lastError_.isEmpty()) {
        return tr("Live · refresh failed at %1").arg(clock(lastFailure_));
    }
    if (lastRefresh_.isValid()) {
        return tr("Live · refreshed %1").arg(clock(lastRefresh_));
    }
    return polling_ ? tr("Live · reading…") : tr("Live · every %1 s").arg(intervalSeconds_);
}

QString LiveRefresh::statusToolTip() const {
    const QString notRefreshed = notRefreshedReason();
    if (!isWatching()) {
        return notRefreshed;
    }
    QStringList lines;
    for (const live::LiveSource& s : sources_) {
        if (s.refreshable()) {
            lines << QString::fromStdString(s.displayName);
        }
    }
    QString text = tr("Polling %1 every %2 s for new rows.").arg(lines.join(QStringLiteral(", "))).arg(intervalSeconds_);
    if (!notRefreshed.isEmpty()) {
        text += QLatin1Char('\n') + notRefreshed;
    }
    if (lastRefresh_.isValid()) {
        text += QLatin1Char('\n') + tr("Last poll: %n new request(s).", nullptr, static_cast<int>(lastNewRequests_));
    }
    if (!lastError_.isEmpty()) {
        text += QLatin1Char('\n') + lastError_;
    }
    text += QLatin1Char('\n') + tr("Data > Pause Live Refresh stops it; F5 polls now.");
    return text;
}

}  // namespace ps
