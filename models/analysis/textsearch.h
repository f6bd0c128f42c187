// Free-text search over the interned strings: which strings contain a needle, ASCII case-insensitively. The
// pool keeps strings in id order in large blocks, so the search runs over long stretches of text at once (a
// Boyer-Moore-Horspool scan that skips ahead by up to the needle's length) instead of string by string.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "stringpool.h"

namespace ps {

// ASCII case-insensitive substring test. Bytes above ASCII compare as they are.
bool containsNoCase(std::string_view hay, std::string_view needle);

// One byte per string id of the pool: 1 when the string contains the needle (ASCII case-insensitive), else 0.
// An empty needle matches every string.
std::vector<uint8_t> stringsContaining(const StringPool& pool, std::string_view needle);
// The same for the ids [first, end) only, into out (one byte per id of the pool; other ids are left as they are):
// two threads can search two ranges of one pool into one vector.
void markStringsContaining(const StringPool& pool, std::string_view needle, uint32_t first, uint32_t end,
                           std::vector<uint8_t>& out);

}  // namespace ps
