// promptscope outliers: the requests that stand out in the sources by one metric, worst first, with where each
// sits in its feature's distribution.
#include <cstdlib>
#include <iostream>

#include "commandline.h"
#include "outlierformat.h"
#include "outliers.h"
#include "pricingjson.h"
#include "query.h"
#include "sourceloader.h"

namespace ps::cli {
namespace {

int usageError(const std::string& message) {
    std::cerr << "promptscope outliers: " << message << "\nRun 'promptscope --help' for usage.\n";
    return 1;
}

}  // namespace

int runOutliers(const std::vector<std::string>& args) {
    OutlierKind kind = OutlierKind::Slowest;
    bool haveMetric = false;
    OutlierOptions options;
    options.limit = 20;
    std::string format = "table";
    std::string query;
    std::vector<std::string> sources;
    LoadOptions load;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](std::string* out) {
            if (i + 1 >= args.size()) {
                return false;
            }
            *out = args[++i];
            return true;
        };
        std::string v;
        if (a == "--metric") {
            if (!value(&v) || !parseOutlierMetric(v, &kind)) {
                return usageError("--metric needs one of latency, cost, tokens, score, retries, tool_calls");
            }
            haveMetric = true;
        } else if (a == "--limit") {
            char* end = nullptr;
            if (!value(&v) || (options.limit = std::strtoul(v.c_str(), &end, 10)) == 0 || *end != '\0' ||
                v[0] == '-') {
                return usageError("--limit needs a positive number");
            }
        } else if (a == "--format") {
            if (!value(&format) || (format != "table" && format != "json")) {
                return usageError("--format needs table or json");
            }
        } else if (a == "--query") {
            if (!value(&query)) {
                return usageError("--query needs a query");
            }
        } else if (a == "--pricing") {
            std::string error;
            if (!value(&v)) {
                return usageError("--pricing needs a file");
            }
            load.pricing = loadPricingFile(v, &error);
            if (!load.pricing) {
                std::cerr << "promptscope outliers: " << error << "\n";
                return 1;
            }
        } else if (a == "--help" || a == "-h") {
            std::cout << kUsage;
            return 0;
        } else if (a.size() > 1 && a[0] == '-') {
            return usageError("unknown option " + a);
        } else {
            sources.push_back(a);
        }
    }
    if (!haveMetric) {
        return usageError("--metric is required (latency, cost, tokens, score, retries, tool_calls)");
    }
    if (sources.empty()) {
        return usageError("no SOURCE given");
    }
    const LoadResult loaded = loadSources(sources, load);
    if (!loaded.dataset) {
        std::cerr << "promptscope outliers: could not read the sources:\n" << loaded.error << "\n";
        return 1;
    }
    const Dataset& d = *loaded.dataset;
    Filter filter;
    if (!query.empty()) {
        // last:24h counts back from the data's last request, the time an export is about.
        const int64_t now = d.requestCount() ? d.requests.startNs.back() : 0;
        const auto parsed = parseQuery(query, now);
        if (const auto* error = std::get_if<QueryError>(&parsed)) {
            return usageError("bad --query at byte " + std::to_string(error->position) + ": " + error->message);
        }
        filter = std::get<Filter>(parsed);
    }
    const FacetIndex index = buildFacetIndex(d);
    const Selection selection = selectRequests(d, index, filter, nullptr, false);
    const OutlierTable table = computeOutlierTable(d, index, selection, kind, options);
    if (format == "json") {
        std::cout << formatOutliersJson(d, table, selection.requests.size()) << "\n";
    } else {
        std::cout << formatOutliersTable(d, table, selection.requests.size());
    }
    return 0;
}

}  // namespace ps::cli
