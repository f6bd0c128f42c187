// Rows ordered by a small integer key, stable (rows ascending among equal keys): a least-significant-digit radix
// sort on 8-bit digits, each pass a sequential read and 256 write streams. Much faster than a counting sort over
// tens of thousands of keys (a cache miss per row) or a comparison sort, for the per-data-set orders of
// ValueCodes and OverviewIndex.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace ps {

// The rows i with key[i] != skip, by key then row.
std::vector<uint32_t> rowsByKey(std::span<const uint32_t> key, uint32_t skip = UINT32_MAX);

}  // namespace ps
