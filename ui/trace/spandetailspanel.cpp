#include "spandetailspanel.h"

#include <QLabel>
#include <QPointer>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTextDocument>
#include <QThreadPool>
#include <QVBoxLayout>

#include "attributetreeview.h"
#include "colddata.h"
#include "conversationview.h"
#include "spandetailshtml.h"

namespace ps {

struct SpanDetailsPanel::Loaded {
    quint64 job = 0;
    DatasetPtr data;
    uint32_t row = 0;
    SpanContext context;
    SpanDetails details;
};

SpanDetailsPanel::SpanDetailsPanel(QWidget* parent)
    : QWidget(parent),
      header_(new QLabel(this)),
      tabs_(new QTabWidget(this)),
      summary_(new QTextBrowser(this)),
      conversation_(new ConversationView(this)),
      attributes_(new AttributeTreeView(this)),
      events_(new QTextBrowser(this)) {
    header_->setTextFormat(Qt::RichText);
    header_->setWordWrap(true);
    header_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    header_->setContentsMargins(4, 4, 4, 6);
    summary_->setOpenLinks(false);
    events_->setOpenLinks(false);
    tabs_->addTab(summary_, tr("Summary"));
    tabs_->addTab(conversation_, tr("Conversation"));
    tabs_->addTab(attributes_, tr("Attributes"));
    tabs_->addTab(events_, tr("Events"));
    tabs_->setDocumentMode(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(header_);
    layout->addWidget(tabs_, 1);
    clear();
}

SpanDetailsPanel::~SpanDetailsPanel() = default;

void SpanDetailsPanel::clear() {
    ++job_;
    data_.reset();
    row_ = SpanIndex::kInvalid;
    loading_ = false;
    context_.reset();
    details_.reset();
    header_->setText(tr("<i>No span selected</i>"));
    showPlaceholders(tr("Select a span to see its details."));
}

void SpanDetailsPanel::showPlaceholders(const QString& message) {
    summary_->setHtml(QStringLiteral("<p>%1</p>").arg(message.toHtmlEscaped()));
    conversation_->setMessages({}, {}, message);
    attributes_->setAttributes({});
    events_->setHtml(QStringLiteral("<p>%1</p>").arg(message.toHtmlEscaped()));
    tabs_->setTabText(ConversationTab, tr("Conversation"));
    tabs_->setTabText(AttributesTab, tr("Attributes"));
    tabs_->setTabText(EventsTab, tr("Events"));
}

void SpanDetailsPanel::setSpan(DatasetPtr data, uint32_t absoluteSpanRow) {
    if (!data || absoluteSpanRow >= data->spanCount()) {
        clear();
        return;
    }
    const quint64 job = ++job_;
    data_ = std::move(data);
    row_ = absoluteSpanRow;
    loading_ = true;
    context_.reset();
    details_.reset();
    // What the hot columns say is shown at once; the rest follows from the worker.
    header_->setText(spanHeaderHtml(*data_, SpanIndex{row_}, nullptr, nullptr));
    showPlaceholders(tr("Reading the span's record from its source…"));

    QPointer<SpanDetailsPanel> self(this);
    auto loaded = std::make_shared<Loaded>();
    loaded->job = job;
    loaded->data = data_;
    loaded->row = row_;
    QThreadPool::globalInstance()->start([self, loaded] {
        loaded->context = spanContext(*loaded->data, SpanIndex{loaded->row});
        ColdDataReader reader(loaded->data);
        loaded->details = reader.readSpan(loaded->row);
        QMetaObject::invokeMethod(
            self,
            [self, loaded] {
                if (self) {
                    self->showLoaded(loaded);
                }
            },
            Qt::QueuedConnection);
    });
}

void SpanDetailsPanel::showLoaded(const std::shared_ptr<Loaded>& loaded) {
    if (loaded->job != job_) {
        return;  // a newer span was asked for meanwhile
    }
    loading_ = false;
    context_ = std::make_unique<SpanContext>(std::move(loaded->context));
    details_ = std::make_unique<SpanDetails>(std::move(loaded->details));
    const Dataset& d = *data_;
    header_->setText(spanHeaderHtml(d, SpanIndex{row_}, context_.get(), details_.get()));
    summary_->setHtml(spanSummaryHtml(d, *context_, details_.get()));
    if (!details_->ok()) {
        const QString why = tr("Not available: %1").arg(QString::fromStdString(details_->error));
        conversation_->setMessages({}, {}, why);
        attributes_->setAttributes({});
        events_->setHtml(QStringLiteral("<p style='color:#c62828'>%1</p>").arg(why.toHtmlEscaped()));
        Q_EMIT detailsLoaded();
        return;
    }
    const bool modelCall = context_->generation != GenerationIndex::kInvalid;
    conversation_->setMessages(details_->messages, QString::fromStdString(details_->messagesFrom),
                               modelCall
                                   ? tr("This model call's record holds no messages: the instrumentation "
                                        "did not record prompts and completions.")
                                   : tr("No input or output messages on this span."));
    attributes_->setAttributes(details_->attributes);
    events_->setHtml(spanEventsHtml(*details_));
    tabs_->setTabText(ConversationTab, tr("Conversation (%1)").arg(details_->messages.size()));
    tabs_->setTabText(AttributesTab, tr("Attributes (%1)").arg(details_->attributes.size()));
    tabs_->setTabText(EventsTab, tr("Events (%1)").arg(details_->events.size() + details_->links.size()));
    Q_EMIT detailsLoaded();
}

QString SpanDetailsPanel::headerText() const {
    QTextDocument doc;
    doc.setHtml(header_->text());
    return doc.toPlainText();
}

QString SpanDetailsPanel::summaryText() const {
    return summary_->toPlainText();
}

QString SpanDetailsPanel::eventsText() const {
    return events_->toPlainText();
}

}  // namespace ps
