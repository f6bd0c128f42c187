#include "tracesearch.h"

namespace ps {
namespace {

char foldAscii(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool startsWithFolded(std::string_view text, std::string_view foldedPrefix) {
    if (text.size() < foldedPrefix.size()) {
        return false;
    }
    for (size_t i = 0; i < foldedPrefix.size(); ++i) {
        if (foldAscii(text[i]) != foldedPrefix[i]) {
            return false;
        }
    }
    return true;
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

}  // namespace

std::vector<uint32_t> findTracesById(const Dataset& d, std::span<const uint32_t> rows, std::string_view query,
                                     const std::atomic<bool>* cancel) {
    std::vector<uint32_t> out;
    query = trimmed(query);
    if (query.empty()) {
        return out;
    }
    std::string folded(query);
    for (char& c : folded) {
        c = foldAscii(c);
    }
    // Sessions and users match whole values: one id comparison per row once the text is found in the pool.
    const auto exact = d.strings.find(query);
    const StringId wanted = exact ? *exact : StringId{};
    const bool byValue = !wanted.isEmpty();
    const RequestColumns& rq = d.requests;
    for (size_t i = 0; i < rows.size(); ++i) {
        if ((i & 0xffff) == 0 && cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
            break;
        }
        const uint32_t r = rows[i];
        if ((byValue && (rq.session[r] == wanted || rq.user[r] == wanted || rq.traceId[r] == wanted)) ||
            startsWithFolded(d.str(rq.traceId[r]), folded)) {
            out.push_back(r);
        }
    }
    return out;
}

}  // namespace ps
