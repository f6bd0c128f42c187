#include "distributionoverlaychart.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QGraphicsLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QStackedLayout>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

#include "chartscale.h"

namespace ps {
namespace {

const QColor kGroupColors[] = {QColor(0x4e, 0x79, 0xa7), QColor(0xf2, 0x8e, 0x2b), QColor(0x59, 0xa1, 0x4f),
                               QColor(0xb0, 0x7a, 0xa1), QColor(0x76, 0xb7, 0xb2), QColor(0xed, 0xc9, 0x48),
                               QColor(0x9c, 0x75, 0x5f), QColor(0xff, 0x9d, 0xa7)};

QString unitName(fmt::Unit unit) {
    return unit == fmt::Unit::Usd ? QObject::tr("USD") : QObject::tr("ms");
}

}  // namespace

QColor DistributionOverlayChart::groupColor(size_t k) {
    return kGroupColors[k % std::size(kGroupColors)];
}

DistributionOverlayChart::DistributionOverlayChart(Mode mode, QWidget* parent) : QWidget(parent), mode_(mode) {
    stack_ = new QStackedLayout(this);
    stack_->setContentsMargins(0, 0, 0, 0);
    chart_ = new QChart;
    chart_->setBackgroundRoundness(0);
    chart_->setMargins(QMargins(4, 4, 12, 2));
    chart_->layout()->setContentsMargins(0, 0, 0, 0);
    chart_->legend()->setAlignment(Qt::AlignTop);
    xAxis_ = new QLogValueAxis;
    xAxis_->setBase(10);
    xAxis_->setMinorTickCount(8);
    xAxis_->setLabelFormat(QStringLiteral("%g"));
    yAxis_ = new QValueAxis;
    for (QAbstractAxis* axis : std::initializer_list<QAbstractAxis*>{xAxis_, yAxis_}) {
        QFont f = axis->titleFont();
        f.setBold(false);
        axis->setTitleFont(f);
    }
    chart_->addAxis(xAxis_, Qt::AlignBottom);
    chart_->addAxis(yAxis_, Qt::AlignLeft);
    view_ = new QChartView(chart_, this);
    view_->setRenderHint(QPainter::Antialiasing);
    view_->setFrameShape(QFrame::NoFrame);
    message_ = new QLabel(tr("No requests to show"), this);
    message_->setAlignment(Qt::AlignCenter);
    message_->setStyleSheet(QStringLiteral("color: #777;"));
    stack_->addWidget(view_);
    stack_->addWidget(message_);
    stack_->setCurrentWidget(message_);
}

void DistributionOverlayChart::setData(const OverlaidDistributions& data, fmt::Unit unit, const QString& metric) {
    chart_->removeAllSeries();
    empty_ = !(data.lowest > 0) || data.edges.empty();
    if (empty_) {
        stack_->setCurrentWidget(message_);
        return;
    }
    stack_->setCurrentWidget(view_);
    xAxis_->setRange(data.lowest, data.highest);
    xAxis_->setTitleText(tr("%1 (%2, log scale)").arg(metric, unitName(unit)));
    double top = 0;
    for (size_t k = 0; k < data.groups.size(); ++k) {
        if (data.counts[k] == 0) {
            continue;
        }
        const QColor colour = groupColor(k);
        const QString name = tr("%1 (%2)").arg(QString::fromStdString(data.groups[k]), fmt::count(static_cast<double>(data.counts[k])));
        auto* line = new QLineSeries;
        line->setName(name);
        if (mode_ == Mode::Histogram) {
            // A step outline over the bins, filled down to zero.
            auto* floor = new QLineSeries;
            for (size_t i = 0; i < data.share[k].size(); ++i) {
                const double v = data.share[k][i] * 100;
                line->append(data.edges[i], v);
                line->append(data.edges[i + 1], v);
                floor->append(data.edges[i], 0);
                floor->append(data.edges[i + 1], 0);
                top = std::max(top, v);
            }
            auto* area = new QAreaSeries(line, floor);
            area->setName(name);
            QColor fill = colour;
            fill.setAlpha(70);
            area->setBrush(fill);
            area->setPen(QPen(colour, 1.6));
            chart_->addSeries(area);
            area->attachAxis(xAxis_);
            area->attachAxis(yAxis_);
            connect(area, &QAreaSeries::hovered, this, [this, data, k, unit](const QPointF& p, bool state) {
                if (!state) {
                    QToolTip::hideText();
                    return;
                }
                const auto bin = static_cast<size_t>(
                    std::upper_bound(data.edges.begin(), data.edges.end(), p.x()) - data.edges.begin());
                const size_t i = std::clamp<size_t>(bin, 1, data.share[k].size()) - 1;
                QToolTip::showText(QCursor::pos(),
                                   tr("%1: %2 of its requests between %3 and %4")
                                       .arg(QString::fromStdString(data.groups[k]), fmt::percent(data.share[k][i]),
                                            fmt::value(unit, data.edges[i]), fmt::value(unit, data.edges[i + 1])),
                                   this);
            });
        } else {
            for (const auto& [x, y] : data.ecdf[k]) {
                line->append(x, y * 100);
            }
            line->setPen(QPen(colour, 2));
            chart_->addSeries(line);
            line->attachAxis(xAxis_);
            line->attachAxis(yAxis_);
            connect(line, &QLineSeries::hovered, this, [this, data, k, unit](const QPointF& p, bool state) {
                if (!state) {
                    QToolTip::hideText();
                    return;
                }
                QToolTip::showText(QCursor::pos(),
                                   tr("%1: %2 of its requests at or below %3")
                                       .arg(QString::fromStdString(data.groups[k]), fmt::percent(p.y() / 100),
                                            fmt::value(unit, p.x())),
                                   this);
            });
        }
    }
    if (mode_ == Mode::Ecdf) {
        // The median and p95 levels: where each line crosses them is that version's p50 and p95.
        for (const double level : {50.0, 95.0}) {
            auto* guide = new QLineSeries;
            guide->append(data.lowest, level);
            guide->append(data.highest, level);
            guide->setPen(QPen(QColor(150, 150, 150), 1, Qt::DashLine));
            chart_->addSeries(guide);
            guide->attachAxis(xAxis_);
            guide->attachAxis(yAxis_);
            chart_->legend()->markers(guide).constFirst()->setVisible(false);
        }
        yAxis_->setRange(0, 100);
        yAxis_->setTickCount(6);
        yAxis_->setLabelFormat(QStringLiteral("%.0f"));
        yAxis_->setTitleText(tr("Requests at or below (%)"));
    } else {
        const charts::NiceScale y = charts::niceScale(top);
        yAxis_->setRange(0, y.top);
        yAxis_->setTickCount(y.tickCount());
        yAxis_->setLabelFormat(QStringLiteral("%.") + QString::number(y.decimals) + QStringLiteral("f"));
        yAxis_->setTitleText(tr("Share of its requests (%)"));
    }
}

}  // namespace ps
