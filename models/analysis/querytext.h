// Character helpers shared by the query line's parser and its completion. Internal to the analysis library.
#pragma once

#include <string>
#include <string_view>

namespace ps::querytext {

inline bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

inline bool isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

inline bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

inline char lowerAscii(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        c = lowerAscii(c);
    }
    return out;
}

// ASCII case-insensitive; other bytes must match exactly.
inline bool startsWithNoCase(std::string_view s, std::string_view prefix) {
    if (prefix.size() > s.size()) {
        return false;
    }
    for (size_t i = 0; i < prefix.size(); ++i) {
        if (lowerAscii(s[i]) != lowerAscii(prefix[i])) {
            return false;
        }
    }
    return true;
}

}  // namespace ps::querytext
