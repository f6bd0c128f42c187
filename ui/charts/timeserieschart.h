// A metric over time: one line per series on a UTC time axis, one value per bucket (NaN = no data, drawn as a
// gap). Hovering shows the bucket's values; dragging across the plot selects a time range snapped to buckets.
// Takes plain vectors, so the numbers can be computed on a worker thread and handed over.
#pragma once

#include <QColor>
#include <QString>
#include <QWidget>

#include <cstdint>
#include <vector>

#include "format.h"

class QChart;
class QCategoryAxis;
class QChartView;
class QGraphicsLineItem;
class QGraphicsRectItem;
class QLabel;
class QStackedLayout;
class QValueAxis;

namespace ps {

class TimeSeriesChart : public QWidget {
    Q_OBJECT

public:
    struct Series {
        QString name;
        QColor color;
        std::vector<double> values;  // one per bucket; NaN where the bucket has no data
    };

    explicit TimeSeriesChart(QWidget* parent = nullptr);
    ~TimeSeriesChart() override;

    // `title` names the metric ("p95 latency"); the y axis reads "p95 latency (ms)". Fraction values are shown
    // as percent. No buckets shows "No requests in this range" instead of the axes.
    void setData(int64_t firstBucketStartNs, int64_t bucketNs, std::vector<Series> series, fmt::Unit unit,
                 QString title);

    bool isEmpty() const { return buckets_ == 0; }
    int bucketCount() const { return buckets_; }
    QChartView* chartView() const { return view_; }

    QSize sizeHint() const override { return {640, 300}; }
    QSize minimumSizeHint() const override { return {260, 160}; }

Q_SIGNALS:
    // A drag across the plot: the start of the first bucket and the end of the last bucket it covered.
    void rangeSelected(int64_t beginNs, int64_t endNs);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    class Lines;

    int bucketAt(double sceneX) const;  // clamped to the buckets
    void updateTimeAxis();
    void showHover(const QPoint& viewportPos);
    void hideHover();
    void showBand(int fromBucket, int toBucket);
    QString toolTipFor(int bucket) const;

    int64_t first_ = 0;
    int64_t bucketNs_ = 1;
    int buckets_ = 0;
    std::vector<Series> series_;
    fmt::Unit unit_ = fmt::Unit::Count;
    double scale_ = 1;  // fractions are plotted as percent

    QStackedLayout* stack_;
    QLabel* empty_;
    QChartView* view_;
    QChart* chart_;
    QCategoryAxis* xAxis_;  // labels at round UTC times
    QValueAxis* yAxis_;
    Lines* lines_;
    QGraphicsRectItem* band_;
    QGraphicsLineItem* hoverLine_;
    bool pressed_ = false;
    double pressX_ = 0;
    int hoverBucket_ = -1;
};

}  // namespace ps
