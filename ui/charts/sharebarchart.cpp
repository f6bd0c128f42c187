#include "sharebarchart.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QGraphicsLayout>
#include <QLegend>
#include <QLineSeries>
#include <QPen>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>

namespace ps {

ShareBarChart::ShareBarChart(QWidget* parent) : QWidget(parent), chart_(new QChart) {
    chart_->layout()->setContentsMargins(0, 0, 0, 0);
    chart_->setMargins(QMargins(4, 4, 4, 4));
    chart_->setBackgroundRoundness(0);
    chart_->legend()->setAlignment(Qt::AlignBottom);
    view_ = new QChartView(chart_, this);
    view_->setRenderHint(QPainter::Antialiasing);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view_);
}

void ShareBarChart::setData(const QStringList& categories, const std::vector<Set>& sets,
                            const std::vector<Reference>& references, const QString& axisTitle) {
    chart_->removeAllSeries();
    for (QAbstractAxis* axis : chart_->axes()) {
        chart_->removeAxis(axis);
        delete axis;
    }
    auto* bars = new QBarSeries;
    bars->setLabelsVisible(true);
    bars->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    bars->setLabelsFormat(QStringLiteral("@value%"));
    bars->setLabelsPrecision(3);
    for (const Set& s : sets) {
        auto* set = new QBarSet(s.name);
        set->setColor(s.color);
        set->setBorderColor(s.color);
        set->setLabelColor(s.color.darker(140));
        for (double share : s.shares) {
            *set << (std::isnan(share) ? 0.0 : std::round(share * 1000) / 10);
        }
        bars->append(set);
    }
    chart_->addSeries(bars);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    auto* y = new QValueAxis;
    y->setRange(0, 110);  // room for the labels above full bars
    y->setTickInterval(20);
    y->setTickType(QValueAxis::TicksDynamic);
    y->setLabelFormat(QStringLiteral("%d%"));
    y->setTitleText(axisTitle);
    chart_->addAxis(x, Qt::AlignBottom);
    chart_->addAxis(y, Qt::AlignLeft);
    bars->attachAxis(x);
    bars->attachAxis(y);
    // A reference line across the categories: bar categories sit at 0..n-1, so -0.5..n-0.5 spans the plot.
    auto* refAxis = new QValueAxis;
    refAxis->setRange(-0.5, static_cast<double>(categories.size()) - 0.5);
    refAxis->setVisible(false);
    chart_->addAxis(refAxis, Qt::AlignTop);
    for (const Reference& r : references) {
        auto* line = new QLineSeries;
        line->setName(r.name);
        QPen pen(r.color);
        pen.setStyle(Qt::DashLine);
        pen.setWidthF(1.5);
        line->setPen(pen);
        line->append(-0.5, r.share * 100);
        line->append(static_cast<double>(categories.size()) - 0.5, r.share * 100);
        chart_->addSeries(line);
        line->attachAxis(refAxis);
        line->attachAxis(y);
    }
    chart_->legend()->setVisible(true);
}

}  // namespace ps
