#include "incidentlistmodel.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QTimeZone>

namespace ps {
namespace {

// Severity colours as incident tools use them: the worse, the warmer.
QColor severityColor(IncidentSeverity s) {
    switch (s) {
    case IncidentSeverity::Sev1: return QColor(0xc6, 0x28, 0x28);
    case IncidentSeverity::Sev2: return QColor(0xd8, 0x5a, 0x00);
    case IncidentSeverity::Sev3: return QColor(0x9a, 0x7b, 0x00);
    case IncidentSeverity::Sev4: break;
    }
    return QColor(0x55, 0x66, 0x77);
}

}  // namespace

IncidentListModel::IncidentListModel(QObject* parent) : QAbstractTableModel(parent) {}

void IncidentListModel::setIncidents(std::vector<IncidentRecord> incidents) {
    beginResetModel();
    rows_ = std::move(incidents);
    endResetModel();
}

int IncidentListModel::rowOfId(int64_t id) const {
    for (size_t i = 0; i < rows_.size(); ++i) {
        if (rows_[i].id == id) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

int IncidentListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int IncidentListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant IncidentListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) {
        return {};
    }
    const IncidentRecord& r = rows_[static_cast<size_t>(index.row())];
    const auto column = static_cast<Column>(index.column());
    if (role == IdRole) {
        return QVariant::fromValue<qint64>(r.id);
    }
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Title: return QString::fromStdString(r.fields.title);
        case Severity: return QString::fromUtf8(incidentSeverityKey(r.fields.severity)).toUpper();
        case Status: return QString::fromUtf8(incidentStatusTitle(r.fields.status));
        case Version: return QString::fromStdString(r.fields.promptVersion);
        case Traces: return QVariant::fromValue<qint64>(r.traceCount);
        case Updated:
            // The year only when it is not this one: the column stays narrow beside the titles.
            return QDateTime::fromMSecsSinceEpoch(r.updatedMs, QTimeZone::utc())
                .toString(QDateTime::fromMSecsSinceEpoch(r.updatedMs, QTimeZone::utc()).date().year() ==
                                  QDateTime::currentDateTimeUtc().date().year()
                              ? QStringLiteral("MM-dd HH:mm")
                              : QStringLiteral("yyyy-MM-dd HH:mm"));
        case ColumnCount: break;
        }
        return {};
    }
    if (role == Qt::ToolTipRole && column == Title) {
        return QString::fromStdString(r.fields.title);
    }
    if (role == Qt::ToolTipRole && column == Severity) {
        return QString::fromUtf8(incidentSeverityTitle(r.fields.severity));
    }
    if (role == Qt::ForegroundRole && column == Severity) {
        return QBrush(severityColor(r.fields.severity));
    }
    if (role == Qt::ForegroundRole && r.fields.status == IncidentStatus::Resolved) {
        return QBrush(QColor(0x70, 0x70, 0x70));
    }
    if (role == Qt::TextAlignmentRole && column == Traces) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant IncidentListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (static_cast<Column>(section)) {
    case Title: return tr("Incident");
    case Severity: return tr("Severity");
    case Status: return tr("Status");
    case Version: return tr("Version");
    case Traces: return tr("Traces");
    case Updated: return tr("Updated (UTC)");
    case ColumnCount: break;
    }
    return {};
}

}  // namespace ps
