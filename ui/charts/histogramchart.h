// How a metric is distributed: bars over log-spaced bins (already counted), a few readable tick labels, and
// marker lines at p50/p95/p99. Hovering a bar shows its range and share; clicking it reports the range (to
// filter); double-clicking it, or its context menu, asks to open the range's requests on the Traces page.
// Custom painted: the bars sit on a log scale, which Qt Charts' category bar axis cannot express.
#pragma once

#include <QString>
#include <QWidget>

#include <cstdint>
#include <vector>

#include "format.h"

namespace ps {

class HistogramChart : public QWidget {
    Q_OBJECT

public:
    struct Histogram {
        std::vector<double> edges;     // counts.size() + 1 ascending bin edges
        std::vector<uint64_t> counts;  // requests per bin [edges[i], edges[i+1])
        double p50 = 0;                // NaN: no marker
        double p95 = 0;
        double p99 = 0;
    };

    explicit HistogramChart(QWidget* parent = nullptr);

    // `title` names the metric ("Latency"); values and percentiles are in `unit`. No requests shows "No data".
    void setData(const Histogram& h, fmt::Unit unit, QString title);
    // What one counted row is called: "request" / "requests" (default) or "LLM call" / "LLM calls".
    void setRowNoun(const QString& singular, const QString& plural);

    bool isEmpty() const { return total_ == 0; }
    QRectF barRect(int bin) const;  // in widget coordinates, the full-height column of bin `bin`
    int binAt(QPointF pos) const;   // -1 outside the bars

    QSize sizeHint() const override { return {600, 300}; }
    QSize minimumSizeHint() const override { return {240, 150}; }

Q_SIGNALS:
    void binClicked(double lo, double hi);
    void binOpened(double lo, double hi);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    QString singular_ = tr("request");
    QString plural_ = tr("requests");
    struct Tick {
        double x;
        QString label;
    };
    struct Marker {
        double x;
        QColor color;
        QString label;
        QRectF labelRect;
    };

    void layoutChart();
    double xOf(double value) const;
    QString toolTipFor(int bin) const;

    Histogram h_;
    fmt::Unit unit_ = fmt::Unit::DurationMs;
    QString title_;
    uint64_t total_ = 0;
    uint64_t maxCount_ = 0;
    bool log_ = true;

    // Computed by layoutChart() for the current size.
    QRectF plot_;
    double yTop_ = 1;
    std::vector<double> yTicks_;
    std::vector<Tick> xTicks_;
    std::vector<Marker> markers_;
    int hover_ = -1;
    int pressed_ = -1;
};

}  // namespace ps
