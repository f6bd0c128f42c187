// User signals of the Quality page as a compact grid: one column per feature and a total column last, one row
// per measure (requests, sessions, session length, explicit feedback coverage, thumbs up and down, explicit
// positive share, ratings, corrections, follow-ups, abandoned sessions) and a last row with the survivorship-bias
// check (abandonment above 30% while explicit feedback is above 80% positive); a biased feature's column is
// shown on an orange background.
#pragma once

#include <QAbstractTableModel>

#include "quality.h"

namespace ps {

class SignalSummaryModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Measure {
        Requests,
        Sessions,
        SessionLength,
        Coverage,
        ThumbsUp,
        ThumbsDown,
        PositiveShare,
        Ratings,
        Corrections,
        FollowUps,
        Abandonment,
        Bias,
        MeasureCount
    };
    static constexpr int ValueRole = Qt::UserRole + 1;  // the number behind the text (a count or a fraction)
    static constexpr int BiasRole = Qt::UserRole + 2;   // bool: the column's feature shows survivorship bias

    explicit SignalSummaryModel(QObject* parent = nullptr);
    void setSignals(DatasetPtr dataset, std::vector<FeatureSignals> features, const FeatureSignals& total);
    [[nodiscard]] const FeatureSignals& columnAt(int column) const;
    [[nodiscard]] QString featureName(int column) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    DatasetPtr dataset_;
    std::vector<FeatureSignals> columns_;  // the features, then the total
};

}  // namespace ps
