// The waterfall's words about a span and a trace: the hover tooltip (kind, total and self time, start, model and
// tokens, error, eval, slowest, critical path), the footer's counts and the help on the header and legend.
#pragma once

#include <QString>

#include "waterfall.h"
#include "waterfallgeometry.h"

namespace ps::trace {

// Rich text; empty for a row outside the layout's trace.
QString spanToolTipText(const Dataset& data, const TraceLayout& layout, uint32_t row);
// "1,234 spans, 1,100 shown · trace 2.43 s · view 300 ms"
QString waterfallStatusText(const TraceLayout& layout, int64_t viewWidthNs);
// "Laying out 1,000,000 spans…"
QString waterfallPendingText(size_t spans);
// What the minimap, the axis and the legend do; empty elsewhere.
QString waterfallAreaToolTip(const WaterfallGeometry& geometry, const QPoint& pos);

}  // namespace ps::trace
