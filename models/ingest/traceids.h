// Trace and span ids as exports write them: hex (either case, per the OTLP spec), base64 (generic protojson),
// 64-bit Jaeger ids, or free text (request ids). Trace ids become canonical lowercase hex text when they are
// binary ids; span ids become 64-bit numbers, with 0 meaning "none" (missing, empty or all zeros).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ps {

// Canonical text for a trace id: lowercase hex for hex or base64 binary ids, else the text unchanged.
// Writes into `out` (reused buffer) and returns a view of it.
std::string_view canonicalTraceId(std::string_view text, std::string& out);

// A span id as a number: 16 hex digits or 12 base64 characters decode to their 8 bytes; anything else non-empty
// hashes to a non-zero value. Empty or all-zero ids give 0.
uint64_t parseSpanId(std::string_view text);

// 64-bit FNV-1a, also used to derive ids for records that have none.
uint64_t hashId(std::string_view text);

}  // namespace ps
