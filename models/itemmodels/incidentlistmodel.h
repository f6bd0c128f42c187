// The workspace's incidents as a table: title, severity, status, prompt version, linked traces, last update.
// Rows keep the workspace's order (most recently updated first).
#pragma once

#include <QAbstractTableModel>

#include <vector>

#include "workspacerecords.h"

namespace ps {

class IncidentListModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Title, Severity, Status, Version, Traces, Updated, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1 };

    explicit IncidentListModel(QObject* parent = nullptr);
    void setIncidents(std::vector<IncidentRecord> incidents);
    [[nodiscard]] const IncidentRecord& incident(int row) const { return rows_[static_cast<size_t>(row)]; }
    [[nodiscard]] int rowOfId(int64_t id) const;  // -1 when not listed

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<IncidentRecord> rows_;
};

}  // namespace ps
