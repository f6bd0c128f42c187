// A second thread kept alive for the analysis: a recompute hands it an independent part (half of the selection
// scan, the breakdowns) and goes on with the rest. Kept alive so that its scratch memory stays mapped between
// recomputes. One task at a time; concurrent recomputes queue on its mutex.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace ps {

class SideWorker {
public:
    static SideWorker& instance() {
        static SideWorker* worker = new SideWorker;  // never destroyed: its thread may wait until exit
        return *worker;
    }
    // Runs task on the side thread while the caller goes on; wait() blocks until it is done.
    void start(std::function<void()> task) {
        std::unique_lock lock(mutex_);
        idle_.wait(lock, [this] { return !task_ && !busy_; });
        task_ = std::move(task);
        busy_ = true;
        wake_.notify_one();
    }
    void wait() {
        std::unique_lock lock(mutex_);
        idle_.wait(lock, [this] { return !busy_; });
    }

private:
    SideWorker() : thread_([this] { run(); }) { thread_.detach(); }
    void run() {
        for (;;) {
            std::function<void()> task;
            {
                std::unique_lock lock(mutex_);
                wake_.wait(lock, [this] { return static_cast<bool>(task_); });
                task = std::move(task_);
                task_ = nullptr;
            }
            task();
            {
                std::lock_guard lock(mutex_);
                busy_ = false;
            }
            idle_.notify_all();
        }
    }

    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable idle_;
    std::function<void()> task_;
    bool busy_ = false;
    std::thread thread_;
};

}  // namespace ps
