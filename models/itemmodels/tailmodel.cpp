#include "tailmodel.h"

#include <QBrush>
#include <QColor>

#include <cmath>

#include "format.h"

namespace ps {

TailModel::TailModel(QObject* parent) : QAbstractTableModel(parent) {}

void TailModel::setTails(DatasetPtr dataset, OutlierKind kind, std::vector<TailRow> rows) {
    beginResetModel();
    dataset_ = std::move(dataset);
    kind_ = kind;
    rows_ = std::move(rows);
    endResetModel();
}

int TailModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !dataset_ ? 0 : static_cast<int>(rows_.size());
}

int TailModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString TailModel::valueText(double v) const {
    switch (kind_) {
    case OutlierKind::Slowest: return fmt::duration(v);
    case OutlierKind::MostExpensive: return fmt::usd(v);
    default: return fmt::tokens(v);
    }
}

QVariant TailModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) {
        return {};
    }
    const TailRow& t = rows_[static_cast<size_t>(index.row())];
    const auto column = static_cast<Column>(index.column());
    const double ratio = t.p50 > 0 ? t.ratio() : kNaN;
    if (role == SortRole) {
        switch (column) {
        case Requests: return static_cast<qulonglong>(t.count);
        case P50: return t.p50;
        case P95: return t.p95;
        case P99: return t.p99;
        case Max: return t.max;
        case Ratio: return std::isnan(ratio) ? -1.0 : ratio;
        default: break;
        }
        return data(index, Qt::DisplayRole);
    }
    if (role == Qt::DisplayRole) {
        auto name = [&](StringId s) {
            const std::string_view v = dataset_->str(s);
            return v.empty() ? tr("(none)") : QString::fromUtf8(v.data(), static_cast<qsizetype>(v.size()));
        };
        switch (column) {
        case Feature: return name(t.feature);
        case Tier: return name(t.tier);
        case Requests: return fmt::count(static_cast<double>(t.count));
        case P50: return valueText(t.p50);
        case P95: return valueText(t.p95);
        case P99: return valueText(t.p99);
        case Max: return valueText(t.max);
        case Ratio: return std::isnan(ratio) ? QStringLiteral("–") : QStringLiteral("%1×").arg(ratio, 0, 'f', 1);
        case ColumnCount: break;
        }
        return {};
    }
    if (role == Qt::TextAlignmentRole && column >= Requests) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role == Qt::ForegroundRole && t.count < kMinTailCount) {
        return QBrush(QColor(0x88, 0x88, 0x88));
    }
    if (role == Qt::ToolTipRole) {
        return t.count < kMinTailCount
                   ? tr("Only %1 requests: the p99 is the largest one or two.").arg(t.count)
                   : tr("p99 is %1 times p50 (percentiles interpolate between closest ranks)")
                         .arg(ratio, 0, 'f', 1);
    }
    return {};
}

QVariant TailModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (static_cast<Column>(section)) {
    case Feature: return tr("Feature");
    case Tier: return tr("Tenant tier");
    case Requests: return tr("Requests");
    case P50: return QStringLiteral("p50");
    case P95: return QStringLiteral("p95");
    case P99: return QStringLiteral("p99");
    case Max: return tr("Max");
    case Ratio: return tr("p99 / p50");
    case ColumnCount: break;
    }
    return {};
}

}  // namespace ps
