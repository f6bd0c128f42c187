#include "scoredistributionchart.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QGraphicsLayout>
#include <QHorizontalPercentBarSeries>
#include <QLegend>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <numeric>

namespace ps {
namespace {

// Red for the lowest score to green for the highest, through yellow.
QColor binColor(size_t bin, size_t bins) {
    const double t = bins > 1 ? static_cast<double>(bin) / static_cast<double>(bins - 1) : 1.0;
    const QColor low(0xd7, 0x30, 0x27), mid(0xfe, 0xe0, 0x8b), high(0x1a, 0x98, 0x50);
    const QColor& a = t < 0.5 ? low : mid;
    const QColor& b = t < 0.5 ? mid : high;
    const double u = t < 0.5 ? t * 2 : (t - 0.5) * 2;
    return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * u),
                            static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * u),
                            static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * u));
}

}  // namespace

ScoreDistributionChart::ScoreDistributionChart(QWidget* parent) : QWidget(parent), chart_(new QChart) {
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

void ScoreDistributionChart::setData(const QString& title, const QStringList& binLabels,
                                     const std::vector<Bar>& bars) {
    chart_->removeAllSeries();
    for (QAbstractAxis* axis : chart_->axes()) {
        chart_->removeAxis(axis);
        delete axis;
    }
    bars_ = static_cast<int>(bars.size());
    chart_->setTitle(title);
    auto* series = new QHorizontalPercentBarSeries;
    QStringList categories;
    std::vector<uint64_t> totals;  // results per bar, in category order
    // The first bar is drawn at the bottom: add them in reverse so that the list reads top-down.
    for (auto it = bars.rbegin(); it != bars.rend(); ++it) {
        const uint64_t n = std::accumulate(it->counts.begin(), it->counts.end(), uint64_t{0});
        categories << tr("%1 · %2").arg(it->label).arg(it->mean, 0, 'f', 2);
        totals.push_back(n);
    }
    for (qsizetype b = 0; b < binLabels.size(); ++b) {
        auto* set = new QBarSet(binLabels[b]);
        set->setColor(binColor(static_cast<size_t>(b), static_cast<size_t>(binLabels.size())));
        set->setBorderColor(Qt::white);
        for (auto it = bars.rbegin(); it != bars.rend(); ++it) {
            const auto bin = static_cast<size_t>(b);
            *set << static_cast<double>(bin < it->counts.size() ? it->counts[bin] : 0);
        }
        connect(set, &QBarSet::hovered, this, [set, categories, totals](bool on, int index) {
            if (!on) {
                QToolTip::hideText();
                return;
            }
            const double v = set->at(index);
            const auto total = static_cast<double>(totals[static_cast<size_t>(index)]);
            QToolTip::showText(QCursor::pos(), tr("%1 (mean score)\nscore %2: %3 of %4 results (%5%)")
                                                   .arg(categories[index], set->label())
                                                   .arg(v)
                                                   .arg(total)
                                                   .arg(total > 0 ? v / total * 100 : 0, 0, 'f', 1));
        });
        series->append(set);
    }
    chart_->addSeries(series);
    auto* y = new QBarCategoryAxis;
    y->append(categories);
    auto* x = new QValueAxis;
    x->setRange(0, 100);
    x->setTickCount(5);
    x->setLabelFormat(QStringLiteral("%d%"));
    x->setTitleText(tr("share of results (%)"));
    chart_->addAxis(y, Qt::AlignLeft);
    chart_->addAxis(x, Qt::AlignBottom);
    series->attachAxis(y);
    series->attachAxis(x);
    chart_->legend()->setVisible(true);
}

}  // namespace ps
