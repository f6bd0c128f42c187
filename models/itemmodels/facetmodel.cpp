#include "facetmodel.h"

#include <QLocale>

namespace ps {

FacetModel::FacetModel(QObject* parent) : QAbstractListModel(parent) {}

void FacetModel::setValues(const Dataset& d, const std::vector<FacetValue>& values, const QStringList& checked,
                           uint32_t totalValues) {
    beginResetModel();
    rows_.clear();
    rows_.reserve(values.size() + static_cast<size_t>(checked.size()));
    QStringList missing = checked;
    for (const FacetValue& v : values) {
        const QString text =
            v.value.isEmpty() ? QStringLiteral("(none)") : QString::fromUtf8(d.str(v.value).data(),
                                                                            static_cast<qsizetype>(d.str(v.value).size()));
        const bool on = checked.contains(text);
        missing.removeAll(text);
        rows_.push_back({text, v.count, on});
    }
    for (const QString& m : missing) {
        rows_.insert(rows_.begin(), Row{m, 0, true});
    }
    totalValues_ = totalValues;
    endResetModel();
}

QStringList FacetModel::checkedValues() const {
    QStringList out;
    for (const Row& r : rows_) {
        if (r.checked) {
            out << r.value;
        }
    }
    return out;
}

int FacetModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QVariant FacetModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() < 0 || index.row() >= rowCount()) {
        return {};
    }
    const Row& r = rows_[static_cast<size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole: return QStringLiteral("%1  (%2)").arg(r.value, QLocale().toString(r.count));
    case Qt::ToolTipRole:
        return tr("%1: %2 requests under the other filters").arg(r.value, QLocale().toString(r.count));
    case Qt::CheckStateRole: return r.checked ? Qt::Checked : Qt::Unchecked;
    case CountRole: return r.count;
    case ValueRole: return r.value;
    default: return {};
    }
}

bool FacetModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid() || role != Qt::CheckStateRole || index.row() >= rowCount()) {
        return false;
    }
    Row& r = rows_[static_cast<size_t>(index.row())];
    const bool on = value.toInt() == Qt::Checked;
    if (r.checked == on) {
        return true;
    }
    r.checked = on;
    Q_EMIT dataChanged(index, index, {Qt::CheckStateRole});
    Q_EMIT checkedValuesChanged(checkedValues());
    return true;
}

Qt::ItemFlags FacetModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) {
        return Qt::NoItemFlags;
    }
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable;
}

}  // namespace ps
