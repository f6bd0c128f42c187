// Same-input pairs between the baseline and the compared side: requests of both that got the same user input,
// found off the GUI thread by reading each request's first user message back from its source (progress and
// cancel). Each pair shows both latencies and costs; opening one compares the two traces span by span.
#pragma once

#include <QDialog>

#include <atomic>
#include <memory>

#include "dataset.h"
#include "inputpairs.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace ps {

class InputPairsDialog : public QDialog {
    Q_OBJECT

public:
    InputPairsDialog(DatasetPtr dataset, const QString& labelA, std::vector<uint32_t> a, const QString& labelB,
                     std::vector<uint32_t> b, QWidget* parent = nullptr);
    ~InputPairsDialog() override;

    [[nodiscard]] QTableWidget* table() const { return table_; }
    [[nodiscard]] const InputPairs& pairs() const { return pairs_; }
    // Opens the pair on this row (as a double-click does).
    void openPair(int row);

Q_SIGNALS:
    void pairRequested(ps::RequestIndex a, ps::RequestIndex b);
    void finished();  // the search ended (found, none, or cancelled)

private:
    void showPairs(InputPairs pairs);

    DatasetPtr dataset_;
    QString labelA_, labelB_;
    InputPairs pairs_;
    std::shared_ptr<std::atomic<bool>> cancel_;
    QLabel* status_;
    QProgressBar* progress_;
    QPushButton* stop_;
    QTableWidget* table_;
};

}  // namespace ps
