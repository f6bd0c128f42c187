// The trace list: one row per request (the current selection's, or all), columns computed from the Dataset's
// columns only for the rows a view asks for. Sorting millions of rows runs on the thread pool (no proxy
// model): a job builds the row order (tracelistorder.h) and hands it back; the model swaps it in between
// layoutAboutToBeChanged and layoutChanged, keeping the current and selected rows on their requests. A newer
// sort or a new set of rows supersedes a running job.
#pragma once

#include <QAbstractTableModel>
#include <QFont>
#include <atomic>
#include <memory>
#include <vector>

#include "dataset.h"

namespace ps {

class TraceListModel : public QAbstractTableModel {
    Q_OBJECT

public:
    // Same order as TraceColumn (tracelistorder.h).
    enum Column {
        TraceId,
        Time,
        Feature,
        PromptVersion,
        Models,
        Duration,
        Cost,
        Tokens,
        Status,
        FailedEvals,
        Feedback,
        ColumnCount
    };
    enum Role { RequestIndexRole = Qt::UserRole + 1 };

    explicit TraceListModel(QObject* parent = nullptr);
    ~TraceListModel() override;

    // Shows these request rows, which must be ascending (as a Selection holds them). The current sort is
    // applied again on the thread pool; until it is, the rows show in time order.
    void setRows(DatasetPtr data, std::vector<uint32_t> rows);
    // The same without a copy, for rows shared with their owner (a selection kept for later searches).
    void setRows(DatasetPtr data, std::shared_ptr<const std::vector<uint32_t>> rows);
    void setAllRows(DatasetPtr data);
    [[nodiscard]] const DatasetPtr& dataset() const { return data_; }

    [[nodiscard]] RequestIndex requestAt(int row) const;
    // The display row of a request, or -1 when it is not in the list.
    [[nodiscard]] int rowOfRequest(RequestIndex request) const;
    [[nodiscard]] bool isSorting() const { return pendingJobs_ != 0; }
    [[nodiscard]] int sortColumn() const { return sortColumn_; }
    [[nodiscard]] Qt::SortOrder sortOrder() const { return sortOrder_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    // Starts the sort on the thread pool and returns at once; sortingChanged(false) follows when it is shown.
    // Column -1 goes back to time order.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

Q_SIGNALS:
    void sortingChanged(bool sorting);

private:
    struct SortResult;
    void startSort();
    void applySort(SortResult& result);
    void setShown(std::vector<uint32_t> shown, std::vector<uint32_t> positions);
    [[nodiscard]] QVariant display(uint32_t request, int column) const;
    [[nodiscard]] QVariant toolTip(uint32_t request, int column) const;

    DatasetPtr data_;
    std::shared_ptr<const std::vector<uint32_t>> base_;  // ascending request rows
    std::vector<uint32_t> shown_;                        // display order when sorted; empty = base_'s order
    std::vector<uint32_t> positionOf_;  // request row -> display row when sorted (kInvalid when absent)
    std::shared_ptr<const std::vector<uint32_t>> ranks_;  // rankStrings of data_, once a string column sorted
    int sortColumn_ = -1;
    Qt::SortOrder sortOrder_ = Qt::AscendingOrder;
    quint64 job_ = 0;
    int pendingJobs_ = 0;
    std::shared_ptr<std::atomic<bool>> cancel_;
    QFont idFont_;
};

}  // namespace ps
