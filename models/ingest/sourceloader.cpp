#include "sourceloader.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "datasetbuilder.h"
#include "mappedfile.h"
#include "otlpjsonreader.h"
#include "pricingjson.h"
#include "requestlogreader.h"

namespace ps {
namespace {

namespace fs = std::filesystem;

constexpr double kReadShare = 0.85;  // of the progress bar; assembly takes the rest
constexpr size_t kHeadBytes = 64 * 1024;

struct FileEntry {
    std::string path;
    uint64_t size = 0;
};

// Expands folders (recursively, sorted, hidden files skipped); a path that does not exist is an issue.
std::vector<FileEntry> expand(const std::vector<std::string>& paths, std::vector<ParseIssue>* problems) {
    std::vector<FileEntry> files;
    for (const auto& p : paths) {
        std::error_code ec;
        const fs::file_status st = fs::status(p, ec);
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
                    inFolder.push_back({it->path().string(), static_cast<uint64_t>(it->file_size())});
                }
            }
            std::sort(inFolder.begin(), inFolder.end(),
                      [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
            if (inFolder.empty()) {
                problems->push_back({p, 0, "folder holds no files"});
            }
            files.insert(files.end(), inFolder.begin(), inFolder.end());
        } else {
            files.push_back({p, static_cast<uint64_t>(fs::file_size(p, ec))});
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
    uint64_t totalBytes = 0;
    for (const auto& f : files) {
        totalBytes += f.size;
    }
    DatasetBuilder builder(options.pricing ? options.pricing : bundledPricing());
    std::atomic<bool> cancel{false};
    std::atomic<uint64_t> bytesDone{0};
    std::atomic<bool> finished{false};
    size_t filesRead = 0;
    const unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());

    std::thread reader([&] {
        for (const auto& entry : files) {
            if (cancel.load()) {
                break;
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
    };
    while (!finished.load()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(40));
        report(totalBytes ? kReadShare * static_cast<double>(bytesDone.load()) / static_cast<double>(totalBytes)
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
