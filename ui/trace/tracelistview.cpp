#include "tracelistview.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPointer>
#include <QPushButton>
#include <QTableView>
#include <QThreadPool>
#include <QTimer>
#include <QVBoxLayout>

#include "contentsearch.h"
#include "selection.h"
#include "tracelistmodel.h"
#include "tracesearch.h"

namespace ps {

// One search on the thread pool. The GUI reads the counters on a timer (progress is throttled that way) and
// drops the result of a job that is no longer searchJob_.
struct TraceListView::SearchJob {
    SearchScope scope = SearchScope::Ids;
    QString text;
    std::atomic<bool> cancel{false};
    std::atomic<size_t> searched{0};
    std::atomic<size_t> total{0};
    std::atomic<size_t> hits{0};
};

namespace {

QString number(size_t n) {
    return QLocale().toString(static_cast<qulonglong>(n));
}

}  // namespace

TraceListView::TraceListView(QWidget* parent)
    : QWidget(parent),
      model_(new TraceListModel(this)),
      table_(new QTableView(this)),
      searchLine_(new QLineEdit(this)),
      scope_(new QComboBox(this)),
      status_(new QLabel(this)),
      cancel_(new QPushButton(tr("Cancel"), this)),
      typingTimer_(new QTimer(this)),
      progressTimer_(new QTimer(this)) {
    searchLine_->setPlaceholderText(tr("Trace id, request id, session or user — Enter searches"));
    searchLine_->setClearButtonEnabled(true);
    scope_->addItem(tr("Ids, session, user"));
    scope_->addItem(tr("Inputs and outputs"));
    scope_->setToolTip(
        tr("Search ids as you type, or the text of the messages (read from the source files) "
           "when you press Enter"));
    cancel_->setVisible(false);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(searchLine_, 1);
    bar->addWidget(scope_);
    bar->addWidget(cancel_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(status_);
    layout->addWidget(table_, 1);

    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setWordWrap(false);
    table_->setAlternatingRowColors(true);
    table_->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Uniform row heights: the view never asks the model for a row's size, whatever the row count.
    table_->verticalHeader()->setVisible(false);
    table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    table_->horizontalHeader()->setSectionsMovable(true);
    table_->horizontalHeader()->setHighlightSections(false);
    table_->setSortingEnabled(true);
    table_->sortByColumn(TraceListModel::Time, Qt::DescendingOrder);  // newest first
    setColumnWidths();

    typingTimer_->setSingleShot(true);
    typingTimer_->setInterval(250);
    progressTimer_->setInterval(100);
    connect(typingTimer_, &QTimer::timeout, this, [this] { startSearch(false); });
    connect(progressTimer_, &QTimer::timeout, this, &TraceListView::updateStatus);
    connect(searchLine_, &QLineEdit::textEdited, this, [this] { typingTimer_->start(); });
    connect(searchLine_, &QLineEdit::returnPressed, this, [this] {
        typingTimer_->stop();
        startSearch(true);
    });
    connect(scope_, &QComboBox::currentIndexChanged, this, [this] {
        if (!searchLine_->text().isEmpty() && scope_->currentIndex() == 0) {
            startSearch(true);
        }
    });
    connect(cancel_, &QPushButton::clicked, this, &TraceListView::cancelSearch);
    connect(table_, &QTableView::activated, this,
            [this](const QModelIndex& index) { Q_EMIT traceActivated(model_->requestAt(index.row())); });
    connect(
        table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) {
            Q_EMIT currentTraceChanged(current.isValid() ? model_->requestAt(current.row()) : RequestIndex{});
        });
    connect(model_, &TraceListModel::sortingChanged, this, &TraceListView::updateStatus);
    connect(model_, &QAbstractItemModel::modelReset, this, &TraceListView::updateStatus);
    // A new order arrives from the pool after the rows were shown: keep the current trace in view.
    connect(model_, &QAbstractItemModel::layoutChanged, this, [this] {
        if (table_->currentIndex().isValid()) {
            table_->scrollTo(table_->currentIndex());
        }
    });
    updateStatus();
}

TraceListView::~TraceListView() {
    cancelSearch();
}

void TraceListView::setColumnWidths() {
    const QFontMetrics fm(font());
    const QFontMetrics mono(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto* header = table_->horizontalHeader();
    auto width = [&](const QString& sample) { return fm.horizontalAdvance(sample) + 24; };
    // Whole 32-digit ids: engineers match them against log lines.
    header->resizeSection(TraceListModel::TraceId,
                          mono.horizontalAdvance(QStringLiteral("0123456789abcdef0123456789abcdef")) + 20);
    header->resizeSection(TraceListModel::Time, width(QStringLiteral("2026-11-03 14:05:07")));
    header->resizeSection(TraceListModel::Feature, width(QStringLiteral("sales_email_writer")));
    header->resizeSection(TraceListModel::PromptVersion, width(QStringLiteral("support_answer v43")));
    header->resizeSection(TraceListModel::Models, width(QStringLiteral("gpt-4.1-mini-2025-04-14 +2")));
    header->resizeSection(TraceListModel::Duration, width(QStringLiteral("Duration")));
    header->resizeSection(TraceListModel::Cost, width(QStringLiteral("$0.00042")));
    header->resizeSection(TraceListModel::Tokens, width(QStringLiteral("Tokens in / out")));
    header->resizeSection(TraceListModel::Status, width(QStringLiteral("error · rate limited")));
    header->resizeSection(TraceListModel::FailedEvals, width(QStringLiteral("Failed evals")));
    header->resizeSection(TraceListModel::Feedback, width(QStringLiteral("Feedback")));
    header->setStretchLastSection(true);
}

void TraceListView::setSelection(DatasetPtr data, const Selection& selection) {
    data_ = std::move(data);
    selectionRows_ = std::make_shared<const std::vector<uint32_t>>(selection.requests);
    if (searchText_.isEmpty() && !searchJob_) {
        showRows(selectionRows_);
        return;
    }
    startSearch(true);  // the same search within the new rows
}

void TraceListView::setDataset(DatasetPtr data) {
    Selection all;
    all.requests.resize(data ? data->requestCount() : 0);
    for (size_t i = 0; i < all.requests.size(); ++i) {
        all.requests[i] = static_cast<uint32_t>(i);
    }
    setSelection(std::move(data), all);
}

void TraceListView::showRows(std::shared_ptr<const std::vector<uint32_t>> rows) {
    const RequestIndex current = currentTrace();
    model_->setRows(data_, std::move(rows));
    if (current.isValid()) {
        selectTrace(current);
    }
}

void TraceListView::search(const QString& text, SearchScope scope) {
    scope_->blockSignals(true);
    scope_->setCurrentIndex(scope == SearchScope::Ids ? 0 : 1);
    scope_->blockSignals(false);
    searchLine_->setText(text);
    typingTimer_->stop();
    startSearch(true);
}

void TraceListView::startSearch(bool confirmed) {
    cancelSearch();
    const QString text = searchLine_->text().trimmed();
    const auto scope = scope_->currentIndex() == 0 ? SearchScope::Ids : SearchScope::Content;
    if (!data_ || !selectionRows_) {
        return;
    }
    if (text.isEmpty()) {
        searchText_.clear();
        searchStatus_.clear();
        showRows(selectionRows_);
        updateStatus();
        Q_EMIT searchFinished();
        return;
    }
    if (scope == SearchScope::Content && !confirmed) {
        return;  // reading every record is too slow to run on each keystroke
    }
    auto job = std::make_shared<SearchJob>();
    job->scope = scope;
    job->text = text;
    job->total = selectionRows_->size();
    searchJob_ = job;
    cancel_->setVisible(scope == SearchScope::Content);
    if (scope == SearchScope::Ids) {
        runIdSearch(text.toStdString());
    } else {
        runContentSearch(text.toStdString());
        progressTimer_->start();
    }
    updateStatus();
}

void TraceListView::runIdSearch(const std::string& text) {
    QPointer<TraceListView> self(this);
    auto job = searchJob_;
    auto data = data_;
    auto rows = selectionRows_;
    QThreadPool::globalInstance()->start([self, job, data, rows, text] {
        std::vector<uint32_t> found = findTracesById(*data, *rows, text, &job->cancel);
        QMetaObject::invokeMethod(
            self,
            [self, job, found = std::move(found)]() mutable {
                if (self) {
                    self->finishSearch(job, std::move(found), {});
                }
            },
            Qt::QueuedConnection);
    });
}

void TraceListView::runContentSearch(const std::string& text) {
    QPointer<TraceListView> self(this);
    auto job = searchJob_;
    auto data = data_;
    auto rows = selectionRows_;
    QThreadPool::globalInstance()->start([self, job, data, rows, text] {
        ContentSearchResult result = searchRequestContent(data, *rows, text, kMaxContentHits,
                                                          [&job](size_t searched, size_t total, size_t hits) {
                                                              job->searched = searched;
                                                              job->total = total;
                                                              job->hits = hits;
                                                              return !job->cancel.load();
                                                          });
        QString status;
        if (result.capped) {
            status = tr("Stopped at the first %1 matches (searched %2 of %3 requests); search for something "
                        "more specific")
                         .arg(number(result.rows.size()), number(result.searched), number(rows->size()));
        } else if (result.cancelled) {
            status = tr("Search cancelled after %1 of %2 requests: %3 matches so far")
                         .arg(number(result.searched), number(rows->size()), number(result.rows.size()));
        }
        if (!result.error.empty()) {
            status += (status.isEmpty() ? QString() : QStringLiteral(" · ")) +
                      tr("some records could not be read: %1").arg(QString::fromStdString(result.error));
        }
        QMetaObject::invokeMethod(
            self,
            [self, job, rows = std::move(result.rows), status]() mutable {
                if (self) {
                    self->finishSearch(job, std::move(rows), status);
                }
            },
            Qt::QueuedConnection);
    });
}

void TraceListView::finishSearch(const std::shared_ptr<SearchJob>& job, std::vector<uint32_t> rows,
                                 const QString& status) {
    if (job != searchJob_) {
        return;  // superseded by a newer search or cancelled before its result came
    }
    searchJob_.reset();
    progressTimer_->stop();
    cancel_->setVisible(false);
    searchText_ = job->text;
    const size_t total = selectionRows_ ? selectionRows_->size() : 0;
    searchStatus_ =
        status.isEmpty()
            ? tr("%1 of %2 requests match “%3”").arg(number(rows.size()), number(total), job->text)
            : status;
    showRows(std::make_shared<const std::vector<uint32_t>>(std::move(rows)));
    updateStatus();
    Q_EMIT searchFinished();
}

void TraceListView::cancelSearch() {
    if (searchJob_) {
        // A cancelled content search still reports what it found; an id search is simply dropped.
        searchJob_->cancel = true;
        if (searchJob_->scope == SearchScope::Ids) {
            searchJob_.reset();
        }
    }
    if (!searchJob_) {
        progressTimer_->stop();
        cancel_->setVisible(false);
    }
}

void TraceListView::updateStatus() {
    status_->setText(statusText());
}

QString TraceListView::statusText() const {
    if (searchJob_ && searchJob_->scope == SearchScope::Content) {
        return tr("Searching inputs and outputs: %1 of %2 requests, %3 found…")
            .arg(number(searchJob_->searched), number(searchJob_->total), number(searchJob_->hits));
    }
    QString text = searchText_.isEmpty()
                       ? tr("%1 requests").arg(number(static_cast<size_t>(model_->rowCount())))
                       : searchStatus_;
    if (model_->isSorting()) {
        text += tr(" · sorting…");
    }
    return text;
}

bool TraceListView::selectTrace(RequestIndex request) {
    const int row = model_->rowOfRequest(request);
    if (row < 0) {
        return false;
    }
    const QModelIndex index = model_->index(row, TraceListModel::TraceId);
    table_->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    table_->scrollTo(index);
    return true;
}

RequestIndex TraceListView::currentTrace() const {
    const QModelIndex current = table_->currentIndex();
    return current.isValid() ? model_->requestAt(current.row()) : RequestIndex{};
}

}  // namespace ps
