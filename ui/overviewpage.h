// The overview: KPI tiles with their change against the previous period and sparklines; time series of volume,
// error rate by class, latency percentiles and cost; latency and cost histograms; tokens; breakdown tables by
// model, feature, prompt version, tenant and environment. It shows an AnalysisResult computed elsewhere and
// turns clicks into filter requests: drag on a time chart, click a histogram bar or a breakdown row.
#pragma once

#include <QWidget>

#include <array>

#include "analysisengine.h"

class QComboBox;
class QLabel;
class QStackedWidget;
class QStandardItemModel;
class QTabWidget;
class QTableView;

namespace ps {

class BreakdownModel;
class HistogramChart;
class KpiTile;
class TimeSeriesChart;

class OverviewPage : public QWidget {
    Q_OBJECT

public:
    explicit OverviewPage(QWidget* parent = nullptr);
    void showResult(const DatasetPtr& dataset, const AnalysisResult& result);
    void showEmpty(const QString& message);
    void setBusy(bool busy);
    [[nodiscard]] Grain grain() const;
    void setGrain(Grain grain);

    // For tests and screenshots.
    [[nodiscard]] KpiTile* tile(Kpi kpi) const { return tiles_[static_cast<size_t>(kpi)]; }
    [[nodiscard]] BreakdownModel* breakdown(size_t i) const { return breakdownModels_[i]; }
    [[nodiscard]] QTableView* breakdownView(size_t i) const { return breakdownViews_[i]; }
    [[nodiscard]] TimeSeriesChart* volumeChart() const { return volume_; }
    [[nodiscard]] HistogramChart* latencyHistogram() const { return latencyHist_; }
    [[nodiscard]] HistogramChart* costHistogram() const { return costHist_; }
    [[nodiscard]] QStandardItemModel* topPrompts() const { return topPrompts_; }
    static constexpr size_t kBreakdowns = 5;

Q_SIGNALS:
    void timeRangeSelected(int64_t beginNs, int64_t endNs);
    void latencyRangeSelected(double loMs, double hiMs);
    void costRangeSelected(double loUsd, double hiUsd);
    void dimensionValueClicked(ps::Dimension dimension, const QString& value);
    // Open the slowest trace of a breakdown group or histogram range on the Traces page (its requests listed).
    void dimensionValueOpened(ps::Dimension dimension, const QString& value);
    void latencyRangeOpened(double loMs, double hiMs);
    void costRangeOpened(double loUsd, double hiUsd);
    void grainChanged(ps::Grain grain);

private:
    QLabel* heading_;
    QLabel* busy_;
    QComboBox* grain_;
    QStackedWidget* stack_;
    QLabel* empty_;
    std::array<KpiTile*, kKpiCount> tiles_{};
    TimeSeriesChart* volume_;
    TimeSeriesChart* errors_;
    TimeSeriesChart* latency_;
    TimeSeriesChart* cost_;
    HistogramChart* latencyHist_;
    HistogramChart* costHist_;
    QLabel* tokens_;
    TimeSeriesChart* tokenChart_;
    QStandardItemModel* topPrompts_;
    QTabWidget* breakdownTabs_;
    std::array<BreakdownModel*, kBreakdowns> breakdownModels_{};
    std::array<QTableView*, kBreakdowns> breakdownViews_{};
};

}  // namespace ps
