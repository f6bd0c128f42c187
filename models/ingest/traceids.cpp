#include "traceids.h"

#include <array>

namespace ps {
namespace {

// 0-15 for a hex digit, 0xff otherwise: ids are parsed for every span, so one table lookup per character.
constexpr std::array<uint8_t, 256> kHexTable = [] {
    std::array<uint8_t, 256> t{};
    for (auto& v : t) {
        v = 0xff;
    }
    for (int c = 0; c < 10; ++c) {
        t['0' + c] = static_cast<uint8_t>(c);
    }
    for (int c = 0; c < 6; ++c) {
        t['a' + c] = static_cast<uint8_t>(10 + c);
        t['A' + c] = static_cast<uint8_t>(10 + c);
    }
    return t;
}();

uint8_t hexValue(char c) {
    return kHexTable[static_cast<unsigned char>(c)];
}

bool isHex(std::string_view s) {
    uint8_t bad = 0;
    for (char c : s) {
        bad |= hexValue(c) & 0xf0;
    }
    return bad == 0 && !s.empty();
}

// Exactly 16 hex digits into a 64-bit value; false when any is not a hex digit.
bool parseHex16(std::string_view s, uint64_t* out) {
    uint64_t v = 0;
    uint8_t bad = 0;
    for (size_t i = 0; i < 16; ++i) {
        const uint8_t d = hexValue(s[i]);
        bad |= d & 0xf0;
        v = (v << 4) | (d & 0x0f);
    }
    *out = v;
    return bad == 0;
}

int base64Value(char c) {
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+' || c == '-') {
        return 62;
    }
    if (c == '/' || c == '_') {
        return 63;
    }
    return -1;
}

// Decodes standard or URL-safe base64 of exactly `bytes` bytes (with or without '=' padding).
bool decodeBase64(std::string_view s, uint8_t* out, size_t bytes) {
    while (!s.empty() && s.back() == '=') {
        s.remove_suffix(1);
    }
    if (s.size() != (bytes * 4 + 2) / 3) {
        return false;
    }
    uint32_t acc = 0;
    int bits = 0;
    size_t n = 0;
    for (char c : s) {
        const int v = base64Value(c);
        if (v < 0) {
            return false;
        }
        acc = (acc << 6) | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n == bytes) {
                return false;
            }
            out[n++] = static_cast<uint8_t>(acc >> bits);
        }
    }
    return n == bytes;
}

constexpr char kHexDigits[] = "0123456789abcdef";

}  // namespace

uint64_t hashId(std::string_view text) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (char c : text) {
        h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    }
    return h;
}

std::string_view canonicalTraceId(std::string_view text, std::string& out) {
    out.clear();
    if ((text.size() == 32 || text.size() == 16) && isHex(text)) {
        out.resize(text.size());
        for (size_t i = 0; i < text.size(); ++i) {
            out[i] = kHexDigits[hexValue(text[i])];
        }
        return out;
    }
    std::array<uint8_t, 16> bytes{};
    if (text.size() >= 22 && text.size() <= 24 && decodeBase64(text, bytes.data(), 16)) {
        for (uint8_t b : bytes) {
            out.push_back(kHexDigits[b >> 4]);
            out.push_back(kHexDigits[b & 15]);
        }
        return out;
    }
    out.assign(text);
    return out;
}

uint64_t parseSpanId(std::string_view text) {
    if (text.empty()) {
        return 0;
    }
    if (uint64_t v = 0; text.size() == 16 && parseHex16(text, &v)) {
        return v;
    }
    std::array<uint8_t, 8> bytes{};
    if (text.size() >= 11 && text.size() <= 12 && decodeBase64(text, bytes.data(), 8)) {
        uint64_t v = 0;
        for (uint8_t b : bytes) {
            v = (v << 8) | b;
        }
        return v;
    }
    if (text.find_first_not_of('0') == std::string_view::npos) {
        return 0;
    }
    const uint64_t h = hashId(text);
    return h == 0 ? 1 : h;
}

}  // namespace ps
