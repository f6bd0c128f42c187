#include "commandargs.h"

#include <cstdlib>
#include <iostream>

#include "commandline.h"
#include "pricingjson.h"

namespace ps::cli {

CommandArgs::CommandArgs(std::string command, const std::vector<std::string>& args)
    : command_(std::move(command)), args_(args) {}

bool CommandArgs::next() {
    if (started_) {
        ++at_;
    }
    started_ = true;
    return at_ < args_.size();
}

bool CommandArgs::value(std::string* out) {
    if (at_ + 1 >= args_.size()) {
        return false;
    }
    *out = args_[++at_];
    return true;
}

int CommandArgs::usageError(const std::string& message) const {
    std::cerr << "promptscope " << command_ << ": " << message << "\nRun 'promptscope --help' for usage.\n";
    return 1;
}

int CommandArgs::fail(const std::string& message) const {
    std::cerr << "promptscope " << command_ << ": " << message << "\n";
    return 1;
}

int CommandArgs::takeShared() {
    const std::string& a = arg();
    std::string v;
    if (a == "--pricing") {
        if (!value(&v)) {
            return usageError("--pricing needs a file");
        }
        std::string error;
        load_.pricing = loadPricingFile(v, &error);
        if (!load_.pricing) {
            return fail(error);
        }
    } else if (a == "--threads") {
        if (!value(&v) || std::atoi(v.c_str()) <= 0) {
            return usageError("--threads needs a positive number");
        }
        load_.threads = static_cast<unsigned>(std::atoi(v.c_str()));
    } else if (a == "--select") {
        if (!value(&load_.customSelect) || load_.customSelect.empty()) {
            return usageError("--select needs a SELECT statement");
        }
    } else if (a == "--help" || a == "-h") {
        std::cout << kUsage;
        return 0;
    } else if (a.size() > 1 && a[0] == '-') {
        return usageError("unknown option " + a);
    } else {
        sources_.push_back(a);
    }
    return kTaken;
}

DatasetPtr CommandArgs::load() {
    if (sources_.empty()) {
        (void)usageError("no SOURCE given");
        return nullptr;
    }
    const LoadResult loaded = loadSources(sources_, load_);
    if (!loaded.dataset) {
        (void)fail("could not read the sources:\n" + loaded.error);
    }
    return loaded.dataset;
}

}  // namespace ps::cli
