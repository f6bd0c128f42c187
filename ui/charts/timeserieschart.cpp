#include "timeserieschart.h"

#include <QApplication>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QGraphicsLayout>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QMouseEvent>
#include <QPainter>
#include <QSet>
#include <QStackedLayout>
#include <QTimeZone>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

#include "chartscale.h"

namespace ps {
namespace {

constexpr int64_t kSecondNs = 1000000000;
constexpr int64_t kMinuteNs = 60 * kSecondNs;
constexpr int64_t kDayNs = 24 * 60 * kMinuteNs;

QString axisTitle(const QString& title, fmt::Unit unit) {
    const QString suffix = fmt::unitSuffix(unit);
    if (title.isEmpty()) {
        return suffix;
    }
    // A count's title names what is counted ("LLM calls per 1 h"): no unit to add.
    if (unit == fmt::Unit::Count || (unit == fmt::Unit::Tokens && title.contains(suffix, Qt::CaseInsensitive))) {
        return title;
    }
    return title + QStringLiteral(" (") + suffix + QStringLiteral(")");
}

QDateTime utc(int64_t ns) {
    return QDateTime::fromMSecsSinceEpoch(ns / 1000000, QTimeZone::utc());
}

struct TimeTick {
    int64_t ns;
    QString label;
};

// Round UTC times for the x axis of [begin, end]: the finest round step whose labels fit side by side in
// `plotWidth`. Under 10 minutes they read HH:mm:ss, under 2 days HH:mm (a midnight shows its date), otherwise
// MMM d at midnights.
std::vector<TimeTick> timeTicks(int64_t begin, int64_t end, double plotWidth, const QFontMetrics& metrics) {
    const int64_t span = end - begin;
    const int64_t s = kSecondNs;
    const int64_t m = kMinuteNs;
    const int64_t h = 60 * kMinuteNs;
    const int64_t d = kDayNs;
    QString format;
    QString widest;
    std::vector<int64_t> steps;
    int64_t phase = 0;  // where the step grid starts, from the epoch
    if (span < 10 * m) {
        format = QStringLiteral("HH:mm:ss");
        widest = QStringLiteral("00:00:00");
        steps = {s, 2 * s, 5 * s, 10 * s, 15 * s, 20 * s, 30 * s, m, 2 * m, 5 * m};
    } else if (span < 2 * d) {
        format = QStringLiteral("HH:mm");
        widest = QStringLiteral("May 30");
        steps = {m, 2 * m, 5 * m, 10 * m, 15 * m, 20 * m, 30 * m, h, 2 * h, 3 * h, 4 * h, 6 * h, 8 * h, 12 * h, d};
    } else {
        format = QStringLiteral("MMM d");
        widest = QStringLiteral("May 30");
        steps = {d, 2 * d, 3 * d, 7 * d, 14 * d, 28 * d, 56 * d, 91 * d, 182 * d, 364 * d};
        phase = 4 * d;  // week steps start on Mondays (1970-01-05)
    }
    const int fit = std::max(2, static_cast<int>(plotWidth / (metrics.horizontalAdvance(widest) + 24)));
    int64_t step = steps.back();
    for (int64_t candidate : steps) {
        if (span / candidate + 1 <= fit) {
            step = candidate;
            break;
        }
    }
    std::vector<TimeTick> ticks;
    QSet<QString> seen;
    const int64_t from = begin - phase;
    int64_t t = (from >= 0 ? (from + step - 1) / step : -(-from / step)) * step + phase;
    for (; t <= end; t += step) {
        QString label = utc(t).toString(format == QStringLiteral("HH:mm") && t % d == 0 ? QStringLiteral("MMM d")
                                                                                          : format);
        while (seen.contains(label)) {  // the axis keys categories by label; a day later reads the same
            label += QChar(0x200B);
        }
        seen.insert(label);
        ticks.push_back({t, label});
    }
    return ticks;
}

}  // namespace

// The lines themselves, drawn over the plot area in one pass per series so that NaN buckets break the line.
// Qt Charts has no notion of a gap; one QLineSeries per unbroken run would mean thousands of series for sparse data.
class TimeSeriesChart::Lines : public QGraphicsItem {
public:
    Lines(TimeSeriesChart* owner, QGraphicsItem* parent) : QGraphicsItem(parent), owner_(owner) {}

    QRectF boundingRect() const override { return owner_->chart_->plotArea().adjusted(-3, -3, 3, 3); }

    void geometryChanged() {
        prepareGeometryChange();
        update();
    }

    void paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) override {
        const QRectF area = owner_->chart_->plotArea();
        const int n = owner_->buckets_;
        const double yMax = owner_->yAxis_->max();
        if (n == 0 || area.isEmpty() || !(yMax > 0)) {
            return;
        }
        painter->save();
        painter->setClipRect(area.adjusted(-3, -3, 3, 3));
        painter->setRenderHint(QPainter::Antialiasing);
        const double dx = area.width() / n;
        const double dy = area.height() / yMax;
        QPolygonF run;
        run.reserve(n);
        for (const Series& s : owner_->series_) {
            QPen pen(s.color, 1.7);
            pen.setJoinStyle(Qt::RoundJoin);
            pen.setCapStyle(Qt::RoundCap);
            painter->setPen(pen);
            painter->setBrush(s.color);
            auto flush = [&] {
                if (run.size() > 1) {
                    painter->drawPolyline(run);
                } else if (run.size() == 1) {
                    painter->drawEllipse(run.front(), 1.6, 1.6);  // a bucket with gaps on both sides
                }
                run.clear();
            };
            const int count = std::min<int>(n, static_cast<int>(s.values.size()));
            for (int i = 0; i < count; ++i) {
                const double v = s.values[static_cast<size_t>(i)] * owner_->scale_;
                if (!std::isfinite(v)) {
                    flush();
                    continue;
                }
                run.append(QPointF(area.left() + (i + 0.5) * dx, area.bottom() - v * dy));
            }
            flush();
        }
        painter->restore();
    }

private:
    TimeSeriesChart* owner_;
};

TimeSeriesChart::TimeSeriesChart(QWidget* parent) : QWidget(parent) {
    stack_ = new QStackedLayout(this);
    stack_->setContentsMargins(0, 0, 0, 0);

    chart_ = new QChart;
    chart_->setBackgroundRoundness(0);
    chart_->setMargins(QMargins(4, 6, 22, 2));  // room for the last time label
    chart_->layout()->setContentsMargins(0, 0, 0, 0);
    chart_->legend()->setAlignment(Qt::AlignBottom);
    chart_->legend()->hide();
    xAxis_ = new QCategoryAxis;
    xAxis_->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    yAxis_ = new QValueAxis;
    QFont titleFont = yAxis_->titleFont();
    titleFont.setBold(false);
    yAxis_->setTitleFont(titleFont);
    chart_->addAxis(xAxis_, Qt::AlignBottom);
    chart_->addAxis(yAxis_, Qt::AlignLeft);

    view_ = new QChartView(chart_, this);
    view_->setRenderHint(QPainter::Antialiasing);
    view_->setFrameShape(QFrame::NoFrame);
    view_->viewport()->setMouseTracking(true);
    view_->viewport()->installEventFilter(this);

    lines_ = new Lines(this, chart_);
    lines_->setZValue(30);
    lines_->setCacheMode(QGraphicsItem::DeviceCoordinateCache);  // hover and drag repaint over a cached image
    band_ = new QGraphicsRectItem(chart_);
    QColor bandColor = palette().color(QPalette::Highlight);
    bandColor.setAlpha(55);
    band_->setBrush(bandColor);
    bandColor.setAlpha(160);
    band_->setPen(QPen(bandColor, 1));
    band_->setZValue(40);
    band_->hide();
    hoverLine_ = new QGraphicsLineItem(chart_);
    hoverLine_->setPen(QPen(QColor(120, 120, 120), 1, Qt::DashLine));
    hoverLine_->setZValue(41);
    hoverLine_->hide();

    empty_ = new QLabel(tr("No requests in this range"), this);
    empty_->setAlignment(Qt::AlignCenter);
    QPalette quiet = empty_->palette();
    QColor message = quiet.color(QPalette::WindowText);
    message.setAlphaF(0.55f);
    quiet.setColor(QPalette::WindowText, message);
    empty_->setPalette(quiet);
    QFont messageFont = empty_->font();
    messageFont.setPointSizeF(messageFont.pointSizeF() * 1.15);
    empty_->setFont(messageFont);
    empty_->setAutoFillBackground(true);

    stack_->addWidget(view_);
    stack_->addWidget(empty_);
    stack_->setCurrentWidget(empty_);

    connect(chart_, &QChart::plotAreaChanged, this, [this] {
        lines_->geometryChanged();
        updateTimeAxis();
        hideHover();
    });
}

TimeSeriesChart::~TimeSeriesChart() = default;

void TimeSeriesChart::setData(int64_t firstBucketStartNs, int64_t bucketNs, std::vector<Series> series,
                              fmt::Unit unit, QString title) {
    hideHover();
    pressed_ = false;
    band_->hide();
    first_ = firstBucketStartNs;
    bucketNs_ = std::max<int64_t>(bucketNs, 1);
    series_ = std::move(series);
    unit_ = unit;
    scale_ = unit == fmt::Unit::Fraction ? 100.0 : 1.0;
    size_t buckets = 0;
    for (const Series& s : series_) {
        buckets = std::max(buckets, s.values.size());
    }
    buckets_ = static_cast<int>(buckets);

    chart_->removeAllSeries();
    if (buckets_ == 0) {
        series_.clear();
        stack_->setCurrentWidget(empty_);
        lines_->update();
        return;
    }

    // Empty line series carry the names and colours to the legend; the lines are drawn by Lines.
    for (const Series& s : series_) {
        auto* legendEntry = new QLineSeries;
        legendEntry->setName(s.name);
        legendEntry->setColor(s.color);
        chart_->addSeries(legendEntry);
        legendEntry->attachAxis(xAxis_);
        legendEntry->attachAxis(yAxis_);
    }
    chart_->legend()->setVisible(series_.size() > 1);

    double maxValue = 0;
    for (const Series& s : series_) {
        for (double v : s.values) {
            if (std::isfinite(v)) {
                maxValue = std::max(maxValue, v * scale_);
            }
        }
    }
    const bool whole = unit == fmt::Unit::Count || unit == fmt::Unit::Tokens;
    const charts::NiceScale y = charts::niceScale(maxValue, whole ? 1 : 0);
    yAxis_->setRange(0, y.top);
    yAxis_->setTickCount(y.tickCount());
    yAxis_->setLabelFormat(QStringLiteral("%.") + QString::number(y.decimals) + QStringLiteral("f"));
    yAxis_->setTitleText(axisTitle(title, unit));

    updateTimeAxis();
    stack_->setCurrentWidget(view_);
    lines_->geometryChanged();
}

void TimeSeriesChart::updateTimeAxis() {
    if (buckets_ == 0) {
        return;
    }
    // A category axis with labels at round UTC times: QDateTimeAxis prints the machine's local time and spaces
    // its ticks evenly from end to end, so its labels drift off UTC across a daylight-saving change.
    const int64_t spanNs = static_cast<int64_t>(buckets_) * bucketNs_;
    const double plotWidth = chart_->plotArea().width() > 0 ? chart_->plotArea().width() : view_->width() - 80.0;
    const std::vector<TimeTick> ticks = timeTicks(first_, first_ + spanNs, plotWidth, QFontMetrics(xAxis_->labelsFont()));
    const double spanMs = static_cast<double>(spanNs) / 1e6;
    auto position = [&](int64_t ns) { return static_cast<double>(ns - first_) / 1e6; };
    QStringList labels;
    bool same = xAxis_->max() == spanMs && xAxis_->count() == static_cast<int>(ticks.size());
    const QStringList current = xAxis_->categoriesLabels();
    for (size_t i = 0; same && i < ticks.size(); ++i) {
        same = current.at(static_cast<qsizetype>(i)) == ticks[i].label &&
               xAxis_->endValue(ticks[i].label) == position(ticks[i].ns);
    }
    if (same) {
        return;
    }
    for (const QString& label : current) {
        xAxis_->remove(label);
    }
    xAxis_->setStartValue(-1);  // below the first tick, which may sit at 0
    for (const TimeTick& t : ticks) {
        xAxis_->append(t.label, position(t.ns));
    }
    xAxis_->setRange(0, spanMs);
}

int TimeSeriesChart::bucketAt(double sceneX) const {
    const QRectF area = chart_->plotArea();
    if (buckets_ == 0 || area.width() <= 0) {
        return 0;
    }
    const int b = static_cast<int>(std::floor((sceneX - area.left()) / area.width() * buckets_));
    return std::clamp(b, 0, buckets_ - 1);
}

void TimeSeriesChart::showBand(int fromBucket, int toBucket) {
    const QRectF area = chart_->plotArea();
    const double dx = area.width() / buckets_;
    band_->setRect(QRectF(area.left() + fromBucket * dx, area.top(), (toBucket - fromBucket + 1) * dx, area.height()));
    band_->show();
}

void TimeSeriesChart::showHover(const QPoint& viewportPos) {
    const QPointF scenePos = view_->mapToScene(viewportPos);
    const QRectF area = chart_->plotArea();
    if (buckets_ == 0 || !area.contains(scenePos)) {
        hideHover();
        return;
    }
    const int b = bucketAt(scenePos.x());
    if (b == hoverBucket_) {
        return;
    }
    hoverBucket_ = b;
    const double x = area.left() + (b + 0.5) * area.width() / buckets_;
    hoverLine_->setLine(x, area.top(), x, area.bottom());
    hoverLine_->show();
    QToolTip::showText(view_->viewport()->mapToGlobal(viewportPos) + QPoint(14, 10), toolTipFor(b), view_->viewport());
}

void TimeSeriesChart::hideHover() {
    if (hoverBucket_ >= 0) {
        QToolTip::hideText();
    }
    hoverBucket_ = -1;
    hoverLine_->hide();
}

QString TimeSeriesChart::toolTipFor(int bucket) const {
    const int64_t start = first_ + static_cast<int64_t>(bucket) * bucketNs_;
    QString when;
    if (bucketNs_ >= kDayNs) {
        when = utc(start).toString(QStringLiteral("yyyy-MM-dd")) + QStringLiteral(" (") + fmt::bucket(bucketNs_) +
               QStringLiteral(")");
    } else {
        const bool seconds = bucketNs_ < kMinuteNs;
        when = (seconds ? fmt::dateTimeSeconds(start) : fmt::dateTime(start)) + QStringLiteral("–") +
               utc(start + bucketNs_).toString(seconds ? QStringLiteral("HH:mm:ss") : QStringLiteral("HH:mm"));
    }
    QString html = QStringLiteral("<b>") + when + QStringLiteral(" UTC</b>");
    for (const Series& s : series_) {
        const double v = static_cast<size_t>(bucket) < s.values.size() ? s.values[static_cast<size_t>(bucket)] : NAN;
        html += QStringLiteral("<br><span style=\"color:") + s.color.name() + QStringLiteral("\">■</span> ");
        if (!s.name.isEmpty()) {
            html += s.name.toHtmlEscaped() + QStringLiteral(": ");
        }
        html += std::isfinite(v) ? fmt::value(unit_, v) : tr("no data");
    }
    return html;
}

bool TimeSeriesChart::eventFilter(QObject* watched, QEvent* event) {
    if (watched != view_->viewport() || buckets_ == 0) {
        return QWidget::eventFilter(watched, event);
    }
    switch (event->type()) {
    case QEvent::MouseButtonPress: {
        auto* e = static_cast<QMouseEvent*>(event);
        const QPointF scenePos = view_->mapToScene(e->position().toPoint());
        if (e->button() == Qt::LeftButton && chart_->plotArea().contains(scenePos)) {
            hideHover();
            pressed_ = true;
            pressX_ = scenePos.x();
            return true;
        }
        break;
    }
    case QEvent::MouseMove: {
        auto* e = static_cast<QMouseEvent*>(event);
        if (!pressed_) {
            showHover(e->position().toPoint());
            break;
        }
        const double x = view_->mapToScene(e->position().toPoint()).x();
        if (std::abs(x - pressX_) >= QApplication::startDragDistance()) {
            showBand(bucketAt(std::min(x, pressX_)), bucketAt(std::max(x, pressX_)));
        } else {
            band_->hide();
        }
        return true;
    }
    case QEvent::MouseButtonRelease: {
        auto* e = static_cast<QMouseEvent*>(event);
        if (!pressed_ || e->button() != Qt::LeftButton) {
            break;
        }
        pressed_ = false;
        band_->hide();
        const double x = view_->mapToScene(e->position().toPoint()).x();
        if (std::abs(x - pressX_) >= QApplication::startDragDistance()) {  // a click selects nothing
            const int from = bucketAt(std::min(x, pressX_));
            const int to = bucketAt(std::max(x, pressX_));
            Q_EMIT rangeSelected(first_ + static_cast<int64_t>(from) * bucketNs_,
                                 first_ + static_cast<int64_t>(to + 1) * bucketNs_);
        }
        return true;
    }
    case QEvent::Leave:
        hideHover();
        break;
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

}  // namespace ps
