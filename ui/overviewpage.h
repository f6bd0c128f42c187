// The first overview: headline tiles for the whole dataset and a per-group table (by prompt version, model,
// feature, ...) with volume, errors, latency percentiles, tokens, cost and eval pass rate. Summaries are computed
// on the thread pool; a newer request supersedes an older one.
#pragma once

#include <QWidget>

#include "dataset.h"

class QComboBox;
class QLabel;
class QTableWidget;

namespace ps {

class KpiTile;
struct Report;

class OverviewPage : public QWidget {
    Q_OBJECT

public:
    explicit OverviewPage(QWidget* parent = nullptr);
    void setDataset(DatasetPtr dataset);

private:
    void recompute();
    void showReport(const Report& report);

    DatasetPtr dataset_;
    quint64 jobId_ = 0;
    QLabel* heading_;
    KpiTile* requests_;
    KpiTile* errors_;
    KpiTile* latency_;
    KpiTile* cost_;
    KpiTile* evals_;
    QComboBox* groupBy_;
    QComboBox* grain_;
    QTableWidget* table_;
};

}  // namespace ps
