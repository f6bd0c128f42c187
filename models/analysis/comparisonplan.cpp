#include "comparisonplan.h"

#include <algorithm>
#include <charconv>
#include <unordered_map>

#include "query.h"
#include "versionlabel.h"

namespace ps {
namespace {

bool numeric(std::string_view s, double* out) {
    const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), *out);
    return error == std::errc() && end == s.data() + s.size();
}

template <typename Key>
std::vector<std::string> byCount(const Dataset& d, Key key) {
    std::unordered_map<uint32_t, uint64_t> counts;
    for (size_t r = 0; r < d.requestCount(); ++r) {
        const StringId id = key(static_cast<uint32_t>(r));
        if (!id.isEmpty()) {
            ++counts[id.value];
        }
    }
    std::vector<std::pair<uint64_t, std::string>> sorted;
    for (const auto& [id, n] : counts) {
        sorted.emplace_back(n, std::string(d.str(StringId{id})));
    }
    std::sort(sorted.begin(), sorted.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first > y.first : x.second < y.second;
    });
    std::vector<std::string> out;
    for (auto& [n, s] : sorted) {
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace

std::vector<ComparisonArm> comparisonArms(const ComparisonSpec& spec, const Filter& base) {
    std::vector<ComparisonArm> arms;
    Filter common = base;
    if (!spec.prompt.empty()) {
        common.of(Dimension::PromptName) = {spec.prompt};
    }
    switch (spec.by) {
    case CompareBy::PromptVersion:
        for (const std::string& v : spec.values) {
            Filter f = common;
            f.of(Dimension::PromptVersion) = {v};
            arms.push_back({versionLabel(v), std::move(f)});
        }
        break;
    case CompareBy::Deployment: {
        Filter before = common;
        before.endNs = base.endNs == Filter::kNoLimit ? spec.splitNs : std::min(base.endNs, spec.splitNs);
        Filter after = common;
        after.beginNs = base.beginNs == Filter::kNoLimit ? spec.splitNs : std::max(base.beginNs, spec.splitNs);
        arms.push_back({"before", std::move(before)});
        arms.push_back({"after", std::move(after)});
        break;
    }
    case CompareBy::SavedFilter:
        // A side whose query no longer parses (written by hand in the settings) is left out.
        for (size_t i = 0; i < spec.values.size() && i < spec.queries.size(); ++i) {
            auto parsed = parseQuery(spec.queries[i]);
            if (auto* f = std::get_if<Filter>(&parsed)) {
                arms.push_back({spec.values[i], std::move(*f)});
            }
        }
        break;
    case CompareBy::Environment:
    case CompareBy::Model:
        for (const std::string& v : spec.values) {
            Filter f = common;
            f.of(spec.by == CompareBy::Environment ? Dimension::Environment : Dimension::Model) = {v};
            arms.push_back({v, std::move(f)});
        }
        break;
    }
    return arms;
}

std::vector<std::string> promptsWithVersions(const Dataset& d) {
    return byCount(d, [&](uint32_t r) {
        return d.requests.promptVersion[r].isEmpty() ? StringId{} : d.requests.promptName[r];
    });
}

std::vector<std::string> valuesByCount(const Dataset& d, Dimension dimension) {
    switch (dimension) {
    case Dimension::Environment: return byCount(d, [&](uint32_t r) { return d.requests.environment[r]; });
    case Dimension::Model: return byCount(d, [&](uint32_t r) { return d.requests.model[r]; });
    case Dimension::PromptName: return byCount(d, [&](uint32_t r) { return d.requests.promptName[r]; });
    default: break;
    }
    return {};
}

std::vector<std::string> versionsNewestFirst(const Dataset& d, std::string_view prompt) {
    struct Seen {
        std::string version;
        int64_t at = 0;
    };
    std::vector<Seen> seen;
    std::unordered_map<uint32_t, size_t> slot;
    for (size_t r = 0; r < d.requestCount(); ++r) {  // requests are in start order: the first one is the earliest
        if (d.str(d.requests.promptName[r]) != prompt || d.requests.promptVersion[r].isEmpty()) {
            continue;
        }
        const auto [it, added] = slot.try_emplace(d.requests.promptVersion[r].value, seen.size());
        if (added) {
            seen.push_back({std::string(d.str(d.requests.promptVersion[r])), d.requests.startNs[r]});
        }
    }
    // A release time from the records wins over the first request, which depends on how much traffic came in.
    auto recorded = [&](const std::string& version, int64_t* at) {
        bool found = false;
        for (const PromptVersionRecord& p : d.promptVersions) {
            if (d.str(p.prompt) == prompt && d.str(p.version) == version && p.deployedAtNs != 0) {
                *at = found ? std::min(*at, p.deployedAtNs) : p.deployedAtNs;
                found = true;
            }
        }
        for (const DeploymentRecord& dep : d.deployments) {
            if (d.str(dep.prompt) == prompt && d.str(dep.version) == version) {
                *at = found ? std::min(*at, dep.atNs) : dep.atNs;
                found = true;
            }
        }
        return found;
    };
    for (Seen& s : seen) {
        recorded(s.version, &s.at);
    }
    std::sort(seen.begin(), seen.end(), [](const Seen& x, const Seen& y) {
        if (x.at != y.at) {
            return x.at > y.at;
        }
        double nx = 0;
        double ny = 0;
        if (numeric(x.version, &nx) && numeric(y.version, &ny) && nx != ny) {
            return nx > ny;
        }
        return x.version > y.version;
    });
    std::vector<std::string> out;
    for (Seen& s : seen) {
        out.push_back(std::move(s.version));
    }
    return out;
}

std::vector<DeploymentRecord> deploymentsOf(const Dataset& d, std::string_view prompt) {
    std::vector<DeploymentRecord> out;
    for (const DeploymentRecord& dep : d.deployments) {
        if (prompt.empty() || d.str(dep.prompt) == prompt) {
            out.push_back(dep);
        }
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const DeploymentRecord& x, const DeploymentRecord& y) { return x.atNs < y.atNs; });
    return out;
}

ComparisonSpec defaultComparison(const Dataset& d) {
    ComparisonSpec spec;
    for (const std::string& prompt : promptsWithVersions(d)) {
        std::vector<std::string> versions = versionsNewestFirst(d, prompt);
        if (versions.size() >= 2) {
            spec.prompt = prompt;
            spec.values = {versions[1], versions[0]};
            return spec;
        }
    }
    return spec;
}

}  // namespace ps
