// The values of one dimension in the filter sidebar: checkable rows "value — count", most frequent first.
// Checking a row adds the value to the filter (emitted as checkedValuesChanged); the model never filters itself.
#pragma once

#include <QAbstractListModel>
#include <QStringList>

#include <vector>

#include "dataset.h"
#include "selection.h"

namespace ps {

class FacetModel : public QAbstractListModel {
    Q_OBJECT

public:
    enum Role { CountRole = Qt::UserRole + 1, ValueRole };

    explicit FacetModel(QObject* parent = nullptr);

    // values: the selection's facet for this dimension; checked: the values the filter has now. Checked values
    // missing from the facet (no request has them under the other filters) are kept, with a count of 0.
    void setValues(const Dataset& d, const std::vector<FacetValue>& values, const QStringList& checked,
                   uint32_t totalValues);
    [[nodiscard]] QStringList checkedValues() const;
    [[nodiscard]] uint32_t totalValues() const { return totalValues_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

Q_SIGNALS:
    void checkedValuesChanged(const QStringList& values);

private:
    struct Row {
        QString value;
        uint32_t count = 0;
        bool checked = false;
    };
    std::vector<Row> rows_;
    uint32_t totalValues_ = 0;
};

}  // namespace ps
