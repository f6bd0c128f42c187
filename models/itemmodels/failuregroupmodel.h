// Similar failures of the Outliers page: one row per group (error type and normalised message, failing eval,
// failing tool) with its requests, share of the selection, first and last seen and up to five sample traces.
// RequestRole gives the group's most recent sample, to open its trace.
#pragma once

#include <QAbstractTableModel>

#include "failuregroups.h"

namespace ps {

class FailureGroupModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Kind, Failure, Requests, Share, FirstSeen, LastSeen, Samples, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int RequestRole = Qt::UserRole + 2;

    explicit FailureGroupModel(QObject* parent = nullptr);
    void setGroups(DatasetPtr dataset, std::vector<FailureGroup> groups);
    [[nodiscard]] const std::vector<FailureGroup>& groups() const { return groups_; }
    // "RateLimitError: <n> Rate limit reached", "eval format_check failed", "tool crm_lookup failed".
    [[nodiscard]] static QString describe(const FailureGroup& group);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    DatasetPtr dataset_;
    std::vector<FailureGroup> groups_;
};

}  // namespace ps
