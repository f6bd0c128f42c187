// Progress of work running on the thread pool, relayed to the job object that started it (on the GUI thread):
// at most every 100 ms, with an estimate of the time left once there is enough of a rate to be meaningful, and
// nothing once the job is cancelled or gone. The callback returns false to ask the work to stop.
#pragma once

#include <QElapsedTimer>
#include <QMetaObject>
#include <QPointer>

#include <atomic>
#include <memory>

namespace ps {

// Job: a QObject with a signal progress(double fraction, double secondsLeft) (secondsLeft < 0: no estimate yet).
template <typename Job>
auto relayProgress(QPointer<Job> job, std::shared_ptr<std::atomic<bool>> cancel, QElapsedTimer clock) {
    // Shared by the copies the work may make, and atomic since readers may report from several threads.
    auto lastReport = std::make_shared<std::atomic<qint64>>(-1000);
    return [job, cancel, clock, lastReport](double fraction) {
        const qint64 now = clock.elapsed();
        qint64 last = lastReport->load();
        if (now - last >= 100 && job && lastReport->compare_exchange_strong(last, now)) {
            const double left = fraction > 0.05 && now > 300 ? now / 1000.0 * (1.0 - fraction) / fraction : -1.0;
            QMetaObject::invokeMethod(job, [job, cancel, fraction, left] {
                if (job && !cancel->load()) {
                    Q_EMIT job->progress(fraction, left);
                }
            }, Qt::QueuedConnection);
        }
        return !cancel->load();
    };
}

}  // namespace ps
