#include "flamegraph.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace ps {
namespace {

// (parent node, name) -> child node, open addressing. A trace has few distinct paths and many spans, so nearly
// every lookup hits; std::unordered_map's node allocations and pointer chasing cost several times more here.
class ChildTable {
public:
    ChildTable() { rehash(1024); }

    // The child of `parent` keyed by `name`, or kNoNode after reserving its slot for `created`.
    uint32_t findOrAdd(uint32_t parent, uint32_t name, uint32_t created) {
        if ((used_ + 1) * 2 > keys_.size()) {
            rehash(keys_.size() * 2);
        }
        const uint64_t key = (static_cast<uint64_t>(parent) << 32) | name;
        size_t at = slotOf(key);
        while (values_[at] != FlameNode::kNoNode) {
            if (keys_[at] == key) {
                return values_[at];
            }
            at = (at + 1) & (keys_.size() - 1);
        }
        keys_[at] = key;
        values_[at] = created;
        ++used_;
        return FlameNode::kNoNode;
    }

private:
    // The top bits of a multiplicative hash: every bit of the key (the parent sits in the high half) reaches them.
    size_t slotOf(uint64_t key) const { return static_cast<size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_); }

    void rehash(size_t capacity) {
        shift_ = 64 - std::countr_zero(capacity);
        std::vector<uint64_t> keys(capacity, 0);
        std::vector<uint32_t> values(capacity, FlameNode::kNoNode);
        keys.swap(keys_);
        values.swap(values_);
        for (size_t i = 0; i < keys.size(); ++i) {
            if (values[i] == FlameNode::kNoNode) {
                continue;
            }
            size_t at = slotOf(keys[i]);
            while (values_[at] != FlameNode::kNoNode) {
                at = (at + 1) & (keys_.size() - 1);
            }
            keys_[at] = keys[i];
            values_[at] = values[i];
        }
    }

    std::vector<uint64_t> keys_;
    std::vector<uint32_t> values_;
    size_t used_ = 0;
    int shift_ = 54;
};

// Span name id -> the id its node is keyed by: the name itself, or one id per numbered stem.
class NameGroups {
public:
    NameGroups(const Dataset& data, bool merge) : data_(data), merge_(merge) {}

    // The key, and whether the name was merged with its stem.
    std::pair<uint32_t, bool> of(StringId name) {
        if (!merge_) {
            return {name.value, false};
        }
        auto [it, inserted] = byName_.try_emplace(name.value, std::pair<uint32_t, bool>{0, false});
        if (inserted) {
            const std::string_view text = data_.str(name);
            std::string stem = numberedStem(text);
            const bool numbered = stem != text;
            // Stems get ids above every string id, so they never collide with an unmerged name.
            const auto next = static_cast<uint32_t>(data_.strings.size() + byStem_.size());
            const uint32_t key = numbered ? byStem_.try_emplace(std::move(stem), next).first->second : name.value;
            it->second = {key, numbered};
        }
        return it->second;
    }

private:
    const Dataset& data_;
    bool merge_;
    std::unordered_map<uint32_t, std::pair<uint32_t, bool>> byName_;
    std::unordered_map<std::string, uint32_t> byStem_;
};

}  // namespace

std::string numberedStem(std::string_view name) {
    size_t digits = 0;
    while (digits < name.size() && name[name.size() - 1 - digits] >= '0' && name[name.size() - 1 - digits] <= '9') {
        ++digits;
    }
    if (digits == 0 || digits == name.size()) {
        return std::string(name);
    }
    const char before = name[name.size() - 1 - digits];
    if (before != ' ' && before != '_' && before != '#' && before != ':' && before != '/') {
        return std::string(name);
    }
    return std::string(name.substr(0, name.size() - digits)) + '#';
}

std::string flameLabel(const Dataset& data, const FlameNode& node) {
    const std::string_view name = data.str(node.name);
    return node.numbered ? numberedStem(name) : std::string(name);
}

FlameGraph buildFlameGraph(const Dataset& data, const TraceLayout& layout, FlameOrder order, bool mergeNumbered) {
    FlameGraph graph;
    graph.request = layout.request;
    const size_t n = layout.spanCount();
    graph.nodes.emplace_back();
    graph.nodes.front().firstStartNs = n > 0 ? std::numeric_limits<int64_t>::max() : 0;
    graph.nodeOfSpan.assign(n, 0);
    graph.nodes.reserve(n + 1);  // at most one node per span; pages never written are never touched
    ChildTable children;
    NameGroups groups(data, mergeNumbered);
    for (size_t i = 0; i < n; ++i) {
        const auto row = static_cast<uint32_t>(layout.firstRow + i);
        uint32_t parentNode = 0;
        if (layout.depth[i] > 0) {
            parentNode = graph.nodeOfSpan[data.spans.parent[row] - layout.firstRow];
        }
        const StringId name = data.spans.name[row];
        const auto [key, numbered] = groups.of(name);
        const auto created = static_cast<uint32_t>(graph.nodes.size());
        uint32_t node = children.findOrAdd(parentNode, key, created);
        if (node == FlameNode::kNoNode) {
            node = created;
            FlameNode fresh;
            fresh.name = name;
            fresh.parent = parentNode;
            fresh.depth = graph.nodes[parentNode].depth + 1;
            fresh.firstStartNs = data.spans.startNs[row];
            fresh.kind = data.spans.kind[row];
            fresh.numbered = numbered;
            graph.nodes.push_back(fresh);
        }
        graph.nodeOfSpan[i] = node;
        FlameNode& f = graph.nodes[node];
        const int64_t duration = std::max<int64_t>(data.spans.durationNs[row], 0);
        f.totalNs += duration;
        f.selfNs += layout.selfNs[i];
        f.count += 1;
        f.firstStartNs = std::min(f.firstStartNs, data.spans.startNs[row]);
        f.errorCount += data.spans.status[row] == SpanStatus::Error ? 1 : 0;
        if (layout.depth[i] == 0) {
            FlameNode& t = graph.nodes.front();
            t.totalNs += duration;
            t.firstStartNs = std::min(t.firstStartNs, data.spans.startNs[row]);
        }
    }
    sortFlameGraph(data, graph, order);
    return graph;
}

void sortFlameGraph(const Dataset& data, FlameGraph& graph, FlameOrder order) {
    const size_t count = graph.nodes.size();
    // Children of every node (in current numbering), as one flat array grouped by parent.
    std::vector<uint32_t> begin(count + 1, 0);
    for (size_t i = 1; i < count; ++i) {
        ++begin[graph.nodes[i].parent + 1];
    }
    for (size_t i = 0; i < count; ++i) {
        begin[i + 1] += begin[i];
    }
    std::vector<uint32_t> kids(count > 0 ? count - 1 : 0);
    {
        std::vector<uint32_t> cursor(begin.begin(), begin.end() - 1);
        for (size_t i = 1; i < count; ++i) {
            kids[cursor[graph.nodes[i].parent]++] = static_cast<uint32_t>(i);
        }
    }
    // Names as shown; merged ones need their stem, made once per node rather than per comparison.
    std::vector<std::string> stems;
    for (size_t i = 0; i < count; ++i) {
        if (graph.nodes[i].numbered) {
            stems.resize(count);
            stems[i] = flameLabel(data, graph.nodes[i]);
        }
    }
    auto nameOf = [&](uint32_t node) -> std::string_view {
        return graph.nodes[node].numbered ? std::string_view(stems[node]) : data.str(graph.nodes[node].name);
    };
    auto before = [&](uint32_t a, uint32_t b) {
        const FlameNode& x = graph.nodes[a];
        const FlameNode& y = graph.nodes[b];
        if (order == FlameOrder::ByTotalTime && x.totalNs != y.totalNs) {
            return x.totalNs > y.totalNs;
        }
        if (order == FlameOrder::ByFirstStart && x.firstStartNs != y.firstStartNs) {
            return x.firstStartNs < y.firstStartNs;
        }
        const std::string_view nx = nameOf(a);
        const std::string_view ny = nameOf(b);
        return nx != ny ? nx < ny : a < b;
    };
    // Breadth-first renumbering: the children of the k-th node are appended together, in order.
    std::vector<uint32_t> oldOf;
    oldOf.reserve(count);
    oldOf.push_back(0);
    std::vector<uint32_t> newOf(count, 0);
    std::vector<FlameNode> renumbered;
    renumbered.reserve(count);
    uint32_t maxDepth = 0;
    for (size_t k = 0; k < oldOf.size(); ++k) {
        const uint32_t old = oldOf[k];
        FlameNode node = graph.nodes[old];
        node.parent = old == 0 ? FlameNode::kNoNode : newOf[node.parent];
        node.firstChild = static_cast<uint32_t>(oldOf.size());
        node.childCount = begin[old + 1] - begin[old];
        maxDepth = std::max(maxDepth, node.depth);
        auto first = kids.begin() + begin[old];
        auto last = kids.begin() + begin[old + 1];
        std::sort(first, last, before);
        for (auto it = first; it != last; ++it) {
            newOf[*it] = static_cast<uint32_t>(oldOf.size());
            oldOf.push_back(*it);
        }
        renumbered.push_back(node);
    }
    graph.nodes = std::move(renumbered);
    for (uint32_t& node : graph.nodeOfSpan) {
        node = newOf[node];
    }
    graph.maxDepth = maxDepth;
}

std::string flamePath(const Dataset& data, const FlameGraph& graph, uint32_t node) {
    std::vector<std::string> parts;
    for (uint32_t at = node; at != 0 && at < graph.nodes.size(); at = graph.nodes[at].parent) {
        parts.push_back(flameLabel(data, graph.nodes[at]));
    }
    std::string path;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
        if (!path.empty()) {
            path.push_back(';');
        }
        path.append(*it);
    }
    return path;
}

std::vector<FlameRect> flameRects(const FlameGraph& graph, uint32_t focus, double widthPx, double minWidthPx,
                                  uint32_t maxLevel) {
    std::vector<FlameRect> rects;
    if (focus >= graph.nodes.size() || widthPx <= 0) {
        return rects;
    }
    std::vector<FlameRect> stack{{focus, 0, 0.0, widthPx}};
    std::vector<FlameRect> siblings;
    while (!stack.empty()) {
        const FlameRect at = stack.back();
        stack.pop_back();
        rects.push_back(at);
        const FlameNode& node = graph.nodes[at.node];
        int64_t childSum = 0;
        for (uint32_t c = node.firstChild; c < node.firstChild + node.childCount; ++c) {
            childSum += graph.nodes[c].totalNs;
        }
        const int64_t whole = std::max(node.totalNs, childSum);
        if (whole <= 0 || at.level >= maxLevel) {
            continue;
        }
        const double scale = at.width / static_cast<double>(whole);
        double x = at.x;
        siblings.clear();
        for (uint32_t c = node.firstChild; c < node.firstChild + node.childCount; ++c) {
            const double w = static_cast<double>(graph.nodes[c].totalNs) * scale;
            if (w >= minWidthPx) {
                siblings.push_back({c, at.level + 1, x, w});
            }
            x += w;
        }
        stack.insert(stack.end(), siblings.rbegin(), siblings.rend());
    }
    return rects;
}

}  // namespace ps
