#include "spankindpalette.h"

namespace ps::palette {

QColor spanKindColor(SpanKind kind) {
    switch (kind) {
    case SpanKind::Llm: return QColor(0x8e, 0x5c, 0xd9);        // violet
    case SpanKind::Tool: return QColor(0xe8, 0x89, 0x1a);       // orange
    case SpanKind::Retrieval: return QColor(0x1f, 0x9e, 0x89);  // teal
    case SpanKind::Agent: return QColor(0x3a, 0x6f, 0xd8);      // blue
    case SpanKind::Chain: return QColor(0x64, 0x74, 0x8b);      // slate
    case SpanKind::Eval: return QColor(0xc9, 0xa2, 0x27);       // mustard
    case SpanKind::Embedding: return QColor(0x4c, 0xaf, 0x50);  // green
    case SpanKind::Guardrail: return QColor(0xa0, 0x6a, 0x3c);  // brown
    case SpanKind::Reranker: return QColor(0x17, 0xa2, 0xb8);   // cyan
    case SpanKind::Other: break;
    }
    return QColor(0xa3, 0xad, 0xb8);  // grey
}

QChar spanKindGlyph(SpanKind kind) {
    switch (kind) {
    case SpanKind::Llm: return QLatin1Char('L');
    case SpanKind::Tool: return QLatin1Char('T');
    case SpanKind::Retrieval: return QLatin1Char('R');
    case SpanKind::Agent: return QLatin1Char('A');
    case SpanKind::Chain: return QLatin1Char('C');
    case SpanKind::Eval: return QLatin1Char('E');
    case SpanKind::Embedding: return QLatin1Char('M');
    case SpanKind::Guardrail: return QLatin1Char('G');
    case SpanKind::Reranker: return QLatin1Char('K');
    case SpanKind::Other: break;
    }
    return QChar(0x00b7);
}

QString spanKindLabel(SpanKind kind) {
    switch (kind) {
    case SpanKind::Llm: return QStringLiteral("LLM");
    case SpanKind::Tool: return QStringLiteral("Tool");
    case SpanKind::Retrieval: return QStringLiteral("Retrieval");
    case SpanKind::Agent: return QStringLiteral("Agent");
    case SpanKind::Chain: return QStringLiteral("Chain");
    case SpanKind::Eval: return QStringLiteral("Eval");
    case SpanKind::Embedding: return QStringLiteral("Embedding");
    case SpanKind::Guardrail: return QStringLiteral("Guardrail");
    case SpanKind::Reranker: return QStringLiteral("Reranker");
    case SpanKind::Other: break;
    }
    return QStringLiteral("Other");
}

QColor textColorOn(const QColor& background) {
    // Relative luminance with the sRGB weights; the threshold favours white on the mid-tone kind colours.
    const double l = 0.2126 * background.redF() + 0.7152 * background.greenF() + 0.0722 * background.blueF();
    return l > 0.62 ? QColor(0x1f, 0x29, 0x37) : QColor(Qt::white);
}

QColor errorColor() { return QColor(0xdc, 0x26, 0x26); }
QColor criticalPathColor() { return QColor(0x1f, 0x29, 0x37); }
QColor slowestColor() { return QColor(0x33, 0x41, 0x55); }

}  // namespace ps::palette
