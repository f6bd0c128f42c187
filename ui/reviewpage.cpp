#include "reviewpage.h"

#include <QCheckBox>
#include <QDateTime>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QShowEvent>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QThreadPool>
#include <QTimeZone>
#include <QToolButton>
#include <QVBoxLayout>

#include "requestsummary.h"
#include "reviewrulesbox.h"
#include "workspace.h"

namespace ps {
namespace {

const QString kReviewerKey = QStringLiteral("review/reviewer");

int64_t nowMs() {
    return QDateTime::currentMSecsSinceEpoch();
}

}  // namespace

ReviewPage::ReviewPage(QWidget* parent) : QWidget(parent), model_(new ReviewQueueModel(this)) {
    rules_ = new ReviewRulesBox(this);
    connect(rules_, &ReviewRulesBox::settingsChanged, this, &ReviewPage::recompute);

    // The queue.
    auto* left = new QWidget(this);
    counts_ = new QLabel(left);
    openOnly_ = new QCheckBox(tr("Open only"), left);
    openOnly_->setToolTip(tr("Hide the items already labelled or dismissed"));
    connect(openOnly_, &QCheckBox::toggled, this, &ReviewPage::recompute);
    addTrace_ = new QLineEdit(left);
    addTrace_->setPlaceholderText(tr("Trace id to add by hand"));
    addTrace_->setClearButtonEnabled(true);
    auto* add = new QPushButton(tr("Add"), left);
    auto addTyped = [this] {
        if (addByHand(addTrace_->text().trimmed())) {
            addTrace_->clear();
        }
    };
    connect(add, &QPushButton::clicked, this, addTyped);
    connect(addTrace_, &QLineEdit::returnPressed, this, addTyped);
    view_ = new QTableView(left);
    view_->setModel(model_);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->setAlternatingRowColors(true);
    view_->setWordWrap(false);
    view_->verticalHeader()->hide();
    view_->verticalHeader()->setDefaultSectionSize(view_->fontMetrics().height() + 8);
    view_->horizontalHeader()->setStretchLastSection(false);
    view_->horizontalHeader()->setSectionResizeMode(ReviewQueueModel::Reasons, QHeaderView::Stretch);
    const int digit = view_->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    view_->setColumnWidth(ReviewQueueModel::State, 14 * digit);
    view_->setColumnWidth(ReviewQueueModel::Trace, 13 * digit);
    view_->setColumnWidth(ReviewQueueModel::Time, 15 * digit);
    view_->setColumnWidth(ReviewQueueModel::Feature, 16 * digit);
    view_->setColumnWidth(ReviewQueueModel::Version, 7 * digit);
    view_->setColumnWidth(ReviewQueueModel::Latency, 8 * digit);
    view_->setColumnWidth(ReviewQueueModel::Cost, 9 * digit);
    connect(view_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ReviewPage::showCurrent);
    connect(view_, &QTableView::doubleClicked, this, &ReviewPage::openCurrentTrace);
    auto* tools = new QHBoxLayout;
    tools->addWidget(counts_, 1);
    tools->addWidget(openOnly_);
    tools->addWidget(addTrace_);
    tools->addWidget(add);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(tools);
    leftLayout->addWidget(view_, 1);

    // The current item.
    auto* right = new QWidget(this);
    summary_ = new QLabel(right);
    summary_->setTextFormat(Qt::RichText);
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    summary_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    openTrace_ = new QPushButton(tr("Open trace"), right);
    openTrace_->setToolTip(tr("Show this request's trace (double-click a row does the same)"));
    connect(openTrace_, &QPushButton::clicked, this, &ReviewPage::openCurrentTrace);
    auto* labels = new QGroupBox(tr("Label (keys 1–6)"), right);
    auto* labelGrid = new QGridLayout(labels);
    for (int i = 0; i < kReviewLabelCount; ++i) {
        const auto label = static_cast<ReviewLabel>(i);
        auto* button = new QPushButton(
            QStringLiteral("%1  %2").arg(i + 1).arg(QString::fromUtf8(reviewLabelTitle(label))), labels);
        button->setCheckable(true);
        connect(button, &QPushButton::clicked, this, [this, label] { applyLabel(label); });
        // A QShortcut rather than the button's own: a button's shortcut animates a click and saves 100 ms
        // later.
        auto* key = new QShortcut(QKeySequence(Qt::Key_1 + i), this);
        connect(key, &QShortcut::activated, this, [this, label] { applyLabel(label); });
        labelGrid->addWidget(button, i / 2, i % 2);
        labelButtons_.push_back(button);
    }
    note_ = new QLineEdit(right);
    note_->setPlaceholderText(tr("Note, saved with the label"));
    reviewer_ = new QLineEdit(right);
    reviewer_->setText(QSettings().value(kReviewerKey, qEnvironmentVariable("USER")).toString());
    connect(reviewer_, &QLineEdit::editingFinished, this,
            [this] { QSettings().setValue(kReviewerKey, reviewer_->text().trimmed()); });
    auto* form = new QGridLayout;
    form->addWidget(new QLabel(tr("Note"), right), 0, 0);
    form->addWidget(note_, 0, 1);
    form->addWidget(new QLabel(tr("Reviewer"), right), 1, 0);
    form->addWidget(reviewer_, 1, 1);
    auto* previousButton = new QPushButton(tr("Previous (K)"), right);
    auto* nextButton = new QPushButton(tr("Next (J)"), right);
    auto* undoButton = new QPushButton(tr("Undo (Ctrl+Z)"), right);
    auto* dismissButton = new QPushButton(tr("Dismiss"), right);
    dismissButton->setToolTip(tr("Looked at, nothing to label: leaves the open items"));
    connect(previousButton, &QPushButton::clicked, this, &ReviewPage::previous);
    connect(nextButton, &QPushButton::clicked, this, &ReviewPage::next);
    connect(undoButton, &QPushButton::clicked, this, &ReviewPage::undo);
    connect(dismissButton, &QPushButton::clicked, this, &ReviewPage::dismiss);
    auto* moves = new QHBoxLayout;
    for (QPushButton* b : {previousButton, nextButton, undoButton, dismissButton}) {
        moves->addWidget(b);
    }
    incidentButton_ = new QToolButton(right);
    incidentButton_->setText(tr("Add to incident"));
    incidentButton_->setPopupMode(QToolButton::InstantPopup);
    auto* incidentMenu = new QMenu(incidentButton_);
    incidentButton_->setMenu(incidentMenu);
    connect(incidentMenu, &QMenu::aboutToShow, this, &ReviewPage::fillIncidentMenu);
    status_ = new QLabel(right);
    status_->setWordWrap(true);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(summary_);
    auto* actions = new QHBoxLayout;
    actions->addWidget(openTrace_);
    actions->addWidget(incidentButton_);
    actions->addStretch(1);
    rightLayout->addLayout(actions);
    rightLayout->addWidget(labels);
    rightLayout->addLayout(form);
    rightLayout->addLayout(moves);
    rightLayout->addWidget(status_);
    rightLayout->addStretch(1);

    auto* split = new QSplitter(this);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 0);
    split->setSizes({900, 430});
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(rules_);
    layout->addWidget(split, 1);

    // Window shortcuts count only while this page is shown; a text field keeps its own letters and Ctrl+Z.
    auto shortcut = [this](const QKeySequence& keys, void (ReviewPage::*slot)()) {
        auto* s = new QShortcut(keys, this);
        connect(s, &QShortcut::activated, this, slot);
    };
    shortcut(QKeySequence(Qt::Key_J), &ReviewPage::next);
    shortcut(QKeySequence(Qt::Key_K), &ReviewPage::previous);
    shortcut(QKeySequence::Undo, &ReviewPage::undo);
    auto* open = new QShortcut(QKeySequence(Qt::Key_Return), view_, nullptr, nullptr, Qt::WidgetShortcut);
    connect(open, &QShortcut::activated, this, &ReviewPage::openCurrentTrace);
    showCurrent();
    updateCounts();
}

ReviewPage::~ReviewPage() {
    if (cancel_) {
        cancel_->store(true);
    }
}

void ReviewPage::setWorkspace(std::shared_ptr<Workspace> workspace) {
    workspace_ = std::move(workspace);
    recompute();
}

void ReviewPage::setData(DatasetPtr dataset, std::shared_ptr<const Selection> selection) {
    if (dataset != dataset_ || !selection_) {
        QStringList versions;
        QStringList features;
        if (selection && dataset) {
            for (const FacetValue& v : selection->facets[static_cast<size_t>(Dimension::PromptVersion)]) {
                versions << QString::fromUtf8(dataset->str(v.value));
            }
            for (const FacetValue& v : selection->facets[static_cast<size_t>(Dimension::Feature)]) {
                if (!v.value.isEmpty()) {
                    features << QString::fromUtf8(dataset->str(v.value));
                }
            }
            versions.sort();
            features.sort();
        }
        const QSignalBlocker block(rules_);
        rules_->setChoices(dataset ? judgeEvalNames(*dataset) : std::vector<std::string>{},
                           dataset ? canaryPromptVersions(*dataset) : std::vector<PromptVersionKey>{},
                           versions, features);
    }
    if (dataset != dataset_) {
        model_->setItems(nullptr, {});  // rows of another data set must not meet this one's columns
    }
    dataset_ = std::move(dataset);
    selection_ = std::move(selection);
    recompute();
}

void ReviewPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (stale_) {
        recompute();
    }
}

void ReviewPage::recompute() {
    if (cancel_) {
        cancel_->store(true);
    }
    // Each filter change brings a new selection; the rules only run for a page someone looks at.
    stale_ = !isVisible();
    if (stale_) {
        return;
    }
    if (!dataset_ || !selection_) {
        model_->setItems(nullptr, {});
        updateCounts();
        return;
    }
    // The workspace's part is read here, on the GUI thread that owns the connection; it is human-sized.
    auto snapshot = std::make_shared<ReviewQueueSnapshot>();
    if (workspace_) {
        snapshot->stored = workspace_->queue();
        for (LabelRecord& l : workspace_->labels()) {
            snapshot->labels.emplace(std::move(l.traceId), l.label);
        }
    }
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    const quint64 job = ++job_;
    ++pending_;
    QPointer<ReviewPage> self(this);
    QThreadPool::globalInstance()->start([self, job, cancel = cancel_, data = dataset_,
                                          selection = selection_, settings = rules_->settings(),
                                          openOnly = openOnly_->isChecked(), snapshot] {
        auto items = std::make_shared<std::vector<ReviewQueueItem>>();
        const auto candidates = applyReviewRules(*data, selection->requests, settings, cancel.get());
        if (!cancel->load()) {
            *items = buildReviewQueue(*data, candidates, *snapshot, openOnly);
        }
        QMetaObject::invokeMethod(
            self,
            [self, job, items, done = !cancel->load()] {
                if (!self) {
                    return;
                }
                --self->pending_;
                if (done && job == self->job_) {
                    self->showQueue(std::move(*items));
                }
            },
            Qt::QueuedConnection);
    });
}

void ReviewPage::showQueue(std::vector<ReviewQueueItem> items) {
    const int row = currentRow();
    const std::string current = row >= 0 ? model_->item(row).traceId : std::string();
    model_->setItems(dataset_, std::move(items));
    const int again = current.empty() ? -1 : model_->rowOfTrace(current);
    selectRow(again >= 0 ? again : 0);
    updateCounts();
    Q_EMIT queueShown();
}

int ReviewPage::currentRow() const {
    const QModelIndex current = view_->selectionModel()->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void ReviewPage::selectRow(int row) {
    if (row < 0 || row >= model_->rowCount()) {
        view_->selectionModel()->clearCurrentIndex();
        showCurrent();
        return;
    }
    const QModelIndex index = model_->index(row, ReviewQueueModel::Trace);
    view_->selectionModel()->setCurrentIndex(index,
                                             QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    view_->scrollTo(index);
}

void ReviewPage::showCurrent() {
    const int row = currentRow();
    const bool has = row >= 0;
    const ReviewQueueItem* item = has ? &model_->item(row) : nullptr;
    if (!item) {
        summary_->setText(dataset_ ? tr("<p>Nothing to review in this selection with these rules.</p>")
                                   : tr("<p>No data loaded.</p>"));
    } else {
        QString why = QString::fromStdString(reviewItemReasons(*item));
        summary_->setText(requestSummaryHtml(*dataset_, item->request) +
                          tr("<p><b>In the queue:</b> %1</p>").arg(why.toHtmlEscaped()));
    }
    std::optional<LabelRecord> label;
    if (item && workspace_) {
        label = workspace_->label(item->traceId);
    }
    note_->setText(label ? QString::fromStdString(label->note) : QString());
    for (int i = 0; i < kReviewLabelCount; ++i) {
        labelButtons_[static_cast<size_t>(i)]->setChecked(label && static_cast<int>(label->label) == i);
        labelButtons_[static_cast<size_t>(i)]->setEnabled(has && workspace_);
    }
    if (label) {
        setStatus(tr("Labelled %1 by %2 on %3 UTC.")
                      .arg(QString::fromUtf8(reviewLabelTitle(label->label)),
                           label->reviewer.empty() ? tr("someone") : QString::fromStdString(label->reviewer),
                           QDateTime::fromMSecsSinceEpoch(label->timeMs, QTimeZone::utc())
                               .toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
    } else if (!workspace_) {
        setStatus(tr("No workspace is open: labels cannot be saved."));
    } else {
        setStatus({});
    }
    openTrace_->setEnabled(item && item->request.isValid());
    incidentButton_->setEnabled(has && workspace_);
}

void ReviewPage::updateCounts() {
    const int total = model_->rowCount();
    const int open = model_->openCount();
    counts_->setText(
        total == 0 ? tr("The queue is empty")
                   : tr("%1 in the queue, %2 open").arg(QLocale().toString(total), QLocale().toString(open)));
}

std::string ReviewPage::reviewer() const {
    return reviewer_->text().trimmed().toStdString();
}

QueueEntry ReviewPage::entryOf(const ReviewQueueItem& item) const {
    QueueEntry e;
    e.traceId = item.traceId;
    e.requestId = item.requestId;
    e.reasons = reviewRuleKeys(item.rules);
    e.origin = item.byHand ? QueueOrigin::Hand : QueueOrigin::Rule;
    e.addedMs = nowMs();
    return e;
}

void ReviewPage::applyLabel(ReviewLabel label) {
    const int row = currentRow();
    if (row < 0 || !workspace_) {
        return;
    }
    const ReviewQueueItem& item = model_->item(row);
    LabelChange c;
    c.traceId = item.traceId;
    c.requestId = item.requestId;
    c.label = label;
    c.note = note_->text().trimmed().toStdString();
    c.reviewer = reviewer();
    c.timeMs = nowMs();
    c.fromQueue = true;
    c.reasons = reviewRuleKeys(item.rules);
    c.origin = item.byHand ? QueueOrigin::Hand : QueueOrigin::Rule;
    if (!workspace_->setLabel(c)) {
        setStatus(tr("The label was not saved: %1").arg(QString::fromStdString(workspace_->lastError())));
        return;
    }
    model_->setItemState(row, QueueState::Done, label);
    updateCounts();
    // On to the next item still open, if there is one below.
    int nextOpen = -1;
    for (int r = row + 1; r < model_->rowCount() && nextOpen < 0; ++r) {
        nextOpen = model_->item(r).state == QueueState::Open ? r : -1;
    }
    if (nextOpen >= 0) {
        selectRow(nextOpen);
    } else {
        showCurrent();
    }
    setStatus(tr("Saved %1 as %2. Ctrl+Z undoes it.")
                  .arg(QString::fromStdString(c.traceId), QString::fromUtf8(reviewLabelTitle(label))));
}

void ReviewPage::undo() {
    if (!workspace_) {
        return;
    }
    const std::optional<std::string> trace = workspace_->undoLastLabel();
    if (!trace) {
        setStatus(workspace_->lastError().empty()
                      ? tr("Nothing to undo.")
                      : tr("Undo failed: %1").arg(QString::fromStdString(workspace_->lastError())));
        return;
    }
    const int row = model_->rowOfTrace(*trace);
    if (row >= 0) {
        const auto label = workspace_->label(*trace);
        const auto entry = workspace_->queueEntry(*trace);
        const QueueState state = label ? QueueState::Done : entry ? entry->state : QueueState::Open;
        model_->setItemState(row, state, label ? std::optional<ReviewLabel>(label->label) : std::nullopt);
        updateCounts();
        selectRow(row);
        showCurrent();
    }
    const auto restored = workspace_->label(*trace);
    setStatus(tr("Undone: %1 is %2 again.")
                  .arg(QString::fromStdString(*trace),
                       restored ? QString::fromUtf8(reviewLabelTitle(restored->label)) : tr("unlabelled")));
}

void ReviewPage::next() {
    if (model_->rowCount() > 0) {
        selectRow(std::min(currentRow() + 1, model_->rowCount() - 1));
    }
}

void ReviewPage::previous() {
    if (model_->rowCount() > 0) {
        selectRow(std::max(currentRow() - 1, 0));
    }
}

void ReviewPage::dismiss() {
    const int row = currentRow();
    if (row < 0 || !workspace_) {
        return;
    }
    const ReviewQueueItem& item = model_->item(row);
    if (!workspace_->setQueueState(entryOf(item), QueueState::Dismissed, nowMs())) {
        setStatus(tr("Not dismissed: %1").arg(QString::fromStdString(workspace_->lastError())));
        return;
    }
    model_->setItemState(row, QueueState::Dismissed, item.label);
    updateCounts();
    next();
}

bool ReviewPage::addByHand(const QString& traceId) {
    if (traceId.isEmpty() || !workspace_) {
        return false;
    }
    QueueEntry e;
    e.traceId = traceId.toStdString();
    e.requestId = e.traceId;
    e.origin = QueueOrigin::Hand;
    e.addedMs = nowMs();
    if (!workspace_->addToQueue({e})) {
        setStatus(tr("Not added: %1").arg(QString::fromStdString(workspace_->lastError())));
        return false;
    }
    const bool loaded = dataset_ && dataset_->findRequest(e.traceId).isValid();
    setStatus(loaded ? tr("Added %1 to the queue.").arg(traceId)
                     : tr("Added %1 to the queue; it is not in the loaded data.").arg(traceId));
    recompute();
    return true;
}

void ReviewPage::openCurrentTrace() {
    const int row = currentRow();
    if (row >= 0 && model_->item(row).request.isValid()) {
        Q_EMIT traceRequested(model_->item(row).request);
    }
}

void ReviewPage::fillIncidentMenu() {
    QMenu* menu = incidentButton_->menu();
    menu->clear();
    if (!workspace_) {
        return;
    }
    menu->addAction(tr("New incident from this trace…"), this, [this] {
        bool ok = false;
        const QString title =
            QInputDialog::getText(this, tr("New incident"), tr("Title"), QLineEdit::Normal, {}, &ok);
        if (ok && !title.trimmed().isEmpty()) {
            createIncidentFromCurrent(title.trimmed());
        }
    });
    menu->addSeparator();
    int shown = 0;
    for (const IncidentRecord& i : workspace_->incidents()) {
        if (i.fields.status == IncidentStatus::Resolved || ++shown > 15) {
            continue;
        }
        const QString text = QStringLiteral("%1 (%2, %3)")
                                 .arg(QString::fromStdString(i.fields.title),
                                      QString::fromUtf8(incidentSeverityTitle(i.fields.severity)),
                                      QString::fromUtf8(incidentStatusTitle(i.fields.status)));
        menu->addAction(text, this, [this, id = i.id] { linkToIncident(id); });
    }
}

bool ReviewPage::linkToIncident(int64_t incidentId) {
    const int row = currentRow();
    if (row < 0 || !workspace_) {
        return false;
    }
    const ReviewQueueItem& item = model_->item(row);
    if (!workspace_->linkTraces(incidentId, {{item.traceId, item.requestId}}, reviewer(), nowMs())) {
        setStatus(tr("Not linked: %1").arg(QString::fromStdString(workspace_->lastError())));
        return false;
    }
    const auto incident = workspace_->incident(incidentId);
    setStatus(tr("Linked %1 to “%2”.")
                  .arg(QString::fromStdString(item.traceId),
                       incident ? QString::fromStdString(incident->fields.title) : QString()));
    Q_EMIT incidentsChanged();
    return true;
}

std::optional<int64_t> ReviewPage::createIncidentFromCurrent(const QString& title) {
    const int row = currentRow();
    if (row < 0 || !workspace_) {
        return std::nullopt;
    }
    const ReviewQueueItem& item = model_->item(row);
    IncidentFields f;
    f.title = title.toStdString();
    if (dataset_ && item.request.isValid()) {
        f.promptVersion = std::string(dataset_->str(dataset_->requests.promptVersion[item.request.value]));
    }
    const auto id = workspace_->createIncident(f, reviewer(), nowMs());
    if (!id) {
        setStatus(tr("No incident created: %1").arg(QString::fromStdString(workspace_->lastError())));
        return std::nullopt;
    }
    linkToIncident(*id);
    return id;
}

void ReviewPage::setStatus(const QString& text) {
    status_->setText(text);
}

}  // namespace ps
