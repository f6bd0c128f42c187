// promptscope: the window, or a command when the first argument names one.
#include <QApplication>
#include <QStringList>

#include <cstring>
#include <iostream>

#include "commandline.h"
#include "mainwindow.h"

namespace {

bool cpuSupported() {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("pclmul");
#else
    return true;
#endif
}

}  // namespace

int main(int argc, char** argv) {
    if (!cpuSupported()) {
        std::cerr << "promptscope: this build needs an x86-64 CPU with AVX2 (2013 or newer).\n";
        return 1;
    }
    if (argc >= 2) {
        const std::string_view first = argv[1];
        if (first == "--help" || first == "-h" || first == "help") {
            std::cout << ps::cli::kUsage;
            return 0;
        }
        if (first == "--version") {
            std::cout << "promptscope " PROMPTSCOPE_VERSION "\n";
            return 0;
        }
        if (first == "report") {
            return ps::cli::runReport(std::vector<std::string>(argv + 2, argv + argc));
        }
        if (first == "compare") {
            return ps::cli::runCompare(std::vector<std::string>(argv + 2, argv + argc));
        }
        if (first == "import") {
            return ps::cli::runImport(std::vector<std::string>(argv + 2, argv + argc));
        }
        if (first == "outliers") {
            return ps::cli::runOutliers(std::vector<std::string>(argv + 2, argv + argc));
        }
        for (int i = 1; i < argc; ++i) {
            if (std::strcmp(argv[i], "--screenshot") == 0) {
                return ps::cli::runScreenshot(argc, argv);
            }
        }
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("PromptScope"));
    QApplication::setOrganizationName(QStringLiteral("PromptScope"));
    QApplication::setApplicationVersion(QStringLiteral(PROMPTSCOPE_VERSION));
    ps::MainWindow window;
    window.show();
    QStringList sources = QApplication::arguments().mid(1);
    // --aggregate-above N: databases with more rows than N are aggregated in place (default: the settings').
    if (const auto at = sources.indexOf(QStringLiteral("--aggregate-above")); at >= 0 && at + 1 < sources.size()) {
        ps::DatabaseAggregateEngine::setThresholdOverride(sources.at(at + 1).toULongLong());
        sources.remove(at, 2);
    }
    if (sources.isEmpty()) {
        window.openDemo();
    } else {
        window.openSources(sources);
    }
    return QApplication::exec();
}
