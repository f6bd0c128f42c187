// The filter sidebar: back/forward/reset, the query line (with completion and clear errors), status, and one
// checkable list per dimension with counts under the other filters. It edits a Filter and says so
// (filterEdited); the window decides what to do with it (history, recompute) and calls setFilter/setSelection.
#pragma once

#include <QWidget>

#include <array>

#include "dataset.h"
#include "filter.h"
#include "selection.h"

class QComboBox;
class QCheckBox;
class QCompleter;
class QLabel;
class QLineEdit;
class QListView;
class QStringListModel;
class QToolButton;

namespace ps {

class FacetModel;

class FilterSidebar : public QWidget {
    Q_OBJECT

public:
    explicit FilterSidebar(QWidget* parent = nullptr);

    // Shows f without emitting filterEdited.
    void setFilter(const Filter& f);
    [[nodiscard]] const Filter& filter() const { return filter_; }
    void setSelection(DatasetPtr dataset, const Selection& selection);
    void setHistoryState(bool canGoBack, bool canGoForward);
    [[nodiscard]] QLineEdit* queryLine() const { return query_; }
    [[nodiscard]] FacetModel* facet(Dimension d) const { return facets_[static_cast<size_t>(d)]; }

Q_SIGNALS:
    void filterEdited(const ps::Filter& filter);
    void backRequested();
    void forwardRequested();
    void resetRequested();

private:
    void applyQuery();
    void updateCompletions();
    void insertCompletion(const QString& candidate);
    void edit(const Filter& f);
    void showQueryError(const QString& message);

    Filter filter_;
    DatasetPtr dataset_;
    bool updating_ = false;
    QToolButton* back_;
    QToolButton* forward_;
    QToolButton* reset_;
    QLineEdit* query_;
    QLabel* queryError_;
    QCompleter* completer_;
    QStringListModel* completions_;
    QLabel* timeLabel_;
    QToolButton* clearTime_;
    QComboBox* timePreset_;
    int64_t dataEndNs_ = 0;
    QComboBox* status_;
    QCheckBox* refusals_;
    std::array<FacetModel*, kDimensionCount> facets_{};
    std::array<QLabel*, kDimensionCount> headers_{};
    std::array<QListView*, kDimensionCount> lists_{};
};

}  // namespace ps
