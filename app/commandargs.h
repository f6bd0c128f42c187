// A data command's arguments (report, compare, outliers), read one at a time. The command handles its own
// options; what every data command shares is taken here: --pricing FILE, --threads N, --select SQL, --help, unknown
// options, the SOURCE files, their loading, and the error messages, which all name the command.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sourceloader.h"

namespace ps::cli {

class CommandArgs {
public:
    static constexpr int kTaken = -1;  // takeShared(): the argument was one of the shared ones; go on

    CommandArgs(std::string command, const std::vector<std::string>& args);

    // Moves to the next argument; false after the last.
    bool next();
    [[nodiscard]] const std::string& arg() const { return args_[at_]; }
    [[nodiscard]] bool is(std::string_view option) const { return arg() == option; }
    // The argument after the current option, consumed; false when there is none.
    bool value(std::string* out);

    // Prints "promptscope COMMAND: message" and where to read the usage; returns the exit code 1.
    [[nodiscard]] int usageError(const std::string& message) const;
    // Prints "promptscope COMMAND: message"; returns 1.
    [[nodiscard]] int fail(const std::string& message) const;

    // --pricing, --threads, --help, an unknown option or a SOURCE: kTaken, or the exit code to return now.
    int takeShared();
    [[nodiscard]] const std::vector<std::string>& sources() const { return sources_; }
    LoadOptions& loadOptions() { return load_; }
    // The sources loaded with the shared options; null (with the reason printed) when none were given or none
    // could be read.
    DatasetPtr load();

private:
    std::string command_;
    const std::vector<std::string>& args_;
    size_t at_ = 0;
    bool started_ = false;
    std::vector<std::string> sources_;
    LoadOptions load_;
};

}  // namespace ps::cli
