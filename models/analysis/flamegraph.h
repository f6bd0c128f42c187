// A trace aggregated by span-name path (root;agent;llm_call;...): for agent traces that repeat the same steps
// thousands of times, one node per distinct path says where the time went, which a waterfall of every span cannot.
// Pure functions over a Dataset and its TraceLayout, no Qt; the flame graph widget only paints what these return.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "waterfall.h"

namespace ps {

enum class FlameOrder : uint8_t {
    ByName,       // children left to right by name (byte order)
    ByTotalTime,  // largest total first (ties by name)
    ByFirstStart  // in the order the path first started in the trace (ties by name)
};

struct FlameNode {
    static constexpr uint32_t kNoNode = UINT32_MAX;

    StringId name;                  // empty for the synthetic top node
    uint32_t parent = kNoNode;
    uint32_t depth = 0;             // 0 for the top node, 1 for the trace's roots
    uint32_t firstChild = 0;        // children are the nodes [firstChild, firstChild + childCount), in order
    uint32_t childCount = 0;
    int64_t totalNs = 0;            // sum of the durations of the spans at this path
    int64_t selfNs = 0;             // sum of their self times (TraceLayout::selfNs)
    int64_t firstStartNs = 0;       // earliest start among them
    uint64_t count = 0;             // spans at this path
    uint32_t errorCount = 0;        // of them with status Error
    SpanKind kind = SpanKind::Other;  // kind of the first span seen at this path
    bool numbered = false;          // stands for names that differ in a trailing number ("step 1", "step 2")
};

// nodes[0] is a synthetic top node standing for the whole trace: its children are the trace's depth-0 spans (one
// root, plus any orphans), its total their sum, its count 0. Nodes are numbered breadth-first, so a node's
// children are contiguous and every node comes after its parent.
struct FlameGraph {
    RequestIndex request;
    std::vector<FlameNode> nodes;
    std::vector<uint32_t> nodeOfSpan;  // per span of the trace (row - TraceLayout::firstRow)
    uint32_t maxDepth = 0;

    [[nodiscard]] bool empty() const { return nodes.size() <= 1; }
};

// One pass over the trace's rows; the layout gives depth and self time (its hiding options do not matter: every
// span counts). Empty graph (just the top node) for an empty layout.
//
// With mergeNumbered, names that differ only in a trailing number after a space, '_', '#', ':' or '/' share a
// node ("step 1", "step 2" -> "step #"): agent frameworks number their steps and turns, and without this every
// step of a 100,000-span run is a path of its own. A number after '-' or '.' is kept ("gpt-4" is not "gpt-5").
FlameGraph buildFlameGraph(const Dataset& data, const TraceLayout& layout, FlameOrder order,
                           bool mergeNumbered = false);

// Re-sorts every node's children, renumbering the nodes; nodeOfSpan follows.
void sortFlameGraph(const Dataset& data, FlameGraph& graph, FlameOrder order);

// A node's name as shown: the span name, or its merged form ("step #").
std::string flameLabel(const Dataset& data, const FlameNode& node);
// The name with a trailing number after a separator replaced by '#'; the name itself when it has none.
std::string numberedStem(std::string_view name);

// The path of a node from the top node's child down to it, joined by ';' (the folded-stack notation).
std::string flamePath(const Dataset& data, const FlameGraph& graph, uint32_t node);

// An icicle rectangle of the graph drawn from `focus` down, focus across the full width.
struct FlameRect {
    uint32_t node = 0;
    uint32_t level = 0;  // 0 for the focus node, 1 for its children, ...
    double x = 0;        // pixels from the left
    double width = 0;
};

// Rectangles in pre-order. A node's children split its width in proportion to their totals; when parallel
// children add up to more than the parent (their durations overlap in time), they share the parent's width in
// proportion instead of overflowing it. Nodes narrower than minWidthPx are left out with their subtrees (level of
// detail: their time stays visible as the part of the parent no child covers). Levels below maxLevel are not
// visited, so a view scrolled to the top of a very deep graph pays only for what it shows.
std::vector<FlameRect> flameRects(const FlameGraph& graph, uint32_t focus, double widthPx, double minWidthPx,
                                  uint32_t maxLevel = UINT32_MAX);

}  // namespace ps
