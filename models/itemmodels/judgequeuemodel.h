// The sample-and-judge queue of the Quality page: flagged requests (failed evals, thumbs-down) first, then the
// requests sampled by the hash of their trace id; per row the trace, time, feature, prompt version, why it is in
// the queue and its hash position. RequestRole gives the request, to open its trace.
#pragma once

#include <QAbstractTableModel>

#include "judgesampling.h"

namespace ps {

class JudgeQueueModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Trace, Time, Feature, Prompt, Reason, FailedEvals, Hash, ColumnCount };
    static constexpr int RequestRole = Qt::UserRole + 2;

    explicit JudgeQueueModel(QObject* parent = nullptr);
    void setQueue(DatasetPtr dataset, JudgeQueue queue);
    [[nodiscard]] const JudgeQueue& queue() const { return queue_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    DatasetPtr dataset_;
    JudgeQueue queue_;
};

}  // namespace ps
