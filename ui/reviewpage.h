// The Review page: the review queue filled by rules over the current selection (and by hand), the current
// item's summary, and labelling with the keyboard: 1..6 set a label (with the note and the reviewer's name)
// and move on, J / K go to the next / previous item, Ctrl+Z undoes the last label. Labels go to the workspace
// at once, each in its own transaction. The rules run on the thread pool; a newer run supersedes an older
// one.
#pragma once

#include <QWidget>

#include <atomic>
#include <memory>

#include "dataset.h"
#include "reviewqueuemodel.h"
#include "selection.h"

class QLabel;
class QLineEdit;
class QCheckBox;
class QPushButton;
class QTableView;
class QToolButton;

namespace ps {

class ReviewRulesBox;
class Workspace;

class ReviewPage : public QWidget {
    Q_OBJECT

public:
    explicit ReviewPage(QWidget* parent = nullptr);
    ~ReviewPage() override;

    // workspace may be null (none could be opened): the queue is then shown without labels.
    void setWorkspace(std::shared_ptr<Workspace> workspace);
    // The data and the selection the rules run on (the dashboard's current filter).
    void setData(DatasetPtr dataset, std::shared_ptr<const Selection> selection);

    void applyLabel(ReviewLabel label);
    void undo();
    void next();
    void previous();
    void dismiss();
    bool addByHand(const QString& traceId);
    bool linkToIncident(int64_t incidentId);
    std::optional<int64_t> createIncidentFromCurrent(const QString& title);

    [[nodiscard]] ReviewQueueModel* queueModel() const { return model_; }
    [[nodiscard]] QTableView* queueView() const { return view_; }
    [[nodiscard]] ReviewRulesBox* rulesBox() const { return rules_; }
    [[nodiscard]] QLineEdit* noteEdit() const { return note_; }
    [[nodiscard]] QLineEdit* reviewerEdit() const { return reviewer_; }
    [[nodiscard]] QCheckBox* openOnlyCheck() const { return openOnly_; }
    [[nodiscard]] int currentRow() const;
    void selectRow(int row);
    [[nodiscard]] bool isBusy() const { return pending_ != 0; }

Q_SIGNALS:
    void traceRequested(ps::RequestIndex request);
    // An incident was created or a trace linked from this page.
    void incidentsChanged();
    // A recomputed queue is on screen.
    void queueShown();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void recompute();
    void showQueue(std::vector<ReviewQueueItem> items);
    void showCurrent();
    void updateCounts();
    void openCurrentTrace();
    void fillIncidentMenu();
    void setStatus(const QString& text);
    [[nodiscard]] std::string reviewer() const;
    [[nodiscard]] QueueEntry entryOf(const ReviewQueueItem& item) const;

    std::shared_ptr<Workspace> workspace_;
    DatasetPtr dataset_;
    std::shared_ptr<const Selection> selection_;
    ReviewQueueModel* model_;
    ReviewRulesBox* rules_;
    QTableView* view_;
    QLabel* counts_;
    QCheckBox* openOnly_;
    QLineEdit* addTrace_;
    QLabel* summary_;
    std::vector<QPushButton*> labelButtons_;
    QLineEdit* note_;
    QLineEdit* reviewer_;
    QPushButton* openTrace_;
    QToolButton* incidentButton_;
    QLabel* status_;
    std::shared_ptr<std::atomic<bool>> cancel_;
    quint64 job_ = 0;
    int pending_ = 0;
    bool stale_ = false;  // inputs changed while the page was hidden: recompute when shown
};

}  // namespace ps
