#include "versionsanalysis.h"
#include "versionlabel.h"

#include <algorithm>
#include <unordered_map>

namespace ps {
namespace {

StringId idOf(const Dataset& d, std::string_view text) {
    return d.strings.find(text).value_or(StringId{});
}

bool stopped(const std::atomic<bool>* cancel) {
    return cancel && cancel->load(std::memory_order_relaxed);
}

// The timeline of versions of a prompt: all its requests under the base filter, grouped by version (oldest
// first, the most frequent kMaxTimelineGroups of them).
ReleaseTimeline versionTimeline(const Dataset& d, const FacetIndex& index, const ComparisonSpec& spec,
                                const Filter& base, const std::atomic<bool>* cancel) {
    Filter all = base;
    all.of(Dimension::PromptName) = {spec.prompt};
    all.of(Dimension::PromptVersion).clear();
    const Selection selection = selectRequests(d, index, all, cancel, false);
    std::vector<std::string> versions = versionsNewestFirst(d, spec.prompt);
    std::unordered_map<uint32_t, uint64_t> counts;
    for (uint32_t r : selection.requests) {
        ++counts[d.requests.promptVersion[r].value];
    }
    std::vector<std::string> present;
    for (const std::string& v : versions) {
        const StringId id = idOf(d, v);
        if (!id.isEmpty() && counts[id.value] > 0) {
            present.push_back(v);
        }
    }
    if (present.size() > kMaxTimelineGroups) {
        std::stable_sort(present.begin(), present.end(), [&](const std::string& x, const std::string& y) {
            return counts[idOf(d, x).value] > counts[idOf(d, y).value];
        });
        present.resize(kMaxTimelineGroups);
        std::vector<std::string> ordered;
        for (const std::string& v : versions) {
            if (std::find(present.begin(), present.end(), v) != present.end()) {
                ordered.push_back(v);
            }
        }
        present = std::move(ordered);
    }
    std::reverse(present.begin(), present.end());  // oldest first
    std::unordered_map<uint32_t, uint32_t> groupOf;
    std::vector<std::string> labels;
    for (const std::string& v : present) {
        groupOf[idOf(d, v).value] = static_cast<uint32_t>(labels.size());
        labels.push_back(versionLabel(v));
    }
    std::vector<uint32_t> group(selection.requests.size(), kNoGroup);
    for (size_t i = 0; i < selection.requests.size(); ++i) {
        const auto it = groupOf.find(d.requests.promptVersion[selection.requests[i]].value);
        if (it != groupOf.end()) {
            group[i] = it->second;
        }
    }
    return computeReleaseTimeline(d, selection.requests, group, std::move(labels), deploymentsOf(d, spec.prompt),
                                  cancel);
}

// The timeline of the sides themselves (environments, models): their union, grouped by side.
ReleaseTimeline sideTimeline(const Dataset& d, const std::vector<ComparisonSide>& sides, const std::string& prompt,
                             const std::atomic<bool>* cancel) {
    std::vector<std::pair<uint32_t, uint32_t>> rows;  // (request, side)
    std::vector<std::string> labels;
    for (size_t k = 0; k < sides.size(); ++k) {
        labels.push_back(sides[k].label);
        for (uint32_t r : sides[k].requests) {
            rows.emplace_back(r, static_cast<uint32_t>(k));
        }
    }
    std::sort(rows.begin(), rows.end());  // request rows are in start order
    std::vector<uint32_t> requests;
    std::vector<uint32_t> group;
    for (const auto& [r, k] : rows) {
        requests.push_back(r);
        group.push_back(k);
    }
    return computeReleaseTimeline(d, requests, group, std::move(labels), deploymentsOf(d, prompt), cancel);
}

}  // namespace

VersionsAnalysis analyseVersions(const Dataset& d, const FacetIndex& index, const ComparisonSpec& spec,
                                 const Filter& base, const ComparisonOptions& options,
                                 const std::atomic<bool>* cancel) {
    VersionsAnalysis a;
    a.spec = spec;
    a.base = base;
    a.arms = comparisonArms(spec, base);
    for (const ComparisonArm& arm : a.arms) {
        Selection s = selectRequests(d, index, arm.filter, cancel, false);
        a.sides.push_back(readComparisonSide(d, arm.label, std::move(s.requests), cancel));
        if (stopped(cancel)) {
            a.cancelled = true;
            return a;
        }
    }
    for (size_t k = 1; k < a.sides.size(); ++k) {
        a.comparisons.push_back(compareSides(a.sides[0], a.sides[k], options, cancel));
        if (stopped(cancel)) {
            a.cancelled = true;
            return a;
        }
    }
    std::vector<std::string> labels;
    std::vector<const std::vector<double>*> latency;
    std::vector<const std::vector<double>*> cost;
    for (const ComparisonSide& s : a.sides) {
        labels.push_back(s.label);
        latency.push_back(&s.latencyMs);
        cost.push_back(&s.costUsd);
    }
    a.latency = overlayDistributions(labels, latency);
    a.cost = overlayDistributions(labels, cost);
    const bool byVersion = (spec.by == CompareBy::PromptVersion || spec.by == CompareBy::Deployment) &&
                           !spec.prompt.empty();
    a.timeline = byVersion ? versionTimeline(d, index, spec, base, cancel) : sideTimeline(d, a.sides, spec.prompt, cancel);
    a.cancelled = stopped(cancel) || a.timeline.cancelled;
    return a;
}

}  // namespace ps
