#include "contentsearch.h"

#include <algorithm>

#include "colddata.h"
#include "conversation.h"

namespace ps {
namespace {

constexpr size_t kProgressEvery = 32;

char fold(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Whether the text appears byte for byte in a JSON record that holds it, however deeply it is nested in JSON
// strings: printable ASCII other than characters that JSON writers escape (quotes, backslashes, and '/', '<',
// '>', '&' that some escape). Other texts may be written as escapes, so their records are always parsed.
bool survivesJsonEscaping(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) {
        return c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '/' && c != '<' && c != '>' && c != '&';
    });
}

}  // namespace

bool containsIgnoringCase(std::string_view haystack, std::string_view foldedNeedle) {
    if (foldedNeedle.empty()) {
        return true;
    }
    if (haystack.size() < foldedNeedle.size()) {
        return false;
    }
    const char first = foldedNeedle.front();
    const char firstUpper = first >= 'a' && first <= 'z' ? static_cast<char>(first - 'a' + 'A') : first;
    const size_t last = haystack.size() - foldedNeedle.size();
    for (size_t i = 0; i <= last; ++i) {
        if (haystack[i] != first && haystack[i] != firstUpper) {
            continue;
        }
        size_t k = 1;
        while (k < foldedNeedle.size() && fold(haystack[i + k]) == foldedNeedle[k]) {
            ++k;
        }
        if (k == foldedNeedle.size()) {
            return true;
        }
    }
    return false;
}

ContentSearchResult searchRequestContent(const DatasetPtr& data, std::span<const uint32_t> rows,
                                         std::string_view text, size_t maxHits,
                                         const ContentSearchProgress& progress) {
    ContentSearchResult result;
    if (!data || text.empty()) {
        return result;
    }
    std::string needle(text);
    std::transform(needle.begin(), needle.end(), needle.begin(), fold);
    const bool prefilter = survivesJsonEscaping(needle);
    ColdDataReader reader(data);
    std::string record;
    std::string error;
    for (const uint32_t r : rows) {
        if (result.searched % kProgressEvery == 0 && progress &&
            !progress(result.searched, rows.size(), result.rows.size())) {
            result.cancelled = true;
            break;
        }
        ++result.searched;
        bool hit = false;
        const uint32_t end = data->spanEnd(RequestIndex{r});
        for (uint32_t row = data->requests.firstSpan[r]; row < end && !hit; ++row) {
            error.clear();
            if (!reader.readRecord(row, &record, &error)) {
                if (result.error.empty()) {
                    result.error = error;
                }
                continue;
            }
            if (prefilter && !containsIgnoringCase(record, needle)) {
                continue;
            }
            const SpanDetails details = reader.parseRecord(row, record, false);
            for (std::string_view t : conversationTexts(details)) {
                if (containsIgnoringCase(t, needle)) {
                    hit = true;
                    break;
                }
            }
        }
        if (hit) {
            result.rows.push_back(r);
            if (result.rows.size() >= maxHits) {
                result.capped = result.searched < rows.size();
                break;
            }
        }
    }
    if (progress && !result.cancelled) {
        progress(result.searched, rows.size(), result.rows.size());
    }
    return result;
}

}  // namespace ps
