// Where the tail is, on the Outliers page: per feature and tenant tier, p50, p95, p99 and max of one metric
// (latency, cost or tokens) and how many times p50 the p99 is, heaviest tail first. Groups with fewer than
// kMinTailCount requests come last, greyed: their p99 is one or two requests.
#pragma once

#include <QAbstractTableModel>

#include "outliers.h"

namespace ps {

class TailModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Feature, Tier, Requests, P50, P95, P99, Max, Ratio, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit TailModel(QObject* parent = nullptr);
    // kind: Slowest, MostExpensive or LargestTokenUsers (the metrics with a tail).
    void setTails(DatasetPtr dataset, OutlierKind kind, std::vector<TailRow> rows);
    [[nodiscard]] const std::vector<TailRow>& rows() const { return rows_; }
    [[nodiscard]] OutlierKind kind() const { return kind_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QString valueText(double v) const;

    DatasetPtr dataset_;
    OutlierKind kind_ = OutlierKind::Slowest;
    std::vector<TailRow> rows_;
};

}  // namespace ps
