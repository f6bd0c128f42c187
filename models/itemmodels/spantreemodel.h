// One trace's spans as a Qt tree (name, kind, service, start offset, duration, self time, status): for tree views,
// accessibility and search next to the custom-painted waterfall, which shows the same spans.
//
// Built in one pass from the Dataset's depth-first storage: a span's parent is its nearest ancestor row, and the
// children of every span are kept as one flat array grouped by parent, so index(), parent() and rowCount() are
// O(1) for a 100,000-span trace. An index's internal id is the span's absolute row.
#pragma once

#include <QAbstractItemModel>

#include <memory>
#include <vector>

#include "waterfall.h"

namespace ps {

class SpanTreeModel : public QAbstractItemModel {
    Q_OBJECT

public:
    enum Column { Name, Kind, Service, Start, Duration, SelfTime, Status, ColumnCount };
    enum Role {
        SpanRowRole = Qt::UserRole + 1,  // absolute span row (uint)
        SortRole,                        // numbers for the time columns, text otherwise
    };

    explicit SpanTreeModel(QObject* parent = nullptr);

    // Lays the trace out (every span shown) and resets the model. An invalid request empties it.
    void setTrace(DatasetPtr data, RequestIndex request);
    // The same with a layout already computed for this trace (its per-span measures are used, not its hiding).
    void setTrace(DatasetPtr data, std::shared_ptr<const TraceLayout> layout);
    [[nodiscard]] const DatasetPtr& dataset() const { return data_; }
    [[nodiscard]] RequestIndex request() const { return layout_ ? layout_->request : RequestIndex{}; }

    // The index of an absolute span row (column 0), invalid when the row is not in the trace.
    [[nodiscard]] QModelIndex indexOfSpan(uint32_t row) const;
    [[nodiscard]] static uint32_t spanOf(const QModelIndex& index);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    void rebuild();
    [[nodiscard]] size_t local(uint32_t row) const { return row - layout_->firstRow; }
    [[nodiscard]] uint32_t parentRowOf(uint32_t row) const;  // kInvalid for a depth-0 span

    DatasetPtr data_;
    std::shared_ptr<const TraceLayout> layout_;
    std::vector<uint32_t> childBegin_;   // children of span i are children_[childBegin_[i], childBegin_[i + 1])
    std::vector<uint32_t> children_;
    std::vector<uint32_t> roots_;        // depth-0 spans
    std::vector<uint32_t> positionOf_;   // each span's row number under its parent (or among the roots)
};

}  // namespace ps
