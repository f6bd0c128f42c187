#include "deploymentmarkers.h"

#include <QChart>
#include <QChartView>
#include <QGraphicsLineItem>
#include <QGraphicsSimpleTextItem>
#include <QPen>

#include "format.h"
#include "timeserieschart.h"
#include "versionlabel.h"

namespace ps {

DeploymentMarkers::DeploymentMarkers(TimeSeriesChart* chart) : QObject(chart), chart_(chart) {
    connect(chart_->chartView()->chart(), &QChart::plotAreaChanged, this, &DeploymentMarkers::layout);
}

// The items belong to the chart, which the TimeSeriesChart deletes before its children such as this object.
DeploymentMarkers::~DeploymentMarkers() = default;

void DeploymentMarkers::clearItems() {
    for (QGraphicsItem* item : items_) {
        delete item;
    }
    items_.clear();
}

QString DeploymentMarkers::toolTipOf(size_t i) const {
    const DeploymentMark& m = marks_[i];
    QString text = tr("%1 %2 deployed to %3").arg(QString::fromStdString(m.prompt), QString::fromStdString(versionLabel(m.version)),
                                                  QString::fromStdString(m.environment));
    if (m.trafficPercent < 100) {
        text += tr(" at %1% of traffic").arg(m.trafficPercent);
    }
    text += tr("\n%1 UTC").arg(fmt::dateTime(m.atNs));
    if (!m.by.empty()) {
        text += tr(" by %1").arg(QString::fromStdString(m.by));
    }
    if (!m.note.empty()) {
        text += QStringLiteral("\n") + QString::fromStdString(m.note);
    }
    return text;
}

void DeploymentMarkers::setMarks(int64_t firstBucketNs, int64_t spanNs, std::vector<DeploymentMark> marks,
                                 const std::function<QColor(const std::string&)>& colourOf) {
    first_ = firstBucketNs;
    span_ = std::max<int64_t>(1, spanNs);
    marks_.clear();
    colours_.clear();
    for (DeploymentMark& m : marks) {
        if (m.atNs >= first_ && m.atNs <= first_ + span_) {  // outside the time axis there is nothing to mark
            colours_.push_back(colourOf(m.version));
            marks_.push_back(std::move(m));
        }
    }
    layout();
}

void DeploymentMarkers::layout() {
    clearItems();
    QChart* chart = chart_->chartView()->chart();
    const QRectF area = chart->plotArea();
    if (area.width() <= 0 || chart_->isEmpty()) {
        return;
    }
    for (size_t i = 0; i < marks_.size(); ++i) {
        const DeploymentMark& m = marks_[i];
        const double x = area.left() + static_cast<double>(m.atNs - first_) / static_cast<double>(span_) * area.width();
        auto* line = new QGraphicsLineItem(x, area.top(), x, area.bottom(), chart);
        line->setPen(QPen(colours_[i], 1.5, Qt::DashLine));
        line->setZValue(35);
        line->setToolTip(toolTipOf(i));
        // A wider invisible line under the dashed one, so the tooltip does not need pixel-exact aim.
        auto* grip = new QGraphicsLineItem(x, area.top(), x, area.bottom(), chart);
        grip->setPen(QPen(QColor(0, 0, 0, 1), 9));
        grip->setZValue(34);
        grip->setToolTip(toolTipOf(i));
        const QString short_ = m.trafficPercent < 100 ? tr("%1 %2%").arg(QString::fromStdString(versionLabel(m.version))).arg(m.trafficPercent)
                                                      : QString::fromStdString(versionLabel(m.version));
        auto* label = new QGraphicsSimpleTextItem(short_, chart);
        QFont f = label->font();
        f.setPointSizeF(f.pointSizeF() * 0.85);
        label->setFont(f);
        label->setBrush(colours_[i].darker(130));
        label->setPos(x + 3, area.top() + 2 + static_cast<double>(i % 2) * 13);  // alternate rows: close deployments
        label->setZValue(36);
        label->setToolTip(toolTipOf(i));
        items_.insert(items_.end(), {grip, line, label});
    }
}

}  // namespace ps
