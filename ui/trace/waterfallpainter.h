// Paints one frame of the waterfall from a snapshot of the view's state. Only the rows on screen are touched:
// their bars come from barsForPixels for the visible row range, so a frame costs the same for 100 spans or a
// million. Kept apart from the widget so the widget reads as interaction and the painting can be measured alone.
#pragma once

#include <QPainter>
#include <QString>

#include <cstdint>
#include <functional>
#include <vector>

#include "waterfall.h"
#include "waterfallgeometry.h"

namespace ps::trace {

struct WaterfallFrame {
    const Dataset* data = nullptr;
    const TraceLayout* layout = nullptr;
    const std::vector<uint32_t>* minimap = nullptr;   // span starts per bucket across the whole trace
    const std::vector<int64_t>* errorStarts = nullptr;  // starts of failed spans, for marks on the minimap
    uint32_t kindsPresent = 0;                          // kindBit() of every kind in the trace, for the legend
    WaterfallGeometry geometry;
    int64_t viewBeginNs = 0;
    int64_t viewEndNs = 1;
    size_t firstRow = 0;  // display index of the top row
    uint32_t selectedRow = SpanIndex::kInvalid;
    uint32_t hoverRow = SpanIndex::kInvalid;
    bool showCriticalPath = true;
    int rangeFromX = -1;  // a range being dragged on the axis, in viewport x; -1 when none
    int rangeToX = -1;
    QString message;      // shown in the rows area instead of rows (loading, no trace)
    QString status;       // right side of the footer
};

class WaterfallPainter {
public:
    WaterfallPainter(QPainter& painter, const WaterfallFrame& frame);
    void paint();

    // The text drawn on or beside a span's bar: its name and duration.
    static QString barLabel(const Dataset& data, uint32_t row);

private:
    void paintGrid();
    void paintRows();
    void paintTreeCell(uint32_t row, uint32_t depth, int top);
    void paintBar(const BarRun& bar, int top);
    void paintMinimap();
    void paintAxis();
    void paintRangeSelection();
    void paintFooter();
    int paintLegendItem(int x, int y, const QString& text, const std::function<void(const QRect&)>& swatch);

    QPainter& p_;
    const WaterfallFrame& f_;
    const WaterfallGeometry& g_;
    QFont normalFont_;
    QFont smallFont_;
    QFont boldFont_;
};

}  // namespace ps::trace
