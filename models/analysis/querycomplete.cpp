// Completion of the query line's term under the cursor (see query.h).
#include <array>
#include <unordered_set>

#include "query.h"
#include "querytext.h"

namespace ps {
namespace {

using namespace querytext;

constexpr size_t kMaxValueCandidates = 50;

constexpr std::array<std::string_view, 10> kKeywords = {
    "error", "ok", "refusal", "latency>", "latency<", "cost>", "cost<", "since:", "until:", "last:",
};

constexpr std::array<std::string_view, 5> kSpans = {"15m", "1h", "24h", "7d", "30d"};

enum class Kind { None, Name, Value, Span };

struct Context {
    Kind kind = Kind::None;
    size_t start = 0;    // candidates replace text[start, cursor)
    std::string prefix;  // what is typed of the name or value (unquoted)
    Dimension dimension{};
    std::vector<std::string> earlier;  // values already in the term
};

// The value a segment of a value list spells, quoted or not; an open quote reads to the segment's end.
std::string unquote(std::string_view segment) {
    if (segment.empty() || segment.front() != '"') {
        return std::string(segment);
    }
    std::string out;
    for (size_t i = 1; i < segment.size(); ++i) {
        const char c = segment[i];
        if (c == '\\' && i + 1 < segment.size() && (segment[i + 1] == '"' || segment[i + 1] == '\\')) {
            out.push_back(segment[++i]);
        } else if (c == '"') {
            break;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

// Splits a value list at commas outside quotes; the offsets are where each segment starts.
std::vector<size_t> segmentStarts(std::string_view list) {
    std::vector<size_t> starts = {0};
    bool inQuote = false;
    for (size_t i = 0; i < list.size(); ++i) {
        const char c = list[i];
        if (inQuote && c == '\\' && i + 1 < list.size() && (list[i + 1] == '"' || list[i + 1] == '\\')) {
            ++i;
        } else if (c == '"') {
            inQuote = !inQuote;
        } else if (!inQuote && c == ',') {
            starts.push_back(i + 1);
        }
    }
    return starts;
}

Context analyse(std::string_view text, size_t cursor) {
    cursor = std::min(cursor, text.size());
    size_t termStart = 0;
    bool inQuote = false;
    for (size_t i = 0; i < cursor; ++i) {
        const char c = text[i];
        if (inQuote) {
            if (c == '\\' && i + 1 < cursor && (text[i + 1] == '"' || text[i + 1] == '\\')) {
                ++i;
            } else if (c == '"') {
                inQuote = false;
            }
        } else if (isSpace(c)) {
            termStart = i + 1;
        } else if (c == '"') {
            inQuote = true;
        }
    }
    const std::string_view term = text.substr(termStart, cursor - termStart);
    Context context;
    context.start = termStart;
    if (!term.empty() && term.front() == '"') {
        return context;  // a quoted phrase is free text
    }
    size_t letters = 0;
    while (letters < term.size() && isLetter(term[letters])) {
        ++letters;
    }
    if (letters > 0 && letters < term.size() && (term[letters] == '<' || term[letters] == '>' || term[letters] == '=')) {
        return context;  // a comparison's amount
    }
    const size_t stop = term.find_first_of(":\"");
    if (stop == std::string_view::npos) {
        context.kind = Kind::Name;
        context.prefix = std::string(term);
        return context;
    }
    if (term[stop] != ':') {
        return context;
    }
    const std::string key = lower(term.substr(0, stop));
    const std::string_view list = term.substr(stop + 1);
    const std::vector<size_t> starts = segmentStarts(list);
    context.start = termStart + stop + 1 + starts.back();
    context.prefix = unquote(list.substr(starts.back()));
    if (key == "last") {
        context.kind = starts.size() == 1 ? Kind::Span : Kind::None;
    } else if (parseDimensionKey(key, &context.dimension)) {
        context.kind = Kind::Value;
        for (size_t i = 0; i + 1 < starts.size(); ++i) {
            context.earlier.push_back(unquote(list.substr(starts[i], starts[i + 1] - 1 - starts[i])));
        }
    }
    return context;
}

}  // namespace

size_t completionStart(std::string_view text, size_t cursor) {
    return analyse(text, cursor).start;
}

std::vector<std::string> completeQuery(std::string_view text, size_t cursor,
                                       const std::function<std::vector<std::string>(Dimension)>& valuesOf) {
    const Context context = analyse(text, cursor);
    std::vector<std::string> out;
    switch (context.kind) {
        case Kind::None:
            break;
        case Kind::Name:
            for (size_t d = 0; d < kDimensionCount; ++d) {
                const std::string name = std::string(dimensionKey(static_cast<Dimension>(d))) + ":";
                if (startsWithNoCase(name, context.prefix)) {
                    out.push_back(name);
                }
            }
            for (std::string_view keyword : kKeywords) {
                if (startsWithNoCase(keyword, context.prefix)) {
                    out.emplace_back(keyword);
                }
            }
            break;
        case Kind::Span:
            for (std::string_view span : kSpans) {
                if (startsWithNoCase(span, context.prefix)) {
                    out.emplace_back(span);
                }
            }
            break;
        case Kind::Value: {
            if (!valuesOf) {
                break;
            }
            const std::unordered_set<std::string_view> earlier(context.earlier.begin(), context.earlier.end());
            for (const std::string& value : valuesOf(context.dimension)) {
                if (out.size() == kMaxValueCandidates) {
                    break;
                }
                if (!value.empty() && startsWithNoCase(value, context.prefix) && !earlier.count(value)) {
                    out.push_back(formatQueryValue(value));
                }
            }
            break;
        }
    }
    return out;
}

}  // namespace ps
