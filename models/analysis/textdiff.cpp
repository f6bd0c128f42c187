#include "textdiff.h"

#include <algorithm>
#include <unordered_map>

namespace ps {
namespace {

std::vector<std::string_view> splitLines(std::string_view text) {
    std::vector<std::string_view> lines;
    size_t at = 0;
    while (at < text.size()) {
        size_t end = text.find('\n', at);
        const size_t next = end == std::string_view::npos ? text.size() : end + 1;
        if (end == std::string_view::npos) {
            end = text.size();
        }
        std::string_view line = text.substr(at, end - at);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        lines.push_back(line);
        at = next;
    }
    return lines;
}

// Edits of the middle stretches a[0..n) and b[0..m) (ids of lines), appended to `ops` as 'S', 'R', 'A' in
// order. Returns false when more than maxEdits edits are needed.
bool shortestEdit(const uint32_t* a, int n, const uint32_t* b, int m, size_t maxEdits, std::string& ops) {
    const int most = n + m;
    const int limit = static_cast<int>(std::min<size_t>(maxEdits, static_cast<size_t>(most)));
    // v[k + offset] is the furthest x reached on diagonal k = x - y. Before step d, the slice of k in
    // [-(d+1), d+1] is saved: the backtrack reads k +- 1 around the diagonals reached in step d.
    const int offset = most + 1;
    std::vector<int> v(static_cast<size_t>(2 * most + 3), 0);
    std::vector<int> history;
    std::vector<size_t> sliceAt;
    int found = -1;
    for (int d = 0; d <= limit && found < 0; ++d) {
        sliceAt.push_back(history.size());
        history.insert(history.end(), v.begin() + (offset - d - 1), v.begin() + (offset + d + 2));
        for (int k = -d; k <= d; k += 2) {
            int x = 0;
            if (k == -d || (k != d && v[k - 1 + offset] < v[k + 1 + offset])) {
                x = v[k + 1 + offset];
            } else {
                x = v[k - 1 + offset] + 1;
            }
            int y = x - k;
            while (x < n && y < m && a[x] == b[y]) {
                ++x;
                ++y;
            }
            v[k + offset] = x;
            if (x >= n && y >= m) {
                found = d;
                break;
            }
        }
    }
    if (found < 0) {
        return false;
    }
    std::string reversed;
    int x = n;
    int y = m;
    for (int d = found; d >= 0; --d) {
        const int* slice = history.data() + sliceAt[static_cast<size_t>(d)];
        auto at = [&](int k) { return slice[k + d + 1]; };
        const int k = x - y;
        const int prevK = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
        const int prevX = at(prevK);
        const int prevY = prevX - prevK;
        while (x > prevX && y > prevY) {
            reversed.push_back('S');
            --x;
            --y;
        }
        if (d > 0) {
            reversed.push_back(x == prevX ? 'A' : 'R');
        }
        x = prevX;
        y = prevY;
    }
    // Myers' path interleaves deletions and insertions; a reader expects a change's old lines before its new ones.
    std::reverse(reversed.begin(), reversed.end());
    size_t i = 0;
    while (i < reversed.size()) {
        if (reversed[i] == 'S') {
            ops.push_back('S');
            ++i;
            continue;
        }
        size_t j = i;
        while (j < reversed.size() && reversed[j] != 'S') {
            ++j;
        }
        const auto removed = std::count(reversed.begin() + static_cast<long>(i), reversed.begin() + static_cast<long>(j), 'R');
        ops.append(static_cast<size_t>(removed), 'R');
        ops.append(j - i - static_cast<size_t>(removed), 'A');
        i = j;
    }
    return true;
}

}  // namespace

std::vector<DiffLine> lineDiff(std::string_view a, std::string_view b, size_t maxEdits) {
    const std::vector<std::string_view> la = splitLines(a);
    const std::vector<std::string_view> lb = splitLines(b);
    // Lines as ids, so the search compares integers.
    std::unordered_map<std::string_view, uint32_t> ids;
    auto idsOf = [&](const std::vector<std::string_view>& lines) {
        std::vector<uint32_t> out;
        out.reserve(lines.size());
        for (std::string_view line : lines) {
            out.push_back(ids.try_emplace(line, static_cast<uint32_t>(ids.size())).first->second);
        }
        return out;
    };
    const std::vector<uint32_t> ia = idsOf(la);
    const std::vector<uint32_t> ib = idsOf(lb);
    size_t prefix = 0;
    while (prefix < ia.size() && prefix < ib.size() && ia[prefix] == ib[prefix]) {
        ++prefix;
    }
    size_t suffix = 0;
    while (suffix < ia.size() - prefix && suffix < ib.size() - prefix &&
           ia[ia.size() - 1 - suffix] == ib[ib.size() - 1 - suffix]) {
        ++suffix;
    }
    const auto n = static_cast<int>(ia.size() - prefix - suffix);
    const auto m = static_cast<int>(ib.size() - prefix - suffix);
    std::string ops(prefix, 'S');
    if (!shortestEdit(ia.data() + prefix, n, ib.data() + prefix, m, maxEdits, ops)) {
        ops.append(static_cast<size_t>(n), 'R');
        ops.append(static_cast<size_t>(m), 'A');
    }
    ops.append(suffix, 'S');

    std::vector<DiffLine> out;
    out.reserve(ops.size());
    uint32_t x = 0;
    uint32_t y = 0;
    for (char op : ops) {
        DiffLine line;
        if (op == 'S') {
            line.change = LineChange::Same;
            line.text = std::string(la[x]);
            line.lineA = ++x;
            line.lineB = ++y;
        } else if (op == 'R') {
            line.change = LineChange::Removed;
            line.text = std::string(la[x]);
            line.lineA = ++x;
        } else {
            line.change = LineChange::Added;
            line.text = std::string(lb[y]);
            line.lineB = ++y;
        }
        out.push_back(std::move(line));
    }
    return out;
}

}  // namespace ps
