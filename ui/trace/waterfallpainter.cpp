#include "waterfallpainter.h"

#include <QLocale>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

#include "format.h"
#include "spankindpalette.h"
#include "timeaxisticks.h"

namespace ps::trace {
namespace {

const QColor kGridColor(0xee, 0xf0, 0xf3);
const QColor kBorderColor(0xd1, 0xd5, 0xdb);
const QColor kMutedText(0x4b, 0x55, 0x63);
const QColor kText(0x1f, 0x29, 0x37);
const QColor kSelectedRow(0xdb, 0xea, 0xfe);
const QColor kHoverRow(0xf3, 0xf4, 0xf6);
const QColor kSelectedOutline(0x1d, 0x4e, 0xd8);
const QColor kWindowColor(0x25, 0x63, 0xeb);

QString fromUtf8(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

void drawPill(QPainter& p, const QRect& r, const QColor& fill, const QString& text) {
    p.setPen(Qt::NoPen);
    p.setBrush(fill);
    p.drawRoundedRect(r, r.height() / 2.0, r.height() / 2.0);
    p.setPen(Qt::white);
    p.drawText(r, Qt::AlignCenter, text);
}

}  // namespace

WaterfallPainter::WaterfallPainter(QPainter& painter, const WaterfallFrame& frame)
    : p_(painter), f_(frame), g_(frame.geometry), normalFont_(painter.font()), smallFont_(painter.font()),
      boldFont_(painter.font()) {
    smallFont_.setPointSizeF(std::max(6.0, normalFont_.pointSizeF() * 0.85));
    boldFont_.setBold(true);
}

QString WaterfallPainter::barLabel(const Dataset& data, uint32_t row) {
    return fromUtf8(data.str(data.spans.name[row])) + QStringLiteral("  ") + fmt::durationNs(data.spans.durationNs[row]);
}

void WaterfallPainter::paint() {
    p_.fillRect(0, 0, g_.width, g_.height, Qt::white);
    const bool hasRows = f_.data && f_.layout && f_.layout->spanCount() > 0 && f_.message.isEmpty();
    if (hasRows) {
        paintGrid();
        paintRows();
    } else {
        p_.setPen(kMutedText);
        p_.drawText(g_.rowsRect(), Qt::AlignCenter, f_.message);
    }
    paintMinimap();
    paintAxis();
    if (hasRows) {
        paintRangeSelection();
    }
    p_.setPen(kBorderColor);
    p_.drawLine(g_.treeWidth, 0, g_.treeWidth, g_.height - WaterfallGeometry::kFooterHeight);
    paintFooter();
}

void WaterfallPainter::paintGrid() {
    const QRect rows = g_.rowsRect();
    const TimeTicks ticks = timeTicks(f_.viewBeginNs - f_.layout->beginNs, f_.viewEndNs - f_.layout->beginNs,
                                      g_.timeWidth(), 90);
    p_.setPen(kGridColor);
    for (int64_t offset : ticks.offsetsNs) {
        const int x = static_cast<int>(std::lround(g_.xOf(f_.layout->beginNs + offset, f_.viewBeginNs, f_.viewEndNs)));
        p_.drawLine(x, rows.top(), x, rows.bottom());
    }
}

void WaterfallPainter::paintRows() {
    const TraceLayout& l = *f_.layout;
    const QRect rows = g_.rowsRect();
    p_.save();
    p_.setClipRect(rows);
    const auto count = static_cast<size_t>(g_.visibleRowCount());
    const size_t last = std::min(l.visibleRows.size(), f_.firstRow + count);
    for (size_t d = f_.firstRow; d < last; ++d) {
        const uint32_t row = l.visibleRows[d];
        const int top = g_.rowTop(static_cast<int>(d - f_.firstRow));
        if (row == f_.selectedRow || row == f_.hoverRow) {
            p_.fillRect(0, top, g_.width, WaterfallGeometry::kRowHeight,
                        row == f_.selectedRow ? kSelectedRow : kHoverRow);
        }
        paintTreeCell(row, l.visibleDepth[d], top);
    }
    // Bars of the same rows, each covering the pixel columns its span touches (sub-pixel spans widened to one).
    p_.setClipRect(QRect(g_.treeWidth + 1, rows.top(), g_.width - g_.treeWidth - 1, rows.height()));
    const auto bars = barsForPixels(l, *f_.data, f_.viewBeginNs, f_.viewEndNs, g_.timeWidth(), f_.firstRow, count);
    for (const BarRun& bar : bars) {
        paintBar(bar, g_.rowTop(static_cast<int>(bar.displayIndex - f_.firstRow)));
    }
    // Rows whose span is outside the window say which way it lies, so a zoomed view still reads as a tree.
    p_.setFont(smallFont_);
    p_.setPen(QColor(0x9c, 0xa3, 0xaf));
    auto bar = bars.begin();
    for (size_t d = f_.firstRow; d < last; ++d) {
        if (bar != bars.end() && bar->displayIndex == d) {
            ++bar;
            continue;
        }
        const uint32_t row = l.visibleRows[d];
        const bool before = f_.data->spans.startNs[row] < f_.viewBeginNs;
        const QRect cell(g_.treeWidth + 6, g_.rowTop(static_cast<int>(d - f_.firstRow)), g_.width - g_.treeWidth - 12,
                         WaterfallGeometry::kRowHeight);
        p_.drawText(cell, Qt::AlignVCenter | (before ? Qt::AlignLeft : Qt::AlignRight),
                    before ? QStringLiteral("◂ ") + barLabel(*f_.data, row) : barLabel(*f_.data, row) + QStringLiteral(" ▸"));
    }
    p_.restore();
}

void WaterfallPainter::paintTreeCell(uint32_t row, uint32_t depth, int top) {
    const TraceLayout& l = *f_.layout;
    const Dataset& d = *f_.data;
    const int h = WaterfallGeometry::kRowHeight;
    const int mid = top + h / 2;
    int x = g_.indentLeft(depth);
    p_.setFont(smallFont_);
    if (depth > g_.maxIndentLevels()) {
        p_.setPen(kMutedText);
        const QString level = QString::number(depth);
        p_.drawText(QRect(x - 30, top, 28, h), Qt::AlignRight | Qt::AlignVCenter, level);
    }
    const uint8_t flags = l.flags[l.local(row)];
    if (l.subtreeEnd[l.local(row)] > row + 1) {
        QPainterPath triangle;
        if ((flags & kSpanCollapsed) != 0) {
            triangle.moveTo(x + 2, mid - 5);
            triangle.lineTo(x + 8, mid);
            triangle.lineTo(x + 2, mid + 5);
        } else {
            triangle.moveTo(x, mid - 3);
            triangle.lineTo(x + 10, mid - 3);
            triangle.lineTo(x + 5, mid + 3);
        }
        triangle.closeSubpath();
        p_.fillPath(triangle, kMutedText);
    }
    x += 13;
    const SpanKind kind = d.spans.kind[row];
    const QRect glyph(x, mid - 8, 16, 16);
    p_.setPen(Qt::NoPen);
    p_.setBrush(palette::spanKindColor(kind));
    p_.drawRoundedRect(glyph, 3, 3);
    p_.setPen(palette::textColorOn(palette::spanKindColor(kind)));
    p_.drawText(glyph, Qt::AlignCenter, QString(palette::spanKindGlyph(kind)));
    x += 21;

    // Markers at the right end of the cell, then the name elided into what is left.
    int right = g_.treeWidth - 6;
    const QFontMetrics small(smallFont_);
    if ((flags & kSpanSlowest) != 0) {
        const QString text = QObject::tr("slowest");
        const int w = small.horizontalAdvance(text) + 10;
        drawPill(p_, QRect(right - w, mid - 8, w, 16), palette::slowestColor(), text);
        right -= w + 4;
    }
    if ((flags & kSpanFailedEval) != 0) {
        const QString text = QObject::tr("eval ✗");
        const int w = small.horizontalAdvance(text) + 10;
        drawPill(p_, QRect(right - w, mid - 8, w, 16), palette::errorColor(), text);
        right -= w + 4;
    }
    if ((flags & kSpanError) != 0) {
        p_.setPen(Qt::NoPen);
        p_.setBrush(palette::errorColor());
        p_.drawEllipse(QRect(right - 16, mid - 8, 16, 16));
        p_.setPen(Qt::white);
        p_.setFont(boldFont_);
        p_.drawText(QRect(right - 16, mid - 8, 16, 16), Qt::AlignCenter, QStringLiteral("!"));
        right -= 20;
    }
    p_.setFont(normalFont_);
    const QFontMetrics fm(normalFont_);
    const QString name = fromUtf8(d.str(d.spans.name[row]));
    p_.setPen((flags & kSpanError) != 0 ? palette::errorColor() : kText);
    p_.drawText(QRect(x, top, std::max(0, right - x - 4), h), Qt::AlignLeft | Qt::AlignVCenter,
                fm.elidedText(name, Qt::ElideMiddle, std::max(0, right - x - 4)));
}

void WaterfallPainter::paintBar(const BarRun& bar, int top) {
    const Dataset& d = *f_.data;
    const SpanKind kind = d.spans.kind[bar.row];
    const QColor fill = palette::spanKindColor(kind);
    const int h = WaterfallGeometry::kBarHeight;
    const QRect r(g_.timeLeft() + bar.x, top + (WaterfallGeometry::kRowHeight - h) / 2, bar.width, h);
    p_.fillRect(r, fill);
    if (f_.showCriticalPath && (bar.flags & kSpanCriticalPath) != 0) {
        p_.fillRect(QRect(r.left(), r.bottom() - 2, r.width(), 3), palette::criticalPathColor());
    }
    if ((bar.flags & (kSpanError | kSpanFailedEval)) != 0 || bar.row == f_.selectedRow) {
        QPen pen(bar.row == f_.selectedRow && (bar.flags & kSpanError) == 0 ? kSelectedOutline : palette::errorColor(),
                 2);
        if ((bar.flags & kSpanError) == 0 && (bar.flags & kSpanFailedEval) != 0) {
            pen.setStyle(Qt::DashLine);
        }
        p_.setPen(pen);
        p_.setBrush(Qt::NoBrush);
        p_.drawRect(r.adjusted(1, 1, -1, -1));
    }
    // Name and duration on the bar when they fit, else beside it (right, or left at the view's right edge).
    const QString label = barLabel(d, bar.row);
    p_.setFont(normalFont_);
    const QFontMetrics fm(normalFont_);
    const int textWidth = fm.horizontalAdvance(label);
    const int timeRight = g_.timeLeft() + g_.timeWidth();
    QRect textRect;
    if (textWidth + 8 <= r.width()) {
        p_.setPen(palette::textColorOn(fill));
        textRect = QRect(r.left() + 4, top, r.width() - 8, WaterfallGeometry::kRowHeight);
    } else if (r.right() + 6 + textWidth <= timeRight + WaterfallGeometry::kBarsMargin) {
        p_.setPen(kText);
        textRect = QRect(r.right() + 6, top, textWidth + 2, WaterfallGeometry::kRowHeight);
    } else if (r.left() - 6 - textWidth >= g_.treeWidth + 2) {
        p_.setPen(kText);
        textRect = QRect(r.left() - 6 - textWidth, top, textWidth + 2, WaterfallGeometry::kRowHeight);
    } else {
        const int room = std::max(r.left() - g_.treeWidth - 8, timeRight - r.right() - 6);
        p_.setPen(kText);
        const bool onLeft = r.left() - g_.treeWidth - 8 > timeRight - r.right() - 6;
        textRect = onLeft ? QRect(g_.treeWidth + 4, top, room, WaterfallGeometry::kRowHeight)
                          : QRect(r.right() + 6, top, room, WaterfallGeometry::kRowHeight);
        p_.drawText(textRect, Qt::AlignVCenter | (onLeft ? Qt::AlignRight : Qt::AlignLeft),
                    fm.elidedText(label, Qt::ElideMiddle, room));
        return;
    }
    p_.drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter, label);
}

void WaterfallPainter::paintMinimap() {
    const QRect area = g_.minimapRect().adjusted(WaterfallGeometry::kBarsMargin, 3, -WaterfallGeometry::kBarsMargin, -3);
    p_.fillRect(g_.minimapRect(), QColor(0xf8, 0xfa, 0xfc));
    if (!f_.layout || f_.layout->spanCount() == 0 || !f_.minimap || f_.minimap->empty() || area.width() <= 0) {
        return;
    }
    // Span starts per pixel column, from the fixed buckets computed with the layout; square root, so a few spans
    // next to a dense burst still show.
    const std::vector<uint32_t>& buckets = *f_.minimap;
    const size_t n = buckets.size();
    const int w = area.width();
    std::vector<uint64_t> columns(static_cast<size_t>(w), 0);
    for (size_t b = 0; b < n; ++b) {
        columns[std::min(static_cast<size_t>(w) - 1, b * static_cast<size_t>(w) / n)] += buckets[b];
    }
    const double most = static_cast<double>(std::max<uint64_t>(1, *std::max_element(columns.begin(), columns.end())));
    p_.setPen(QColor(0x94, 0xa3, 0xb8));
    for (int x = 0; x < w; ++x) {
        const uint64_t c = columns[static_cast<size_t>(x)];
        if (c == 0) {
            continue;
        }
        const int bar = std::max(1, static_cast<int>(std::lround(std::sqrt(static_cast<double>(c) / most) * area.height())));
        p_.drawLine(area.left() + x, area.bottom(), area.left() + x, area.bottom() - bar + 1);
    }
    const TraceLayout& l = *f_.layout;
    const double range = static_cast<double>(std::max<int64_t>(1, l.endNs - l.beginNs));
    if (f_.errorStarts) {
        p_.setPen(palette::errorColor());
        for (int64_t start : *f_.errorStarts) {
            const int x = area.left() + static_cast<int>(static_cast<double>(start - l.beginNs) / range * (w - 1));
            p_.drawLine(x, area.top(), x, area.top() + 5);
        }
    }
    // The window on screen: the rest of the trace is dimmed.
    const int x0 = area.left() + static_cast<int>(std::floor(static_cast<double>(f_.viewBeginNs - l.beginNs) / range * w));
    const int x1 = area.left() + static_cast<int>(std::ceil(static_cast<double>(f_.viewEndNs - l.beginNs) / range * w));
    const QRect window(QPoint(std::max(area.left(), x0), g_.minimapRect().top() + 1),
                       QPoint(std::min(area.right(), std::max(x0 + 2, x1)), g_.minimapRect().bottom() - 1));
    const QColor dim(255, 255, 255, 170);
    p_.fillRect(QRect(QPoint(area.left(), area.top()), QPoint(window.left() - 1, area.bottom())), dim);
    p_.fillRect(QRect(QPoint(window.right() + 1, area.top()), QPoint(area.right(), area.bottom())), dim);
    QColor fill = kWindowColor;
    fill.setAlpha(28);
    p_.setBrush(fill);
    p_.setPen(QPen(kWindowColor, 1));
    p_.drawRect(window);
}

void WaterfallPainter::paintAxis() {
    const QRect axis = g_.axisRect();
    p_.setPen(kBorderColor);
    p_.drawLine(0, axis.bottom(), g_.width, axis.bottom());
    p_.drawLine(0, g_.minimapRect().bottom(), g_.width, g_.minimapRect().bottom());
    p_.setFont(boldFont_);
    p_.setPen(kText);
    p_.drawText(QRect(8, axis.top(), g_.treeWidth - 16, axis.height()), Qt::AlignLeft | Qt::AlignVCenter,
                QObject::tr("Span"));
    p_.setFont(smallFont_);
    if (!f_.layout || f_.layout->spanCount() == 0) {
        return;
    }
    const int64_t origin = f_.layout->beginNs;
    const TimeTicks ticks = timeTicks(f_.viewBeginNs - origin, f_.viewEndNs - origin, g_.timeWidth(), 90);
    const QFontMetrics fm(smallFont_);
    p_.setPen(kMutedText);
    for (int64_t offset : ticks.offsetsNs) {
        const int x = static_cast<int>(std::lround(g_.xOf(origin + offset, f_.viewBeginNs, f_.viewEndNs)));
        p_.drawLine(x, axis.bottom() - 4, x, axis.bottom());
        const QString text = tickLabel(offset, ticks);
        const int tw = fm.horizontalAdvance(text);
        const int left = std::clamp(x - tw / 2, g_.treeWidth + 2, g_.width - tw - 2);
        p_.drawText(QRect(left, axis.top(), tw + 1, axis.height() - 4), Qt::AlignCenter, text);
    }
}

void WaterfallPainter::paintRangeSelection() {
    if (f_.rangeFromX < 0 || f_.rangeToX < 0) {
        return;
    }
    const int left = std::max(g_.treeWidth, std::min(f_.rangeFromX, f_.rangeToX));
    const int right = std::min(g_.width, std::max(f_.rangeFromX, f_.rangeToX));
    QColor fill = kWindowColor;
    fill.setAlpha(40);
    const QRect band(left, g_.axisRect().top(), right - left, g_.rowsRect().bottom() - g_.axisRect().top());
    p_.fillRect(band, fill);
    p_.setPen(kWindowColor);
    p_.drawLine(band.topLeft(), band.bottomLeft());
    p_.drawLine(band.topRight(), band.bottomRight());
    const int64_t from = g_.timeAt(left, f_.viewBeginNs, f_.viewEndNs);
    const int64_t to = g_.timeAt(right, f_.viewBeginNs, f_.viewEndNs);
    p_.drawText(band.adjusted(4, 2, 0, 0), Qt::AlignLeft | Qt::AlignTop, fmt::durationNs(to - from));
}

int WaterfallPainter::paintLegendItem(int x, int y, const QString& text,
                                      const std::function<void(const QRect&)>& swatch) {
    const QRect box(x, y - 6, 14, 12);
    swatch(box);
    p_.setPen(kMutedText);
    const int tw = QFontMetrics(p_.font()).horizontalAdvance(text);
    p_.drawText(QRect(x + 18, y - 10, tw + 2, 20), Qt::AlignLeft | Qt::AlignVCenter, text);
    return x + 18 + tw + 12;
}

void WaterfallPainter::paintFooter() {
    const QRect footer = g_.footerRect();
    p_.fillRect(footer, QColor(0xf9, 0xfa, 0xfb));
    p_.setPen(kBorderColor);
    p_.drawLine(footer.topLeft(), footer.topRight());
    p_.setFont(smallFont_);
    const QFontMetrics fm(smallFont_);
    const int statusWidth = fm.horizontalAdvance(f_.status) + 16;
    p_.setPen(kMutedText);
    p_.drawText(footer.adjusted(0, 0, -8, 0), Qt::AlignRight | Qt::AlignVCenter, f_.status);
    const int limit = footer.right() - statusWidth;
    const int y = footer.center().y();
    int x = 8;
    auto fits = [&](const QString& text) { return x + 18 + fm.horizontalAdvance(text) <= limit; };
    for (int k = 0; k < kSpanKindCount; ++k) {
        const auto kind = static_cast<SpanKind>(k);
        const QString text = palette::spanKindLabel(kind);
        if ((f_.kindsPresent & kindBit(kind)) == 0 || !fits(text)) {
            continue;
        }
        x = paintLegendItem(x, y, text, [&](const QRect& r) { p_.fillRect(r, palette::spanKindColor(kind)); });
    }
    x += 8;
    const QString error = QObject::tr("error");
    if (fits(error)) {
        x = paintLegendItem(x, y, error, [&](const QRect& r) {
            p_.fillRect(r, QColor(0xe5, 0xe7, 0xeb));
            p_.setPen(QPen(palette::errorColor(), 2));
            p_.setBrush(Qt::NoBrush);
            p_.drawRect(r.adjusted(1, 1, -1, -1));
        });
    }
    const QString eval = QObject::tr("failed eval");
    if (fits(eval)) {
        x = paintLegendItem(x, y, eval, [&](const QRect& r) {
            p_.fillRect(r, QColor(0xe5, 0xe7, 0xeb));
            p_.setPen(QPen(palette::errorColor(), 2, Qt::DashLine));
            p_.setBrush(Qt::NoBrush);
            p_.drawRect(r.adjusted(1, 1, -1, -1));
        });
    }
    const QString path = QObject::tr("critical path");
    if (f_.showCriticalPath && fits(path)) {
        paintLegendItem(x, y, path, [&](const QRect& r) {
            p_.fillRect(r, QColor(0xe5, 0xe7, 0xeb));
            p_.fillRect(QRect(r.left(), r.bottom() - 2, r.width(), 3), palette::criticalPathColor());
        });
    }
}

}  // namespace ps::trace
