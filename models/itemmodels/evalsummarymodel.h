// Eval results of the Quality page, one row per eval name and prompt version: results, failed, pass rate and
// mean score. SortRole sorts by the numbers.
#pragma once

#include <QAbstractTableModel>

#include "quality.h"

namespace ps {

class EvalSummaryModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Eval, Version, Results, Failed, PassRate, MeanScore, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit EvalSummaryModel(QObject* parent = nullptr);
    void setEvals(DatasetPtr dataset, std::vector<EvalVersionStats> evals);
    [[nodiscard]] const std::vector<EvalVersionStats>& evals() const { return evals_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    DatasetPtr dataset_;
    std::vector<EvalVersionStats> evals_;
};

}  // namespace ps
