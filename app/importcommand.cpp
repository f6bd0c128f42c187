// promptscope import: loads the sources and saves them into PromptScope's own tables in a SQLite file or a
// PostgreSQL database, all or nothing (see datasetimport.h), with progress on stderr. Ctrl+C cancels: the
// target is left as it was.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>

#include "commandargs.h"
#include "commandline.h"
#include "datasetimport.h"
#include "dbconnection.h"
#include "sqliteconnection.h"

namespace ps::cli {
namespace {

std::atomic<bool> gInterrupted{false};

extern "C" void onInterrupt(int /*signal*/) {
    gInterrupted = true;
    std::signal(SIGINT, SIG_DFL);  // a second Ctrl+C ends the process at once
}

// "reading  42%" on one line rewritten in place on a terminal; every tenth on separate lines otherwise.
class StderrProgress {
public:
    explicit StderrProgress(const char* stage) : stage_(stage), terminal_(isatty(STDERR_FILENO) != 0) {}
    ~StderrProgress() {
        if (terminal_ && shown_ >= 0) {
            std::fprintf(stderr, "\n");
        }
    }
    StderrProgress(const StderrProgress&) = delete;
    StderrProgress& operator=(const StderrProgress&) = delete;

    bool operator()(double fraction) {
        const int percent = static_cast<int>(fraction * 100);
        const int step = terminal_ ? 1 : 10;
        if (percent / step != shown_ / step) {
            shown_ = percent;
            std::fprintf(stderr, terminal_ ? "\r%s %3d%%" : "%s %3d%%\n", stage_, percent);
            std::fflush(stderr);
        }
        return !gInterrupted.load();
    }

private:
    const char* stage_;
    bool terminal_;
    int shown_ = -1;
};

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int runImport(const std::vector<std::string>& args) {
    db::SqliteConnection::disableMemoryStatistics();  // nothing has used SQLite yet in this process
    std::string target;
    DatasetImportOptions options;
    options.writtenBy = "promptscope " PROMPTSCOPE_VERSION " import";
    CommandArgs in("import", args);
    while (in.next()) {
        if (in.is("--db")) {
            if (!in.value(&target)) {
                return in.usageError("--db needs a SQLite path or a postgresql:// URI");
            }
        } else if (in.is("--replace")) {
            options.replace = true;
        } else if (in.is("--no-records")) {
            options.withRecords = false;
        } else if (const int code = in.takeShared(); code != CommandArgs::kTaken) {
            return code;
        }
    }
    if (target.empty()) {
        return in.usageError("--db PATH|URI is required");
    }
    if (const std::string problem = importTargetProblem(target, options.replace); !problem.empty()) {
        return in.fail(problem);
    }
    std::signal(SIGINT, onInterrupt);
    const auto start = std::chrono::steady_clock::now();
    DatasetPtr data;
    {
        StderrProgress reading("reading  ");
        in.loadOptions().progress = [&reading](double f) { return reading(f); };
        data = in.load();
    }
    if (gInterrupted.load()) {
        return in.fail("cancelled; nothing was written");
    }
    if (!data) {
        return 1;
    }
    const double loadSeconds = secondsSince(start);
    const auto writeStart = std::chrono::steady_clock::now();
    DatasetWriteResult result;
    {
        StderrProgress writing("writing  ");
        options.progress = [&writing](double f) { return writing(f); };
        options.cancel = &gInterrupted;
        result = importDataset(data, target, options);
    }
    if (result.cancelled || gInterrupted.load()) {
        return in.fail("cancelled; " + db::withoutPassword(target) + " was left as it was");
    }
    if (!result.error.empty()) {
        return in.fail(result.error);
    }
    const double writeSeconds = secondsSince(writeStart);
    std::fprintf(stderr,
                 "imported %zu requests, %llu spans and %llu records (%.1f MB) into %s: read in %.2f s, written "
                 "in %.2f s (%.0f spans/s)\n",
                 data->requestCount(), static_cast<unsigned long long>(result.spans),
                 static_cast<unsigned long long>(result.records), static_cast<double>(result.recordBytes) / 1e6,
                 db::withoutPassword(target).c_str(), loadSeconds, writeSeconds,
                 writeSeconds > 0 ? static_cast<double>(result.spans) / writeSeconds : 0.0);
    return 0;
}

}  // namespace ps::cli
