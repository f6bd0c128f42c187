#include "waterfalltext.h"

#include <QLocale>
#include <QObject>
#include <QStringList>

#include <algorithm>

#include "format.h"
#include "spankindpalette.h"

namespace ps::trace {
namespace {

QString fromUtf8(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

}  // namespace

QString spanToolTipText(const Dataset& data, const TraceLayout& layout, uint32_t row) {
    if (row < layout.firstRow || row >= layout.endRow) {
        return {};
    }
    const auto& s = data.spans;
    const size_t i = layout.local(row);
    const uint8_t flags = layout.flags[i];
    QStringList lines;
    QString head = QStringLiteral("<b>%1</b> — %2").arg(fromUtf8(data.str(s.name[row])).toHtmlEscaped(),
                                                         palette::spanKindLabel(s.kind[row]));
    if (!s.service[row].isEmpty()) {
        head += QStringLiteral(", ") + fromUtf8(data.str(s.service[row])).toHtmlEscaped();
    }
    lines << head;
    lines << QObject::tr("Total time: %1").arg(fmt::durationNs(s.durationNs[row]));
    lines << QObject::tr("Self time: %1").arg(fmt::durationNs(layout.selfNs[i]));
    lines << QObject::tr("Starts at: +%1").arg(fmt::durationNs(s.startNs[row] - layout.beginNs));
    const auto& gen = data.generations;
    const auto g = std::lower_bound(gen.span.begin(), gen.span.end(), row);
    if (g != gen.span.end() && *g == row) {
        const auto k = static_cast<size_t>(g - gen.span.begin());
        lines << QObject::tr("Model: %1, %2 in / %3 out tokens, %4")
                     .arg(fromUtf8(data.str(gen.model[k])).toHtmlEscaped(), fmt::tokens(gen.inputTokens[k]),
                          fmt::tokens(gen.outputTokens[k]), fmt::usd(gen.costUsd[k]));
    }
    if ((flags & kSpanError) != 0) {
        const auto& err = data.errors;
        const auto e = std::lower_bound(err.span.begin(), err.span.end(), row);
        QString what;
        if (e != err.span.end() && *e == row) {
            const auto k = static_cast<size_t>(e - err.span.begin());
            what = fromUtf8(data.str(err.type[k])) + QStringLiteral(": ") + fromUtf8(data.str(err.message[k]));
        }
        lines << QStringLiteral("<span style='color:#dc2626'>%1</span>")
                     .arg(QObject::tr("Error %1").arg(what.toHtmlEscaped()).trimmed());
    }
    if ((flags & kSpanFailedEval) != 0) {
        lines << QStringLiteral("<span style='color:#dc2626'>%1</span>").arg(QObject::tr("Failed eval"));
    }
    if ((flags & kSpanSlowest) != 0) {
        lines << QObject::tr("The slowest span of the trace");
    }
    if ((flags & kSpanCriticalPath) != 0) {
        lines << QObject::tr("On the critical path");
    }
    if ((flags & kSpanCollapsed) != 0) {
        lines << QObject::tr("Collapsed: %1 spans inside").arg(QLocale().toString(static_cast<qulonglong>(layout.subtreeEnd[i] - row - 1)));
    }
    return lines.join(QStringLiteral("<br>"));
}

QString waterfallStatusText(const TraceLayout& layout, int64_t viewWidthNs) {
    if (layout.spanCount() == 0) {
        return {};
    }
    const QLocale locale;
    QString text = layout.spanCount() == 1 ? QObject::tr("1 span")
                                             : QObject::tr("%1 spans").arg(locale.toString(static_cast<qulonglong>(layout.spanCount())));
    if (layout.visibleRows.size() != layout.spanCount()) {
        text += QObject::tr(", %1 shown").arg(locale.toString(static_cast<qulonglong>(layout.visibleRows.size())));
    }
    text += QObject::tr(" · trace %1 · view %2")
                .arg(fmt::durationNs(layout.endNs - layout.beginNs), fmt::durationNs(viewWidthNs));
    return text;
}

QString waterfallPendingText(size_t spans) {
    return QObject::tr("Laying out %1 spans…").arg(QLocale().toString(static_cast<qulonglong>(spans)));
}

QString waterfallAreaToolTip(const WaterfallGeometry& geometry, const QPoint& pos) {
    if (geometry.minimapRect().contains(pos)) {
        return QObject::tr("The whole trace; the framed part is on screen. Click or drag to move, wheel to zoom.");
    }
    if (geometry.axisRect().contains(pos)) {
        return QObject::tr("Drag to zoom into a time range; wheel to zoom; F to fit.");
    }
    if (geometry.footerRect().contains(pos)) {
        return QObject::tr("Critical path: the steps the trace's end waited on, found by walking back from each "
                           "span's end through the child that finished last before it (C shows or hides it).");
    }
    return {};
}

}  // namespace ps::trace
