// Live refresh of database sources: every N seconds (default 10, remembered), unless paused, a poll on the thread
// pool reads the rows past each source's high-water mark and appends them to the snapshot (live::pollSources);
// the window then shows the new snapshot with its filters kept. Polls never overlap: the next one is scheduled
// when the last one is back. Loading other sources supersedes a running poll (its result is dropped). A source
// whose new rows cannot be told from the old ones is not polled; when no source can be, the window says
// "Not live" and the Data menu's entries are disabled, their tooltips saying why.
#pragma once

#include <QDateTime>
#include <QObject>
#include <QStringList>

#include <memory>
#include <vector>

#include "datasetappend.h"
#include "livepoll.h"
#include "pricingtable.h"
#include "sourceloadjob.h"  // declares ps::DatasetPtr to Qt's type system, for the refreshed signal

class QAction;
class QLabel;
class QMenu;
class QTimer;
class QWidget;

namespace ps {

class LiveRefresh : public QObject {
    Q_OBJECT

public:
    static constexpr int kDefaultIntervalSeconds = 10;

    explicit LiveRefresh(QObject* parent = nullptr);
    ~LiveRefresh() override;

    // Watches the database sources among `sources` (files are not polled), read through customSelect when it is
    // not empty; `shown` is the snapshot on screen, which may be null: then the first poll reads every row.
    void watch(const QStringList& sources, DatasetPtr shown, const QString& customSelect = {});
    void stop();
    // True while at least one database source is polled.
    [[nodiscard]] bool isWatching() const;
    // Why the database sources that are not polled cannot be ("name: reason" a line); empty when all can.
    [[nodiscard]] QString notRefreshedReason() const;

    void setPaused(bool paused);
    [[nodiscard]] bool isPaused() const { return paused_; }
    void setIntervalSeconds(int seconds);
    [[nodiscard]] int intervalSeconds() const { return intervalSeconds_; }
    void setPricing(std::shared_ptr<const PricingTable> pricing) { pricing_ = std::move(pricing); }
    // Polls now (unless one is running), whatever the timer says.
    void pollNow();

    // "Live · refreshed 12:03:04", "Paused", "Live · refresh failed at 12:03:04", "Not live" when no database
    // source can be refreshed; empty when there is none.
    [[nodiscard]] QString statusText() const;
    [[nodiscard]] QString statusToolTip() const;
    [[nodiscard]] QDateTime lastRefresh() const { return lastRefresh_; }
    [[nodiscard]] quint64 pollsDone() const { return pollsDone_; }

    QAction* pauseAction() const { return pause_; }
    QAction* refreshNowAction() const { return refreshNow_; }
    QAction* intervalAction() const { return interval_; }
    // Asks for the interval in a small dialog over `parent` and remembers it.
    void chooseInterval(QWidget* parent);
    // The Data menu's entries: Refresh Now, Pause, Refresh Interval (its dialog over `window`).
    void addActions(QMenu* menu, QWidget* window);
    // A status-bar label that follows the state ("liveStatus"), hidden while nothing is watched.
    QLabel* createStatusLabel(QWidget* parent);

Q_SIGNALS:
    // A newer snapshot of the same sources; `appended` says what the poll brought.
    void refreshed(ps::DatasetPtr dataset, const ps::AppendSummary& appended);
    void stateChanged();

private:
    void schedule();
    // Enables the menu entries while a source is polled; otherwise their tooltips say why none is.
    void updateActions();
    void finishPoll(quint64 generation, live::PollResult result);

    std::vector<live::LiveSource> sources_;
    DatasetPtr shown_;
    std::shared_ptr<const PricingTable> pricing_;
    QTimer* timer_;
    QAction* pause_;
    QAction* refreshNow_;
    QAction* interval_;
    int intervalSeconds_ = kDefaultIntervalSeconds;
    bool paused_ = false;
    bool polling_ = false;
    quint64 generation_ = 0;  // bumped by watch/stop: a poll of an older generation is dropped
    quint64 pollsDone_ = 0;
    QDateTime lastRefresh_;
    QDateTime lastFailure_;
    QString lastError_;
    uint64_t lastNewRequests_ = 0;
};

}  // namespace ps

Q_DECLARE_METATYPE(ps::AppendSummary)
