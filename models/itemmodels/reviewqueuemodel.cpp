#include "reviewqueuemodel.h"

#include <QBrush>
#include <QColor>
#include <QFont>

#include <algorithm>

#include "format.h"

namespace ps {

ReviewQueueModel::ReviewQueueModel(QObject* parent) : QAbstractTableModel(parent) {}

void ReviewQueueModel::setItems(DatasetPtr dataset, std::vector<ReviewQueueItem> items) {
    beginResetModel();
    dataset_ = std::move(dataset);
    items_ = std::move(items);
    endResetModel();
}

int ReviewQueueModel::rowOfTrace(const std::string& traceId) const {
    for (size_t i = 0; i < items_.size(); ++i) {
        if (items_[i].traceId == traceId) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

void ReviewQueueModel::setItemState(int row, QueueState state, std::optional<ReviewLabel> label) {
    if (row < 0 || row >= rowCount()) {
        return;
    }
    ReviewQueueItem& item = items_[static_cast<size_t>(row)];
    item.state = state;
    item.label = label;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

int ReviewQueueModel::openCount() const {
    return static_cast<int>(std::count_if(
        items_.begin(), items_.end(), [](const ReviewQueueItem& i) { return i.state == QueueState::Open; }));
}

int ReviewQueueModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(items_.size());
}

int ReviewQueueModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ReviewQueueModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) {
        return {};
    }
    const ReviewQueueItem& item = items_[static_cast<size_t>(index.row())];
    const bool loaded = dataset_ && item.request.isValid() && item.request.value < dataset_->requestCount();
    const uint32_t r = item.request.value;
    const auto column = static_cast<Column>(index.column());
    if (role == RequestRole) {
        return loaded ? QVariant(r) : QVariant();
    }
    if (role == TraceIdRole) {
        return QString::fromStdString(item.traceId);
    }
    if (role == Qt::DisplayRole) {
        auto text = [&](std::vector<StringId> RequestColumns::*column) {
            return loaded ? QString::fromUtf8(dataset_->str((dataset_->requests.*column)[r])) : QString();
        };
        switch (column) {
        case State:
            if (item.label) {
                return QString::fromUtf8(reviewLabelTitle(*item.label));
            }
            return item.state == QueueState::Dismissed ? tr("Dismissed") : tr("Open");
        case Trace: return QString::fromStdString(item.traceId);
        case Time: return loaded ? fmt::dateTime(dataset_->requests.startNs[r]) : tr("not loaded");
        case Feature: return text(&RequestColumns::feature);
        case Version: return text(&RequestColumns::promptVersion);
        case Reasons: return QString::fromStdString(reviewItemReasons(item));
        case Latency:
            return loaded ? fmt::duration(static_cast<double>(dataset_->requests.durationNs[r]) / 1e6)
                          : QString();
        case Cost: return loaded ? fmt::usd(dataset_->requests.costUsd[r]) : QString();
        case ColumnCount: break;
        }
        return {};
    }
    if (role == Qt::TextAlignmentRole && (column == Latency || column == Cost)) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role == Qt::ForegroundRole && item.state != QueueState::Open) {
        return QBrush(QColor(0x70, 0x70, 0x70));  // done and dismissed items recede
    }
    if (role == Qt::FontRole && column == State && item.state == QueueState::Open) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role == Qt::ToolTipRole && column == Trace) {
        return loaded ? QString::fromStdString(item.traceId)
                      : tr("%1 is not in the loaded data").arg(QString::fromStdString(item.traceId));
    }
    if (role == Qt::ToolTipRole && column == Reasons) {
        return QString::fromStdString(reviewItemReasons(item));
    }
    return {};
}

QVariant ReviewQueueModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (static_cast<Column>(section)) {
    case State: return tr("State");
    case Trace: return tr("Trace");
    case Time: return tr("Time (UTC)");
    case Feature: return tr("Feature");
    case Version: return tr("Version");
    case Reasons: return tr("Why");
    case Latency: return tr("Latency");
    case Cost: return tr("Cost");
    case ColumnCount: break;
    }
    return {};
}

}  // namespace ps
