// The trace list: a table of requests (TraceListModel) under a search line. It follows the sidebar's filters
// (setSelection) and searches within them: by trace id (whole or first characters), request id, session or
// user as you type, or, on Enter, inside the inputs and outputs of the requests (read from the sources on a
// worker thread, with progress, cancel, and a cap on the number of hits). Built for millions of rows: uniform
// row heights, and nothing computed for rows that are not on screen.
#pragma once

#include <QWidget>
#include <atomic>
#include <memory>
#include <vector>

#include "dataset.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace ps {

struct Selection;
class TraceListModel;

class TraceListView : public QWidget {
    Q_OBJECT

public:
    enum class SearchScope { Ids, Content };
    static constexpr size_t kMaxContentHits = 1000;

    explicit TraceListView(QWidget* parent = nullptr);
    ~TraceListView() override;

    // The requests the sidebar's filters keep; a search narrows them further.
    void setSelection(DatasetPtr data, const Selection& selection);
    // Every request of the dataset.
    void setDataset(DatasetPtr data);

    // Runs a search as if typed and confirmed with Enter; an empty text shows every row again.
    void search(const QString& text, SearchScope scope);
    void cancelSearch();
    [[nodiscard]] bool isSearching() const { return searchJob_ != nullptr; }

    // Makes the request the current row and scrolls to it; false when it is not in the list.
    bool selectTrace(RequestIndex request);
    [[nodiscard]] RequestIndex currentTrace() const;

    [[nodiscard]] TraceListModel* model() const { return model_; }
    [[nodiscard]] QTableView* table() const { return table_; }
    [[nodiscard]] QString statusText() const;

Q_SIGNALS:
    void traceActivated(ps::RequestIndex request);       // double-click or Enter on a row
    void currentTraceChanged(ps::RequestIndex request);  // the current row moved (invalid when none)
    void searchFinished();

private:
    struct SearchJob;
    void startSearch(bool confirmed);
    void runIdSearch(const std::string& text);
    void runContentSearch(const std::string& text);
    void finishSearch(const std::shared_ptr<SearchJob>& job, std::vector<uint32_t> rows,
                      const QString& status);
    void showRows(std::shared_ptr<const std::vector<uint32_t>> rows);
    void updateStatus();
    void setColumnWidths();

    TraceListModel* model_;
    QTableView* table_;
    QLineEdit* searchLine_;
    QComboBox* scope_;
    QLabel* status_;
    QPushButton* cancel_;
    QTimer* typingTimer_;
    QTimer* progressTimer_;

    DatasetPtr data_;
    std::shared_ptr<const std::vector<uint32_t>> selectionRows_;  // the rows before any search
    std::shared_ptr<SearchJob> searchJob_;                        // the running search, if any
    QString searchText_;  // the search applied to the list, empty when none
    QString searchStatus_;
};

}  // namespace ps
