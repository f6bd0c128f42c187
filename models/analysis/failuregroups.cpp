#include "failuregroups.h"

#include <algorithm>
#include <unordered_map>

namespace ps {
namespace {

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
bool isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool isAlnum(char c) {
    return isDigit(c) || isLetter(c);
}
bool isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Units written right after a number ("30s", "500ms", "2GB"); other suffixes ("4o") belong to a name.
bool isUnit(std::string_view suffix) {
    static constexpr std::string_view kUnits[] = {"ns", "us", "ms", "s", "sec", "secs", "m", "min", "mins", "h",
                                                  "d", "b", "kb", "mb", "gb", "k", "x"};
    std::string lower(suffix);
    for (char& c : lower) {
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return std::find(std::begin(kUnits), std::end(kUnits), lower) != std::end(kUnits);
}

// 8-4-4-4-12 hex digits at `at`, not followed by another letter or digit.
bool uuidAt(std::string_view s, size_t at) {
    static constexpr size_t kGroups[] = {8, 4, 4, 4, 12};
    size_t i = at;
    for (size_t g = 0; g < 5; ++g) {
        if (g > 0) {
            if (i >= s.size() || s[i] != '-') {
                return false;
            }
            ++i;
        }
        for (size_t k = 0; k < kGroups[g]; ++k, ++i) {
            if (i >= s.size() || !isHex(s[i])) {
                return false;
            }
        }
    }
    return i == s.size() || !isAlnum(s[i]);
}

// Where the quoted value starting at `open` ends (one past the closing quote), or npos. An apostrophe inside a
// word ("can't") opens nothing, and a single quote only closes before something that is not a letter or digit.
size_t quotedEnd(std::string_view s, size_t open) {
    const char q = s[open];
    if (q == '\'' && open > 0 && isAlnum(s[open - 1])) {
        return std::string_view::npos;
    }
    for (size_t j = open + 1; j < s.size(); ++j) {
        if (s[j] == q && (q != '\'' || j + 1 == s.size() || !isAlnum(s[j + 1]))) {
            return j + 1;
        }
    }
    return std::string_view::npos;
}

// Collects one group's requests, most recent samples and latest example while requests are visited in order.
struct GroupBuilder {
    FailureGroup group;
    uint32_t lastRequest = RequestIndex::kInvalid;

    void add(const Dataset& d, uint32_t request, std::string_view example) {
        if (!example.empty()) {
            group.example = std::string(example);
        }
        if (lastRequest == request) {
            return;
        }
        lastRequest = request;
        const int64_t t = d.requests.startNs[request];
        if (group.requests == 0 || t < group.firstNs) {
            group.firstNs = t;
        }
        group.lastNs = std::max(group.lastNs, t);
        ++group.requests;
        if (group.samples.size() == kFailureSamples) {
            group.samples.erase(group.samples.begin());
        }
        group.samples.push_back(RequestIndex(request));
    }
};

class GroupSet {
public:
    GroupBuilder& at(FailureGroupKind kind, std::string errorType, std::string key) {
        std::string id = std::string(1, static_cast<char>('0' + static_cast<int>(kind))) + errorType + '\x1f' + key;
        auto [it, fresh] = index_.try_emplace(std::move(id), builders_.size());
        if (fresh) {
            builders_.emplace_back();
            builders_.back().group.kind = kind;
            builders_.back().group.errorType = std::move(errorType);
            builders_.back().group.key = std::move(key);
        }
        return builders_[it->second];
    }

    std::vector<FailureGroup> take(uint64_t selected) {
        std::vector<FailureGroup> out;
        out.reserve(builders_.size());
        for (GroupBuilder& b : builders_) {
            b.group.share = selected ? static_cast<double>(b.group.requests) / static_cast<double>(selected) : 0;
            std::reverse(b.group.samples.begin(), b.group.samples.end());
            out.push_back(std::move(b.group));
        }
        std::sort(out.begin(), out.end(), [](const FailureGroup& a, const FailureGroup& b) {
            if (a.kind != b.kind) {
                return a.kind < b.kind;
            }
            if (a.requests != b.requests) {
                return a.requests > b.requests;
            }
            return std::tie(a.errorType, a.key) < std::tie(b.errorType, b.key);
        });
        return out;
    }

private:
    std::unordered_map<std::string, size_t> index_;
    std::vector<GroupBuilder> builders_;
};

// Whether requests are in the selection, asked in ascending order (the error and eval tables are stored request
// by request): a merge walk instead of a search per row.
class SelectionCursor {
public:
    explicit SelectionCursor(const std::vector<uint32_t>& requests) : requests_(requests) {}
    bool contains(uint32_t request) {
        if (at_ > 0 && requests_[at_ - 1] >= request) {
            return std::binary_search(requests_.begin(), requests_.end(), request);
        }
        while (at_ < requests_.size() && requests_[at_] < request) {
            ++at_;
        }
        return at_ < requests_.size() && requests_[at_] == request;
    }

private:
    const std::vector<uint32_t>& requests_;
    size_t at_ = 0;
};

}  // namespace

std::string normaliseErrorMessage(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        const bool wordStart = isAlnum(c) && (i == 0 || !isAlnum(s[i - 1]));
        if (c == '"' || c == '\'' || c == '`') {
            const size_t end = quotedEnd(s, i);
            if (end != std::string_view::npos) {
                out += "<str>";
                i = end;
                continue;
            }
        }
        if (!wordStart) {
            out += c;
            ++i;
            continue;
        }
        if (uuidAt(s, i)) {
            out += "<uuid>";
            i += 36;
            continue;
        }
        if (c == '0' && i + 2 < s.size() && (s[i + 1] == 'x' || s[i + 1] == 'X') && isHex(s[i + 2])) {
            size_t j = i + 2;
            while (j < s.size() && isHex(s[j])) {
                ++j;
            }
            if (j == s.size() || !isAlnum(s[j])) {
                out += "<id>";
                i = j;
                continue;
            }
        }
        size_t j = i;
        while (j < s.size() && isAlnum(s[j])) {
            ++j;
        }
        const std::string_view word = s.substr(i, j - i);
        size_t digits = 0;
        while (digits < word.size() && isDigit(word[digits])) {
            ++digits;
        }
        const bool anyDigit = std::any_of(word.begin(), word.end(), isDigit);
        if (digits == word.size()) {
            // A number, with its decimals: 30, 1.5, 2.0.1
            while (j + 1 < s.size() && s[j] == '.' && isDigit(s[j + 1])) {
                ++j;
                while (j < s.size() && isDigit(s[j])) {
                    ++j;
                }
            }
            out += "<n>";
        } else if (word.size() >= 8 && anyDigit) {
            out += "<id>";
        } else if (digits > 0 && isUnit(word.substr(digits))) {
            out += "<n>";  // a number with its unit: 30s, 500ms
            out += word.substr(digits);
        } else {
            out += word;
        }
        i = j;
    }
    return out;
}

std::string_view toolNameOfSpan(std::string_view spanName) {
    constexpr std::string_view kPrefix = "execute_tool ";
    if (spanName.size() > kPrefix.size() && spanName.substr(0, kPrefix.size()) == kPrefix) {
        return spanName.substr(kPrefix.size());
    }
    return spanName;
}

std::vector<FailureGroup> groupFailures(const Dataset& d, const Selection& selection,
                                        const std::atomic<bool>* cancel) {
    GroupSet groups;
    const ErrorColumns& e = d.errors;
    std::unordered_map<uint32_t, std::string> normalised;  // per message id: messages repeat
    std::vector<uint8_t> hasFailingChild;
    SelectionCursor inErrors(selection.requests);
    size_t i = 0;
    while (i < e.size()) {
        if (cancel && cancel->load(std::memory_order_relaxed)) {
            return {};
        }
        // The error rows of one request: spans are stored request by request, so its rows are adjacent.
        const uint32_t request = d.requestOfSpan(SpanIndex(e.span[i])).value;
        const uint32_t spanEnd = d.spanEnd(RequestIndex(request));
        size_t end = i;
        while (end < e.size() && e.span[end] < spanEnd) {
            ++end;
        }
        if (!inErrors.contains(request)) {
            i = end;
            continue;
        }
        hasFailingChild.assign(end - i, 0);
        for (size_t a = i; a < end; ++a) {
            for (uint32_t p = d.spans.parent[e.span[a]]; p != SpanIndex::kInvalid; p = d.spans.parent[p]) {
                for (size_t b = i; b < end; ++b) {
                    if (e.span[b] == p) {
                        hasFailingChild[b - i] = 1;
                    }
                }
            }
        }
        for (size_t a = i; a < end; ++a) {
            const uint32_t span = e.span[a];
            const std::string_view message = d.str(e.message[a]);
            if (d.spans.kind[span] == SpanKind::Tool) {
                groups.at(FailureGroupKind::Tool, {}, std::string(toolNameOfSpan(d.str(d.spans.name[span]))))
                    .add(d, request, message);
            }
            if (hasFailingChild[a - i]) {
                continue;
            }
            auto [it, fresh] = normalised.try_emplace(e.message[a].value);
            if (fresh) {
                it->second = normaliseErrorMessage(message);
            }
            const std::string_view type = d.str(e.type[a]);
            groups
                .at(FailureGroupKind::Error,
                    std::string(type.empty() ? errorClassName(e.errorClass[a]) : type), it->second)
                .add(d, request, message);
        }
        i = end;
    }
    const EvalColumns& ev = d.evals;
    SelectionCursor inEvals(selection.requests);
    for (size_t k = 0; k < ev.size(); ++k) {
        if (ev.outcome[k] != EvalOutcome::Fail || !inEvals.contains(ev.request[k])) {
            continue;
        }
        groups.at(FailureGroupKind::Eval, {}, std::string(d.str(ev.name[k])))
            .add(d, ev.request[k], d.str(ev.explanation[k]));
    }
    return groups.take(selection.requests.size());
}

}  // namespace ps
