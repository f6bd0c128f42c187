// How one graded eval (a judge dimension: correctness, completeness, tone) scored per prompt version: a
// horizontal 100% stacked bar per version, one segment per score bin from red (lowest) to green (highest), the
// mean score after the version's name. Hovering a segment shows its count and share of the version's results.
#pragma once

#include <QString>
#include <QWidget>

#include <cstdint>
#include <vector>

class QChart;
class QChartView;

namespace ps {

class ScoreDistributionChart : public QWidget {
    Q_OBJECT

public:
    struct Bar {
        QString label;                 // the prompt version
        double mean = 0;
        std::vector<uint64_t> counts;  // per bin, lowest score first
    };

    explicit ScoreDistributionChart(QWidget* parent = nullptr);
    // binLabels: one per bin ("1" .. "5"); title: the eval name.
    void setData(const QString& title, const QStringList& binLabels, const std::vector<Bar>& bars);
    [[nodiscard]] QChartView* chartView() const { return view_; }
    [[nodiscard]] int barCount() const { return bars_; }

    QSize sizeHint() const override { return {420, 260}; }
    QSize minimumSizeHint() const override { return {260, 160}; }

private:
    QChart* chart_;
    QChartView* view_;
    int bars_ = 0;
};

}  // namespace ps
