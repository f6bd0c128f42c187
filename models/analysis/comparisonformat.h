// `promptscope compare` output: JSON in the shape the README documents, an aligned table for terminals, and
// Markdown for pull requests. Numbers in JSON are raw (rates as fractions, latency in ms, cost in USD).
#pragma once

#include <string>
#include <vector>

#include "releaserules.h"
#include "versioncomparison.h"

namespace ps {

struct ComparisonReport {
    std::string by;      // prompt_version, model, environment
    std::string prompt;  // empty when not restricted to one prompt
    std::string a;       // the values compared, as given ("42", "43")
    std::string b;
    VersionComparison comparison;
    std::vector<RuleResult> rules;
};

std::string formatComparisonJson(const ComparisonReport& report);
std::string formatComparisonTable(const ComparisonReport& report);
std::string formatComparisonMarkdown(const ComparisonReport& report);

// A metric's value as text for people, by unit: "2.41%", "1,204 ms" / "12.5 s", "$0.0183", "1,412", "0.412".
std::string formatMetricValue(MetricUnit unit, double v);
// A difference: percentage points for rates ("+2.7 pp"), the unit otherwise, with a sign.
std::string formatMetricDiff(MetricUnit unit, double v);
// "0.031", "0.00012", "<0.0001"; "-" for no p-value.
std::string formatPValue(double p);

}  // namespace ps
