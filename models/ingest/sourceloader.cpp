#include "sourceloader.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "databasereader.h"
#include "databasesources.h"
#include "datasetbuilder.h"
#include "dbconnection.h"
#include "mappedfile.h"
#include "otlpjsonreader.h"
#include "pricingjson.h"
#include "requestlogreader.h"

namespace ps {
namespace {

namespace fs = std::filesystem;

constexpr double kReadShare = 0.85;  // of the progress bar; assembly takes the rest
constexpr size_t kHeadBytes = 64 * 1024;
// A database row weighs as much as this many bytes of a file on the progress bar (about a span's JSON).
constexpr uint64_t kRowWeight = 600;

struct FileEntry {
    std::string path;
    uint64_t size = 0;
    std::optional<db::Target> database;
};

// A database source, connected and described before reading starts so its rows count towards progress.
struct DatabaseEntry {
    std::string shown;  // the source without its password
    db::Target target;
    db::ConnectOptions options;
    std::unique_ptr<db::Connection> connection;
    DatabaseSchema schema;
    uint64_t rows = 0;
};

bool isDatabase(const std::string& path, const fs::file_status& st, std::optional<db::Target>* target) {
    if (fs::is_directory(st)) {
        return false;
    }
    *target = db::parseTarget(path);
    return target->has_value();
}

// Expands folders (recursively, sorted, hidden files skipped); a path that does not exist is an issue.
std::vector<FileEntry> expand(const std::vector<std::string>& paths, std::vector<ParseIssue>* problems) {
    std::vector<FileEntry> files;
    for (const auto& p : paths) {
        std::error_code ec;
        const fs::file_status st = fs::status(p, ec);
        if (std::optional<db::Target> target; isDatabase(p, st, &target)) {
            files.push_back({p, 0, target});  // a missing SQLite file is reported when it is opened
            continue;
        }
        if (ec || !fs::exists(st)) {
            problems->push_back({p, 0, "no such file or folder"});
            continue;
        }
        if (fs::is_directory(st)) {
            std::vector<FileEntry> inFolder;
            for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
                 !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
                const std::string name = it->path().filename().string();
                if (!name.empty() && name[0] == '.') {
                    if (it->is_directory()) {
                        it.disable_recursion_pending();
                    }
                    continue;
                }
                if (it->is_regular_file()) {
                    const std::string path = it->path().string();
                    inFolder.push_back({path, static_cast<uint64_t>(it->file_size()), db::parseTarget(path)});
                }
            }
            std::sort(inFolder.begin(), inFolder.end(),
                      [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
            if (inFolder.empty()) {
                problems->push_back({p, 0, "folder holds no files"});
            }
            files.insert(files.end(), inFolder.begin(), inFolder.end());
        } else {
            files.push_back({p, static_cast<uint64_t>(fs::file_size(p, ec)), std::nullopt});
        }
    }
    return files;
}

ReadOutcome readFile(const MappedFile& file, SourceFormat format, const ReadRequest& request, DatasetBuilder& builder) {
    switch (format) {
    case SourceFormat::OtlpJson:
        return readOtlpJson(file, request, builder);
    case SourceFormat::RequestLog:
        return readRequestLog(file, request, builder);
    default: {
        ReadOutcome outcome;
        outcome.error = std::string(formatName(format)) + " files are recognised but not read yet";
        return outcome;
    }
    }
}

}  // namespace

LoadResult loadSources(const std::vector<std::string>& paths, const LoadOptions& options) {
    LoadResult result;
    std::vector<ParseIssue> problems;
    const std::vector<FileEntry> files = expand(paths, &problems);
    std::vector<DatabaseEntry> databases(files.size());
    uint64_t totalBytes = 0;
    for (size_t i = 0; i < files.size(); ++i) {
        totalBytes += files[i].size;
        if (files[i].database) {
            DatabaseEntry& d = databases[i];
            d.shown = db::withoutPassword(files[i].path);
            d.target = *files[i].database;
            d.options.password = options.databasePassword;
            std::string error;
            d.connection = db::openConnection(d.target, d.options, &error);
            if (d.connection) {
                d.schema = detectSchema(*d.connection, options.customSelect);
                // A drill-down reads at most its limit: counting the whole (large) table would only slow it down.
                d.rows = d.schema.kind == DatabaseSchemaKind::Unknown ? 0
                         : options.databaseRows   ? options.databaseRows->limit
                                                  : countDatabaseRows(*d.connection, d.schema);
                totalBytes += d.rows * kRowWeight;
            } else {
                problems.push_back({d.shown, 0, error});
            }
        }
    }
    std::atomic<uint64_t> rowsDone{0};
    db::Connection* reading = nullptr;  // interrupted when the load is cancelled; guarded by readingMutex
    std::mutex readingMutex;
    DatasetBuilder builder(options.pricing ? options.pricing : bundledPricing());
    std::atomic<bool> cancel{false};
    std::atomic<uint64_t> bytesDone{0};
    std::atomic<bool> finished{false};
    size_t filesRead = 0;
    const unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());

    std::thread reader([&] {
        for (size_t i = 0; i < files.size(); ++i) {
            const FileEntry& entry = files[i];
            if (cancel.load()) {
                break;
            }
            if (entry.database) {
                DatabaseEntry& d = databases[i];
                if (!d.connection) {
                    continue;  // the connection error is already among the problems
                }
                if (d.schema.kind == DatabaseSchemaKind::Unknown) {
                    problems.push_back({d.shown, 0, d.schema.error});
                    continue;
                }
                const SourceIndex source = builder.addSource({d.shown, SourceFormat::Database, d.rows, 0});
                rememberDatabaseSource(d.shown, {d.target, d.options, d.schema});
                {
                    const std::lock_guard lock(readingMutex);
                    reading = d.connection.get();
                }
                const uint64_t before = rowsDone.load();
                DatabaseReadRequest request{source, d.shown, &cancel, &rowsDone};
                request.threads = threads;
                request.rowsExpected = d.rows;
                request.splitAboveRows = options.databaseSplitRows;
                request.subset = options.databaseRows.get();
                request.openAnother = [&d] {
                    std::string ignored;  // the first connection worked; a failure here reads on that one
                    return db::openConnection(d.target, d.options, &ignored);
                };
                const ReadOutcome outcome = readDatabase(*d.connection, d.schema, request, builder);
                {
                    const std::lock_guard lock(readingMutex);
                    reading = nullptr;
                }
                rowsDone = before + d.rows;
                if (!outcome.error.empty()) {
                    problems.push_back({d.shown, 0, outcome.error});
                } else if (!outcome.cancelled) {
                    ++filesRead;
                }
                d.connection.reset();
                continue;
            }
            MappedFile file;
            if (!file.open(entry.path)) {
                problems.push_back({entry.path, 0, file.error()});
                bytesDone += entry.size;
                continue;
            }
            const SourceFormat format =
                detectFormat(file.view().substr(0, std::min<uint64_t>(file.size(), kHeadBytes)));
            if (format == SourceFormat::Unknown) {
                problems.push_back({entry.path, 1,
                                    file.size() == 0 ? "empty file"
                                                     : "not a recognised trace format (expected OTLP/JSON or "
                                                       "request-log JSON Lines)"});
                bytesDone += entry.size;
                continue;
            }
            const SourceIndex source = builder.addSource({entry.path, format, file.size(), file.modifiedNs()});
            ReadRequest request{source, entry.path, threads, &cancel, &bytesDone, options.windowBytes};
            const uint64_t before = bytesDone.load();
            ReadOutcome outcome = readFile(file, format, request, builder);
            bytesDone = before + entry.size;
            if (!outcome.error.empty()) {
                problems.push_back({entry.path, 0, outcome.error});
            } else {
                ++filesRead;
            }
        }
        finished = true;
    });
    const auto report = [&](double fraction) {
        if (options.progress && !options.progress(fraction)) {
            cancel = true;
        }
        if (options.cancel && options.cancel->load()) {
            cancel = true;
        }
        if (cancel.load()) {
            const std::lock_guard lock(readingMutex);
            if (reading) {
                reading->interrupt();  // a query may be busy in the server before its first row
            }
        }
    };
    while (!finished.load()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(40));
        const uint64_t done = bytesDone.load() + rowsDone.load() * kRowWeight;
        report(totalBytes ? kReadShare * std::min(1.0, static_cast<double>(done) / static_cast<double>(totalBytes))
                          : kReadShare);
    }
    reader.join();
    if (cancel.load()) {
        result.cancelled = true;
        return result;
    }
    if (filesRead == 0) {
        std::string message;
        for (const auto& p : problems) {
            message += (message.empty() ? "" : "\n") + p.file + ": " + p.message;
        }
        result.error = message.empty() ? "no source given" : message;
        return result;
    }
    for (auto& p : problems) {
        builder.addIssue(std::move(p));
    }
    result.dataset = builder.build([&](double f) {
        report(kReadShare + (1.0 - kReadShare) * f);
        return !cancel.load();
    }, threads);
    if (!result.dataset) {
        result.cancelled = true;
    }
    return result;
}

}  // namespace ps
