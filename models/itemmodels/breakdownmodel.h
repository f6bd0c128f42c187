// One breakdown table of the overview (by model, feature, prompt version, tenant or environment): volume,
// share, error rate, p95 latency and cost per value. Sorting uses the numbers, not their text (SortRole).
#pragma once

#include <QAbstractTableModel>

#include "overview.h"

namespace ps {

class BreakdownModel : public QAbstractTableModel {
    Q_OBJECT

public:
    // Open: a link-like cell that opens the group's slowest trace (the view acts on it; the model only labels it).
    enum Column { Key, Count, Share, ErrorRate, P95Latency, Cost, Open, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit BreakdownModel(QObject* parent = nullptr);
    void setBreakdown(const Breakdown& breakdown, uint64_t totalRows, Grain grain);
    [[nodiscard]] GroupField field() const { return field_; }
    [[nodiscard]] QString keyAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<BreakdownRow> rows_;
    uint64_t total_ = 0;
    GroupField field_ = GroupField::Model;
    Grain grain_ = Grain::Request;
};

}  // namespace ps
