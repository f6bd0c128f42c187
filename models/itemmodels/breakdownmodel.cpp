#include "breakdownmodel.h"

#include <QColor>

#include <QLocale>

#include "format.h"

namespace ps {

BreakdownModel::BreakdownModel(QObject* parent) : QAbstractTableModel(parent) {}

void BreakdownModel::setBreakdown(const Breakdown& breakdown, uint64_t totalRows, Grain grain) {
    beginResetModel();
    rows_ = breakdown.rows;
    total_ = totalRows;
    field_ = breakdown.field;
    grain_ = grain;
    endResetModel();
}

QString BreakdownModel::keyAt(int row) const {
    return row >= 0 && row < rowCount() ? QString::fromStdString(rows_[static_cast<size_t>(row)].key) : QString();
}

int BreakdownModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int BreakdownModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BreakdownModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) {
        return {};
    }
    const BreakdownRow& r = rows_[static_cast<size_t>(index.row())];
    const double share = total_ ? static_cast<double>(r.count) / static_cast<double>(total_) : kNaN;
    const auto column = static_cast<Column>(index.column());
    if (role == SortRole) {
        switch (column) {
        case Key: return QString::fromStdString(r.key);
        case Count: return static_cast<qulonglong>(r.count);
        case Share: return share;
        case ErrorRate: return r.errorRate;
        case P95Latency: return r.p95LatencyMs;
        case Cost: return r.costUsd;
        case Open:
        case ColumnCount: break;
        }
        return {};
    }
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Key: return QString::fromStdString(r.key);
        case Count: return QLocale().toString(static_cast<qulonglong>(r.count));
        case Share: return fmt::percent(share);
        case ErrorRate: return fmt::percent(r.errorRate);
        case P95Latency: return fmt::duration(r.p95LatencyMs);
        case Cost: return fmt::usd(r.costUsd);
        case Open: return tr("slowest \u25B8");
        case ColumnCount: break;
        }
    }
    if (role == Qt::ForegroundRole && column == Open) {
        return QColor(0x1f, 0x6f, 0xd1);  // reads as a link
    }
    if (role == Qt::ToolTipRole && column == Open) {
        return tr("Open the slowest %1 of %2 on the Traces page")
            .arg(grain_ == Grain::Generation ? tr("LLM call's trace") : tr("request"), QString::fromStdString(r.key));
    }
    if (role == Qt::TextAlignmentRole && column != Key) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role == Qt::ToolTipRole && column == Key) {
        return tr("Click to filter to %1").arg(QString::fromStdString(r.key));
    }
    return {};
}

QVariant BreakdownModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    const bool calls = grain_ == Grain::Generation;
    switch (static_cast<Column>(section)) {
    case Key: return QString::fromUtf8(groupFieldName(field_).data());
    case Count: return calls ? tr("LLM calls") : tr("Requests");
    case Share: return tr("Share");
    case ErrorRate: return tr("Error rate");
    case P95Latency: return tr("p95 latency");
    case Cost: return tr("Cost");
    case Open: return tr("Trace");
    case ColumnCount: break;
    }
    return {};
}

}  // namespace ps
