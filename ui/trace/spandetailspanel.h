// The details of one span: a header (name, kind, service, total and self time, status, start) over tabs for
// the summary (model call with tokens, cost and where the cost came from, time to first token, finish reason;
// the prompt version record; the trace's evals and user feedback; the record's ids and source), the
// conversation, the attributes and the events. The span's full record is read from its source on the thread
// pool each time a span is shown (cold data is never kept for all spans); a newer span supersedes a read
// still running.
#pragma once

#include <QWidget>
#include <memory>

#include "dataset.h"
#include "spancontext.h"
#include "spandetails.h"

class QLabel;
class QTabWidget;
class QTextBrowser;

namespace ps {

class AttributeTreeView;
class ConversationView;

class SpanDetailsPanel : public QWidget {
    Q_OBJECT

public:
    enum Tab { SummaryTab, ConversationTab, AttributesTab, EventsTab };

    explicit SpanDetailsPanel(QWidget* parent = nullptr);
    ~SpanDetailsPanel() override;

    void setSpan(DatasetPtr data, uint32_t absoluteSpanRow);
    void clear();

    [[nodiscard]] bool isLoading() const { return loading_; }
    // The span's record once read (null before, and for no span); check ok() for errors.
    [[nodiscard]] const SpanDetails* details() const { return details_.get(); }
    [[nodiscard]] uint32_t spanRow() const { return row_; }

    [[nodiscard]] QString headerText() const;   // as plain text
    [[nodiscard]] QString summaryText() const;  // as plain text
    [[nodiscard]] QString eventsText() const;   // as plain text
    [[nodiscard]] QTabWidget* tabs() const { return tabs_; }
    [[nodiscard]] ConversationView* conversation() const { return conversation_; }
    [[nodiscard]] AttributeTreeView* attributes() const { return attributes_; }

Q_SIGNALS:
    // The current span's record was read (or could not be: details()->error says why).
    void detailsLoaded();

private:
    struct Loaded;
    void showLoaded(const std::shared_ptr<Loaded>& loaded);
    void showPlaceholders(const QString& message);

    QLabel* header_;
    QTabWidget* tabs_;
    QTextBrowser* summary_;
    ConversationView* conversation_;
    AttributeTreeView* attributes_;
    QTextBrowser* events_;

    DatasetPtr data_;
    uint32_t row_ = SpanIndex::kInvalid;
    quint64 job_ = 0;
    bool loading_ = false;
    std::unique_ptr<SpanContext> context_;
    std::unique_ptr<SpanDetails> details_;
};

}  // namespace ps
