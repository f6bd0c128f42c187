#include "sparkline.h"

#include <QPainter>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ps {

Sparkline::Sparkline(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void Sparkline::setValues(std::vector<double> values) {
    values_ = std::move(values);
    update();
}

void Sparkline::setColor(const QColor& color) {
    color_ = color;
    update();
}

void Sparkline::paintEvent(QPaintEvent*) {
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    int last = -1;
    for (size_t i = 0; i < values_.size(); ++i) {
        if (std::isfinite(values_[i])) {
            lo = std::min(lo, values_[i]);
            hi = std::max(hi, values_[i]);
            last = static_cast<int>(i);
        }
    }
    if (last < 0) {
        return;
    }
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor color = color_.isValid() ? color_ : palette().color(QPalette::Highlight);
    const double dot = 2.5;
    const QRectF area = QRectF(rect()).adjusted(dot + 1, dot + 1, -(dot + 1), -(dot + 1));
    const double n = static_cast<double>(values_.size());
    auto point = [&](size_t i) {
        const double x = n > 1 ? area.left() + static_cast<double>(i) / (n - 1) * area.width() : area.center().x();
        const double y = hi > lo ? area.bottom() - (values_[i] - lo) / (hi - lo) * area.height() : area.center().y();
        return QPointF(x, y);
    };

    p.setPen(QPen(color, 1.3, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.setBrush(color);
    QPolygonF run;
    auto flush = [&] {
        if (run.size() > 1) {
            p.drawPolyline(run);
        } else if (run.size() == 1) {
            p.drawEllipse(run.front(), 0.9, 0.9);
        }
        run.clear();
    };
    for (size_t i = 0; i < values_.size(); ++i) {
        if (std::isfinite(values_[i])) {
            run.append(point(i));
        } else {
            flush();
        }
    }
    flush();
    p.setPen(Qt::NoPen);
    p.drawEllipse(point(static_cast<size_t>(last)), dot, dot);
}

}  // namespace ps
