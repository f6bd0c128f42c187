// How each span kind looks wherever spans are drawn (waterfall, flame graph, trace diff, span tree): a colour, a
// one-letter glyph and a display label. One place, so a tool call is the same orange on every view. The hues stay
// away from red, which is kept for errors and failed evals.
#pragma once

#include <QColor>
#include <QString>

#include "spantypes.h"

namespace ps::palette {

QColor spanKindColor(SpanKind kind);
QChar spanKindGlyph(SpanKind kind);   // L, T, R, A, C, E, M (embedding), G (guardrail), K (reranker), · (other)
QString spanKindLabel(SpanKind kind);  // "LLM", "Tool", "Retrieval", ...
// Black or white, whichever reads better on the colour.
QColor textColorOn(const QColor& background);

QColor errorColor();        // error spans: outline and marker
QColor criticalPathColor();  // the strip under critical-path bars
QColor slowestColor();      // the slowest span's badge

}  // namespace ps::palette
