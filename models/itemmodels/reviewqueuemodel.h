// The review queue as a table: state (or the label given), trace, time, feature, prompt version, why it is
// queued, latency and cost. Rows keep the queue's order (no sorting: the order is the work order). A label or
// a dismissal updates its row in place, so the row stays under the cursor and undo can put it back.
#pragma once

#include <QAbstractTableModel>

#include "reviewqueue.h"

namespace ps {

class ReviewQueueModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { State, Trace, Time, Feature, Version, Reasons, Latency, Cost, ColumnCount };
    enum Role { RequestRole = Qt::UserRole + 1, TraceIdRole };

    explicit ReviewQueueModel(QObject* parent = nullptr);
    void setItems(DatasetPtr dataset, std::vector<ReviewQueueItem> items);
    [[nodiscard]] const ReviewQueueItem& item(int row) const { return items_[static_cast<size_t>(row)]; }
    [[nodiscard]] int rowOfTrace(const std::string& traceId) const;  // -1 when not listed
    // The row's state and label after a change in the workspace.
    void setItemState(int row, QueueState state, std::optional<ReviewLabel> label);
    [[nodiscard]] int openCount() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    DatasetPtr dataset_;
    std::vector<ReviewQueueItem> items_;
};

}  // namespace ps
