// Where each part of the waterfall sits in its viewport, shared by the widget (hit testing) and the painter.
//
//   +-------------------+------------------------------------------+
//   | buttons           | minimap of the whole trace               |  header
//   | "Span" heading    | time axis with tick labels               |
//   +-------------------+------------------------------------------+
//   | span tree         | bars                                     |  rows (scrolled)
//   +-------------------+------------------------------------------+
//   | legend and counts                                            |  footer
//   +--------------------------------------------------------------+
#pragma once

#include <QRect>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace ps::trace {

struct WaterfallGeometry {
    static constexpr int kRowHeight = 22;
    static constexpr int kBarHeight = 14;
    static constexpr int kMinimapHeight = 28;
    static constexpr int kAxisHeight = 22;
    static constexpr int kFooterHeight = 24;
    static constexpr int kBarsMargin = 8;  // left and right of the bars, so edge bars and labels are not cut
    static constexpr int kIndent = 14;
    static constexpr int kMinTreeWidth = 140;

    int width = 0;
    int height = 0;
    int treeWidth = 320;

    // The tree column keeps at least kMinTreeWidth and leaves the bars at least 200 pixels.
    void setTreeWidth(int wanted) { treeWidth = std::clamp(wanted, kMinTreeWidth, std::max(kMinTreeWidth, width - 200)); }

    [[nodiscard]] int headerHeight() const { return kMinimapHeight + kAxisHeight; }
    [[nodiscard]] QRect minimapRect() const { return {treeWidth, 0, std::max(0, width - treeWidth), kMinimapHeight}; }
    [[nodiscard]] QRect axisRect() const {
        return {treeWidth, kMinimapHeight, std::max(0, width - treeWidth), kAxisHeight};
    }
    [[nodiscard]] QRect headerTreeRect() const { return {0, 0, treeWidth, headerHeight()}; }
    [[nodiscard]] QRect rowsRect() const {
        return {0, headerHeight(), width, std::max(0, height - headerHeight() - kFooterHeight)};
    }
    [[nodiscard]] QRect footerRect() const { return {0, height - kFooterHeight, width, kFooterHeight}; }
    // The columns time is mapped onto, inside the bars area (also used for the axis and the minimap).
    [[nodiscard]] int timeLeft() const { return treeWidth + kBarsMargin; }
    [[nodiscard]] int timeWidth() const { return std::max(1, width - treeWidth - 2 * kBarsMargin); }
    // Rows that fit, counting a partly shown last row.
    [[nodiscard]] int visibleRowCount() const { return (rowsRect().height() + kRowHeight - 1) / kRowHeight; }
    [[nodiscard]] int rowTop(int screenRow) const { return headerHeight() + screenRow * kRowHeight; }
    // Screen row under y in the rows area, or -1.
    [[nodiscard]] int screenRowAt(int y) const {
        const QRect r = rowsRect();
        return y >= r.top() && y <= r.bottom() ? (y - r.top()) / kRowHeight : -1;
    }
    // Left edge of a row's expand triangle in the tree. Deep chains would push names out of the column, so the
    // indentation stops where a name still fits (the painter then writes the depth).
    [[nodiscard]] uint32_t maxIndentLevels() const {
        return static_cast<uint32_t>(std::max(0, (treeWidth - 150) / kIndent));
    }
    [[nodiscard]] int indentLeft(uint32_t depth) const {
        return 6 + static_cast<int>(std::min(depth, maxIndentLevels())) * kIndent;
    }
    [[nodiscard]] bool onSplitter(int x, int y) const {
        return std::abs(x - treeWidth) <= 3 && y >= 0 && y < height - kFooterHeight;
    }

    // Time <-> x in viewport pixels, for a view showing [begin, end).
    [[nodiscard]] double xOf(int64_t t, int64_t begin, int64_t end) const {
        return timeLeft() + static_cast<double>(t - begin) / static_cast<double>(end - begin) * timeWidth();
    }
    [[nodiscard]] int64_t timeAt(double x, int64_t begin, int64_t end) const {
        return begin + static_cast<int64_t>(std::llround((x - timeLeft()) / timeWidth() *
                                                         static_cast<double>(end - begin)));
    }
};

}  // namespace ps::trace
