#include "textsearch.h"

#include <algorithm>
#include <array>
#include <string>

namespace ps {
namespace {

char foldAscii(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
}

struct FoldEqual {
    bool operator()(char a, char b) const { return foldAscii(a) == foldAscii(b); }
};

// Boyer-Moore-Horspool over ASCII-folded bytes, with a 256-entry shift table (the standard library's searcher
// falls back to a hash map for a custom comparison, several times slower).
class FoldedSearcher {
public:
    explicit FoldedSearcher(std::string_view needle) : needle_(needle.size(), '\0') {
        for (size_t i = 0; i < needle.size(); ++i) {
            needle_[i] = foldAscii(needle[i]);
        }
        shift_.fill(needle_.size());
        for (size_t i = 0; i + 1 < needle_.size(); ++i) {
            const auto c = static_cast<unsigned char>(needle_[i]);
            shift_[c] = needle_.size() - 1 - i;
            if (c >= 'a' && c <= 'z') {
                shift_[c - ('a' - 'A')] = shift_[c];
            }
        }
    }

    // The first match in [at, end), or end.
    const char* find(const char* at, const char* end) const {
        const size_t n = needle_.size();
        const char last = needle_.back();
        while (static_cast<size_t>(end - at) >= n) {
            const char c = at[n - 1];
            if (foldAscii(c) == last && equalFolded(at)) {
                return at;
            }
            at += shift_[static_cast<unsigned char>(c)];
        }
        return end;
    }

private:
    bool equalFolded(const char* at) const {
        for (size_t i = 0; i + 1 < needle_.size(); ++i) {
            if (foldAscii(at[i]) != needle_[i]) {
                return false;
            }
        }
        return true;
    }

    std::string needle_;
    std::array<size_t, 256> shift_{};
};

}  // namespace

bool containsNoCase(std::string_view hay, std::string_view needle) {
    if (needle.empty()) {
        return true;
    }
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), FoldEqual{}) != hay.end();
}

std::vector<uint8_t> stringsContaining(const StringPool& pool, std::string_view needle) {
    std::vector<uint8_t> out(pool.size(), 0);
    markStringsContaining(pool, needle, 0, static_cast<uint32_t>(pool.size()), out);
    return out;
}

void markStringsContaining(const StringPool& pool, std::string_view needle, uint32_t firstId, uint32_t n,
                           std::vector<uint8_t>& out) {
    if (needle.empty()) {
        std::fill(out.begin() + firstId, out.begin() + n, 1);
        return;
    }
    const FoldedSearcher search(needle);
    uint32_t id = firstId;
    while (id < n) {
        // A run of strings stored back to back: [first, id).
        const uint32_t first = id;
        const char* begin = pool.view(StringId{id}).data();
        const char* end = begin + pool.view(StringId{id}).size();
        ++id;
        while (id < n && begin != nullptr) {
            const std::string_view next = pool.view(StringId{id});
            if (next.data() != end || next.empty()) {
                break;
            }
            end += next.size();
            ++id;
        }
        if (begin == nullptr || static_cast<size_t>(end - begin) < needle.size()) {
            continue;
        }
        const char* at = begin;
        while (true) {
            at = search.find(at, end);
            if (at == end) {
                break;
            }
            // The string holding the match: the last one of the run starting at or before it.
            uint32_t lo = first;
            uint32_t hi = id;
            while (hi - lo > 1) {
                const uint32_t mid = lo + (hi - lo) / 2;
                (pool.view(StringId{mid}).data() <= at ? lo : hi) = mid;
            }
            const std::string_view s = pool.view(StringId{lo});
            const char* stringEnd = s.data() + s.size();
            if (at + needle.size() <= stringEnd) {
                out[lo] = 1;
                at = stringEnd;  // found in this string: go on with the next one
            } else {
                ++at;  // the match runs across two strings
            }
            if (at >= end) {
                break;
            }
        }
    }
}

}  // namespace ps
