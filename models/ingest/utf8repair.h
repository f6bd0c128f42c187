// Invalid UTF-8 in real exports (truncated multi-byte characters, Latin-1 text): replaced byte by byte so the rest
// of the record can still be read.
#pragma once

#include <string>

namespace ps {

// Replaces every byte that does not start or continue a well-formed UTF-8 sequence (RFC 3629: no overlong forms,
// no surrogates, nothing above U+10FFFF) with '?'. Returns how many bytes were replaced.
size_t repairUtf8(std::string& text);

}  // namespace ps
