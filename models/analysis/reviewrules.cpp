#include "reviewrules.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <map>
#include <set>

namespace ps {
namespace {

constexpr std::array<std::string_view, kReviewRuleCount> kKeys = {
    "failed_eval", "thumbs_down", "low_judge_score", "canary", "high_risk_feature", "tool_calls"};
constexpr std::array<std::string_view, kReviewRuleCount> kTitles = {
    "Failed eval", "Thumbs down", "Low judge score", "Canary", "High-risk feature", "Many tool calls"};

size_t bitIndex(ReviewRule rule) {
    return static_cast<size_t>(std::countr_zero(static_cast<uint32_t>(rule)));
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

bool mentionsJudge(std::string_view source) {
    for (size_t i = 0; i + 5 <= source.size(); ++i) {
        if (equalsIgnoringCase(source.substr(i, 5), "judge")) {
            return true;
        }
    }
    return false;
}

// Marks, per string id, the ids named in a list (ids of strings the dataset does not hold stay unmarked).
std::vector<uint8_t> markStrings(const Dataset& d, const std::vector<std::string>& values) {
    std::vector<uint8_t> marked(d.strings.size(), 0);
    for (const std::string& v : values) {
        if (const auto id = d.strings.find(v)) {
            marked[id->value] = 1;
        }
    }
    return marked;
}

}  // namespace

std::string_view reviewRuleKey(ReviewRule rule) { return kKeys[bitIndex(rule)]; }
std::string_view reviewRuleTitle(ReviewRule rule) { return kTitles[bitIndex(rule)]; }

std::string reviewRuleKeys(uint32_t rules) {
    std::string out;
    for (int i = 0; i < kReviewRuleCount; ++i) {
        if (rules & (1u << i)) {
            out += (out.empty() ? "" : ",") + std::string(kKeys[static_cast<size_t>(i)]);
        }
    }
    return out;
}

uint32_t parseReviewRuleKeys(std::string_view keys) {
    uint32_t rules = 0;
    while (!keys.empty()) {
        const size_t comma = keys.find(',');
        const std::string_view key = keys.substr(0, comma);
        for (int i = 0; i < kReviewRuleCount; ++i) {
            if (kKeys[static_cast<size_t>(i)] == key) {
                rules |= 1u << i;
            }
        }
        keys = comma == std::string_view::npos ? std::string_view() : keys.substr(comma + 1);
    }
    return rules;
}

std::vector<ReviewCandidate> applyReviewRules(const Dataset& d, const std::vector<uint32_t>& selection,
                                              const ReviewRuleSettings& s, const std::atomic<bool>* cancel) {
    const RequestColumns& q = d.requests;
    const uint32_t on = s.enabled;

    // Requests with a low judge score, from the evals table (not sorted by request).
    std::vector<uint8_t> lowJudge;
    if (on & kRuleLowJudgeScore) {
        lowJudge.assign(d.requestCount(), 0);
        const std::vector<uint8_t> judged = markStrings(d, s.judgeEvals);
        const EvalColumns& e = d.evals;
        for (size_t i = 0; i < e.size(); ++i) {
            // NaN (no score) compares false and never matches.
            if (judged[e.name[i].value] && e.score[i] < s.judgeScoreBelow && e.request[i] < lowJudge.size()) {
                lowJudge[e.request[i]] = 1;
            }
        }
    }
    const std::vector<uint8_t> risky = markStrings(d, s.highRiskFeatures);
    // Canary versions as (prompt, version) ids; a prompt of 0 stands for any prompt.
    std::vector<std::pair<uint32_t, uint32_t>> canary;
    for (const PromptVersionKey& k : s.canaryVersions) {
        const auto version = d.strings.find(k.version);
        const auto prompt = k.prompt.empty() ? std::optional<StringId>(StringId{}) : d.strings.find(k.prompt);
        if (version && prompt) {
            canary.emplace_back(prompt->value, version->value);
        }
    }
    // Environment names are few but their ids are spread over the pool: a flag per string is the simple
    // lookup.
    std::vector<uint8_t> canaryEnvironment(d.strings.size(), 0);
    for (uint32_t id = 0; id < d.strings.size() && (on & kRuleCanary); ++id) {
        canaryEnvironment[id] = equalsIgnoringCase(d.strings.view(StringId{id}), "canary") ? 1 : 0;
    }

    std::vector<ReviewCandidate> out;
    for (size_t i = 0; i < selection.size(); ++i) {
        if (cancel && (i & 0xfff) == 0 && cancel->load(std::memory_order_relaxed)) {
            return {};
        }
        const uint32_t r = selection[i];
        uint32_t rules = 0;
        if ((on & kRuleFailedEval) && q.evalFail[r] > 0) {
            rules |= kRuleFailedEval;
        }
        if ((on & kRuleThumbsDown) && (q.flags[r] & kRequestThumbsDown)) {
            rules |= kRuleThumbsDown;
        }
        if ((on & kRuleLowJudgeScore) && lowJudge[r]) {
            rules |= kRuleLowJudgeScore;
        }
        if (on & kRuleCanary) {
            bool match = canaryEnvironment[q.environment[r].value] != 0;
            for (const auto& [prompt, version] : canary) {
                match = match || (q.promptVersion[r].value == version &&
                                  (prompt == 0 || q.promptName[r].value == prompt));
            }
            if (match) {
                rules |= kRuleCanary;
            }
        }
        if ((on & kRuleHighRiskFeature) && risky[q.feature[r].value]) {
            rules |= kRuleHighRiskFeature;
        }
        if ((on & kRuleManyToolCalls) && q.toolCalls[r] > s.maxToolCalls) {
            rules |= kRuleManyToolCalls;
        }
        if (rules != 0) {
            out.push_back({RequestIndex{r}, rules});
        }
    }
    std::sort(out.begin(), out.end(), [](const ReviewCandidate& a, const ReviewCandidate& b) {
        const int ca = std::popcount(a.rules);
        const int cb = std::popcount(b.rules);
        return ca != cb ? ca > cb : a.request.value > b.request.value;
    });
    return out;
}

std::vector<std::string> judgeEvalNames(const Dataset& d) {
    std::set<uint32_t> names;
    const EvalColumns& e = d.evals;
    for (size_t i = 0; i < e.size(); ++i) {
        if (names.count(e.name[i].value) == 0 && (e.score[i] > 1.0 || mentionsJudge(d.str(e.source[i])))) {
            names.insert(e.name[i].value);
        }
    }
    std::vector<std::string> out;
    for (uint32_t id : names) {
        out.emplace_back(d.str(StringId{id}));
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<PromptVersionKey> canaryPromptVersions(const Dataset& d) {
    // The latest record per (prompt, version) decides; records at the same time keep the later one in the
    // data.
    std::map<std::pair<std::string_view, std::string_view>, const DeploymentRecord*> latest;
    for (const DeploymentRecord& r : d.deployments) {
        auto& slot = latest[{d.str(r.prompt), d.str(r.version)}];
        if (!slot || r.atNs >= slot->atNs) {
            slot = &r;
        }
    }
    std::vector<PromptVersionKey> out;
    for (const auto& [key, record] : latest) {
        if (record->trafficPercent < 100.0 && !key.second.empty()) {
            out.push_back({std::string(key.first), std::string(key.second)});
        }
    }
    return out;  // the map's order: by prompt, then version
}

}  // namespace ps
