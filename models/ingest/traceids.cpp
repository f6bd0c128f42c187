#include "traceids.h"

#include <array>

namespace ps {
namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

bool isHex(std::string_view s) {
    for (char c : s) {
        if (hexValue(c) < 0) {
            return false;
        }
    }
    return !s.empty();
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
        for (char c : text) {
            out.push_back(c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c);
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
    if (text.size() == 16 && isHex(text)) {
        uint64_t v = 0;
        for (char c : text) {
            v = (v << 4) | static_cast<uint64_t>(hexValue(c));
        }
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
