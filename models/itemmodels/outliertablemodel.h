// One outlier table of the Outliers page (slowest, most expensive, ...): per request its trace id, time, feature,
// tenant, prompt version, model, the table's metric, where it sits in its feature's distribution ("p99.7 of
// latency for support_chatbot"), latency, cost, tokens, tool calls, eval failures and feedback.
// Sorting uses the numbers, not their text (SortRole); RequestRole gives the row's request for opening its trace.
#pragma once

#include <QAbstractTableModel>

#include "outliers.h"

namespace ps {

class OutlierTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        Trace,
        Time,
        Feature,
        Tenant,
        Prompt,
        Model,
        Value,
        Rank,
        Latency,
        Cost,
        Tokens,
        ToolCalls,
        EvalFailures,
        Feedback,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int RequestRole = Qt::UserRole + 2;  // the request row (uint), or invalid

    explicit OutlierTableModel(QObject* parent = nullptr);
    void setTable(DatasetPtr dataset, const OutlierTable& table);
    void clear();
    [[nodiscard]] OutlierKind kind() const { return table_.kind; }
    [[nodiscard]] const OutlierTable& table() const { return table_; }
    // The column that repeats the Value column for this kind (Latency for the slowest), or -1.
    [[nodiscard]] int duplicateColumn() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QString valueText(double v) const;

    DatasetPtr dataset_;
    OutlierTable table_;
};

}  // namespace ps
