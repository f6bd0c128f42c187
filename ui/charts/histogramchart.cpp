#include "histogramchart.h"

#include <QLocale>
#include <QContextMenuEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

#include "chartscale.h"

namespace ps {
namespace {

const QColor kBar(76, 120, 168);
constexpr double kTickGap = 14;  // the least room between two tick labels
constexpr int kMaxTicks = 8;

// Round values for the x ticks of a log axis: `fine` adds 2 and 5 between the powers of ten. Durations above
// a minute step in minutes and hours rather than in powers of ten of milliseconds.
std::vector<double> roundValues(double lo, double hi, fmt::Unit unit, bool fine) {
    std::vector<double> out;
    if (!(lo > 0) || !(hi > lo)) {
        return out;
    }
    const double minuteMs = 60000;
    const bool duration = unit == fmt::Unit::DurationMs;
    for (int e = static_cast<int>(std::floor(std::log10(lo))); e <= static_cast<int>(std::ceil(std::log10(hi))); ++e) {
        const double p = std::pow(10.0, e);
        for (double m : fine ? std::vector<double>{1, 2, 5} : std::vector<double>{1}) {
            const double v = m * p;
            if (duration && v >= minuteMs) {
                continue;
            }
            out.push_back(v);
        }
    }
    if (duration) {
        const std::vector<double> minutesList =
            fine ? std::vector<double>{1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200} : std::vector<double>{1, 10, 60, 600};
        for (double minutes : minutesList) {
            out.push_back(minutes * minuteMs);
        }
    }
    std::erase_if(out, [&](double v) { return v < lo * (1 - 1e-9) || v > hi * (1 + 1e-9); });
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

HistogramChart::HistogramChart(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
}

void HistogramChart::setData(const Histogram& h, fmt::Unit unit, QString title) {
    h_ = h;
    if (h_.edges.size() != h_.counts.size() + 1) {
        h_.counts.resize(h_.edges.size() > 0 ? h_.edges.size() - 1 : 0, 0);
    }
    unit_ = unit;
    title_ = std::move(title);
    total_ = 0;
    maxCount_ = 0;
    for (uint64_t c : h_.counts) {
        total_ += c;
        maxCount_ = std::max(maxCount_, c);
    }
    log_ = !h_.edges.empty() && h_.edges.front() > 0;
    hover_ = -1;
    pressed_ = -1;
    layoutChart();
    update();
}

double HistogramChart::xOf(double value) const {
    const double lo = h_.edges.front();
    const double hi = h_.edges.back();
    double t = 0;
    if (hi > lo) {
        t = log_ ? std::log(std::max(value, lo) / lo) / std::log(hi / lo) : (value - lo) / (hi - lo);
    }
    return plot_.left() + std::clamp(t, 0.0, 1.0) * plot_.width();
}

void HistogramChart::layoutChart() {
    xTicks_.clear();
    yTicks_.clear();
    markers_.clear();
    if (total_ == 0) {
        return;
    }
    const QFontMetricsF fm(font());
    QFont titleFont = font();
    titleFont.setBold(true);
    const QFontMetricsF tfm(titleFont);

    // Left margin: the widest count label.
    const charts::NiceScale y = charts::niceScale(static_cast<double>(maxCount_), 1);
    yTop_ = y.top;
    double labelWidth = 0;
    for (int i = 0; i < y.tickCount(); ++i) {
        yTicks_.push_back(i * y.step);
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(charts::trimZeros(fmt::count(i * y.step))));
    }
    const double left = std::max(28.0, labelWidth + 12);
    const double right = 16;
    plot_ = QRectF(left, 0, std::max(10.0, width() - left - right), 0);

    // Percentile markers: a flag right of the line (left of it near the right edge), stacked in rows where
    // two flags would overlap.
    const double rowHeight = fm.height() + 2;
    const struct {
        const char* name;
        double value;
        QColor color;
    } marks[] = {{"p50", h_.p50, QColor(44, 140, 60)}, {"p95", h_.p95, QColor(214, 110, 0)},
                 {"p99", h_.p99, QColor(200, 40, 50)}};
    std::vector<std::vector<QRectF>> rows;
    for (const auto& m : marks) {
        if (!std::isfinite(m.value)) {
            continue;
        }
        Marker marker;
        marker.x = xOf(m.value);
        marker.color = m.color;
        marker.label = QLatin1String(m.name) + QLatin1Char(' ') + fmt::value(unit_, m.value);
        const double w = fm.horizontalAdvance(marker.label) + 8;
        double x0 = marker.x + 1;
        if (x0 + w > width() - 2) {
            x0 = marker.x - 1 - w;
        }
        QRectF rect(std::max(0.0, x0), 0, w, rowHeight);
        size_t row = 0;
        for (; row < rows.size(); ++row) {
            const bool clash = std::any_of(rows[row].begin(), rows[row].end(), [&](const QRectF& r) {
                return r.left() - 4 < rect.right() && rect.left() < r.right() + 4;
            });
            if (!clash) {
                break;
            }
        }
        if (row == rows.size()) {
            rows.emplace_back();
        }
        rect.moveTop(static_cast<double>(row) * rowHeight);
        rows[row].push_back(rect);
        marker.labelRect = rect;
        markers_.push_back(marker);
    }

    const double titleHeight = title_.isEmpty() ? 6 : tfm.height() + 10;
    const double top = titleHeight + static_cast<double>(rows.size()) * rowHeight + 4;
    const double bottom = fm.height() + 10;
    plot_.setTop(top);
    plot_.setHeight(std::max(10.0, height() - top - bottom));
    for (Marker& m : markers_) {
        m.labelRect.translate(0, titleHeight);
    }

    // X ticks: the densest set of round values whose labels fit side by side; powers of ten otherwise, thinned.
    auto ticksFor = [&](const std::vector<double>& values, bool thin) {
        std::vector<Tick> ticks;
        double lastRight = -1e9;
        for (double v : values) {
            const QString label = charts::trimZeros(fmt::value(unit_, v));
            const double x = xOf(v);
            const double w = fm.horizontalAdvance(label);
            const double l = std::max(0.0, x - w / 2);
            if (l < lastRight + kTickGap || l + w > width()) {
                if (!thin) {
                    return std::vector<Tick>{};
                }
                continue;
            }
            ticks.push_back({x, label});
            lastRight = l + w;
        }
        return ticks;
    };
    const double lo = h_.edges.front();
    const double hi = h_.edges.back();
    if (log_) {
        const std::vector<double> fine = roundValues(lo, hi, unit_, true);
        if (fine.size() <= kMaxTicks) {
            xTicks_ = ticksFor(fine, false);
        }
        if (xTicks_.empty()) {
            xTicks_ = ticksFor(roundValues(lo, hi, unit_, false), true);
        }
        if (xTicks_.size() < 2 && fine.size() > kMaxTicks) {
            xTicks_ = ticksFor(fine, true);
        }
    } else {
        const charts::NiceScale x = charts::niceScale(hi);
        std::vector<double> values;
        for (int i = 0; i < x.tickCount(); ++i) {
            if (i * x.step >= lo && i * x.step <= hi) {
                values.push_back(i * x.step);
            }
        }
        xTicks_ = ticksFor(values, true);
    }
    if (xTicks_.size() < 2) {  // a narrow range: label its ends
        xTicks_ = ticksFor({lo, hi}, true);
    }
}

QRectF HistogramChart::barRect(int bin) const {
    if (bin < 0 || static_cast<size_t>(bin) >= h_.counts.size() || total_ == 0) {
        return {};
    }
    const double x0 = xOf(h_.edges[static_cast<size_t>(bin)]);
    const double x1 = xOf(h_.edges[static_cast<size_t>(bin) + 1]);
    return QRectF(x0, plot_.top(), x1 - x0, plot_.height());
}

int HistogramChart::binAt(QPointF pos) const {
    if (total_ == 0 || pos.y() < plot_.top() || pos.y() > plot_.bottom() || pos.x() < plot_.left() ||
        pos.x() >= plot_.right()) {
        return -1;
    }
    for (size_t i = 0; i < h_.counts.size(); ++i) {
        if (pos.x() < xOf(h_.edges[i + 1])) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

void HistogramChart::setRowNoun(const QString& singular, const QString& plural) {
    singular_ = singular;
    plural_ = plural;
    update();
}

QString HistogramChart::toolTipFor(int bin) const {
    const auto i = static_cast<size_t>(bin);
    const uint64_t c = h_.counts[i];
    const QString requests = c == 1 ? singular_ : plural_;
    return fmt::value(unit_, h_.edges[i]) + QStringLiteral(" – ") + fmt::value(unit_, h_.edges[i + 1]) +
           QStringLiteral(": ") + QLocale(QLocale::English).toString(static_cast<qulonglong>(c)) + QLatin1Char(' ') +
           requests + QStringLiteral(" (") + fmt::percent(static_cast<double>(c) / static_cast<double>(total_)) +
           QLatin1Char(')') + QLatin1Char('\n') + tr("Click to filter; double-click to open the slowest trace");
}

void HistogramChart::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const QPalette pal = palette();
    if (total_ == 0) {
        QColor message = pal.color(QPalette::WindowText);
        message.setAlphaF(0.55f);
        p.setPen(message);
        QFont f = font();
        f.setPointSizeF(f.pointSizeF() * 1.15);
        p.setFont(f);
        p.drawText(rect(), Qt::AlignCenter, tr("No data"));
        return;
    }
    const QFontMetricsF fm(font());
    const QColor text = pal.color(QPalette::WindowText);
    QColor muted = text;  // secondary text, still readable on the window colour
    muted.setAlphaF(0.62f);

    if (!title_.isEmpty()) {
        QFont titleFont = font();
        titleFont.setBold(true);
        p.setFont(titleFont);
        p.setPen(text);
        const QString caption = title_;
        const double w = QFontMetricsF(titleFont).horizontalAdvance(caption);
        const double baseline = QFontMetricsF(titleFont).ascent() + 4;
        p.drawText(QPointF(4, baseline), caption);
        p.setFont(font());
        p.setPen(muted);
        p.drawText(QPointF(4 + w + 8, baseline),
                   QLocale(QLocale::English).toString(static_cast<qulonglong>(total_)) + QLatin1Char(' ') +
                       (total_ == 1 ? singular_ : plural_));
    }

    // Y grid and count labels.
    p.setFont(font());
    QColor grid = pal.color(QPalette::Mid);
    grid.setAlpha(70);
    for (double v : yTicks_) {
        const double y = plot_.bottom() - v / yTop_ * plot_.height();
        p.setPen(grid);
        p.drawLine(QPointF(plot_.left(), y), QPointF(plot_.right(), y));
        p.setPen(muted);
        p.drawText(QRectF(0, y - fm.height() / 2, plot_.left() - 6, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
                   charts::trimZeros(fmt::count(v)));
    }

    // Bars.
    p.setRenderHint(QPainter::Antialiasing, false);
    for (size_t i = 0; i < h_.counts.size(); ++i) {
        if (h_.counts[i] == 0) {
            continue;
        }
        QRectF r = barRect(static_cast<int>(i));
        if (r.width() >= 4) {
            r.adjust(0.5, 0, -0.5, 0);
        }
        const double hgt = static_cast<double>(h_.counts[i]) / yTop_ * plot_.height();
        r.setTop(plot_.bottom() - std::max(hgt, 1.0));
        p.fillRect(r, static_cast<int>(i) == hover_ ? kBar.darker(135) : kBar);
    }

    // Axis line and x ticks.
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(QPointF(plot_.left(), plot_.bottom()), QPointF(plot_.right(), plot_.bottom()));
    for (const Tick& t : xTicks_) {
        p.setPen(pal.color(QPalette::Mid));
        p.drawLine(QPointF(t.x, plot_.bottom()), QPointF(t.x, plot_.bottom() + 4));
        p.setPen(muted);
        const double w = fm.horizontalAdvance(t.label);
        const double l = std::clamp(t.x - w / 2, 0.0, width() - w);
        p.drawText(QPointF(l, plot_.bottom() + 6 + fm.ascent()), t.label);
    }

    // Percentile lines up to their flags; flags painted last so that a line passing behind one stays readable.
    p.setRenderHint(QPainter::Antialiasing, true);
    for (const Marker& m : markers_) {
        p.setPen(QPen(m.color, 1.3, Qt::DashLine));
        p.drawLine(QPointF(m.x, m.labelRect.top()), QPointF(m.x, plot_.bottom()));
    }
    for (const Marker& m : markers_) {
        p.fillRect(m.labelRect, pal.color(QPalette::Window));
        p.setPen(m.color.darker(125));
        p.drawText(m.labelRect, Qt::AlignCenter, m.label);
    }
}

void HistogramChart::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    layoutChart();
}

void HistogramChart::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange) {
        layoutChart();
        update();
    }
}

void HistogramChart::mouseMoveEvent(QMouseEvent* event) {
    const int bin = binAt(event->position());
    if (bin == hover_) {
        return;
    }
    hover_ = bin;
    update();
    if (bin < 0) {
        QToolTip::hideText();
        return;
    }
    QToolTip::showText(event->globalPosition().toPoint() + QPoint(14, 10), toolTipFor(bin), this);
}

void HistogramChart::mousePressEvent(QMouseEvent* event) {
    pressed_ = event->button() == Qt::LeftButton ? binAt(event->position()) : -1;
}

void HistogramChart::mouseReleaseEvent(QMouseEvent* event) {
    const int bin = event->button() == Qt::LeftButton ? binAt(event->position()) : -1;
    if (bin >= 0 && bin == pressed_) {
        const auto i = static_cast<size_t>(bin);
        Q_EMIT binClicked(h_.edges[i], h_.edges[i + 1]);
    }
    pressed_ = -1;
}

void HistogramChart::mouseDoubleClickEvent(QMouseEvent* event) {
    const int bin = event->button() == Qt::LeftButton ? binAt(event->position()) : -1;
    if (bin >= 0) {
        const auto i = static_cast<size_t>(bin);
        Q_EMIT binOpened(h_.edges[i], h_.edges[i + 1]);
    }
}

void HistogramChart::contextMenuEvent(QContextMenuEvent* event) {
    const int bin = binAt(event->pos());
    if (bin < 0) {
        return;
    }
    const auto i = static_cast<size_t>(bin);
    const double lo = h_.edges[i];
    const double hi = h_.edges[i + 1];
    QMenu menu(this);
    menu.addAction(tr("Filter to this range"), this, [this, lo, hi] { Q_EMIT binClicked(lo, hi); });
    menu.addAction(tr("Open the slowest trace in this range"), this, [this, lo, hi] { Q_EMIT binOpened(lo, hi); });
    menu.exec(event->globalPos());
}

void HistogramChart::leaveEvent(QEvent* event) {
    QWidget::leaveEvent(event);
    if (hover_ >= 0) {
        hover_ = -1;
        update();
        QToolTip::hideText();
    }
}

}  // namespace ps
