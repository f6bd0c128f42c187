// Several versions' distributions of one metric overlaid on a logarithmic axis shared by all of them: either
// normalised histograms (each version's share of its own requests per bin, as translucent areas, so a 5% canary
// stands next to its baseline) or empirical CDFs (the share of requests at or below each value, with the 50% and
// 95% levels marked). Hovering a line tells its version, value and share.
#pragma once

#include <QWidget>

#include "distributionoverlay.h"
#include "format.h"

class QChart;
class QChartView;
class QLabel;
class QLogValueAxis;
class QStackedLayout;
class QValueAxis;

namespace ps {

class DistributionOverlayChart : public QWidget {
    Q_OBJECT

public:
    enum class Mode { Histogram, Ecdf };

    explicit DistributionOverlayChart(Mode mode, QWidget* parent = nullptr);

    // unit: DurationMs or Usd; metric names the axis ("Latency", "Cost per request").
    void setData(const OverlaidDistributions& data, fmt::Unit unit, const QString& metric);
    [[nodiscard]] QChart* chart() const { return chart_; }
    [[nodiscard]] bool isEmpty() const { return empty_; }

    // The colour of the k-th compared side, the same on every chart of the page.
    static QColor groupColor(size_t k);

    QSize sizeHint() const override { return {560, 280}; }
    QSize minimumSizeHint() const override { return {280, 200}; }

private:
    Mode mode_;
    bool empty_ = true;
    QStackedLayout* stack_;
    QLabel* message_;
    QChartView* view_;
    QChart* chart_;
    QLogValueAxis* xAxis_;
    QValueAxis* yAxis_;
};

}  // namespace ps
