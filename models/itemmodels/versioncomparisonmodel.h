// The comparison table of the Versions page: one row per metric, with both sides' values, the difference with its
// 95% confidence interval, the p-value and test, a coloured verdict and how many more requests would settle it.
// Numbers sort by value (SortRole); the verdict colour is a foreground and a light background (Qt roles), so
// any view shows it.
#pragma once

#include <QAbstractTableModel>
#include <QColor>

#include "versioncomparison.h"

namespace ps {

class VersionComparisonModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Metric, ValueA, ValueB, Difference, Relative, Interval, PValue, Test, VerdictColumn, MoreRequests,
                  ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int KeyRole = Qt::UserRole + 2;      // the metric's key ("error_rate")
    static constexpr int VerdictRole = Qt::UserRole + 3;  // the Verdict as an int

    explicit VersionComparisonModel(QObject* parent = nullptr);
    void setComparison(const VersionComparison& comparison);
    void clear();
    [[nodiscard]] const VersionComparison& comparison() const { return comparison_; }
    [[nodiscard]] const MetricComparison* metricAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // Colours and words shared with the rest of the page (legend, rules).
    static QColor verdictColor(Verdict v);
    static QString verdictLabel(Verdict v);
    static QString valueText(MetricUnit unit, double v);
    static QString diffText(MetricUnit unit, double v);
    static QString intervalText(MetricUnit unit, double low, double high);

private:
    QVariant display(const MetricComparison& m, Column column) const;
    QVariant sortValue(const MetricComparison& m, Column column) const;
    QString toolTip(const MetricComparison& m, Column column) const;

    VersionComparison comparison_;
};

}  // namespace ps
