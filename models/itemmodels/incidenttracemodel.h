// The traces linked to one incident: trace id, time, feature, prompt version, latency, failed evals and the
// review label, looked up in the loaded data (a trace that is not loaded still shows its id and label).
#pragma once

#include <QAbstractTableModel>

#include <optional>
#include <unordered_map>
#include <vector>

#include "dataset.h"
#include "workspacerecords.h"

namespace ps {

class IncidentTraceModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Trace, Time, Feature, Version, Latency, FailedEvals, Label, ColumnCount };
    enum Role { RequestRole = Qt::UserRole + 1, TraceIdRole };

    explicit IncidentTraceModel(QObject* parent = nullptr);
    void setTraces(DatasetPtr dataset, const std::vector<IncidentTraceRecord>& traces,
                   const std::unordered_map<std::string, ReviewLabel>& labels);
    [[nodiscard]] const std::string& traceId(int row) const {
        return rows_[static_cast<size_t>(row)].traceId;
    }
    [[nodiscard]] RequestIndex request(int row) const { return rows_[static_cast<size_t>(row)].request; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Row {
        std::string traceId;
        RequestIndex request;
        std::optional<ReviewLabel> label;
    };
    DatasetPtr dataset_;
    std::vector<Row> rows_;
};

}  // namespace ps
