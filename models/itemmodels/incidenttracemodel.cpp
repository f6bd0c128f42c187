#include "incidenttracemodel.h"

#include "format.h"

namespace ps {

IncidentTraceModel::IncidentTraceModel(QObject* parent) : QAbstractTableModel(parent) {}

void IncidentTraceModel::setTraces(DatasetPtr dataset, const std::vector<IncidentTraceRecord>& traces,
                                   const std::unordered_map<std::string, ReviewLabel>& labels) {
    beginResetModel();
    dataset_ = std::move(dataset);
    rows_.clear();
    for (const IncidentTraceRecord& t : traces) {
        Row row{t.traceId, dataset_ ? dataset_->findRequest(t.traceId) : RequestIndex{}, std::nullopt};
        if (const auto it = labels.find(t.traceId); it != labels.end()) {
            row.label = it->second;
        }
        rows_.push_back(std::move(row));
    }
    endResetModel();
}

int IncidentTraceModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int IncidentTraceModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant IncidentTraceModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) {
        return {};
    }
    const Row& row = rows_[static_cast<size_t>(index.row())];
    const bool loaded = dataset_ && row.request.isValid() && row.request.value < dataset_->requestCount();
    const uint32_t r = row.request.value;
    const auto column = static_cast<Column>(index.column());
    if (role == RequestRole) {
        return loaded ? QVariant(r) : QVariant();
    }
    if (role == TraceIdRole) {
        return QString::fromStdString(row.traceId);
    }
    if (role == Qt::DisplayRole) {
        const RequestColumns* q = loaded ? &dataset_->requests : nullptr;
        switch (column) {
        case Trace: return QString::fromStdString(row.traceId);
        case Time: return q ? fmt::dateTime(q->startNs[r]) : tr("not loaded");
        case Feature: return q ? QString::fromUtf8(dataset_->str(q->feature[r])) : QString();
        case Version: return q ? QString::fromUtf8(dataset_->str(q->promptVersion[r])) : QString();
        case Latency: return q ? fmt::duration(static_cast<double>(q->durationNs[r]) / 1e6) : QString();
        case FailedEvals: return q ? QVariant(static_cast<int>(q->evalFail[r])) : QVariant();
        case Label: return row.label ? QString::fromUtf8(reviewLabelTitle(*row.label)) : QString();
        case ColumnCount: break;
        }
        return {};
    }
    if (role == Qt::TextAlignmentRole && (column == Latency || column == FailedEvals)) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant IncidentTraceModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (static_cast<Column>(section)) {
    case Trace: return tr("Trace");
    case Time: return tr("Time (UTC)");
    case Feature: return tr("Feature");
    case Version: return tr("Version");
    case Latency: return tr("Latency");
    case FailedEvals: return tr("Failed evals");
    case Label: return tr("Label");
    case ColumnCount: break;
    }
    return {};
}

}  // namespace ps
