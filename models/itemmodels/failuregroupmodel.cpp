#include "failuregroupmodel.h"

#include <QStringList>

#include "format.h"

namespace ps {
namespace {

QString text(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

}  // namespace

FailureGroupModel::FailureGroupModel(QObject* parent) : QAbstractTableModel(parent) {}

void FailureGroupModel::setGroups(DatasetPtr dataset, std::vector<FailureGroup> groups) {
    beginResetModel();
    dataset_ = std::move(dataset);
    groups_ = std::move(groups);
    endResetModel();
}

QString FailureGroupModel::describe(const FailureGroup& g) {
    switch (g.kind) {
    case FailureGroupKind::Error:
        return g.key.empty() ? text(g.errorType) : text(g.errorType) + QStringLiteral(": ") + text(g.key);
    case FailureGroupKind::Eval: return tr("eval %1 failed").arg(text(g.key));
    case FailureGroupKind::Tool: return tr("tool %1 failed").arg(text(g.key));
    }
    return {};
}

int FailureGroupModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !dataset_ ? 0 : static_cast<int>(groups_.size());
}

int FailureGroupModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FailureGroupModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) {
        return {};
    }
    const FailureGroup& g = groups_[static_cast<size_t>(index.row())];
    const auto column = static_cast<Column>(index.column());
    if (role == RequestRole) {
        return g.samples.empty() ? QVariant() : QVariant(g.samples.front().value);
    }
    if (role == SortRole) {
        switch (column) {
        case Kind: return static_cast<int>(g.kind);
        case Requests: return static_cast<qulonglong>(g.requests);
        case Share: return g.share;
        case FirstSeen: return static_cast<qlonglong>(g.firstNs);
        case LastSeen: return static_cast<qlonglong>(g.lastNs);
        default: break;
        }
        return data(index, Qt::DisplayRole);
    }
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Kind:
            switch (g.kind) {
            case FailureGroupKind::Error: return tr("Error");
            case FailureGroupKind::Eval: return tr("Eval");
            case FailureGroupKind::Tool: return tr("Tool");
            }
            return {};
        case Failure: return describe(g);
        case Requests: return fmt::count(static_cast<double>(g.requests));
        case Share: return fmt::percent(g.share);
        case FirstSeen: return fmt::dateTime(g.firstNs);
        case LastSeen: return fmt::dateTime(g.lastNs);
        case Samples: {
            QStringList ids;
            for (RequestIndex r : g.samples) {
                ids << text(dataset_->str(dataset_->requests.traceId[r.value])).left(12);
            }
            return ids.join(QStringLiteral(", "));
        }
        case ColumnCount: break;
        }
        return {};
    }
    if (role == Qt::TextAlignmentRole && (column == Requests || column == Share)) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role == Qt::ToolTipRole) {
        QStringList ids;
        for (RequestIndex r : g.samples) {
            ids << text(dataset_->str(dataset_->requests.traceId[r.value]));
        }
        QString tip = g.example.empty() ? QString() : tr("Latest: %1\n").arg(text(g.example));
        tip += tr("Samples, most recent first:\n%1\nDouble-click to open the most recent.")
                   .arg(ids.join(QLatin1Char('\n')));
        return tip;
    }
    return {};
}

QVariant FailureGroupModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (static_cast<Column>(section)) {
    case Kind: return tr("Kind");
    case Failure: return tr("Failure (numbers and ids stripped)");
    case Requests: return tr("Requests");
    case Share: return tr("Share");
    case FirstSeen: return tr("First seen (UTC)");
    case LastSeen: return tr("Last seen (UTC)");
    case Samples: return tr("Sample traces");
    case ColumnCount: break;
    }
    return {};
}

}  // namespace ps
