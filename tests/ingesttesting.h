// Helpers for reader tests: write bytes to a temporary file and load it through the public loader.
#pragma once

#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <string>

#include "sourceloader.h"

namespace ps::testing {

inline std::string samplePath(const char* name) {
    return std::string(PROMPTSCOPE_SAMPLES_DIR) + "/" + name;
}

inline LoadResult loadFiles(const std::vector<std::string>& paths, unsigned threads = 2) {
    LoadOptions options;
    options.threads = threads;
    return loadSources(paths, options);
}

// Writes text to `name` inside dir and returns the path.
inline std::string writeFile(const QTemporaryDir& dir, const std::string& name, const std::string& text) {
    const std::string path = dir.path().toStdString() + "/" + name;
    std::ofstream out(path, std::ios::binary);
    out << text;
    return path;
}

inline DatasetPtr loadText(const std::string& text, const std::string& name = "input.jsonl") {
    QTemporaryDir dir;
    const LoadResult r = loadFiles({writeFile(dir, name, text)});
    return r.dataset;
}

inline bool hasIssue(const Dataset& ds, uint64_t line, std::string_view fragment) {
    for (const auto& i : ds.issues) {
        if (i.line == line && i.message.find(fragment) != std::string::npos) {
            return true;
        }
    }
    return false;
}

}  // namespace ps::testing
