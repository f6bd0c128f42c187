#include "utf8repair.h"

namespace ps {
namespace {

bool inRange(unsigned char c, unsigned char lo, unsigned char hi) {
    return c >= lo && c <= hi;
}

// Length of the well-formed sequence starting at s[i], or 0 when it is not one.
size_t sequenceLength(const std::string& s, size_t i) {
    const auto at = [&](size_t k) -> unsigned char { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0; };
    const unsigned char c = at(0);
    if (c < 0x80) {
        return 1;
    }
    size_t n = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (inRange(c, 0xC2, 0xDF)) {
        n = 2;
    } else if (c == 0xE0) {
        n = 3;
        lo = 0xA0;
    } else if (inRange(c, 0xE1, 0xEC) || inRange(c, 0xEE, 0xEF)) {
        n = 3;
    } else if (c == 0xED) {
        n = 3;
        hi = 0x9F;
    } else if (c == 0xF0) {
        n = 4;
        lo = 0x90;
    } else if (inRange(c, 0xF1, 0xF3)) {
        n = 4;
    } else if (c == 0xF4) {
        n = 4;
        hi = 0x8F;
    } else {
        return 0;
    }
    if (!inRange(at(1), lo, hi)) {
        return 0;
    }
    for (size_t k = 2; k < n; ++k) {
        if (!inRange(at(k), 0x80, 0xBF)) {
            return 0;
        }
    }
    return n;
}

}  // namespace

size_t repairUtf8(std::string& text) {
    size_t replaced = 0;
    size_t i = 0;
    while (i < text.size()) {
        const size_t n = sequenceLength(text, i);
        if (n == 0) {
            text[i] = '?';
            ++replaced;
            ++i;
        } else {
            i += n;
        }
    }
    return replaced;
}

}  // namespace ps
