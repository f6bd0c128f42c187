// promptscope compare: two versions of a prompt (or two models, or two environments) side by side with
// confidence intervals, p-values and verdicts, and the release rules; exit code 2 when a rule fails, so a team
// can gate a release in CI.
#include <QDateTime>

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "commandargs.h"
#include "commandline.h"
#include "comparisonformat.h"
#include "comparisonplan.h"
#include "query.h"
#include "selection.h"
#include "sourceloader.h"

namespace ps::cli {
namespace {

std::vector<std::string> splitComma(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        out.push_back(item);
    }
    return out;
}

bool number(const std::string& text, double* out) {
    char* end = nullptr;
    *out = std::strtod(text.c_str(), &end);
    return !text.empty() && end == text.c_str() + text.size() && std::isfinite(*out);
}

}  // namespace

int runCompare(const std::vector<std::string>& args) {
    std::string prompt;
    std::vector<std::string> values;
    std::string by = "prompt_version";
    std::string format = "table";
    std::string query;
    ReleaseRuleSettings rules;
    CommandArgs in("compare", args);
    while (in.next()) {
        const std::string& a = in.arg();
        std::string v;
        double x = 0;
        if (a == "--prompt") {
            if (!in.value(&prompt) || prompt.empty()) {
                return in.usageError("--prompt needs a prompt name");
            }
        } else if (a == "--versions") {
            if (!in.value(&v) || (values = splitComma(v)).size() != 2 || values[0].empty() || values[1].empty()) {
                return in.usageError("--versions needs two values separated by a comma, the baseline first: 42,43");
            }
        } else if (a == "--by") {
            if (!in.value(&by) || (by != "prompt_version" && by != "model" && by != "environment")) {
                return in.usageError("--by needs prompt_version, model or environment");
            }
        } else if (a == "--format") {
            if (!in.value(&format) || (format != "table" && format != "json" && format != "markdown")) {
                return in.usageError("--format needs table, json or markdown");
            }
        } else if (a == "--query") {
            if (!in.value(&query)) {
                return in.usageError("--query needs a query");
            }
        } else if (a == "--max-failure-ratio") {
            if (!in.value(&v) || !number(v, &x) || x <= 0) {
                return in.usageError("--max-failure-ratio needs a positive number, e.g. 2");
            }
            rules.failureRatio = x;
        } else if (a == "--min-requests") {
            if (!in.value(&v) || !number(v, &x) || x < 0) {
                return in.usageError("--min-requests needs a number of requests, e.g. 200");
            }
            rules.failureMinRequests = static_cast<uint64_t>(x);
        } else if (a == "--max-p95-cost-increase") {
            if (!in.value(&v) || !number(v, &x) || x < 0) {
                return in.usageError("--max-p95-cost-increase needs a fraction, e.g. 0.5 for +50%");
            }
            rules.costP95Increase = x;
        } else if (a == "--min-eval-pass-rate") {
            if (!in.value(&v) || !number(v, &x) || x < 0 || x > 1) {
                return in.usageError("--min-eval-pass-rate needs a fraction between 0 and 1, e.g. 0.92");
            }
            rules.minEvalPassRate = x;
        } else if (const int code = in.takeShared(); code != CommandArgs::kTaken) {
            return code;
        }
    }
    if (in.sources().empty()) {
        return in.usageError("no SOURCE given");
    }
    if (by == "prompt_version" && prompt.empty()) {
        return in.usageError("--prompt is needed to compare versions");
    }
    if (by != "prompt_version" && values.empty()) {
        return in.usageError("--versions needs the two " + std::string(by == "model" ? "models" : "environments") +
                          " to compare");
    }
    Filter base;
    if (!query.empty()) {
        const auto parsed = parseQuery(query, QDateTime::currentDateTimeUtc().toMSecsSinceEpoch() * 1000000);
        if (const auto* error = std::get_if<QueryError>(&parsed)) {
            return in.usageError("bad --query at byte " + std::to_string(error->position) + ": " + error->message);
        }
        base = std::get<Filter>(parsed);
    }
    const DatasetPtr data = in.load();
    if (!data) {
        return 1;
    }
    const Dataset& d = *data;
    if (values.empty()) {
        const std::vector<std::string> versions = versionsNewestFirst(d, prompt);
        if (versions.size() < 2) {
            std::cerr << "promptscope compare: prompt '" << prompt << "' has " << versions.size()
                      << " version(s) in the data; give two with --versions\n";
            return 1;
        }
        values = {versions[1], versions[0]};
    }
    ComparisonSpec spec;
    spec.by = by == "model" ? CompareBy::Model : by == "environment" ? CompareBy::Environment : CompareBy::PromptVersion;
    spec.prompt = prompt;
    spec.values = values;
    const FacetIndex index = buildFacetIndex(d);
    std::vector<ComparisonSide> sides;
    for (ComparisonArm& arm : comparisonArms(spec, base)) {
        Selection s = selectRequests(d, index, arm.filter, nullptr, false);
        if (s.requests.empty()) {
            std::cerr << "promptscope compare: no requests for " << arm.label
                      << (prompt.empty() ? std::string() : " of prompt '" + prompt + "'") << "\n";
            return 1;
        }
        sides.push_back(readComparisonSide(d, arm.label, std::move(s.requests)));
    }
    ComparisonReport report;
    report.by = by;
    report.prompt = prompt;
    report.a = values[0];
    report.b = values[1];
    report.comparison = compareSides(sides[0], sides[1]);
    report.rules = checkReleaseRules(report.comparison, rules);
    if (format == "json") {
        std::cout << formatComparisonJson(report) << "\n";
    } else if (format == "markdown") {
        std::cout << formatComparisonMarkdown(report);
    } else {
        std::cout << formatComparisonTable(report);
    }
    return anyRuleFailed(report.rules) ? 2 : 0;
}

}  // namespace ps::cli
