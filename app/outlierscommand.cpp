// promptscope outliers: the requests that stand out in the sources by one metric, worst first, with where each
// sits in its feature's distribution.
#include <cstdlib>
#include <iostream>

#include "commandargs.h"
#include "commandline.h"
#include "outlierformat.h"
#include "outliers.h"
#include "query.h"
#include "sourceloader.h"

namespace ps::cli {
int runOutliers(const std::vector<std::string>& args) {
    OutlierKind kind = OutlierKind::Slowest;
    bool haveMetric = false;
    OutlierOptions options;
    options.limit = 20;
    std::string format = "table";
    std::string query;
    CommandArgs in("outliers", args);
    while (in.next()) {
        const std::string& a = in.arg();
        std::string v;
        if (a == "--metric") {
            if (!in.value(&v) || !parseOutlierMetric(v, &kind)) {
                return in.usageError("--metric needs one of latency, cost, tokens, score, retries, tool_calls");
            }
            haveMetric = true;
        } else if (a == "--limit") {
            char* end = nullptr;
            if (!in.value(&v) || (options.limit = std::strtoul(v.c_str(), &end, 10)) == 0 || *end != '\0' ||
                v[0] == '-') {
                return in.usageError("--limit needs a positive number");
            }
        } else if (a == "--format") {
            if (!in.value(&format) || (format != "table" && format != "json")) {
                return in.usageError("--format needs table or json");
            }
        } else if (a == "--query") {
            if (!in.value(&query)) {
                return in.usageError("--query needs a query");
            }
        } else if (const int code = in.takeShared(); code != CommandArgs::kTaken) {
            return code;
        }
    }
    if (!haveMetric) {
        return in.usageError("--metric is required (latency, cost, tokens, score, retries, tool_calls)");
    }
    const DatasetPtr data = in.load();
    if (!data) {
        return 1;
    }
    const Dataset& d = *data;
    Filter filter;
    if (!query.empty()) {
        // last:24h counts back from the data's last request, the time an export is about.
        const int64_t now = d.requestCount() ? d.requests.startNs.back() : 0;
        const auto parsed = parseQuery(query, now);
        if (const auto* error = std::get_if<QueryError>(&parsed)) {
            return in.usageError("bad --query at byte " + std::to_string(error->position) + ": " + error->message);
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
