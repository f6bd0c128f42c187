// The command-line side of the promptscope executable: usage text, argument parsing shared by subcommands,
// and the `report`, `compare`, `outliers` and `import` subcommands. Nothing here needs a window.
#pragma once

#include <string>
#include <vector>

namespace ps::cli {

extern const char* const kUsage;

// Runs `promptscope report ...` (args exclude the program and subcommand names). Returns the exit code.
int runReport(const std::vector<std::string>& args);

// Runs `promptscope compare ...`: exit code 0, 2 when a release rule fails, 1 on bad arguments or data.
int runCompare(const std::vector<std::string>& args);
// Runs `promptscope outliers ...` (args exclude the program and subcommand names). Returns the exit code.
int runOutliers(const std::vector<std::string>& args);

// Runs `promptscope import SOURCE... --db PATH|URI [--replace] [--no-records]`: exit code 0, or 1 on bad
// arguments, unreadable sources, existing data without --replace, a failed write or a cancel.
int runImport(const std::vector<std::string>& args);

// Runs `promptscope --screenshot OUT.png ...` (args exclude the program name; the first is --screenshot).
// Creates its own QApplication (offscreen when there is no display). Returns the exit code.
int runScreenshot(int argc, char** argv);

}  // namespace ps::cli
