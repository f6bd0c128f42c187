#include "redaction.h"

#include <array>

namespace ps {
namespace {

bool isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool isKeyChar(char c) { return isAlnum(c) || c == '_' || c == '-'; }
bool isTokenChar(char c) {
    return isAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}
bool isEmailLocalChar(char c) {
    return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool isDomainChar(char c) { return isAlnum(c) || c == '.' || c == '-'; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Key formats: a prefix, then at least `minRest` key characters. The minimums keep words such as "sk-learn"
// or "task-list" out.
struct KeyFormat {
    std::string_view prefix;
    size_t minRest;
    bool upperAlnumOnly;  // AWS ids: exactly upper-case letters and digits
};
constexpr std::array<KeyFormat, 8> kKeyFormats = {{
    {"sk-", 20, false},          // OpenAI (sk-proj-...), Anthropic (sk-ant-...) and many compatible APIs
    {"AKIA", 16, true},          // AWS access key id
    {"ghp_", 20, false},         // GitHub tokens
    {"gho_", 20, false},
    {"github_pat_", 20, false},
    {"xoxb-", 10, false},        // Slack
    {"xoxp-", 10, false},
    {"AIza", 30, false},         // Google API key
}};

// Length of a key starting at i, or 0.
size_t matchKey(std::string_view text, size_t i) {
    for (const KeyFormat& f : kKeyFormats) {
        if (text.substr(i, f.prefix.size()) != f.prefix) {
            continue;
        }
        size_t end = i + f.prefix.size();
        while (end < text.size() &&
               (f.upperAlnumOnly ? (isAlnum(text[end]) && !(text[end] >= 'a' && text[end] <= 'z'))
                                 : isKeyChar(text[end]))) {
            ++end;
        }
        if (end - i - f.prefix.size() >= f.minRest) {
            return end - i;
        }
    }
    return 0;
}

// "Bearer <token>" (any case, one or more spaces): returns the length through the token, and where it starts.
size_t matchBearer(std::string_view text, size_t i, size_t* tokenStart) {
    constexpr std::string_view kWord = "bearer";
    if (text.size() - i < kWord.size() + 2) {
        return 0;
    }
    for (size_t k = 0; k < kWord.size(); ++k) {
        if (lower(text[i + k]) != kWord[k]) {
            return 0;
        }
    }
    size_t j = i + kWord.size();
    if (text[j] != ' ' && text[j] != '\t') {
        return 0;
    }
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) {
        ++j;
    }
    size_t end = j;
    while (end < text.size() && (isTokenChar(text[end]) || text[end] == '=')) {
        ++end;
    }
    // Tokens are long; "Bearer of bad news" is not one.
    if (end - j < 16) {
        return 0;
    }
    *tokenStart = j;
    return end - i;
}

// An email address around the '@' at `at`: [begin, end), or false.
bool matchEmail(std::string_view text, size_t at, size_t* begin, size_t* end) {
    size_t b = at;
    while (b > 0 && isEmailLocalChar(text[b - 1])) {
        --b;
    }
    size_t e = at + 1;
    while (e < text.size() && isDomainChar(text[e])) {
        ++e;
    }
    while (e > at + 1 && (text[e - 1] == '.' || text[e - 1] == '-')) {
        --e;  // a sentence's full stop after the address
    }
    const std::string_view domain = text.substr(at + 1, e - at - 1);
    const size_t dot = domain.rfind('.');
    if (b == at || dot == std::string_view::npos || dot == 0 || domain.size() - dot - 1 < 2) {
        return false;
    }
    for (size_t k = dot + 1; k < domain.size(); ++k) {
        if (!((domain[k] >= 'a' && domain[k] <= 'z') || (domain[k] >= 'A' && domain[k] <= 'Z'))) {
            return false;  // the top-level domain is letters
        }
    }
    *begin = b;
    *end = e;
    return true;
}

}  // namespace

std::string redactSecrets(std::string_view text, size_t* count) {
    std::string out;
    out.reserve(text.size());
    size_t found = 0;
    size_t i = 0;
    while (i < text.size()) {
        const bool boundary = i == 0 || !isKeyChar(text[i - 1]);
        if (boundary) {
            if (const size_t n = matchKey(text, i)) {
                out += kRedactedKey;
                i += n;
                ++found;
                continue;
            }
            size_t tokenStart = 0;
            if (const size_t n = matchBearer(text, i, &tokenStart)) {
                out.append(text.substr(i, tokenStart - i));  // keep "Bearer " as written
                out += kRedactedToken;
                i += n;
                ++found;
                continue;
            }
        }
        if (text[i] == '@') {
            size_t begin = 0;
            size_t end = 0;
            // The local part was copied already: take it back off the output.
            if (matchEmail(text, i, &begin, &end) && out.size() >= i - begin &&
                std::string_view(out).substr(out.size() - (i - begin)) == text.substr(begin, i - begin)) {
                out.resize(out.size() - (i - begin));
                out += kRedactedEmail;
                i = end;
                ++found;
                continue;
            }
        }
        out += text[i];
        ++i;
    }
    if (count) {
        *count = found;
    }
    return out;
}

}  // namespace ps
