#include "incidentspage.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSettings>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QTimeZone>
#include <QVBoxLayout>

#include "incidentlistmodel.h"
#include "incidenttracemodel.h"
#include "workspace.h"

namespace ps {
namespace {

int64_t nowMs() {
    return QDateTime::currentMSecsSinceEpoch();
}

QTableView* makeTable(QAbstractItemModel* model, QWidget* parent) {
    auto* view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    return view;
}

}  // namespace

IncidentsPage::IncidentsPage(QWidget* parent)
    : QWidget(parent), incidents_(new IncidentListModel(this)), traces_(new IncidentTraceModel(this)) {
    // The list.
    auto* left = new QWidget(this);
    auto* newButton = new QPushButton(tr("New incident"), left);
    connect(newButton, &QPushButton::clicked, this, &IncidentsPage::startNewIncident);
    list_ = makeTable(incidents_, left);
    const int digit = list_->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    list_->horizontalHeader()->setSectionResizeMode(IncidentListModel::Title, QHeaderView::Stretch);
    list_->setColumnWidth(IncidentListModel::Severity, 8 * digit);
    list_->setColumnWidth(IncidentListModel::Status, 12 * digit);
    list_->setColumnWidth(IncidentListModel::Version, 8 * digit);
    list_->setColumnWidth(IncidentListModel::Traces, 7 * digit);
    list_->setColumnWidth(IncidentListModel::Updated, 13 * digit);
    connect(
        list_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& i) {
            current_ = i.isValid() ? std::optional<int64_t>(incidents_->incident(i.row()).id) : std::nullopt;
            showIncident();
        });
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto* leftTools = new QHBoxLayout;
    leftTools->addWidget(newButton);
    leftTools->addStretch(1);
    leftLayout->addLayout(leftTools);
    leftLayout->addWidget(list_, 1);

    // The details.
    details_ = new QWidget(this);
    heading_ = new QLabel(details_);
    heading_->setTextFormat(Qt::RichText);
    heading_->setWordWrap(true);
    title_ = new QLineEdit(details_);
    title_->setPlaceholderText(tr("What is wrong, in a few words"));
    severity_ = new QComboBox(details_);
    for (int i = 0; i < kIncidentSeverityCount; ++i) {
        severity_->addItem(QString::fromUtf8(incidentSeverityTitle(static_cast<IncidentSeverity>(i))));
    }
    status_ = new QComboBox(details_);
    for (int i = 0; i < kIncidentStatusCount; ++i) {
        status_->addItem(QString::fromUtf8(incidentStatusTitle(static_cast<IncidentStatus>(i))));
    }
    version_ = new QComboBox(details_);
    version_->setEditable(true);
    save_ = new QPushButton(details_);
    connect(save_, &QPushButton::clicked, this, &IncidentsPage::saveForm);
    connect(title_, &QLineEdit::returnPressed, this, &IncidentsPage::saveForm);
    auto* fieldsRow = new QHBoxLayout;
    fieldsRow->addWidget(new QLabel(tr("Severity"), details_));
    fieldsRow->addWidget(severity_);
    fieldsRow->addWidget(new QLabel(tr("Status"), details_));
    fieldsRow->addWidget(status_);
    fieldsRow->addWidget(new QLabel(tr("Prompt version"), details_));
    fieldsRow->addWidget(version_);
    fieldsRow->addStretch(1);
    fieldsRow->addWidget(save_);

    auto* tracesBox = new QGroupBox(tr("Linked traces"), details_);
    traceView_ = makeTable(traces_, tracesBox);
    traceView_->horizontalHeader()->setSectionResizeMode(IncidentTraceModel::Trace, QHeaderView::Stretch);
    traceView_->setColumnWidth(IncidentTraceModel::Time, 16 * digit);
    traceView_->setColumnWidth(IncidentTraceModel::Feature, 15 * digit);
    traceView_->setColumnWidth(IncidentTraceModel::Version, 8 * digit);
    traceView_->setColumnWidth(IncidentTraceModel::Latency, 9 * digit);
    traceView_->setColumnWidth(IncidentTraceModel::FailedEvals, 10 * digit);
    traceView_->setColumnWidth(IncidentTraceModel::Label, 14 * digit);
    connect(traceView_, &QTableView::doubleClicked, this, [this](const QModelIndex& i) {
        if (i.isValid() && traces_->request(i.row()).isValid()) {
            Q_EMIT traceRequested(traces_->request(i.row()));
        }
    });
    traceId_ = new QLineEdit(tracesBox);
    traceId_->setPlaceholderText(tr("Trace id to link"));
    auto* link = new QPushButton(tr("Link"), tracesBox);
    auto* unlink = new QPushButton(tr("Unlink selected"), tracesBox);
    auto linkTyped = [this] {
        if (linkTrace(traceId_->text().trimmed())) {
            traceId_->clear();
        }
    };
    connect(link, &QPushButton::clicked, this, linkTyped);
    connect(traceId_, &QLineEdit::returnPressed, this, linkTyped);
    connect(unlink, &QPushButton::clicked, this, &IncidentsPage::unlinkSelectedTrace);
    export_ = new QPushButton(tr("Add the failing cases to the eval dataset…"), tracesBox);
    export_->setToolTip(
        tr("Write the linked traces as JSON Lines (input, actual output, labels, trace id) for a "
           "regression suite; keys, tokens and email addresses are redacted"));
    connect(export_, &QPushButton::clicked, this, &IncidentsPage::chooseExportFile);
    auto* traceTools = new QHBoxLayout;
    traceTools->addWidget(traceId_, 1);
    traceTools->addWidget(link);
    traceTools->addWidget(unlink);
    traceTools->addStretch(1);
    traceTools->addWidget(export_);
    auto* tracesLayout = new QVBoxLayout(tracesBox);
    tracesLayout->addWidget(traceView_, 1);
    tracesLayout->addLayout(traceTools);

    auto* timelineBox = new QGroupBox(tr("Timeline"), details_);
    timeline_ = new QTextBrowser(timelineBox);
    note_ = new QLineEdit(timelineBox);
    note_->setPlaceholderText(tr("Add a note to the timeline (Enter)"));
    auto* addNoteButton = new QPushButton(tr("Add note"), timelineBox);
    auto noteTyped = [this] {
        if (addNote(note_->text().trimmed())) {
            note_->clear();
        }
    };
    connect(addNoteButton, &QPushButton::clicked, this, noteTyped);
    connect(note_, &QLineEdit::returnPressed, this, noteTyped);
    auto* noteRow = new QHBoxLayout;
    noteRow->addWidget(note_, 1);
    noteRow->addWidget(addNoteButton);
    auto* timelineLayout = new QVBoxLayout(timelineBox);
    timelineLayout->addWidget(timeline_, 1);
    timelineLayout->addLayout(noteRow);

    message_ = new QLabel(details_);
    auto* detailsLayout = new QVBoxLayout(details_);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    detailsLayout->addWidget(heading_);
    auto* titleRow = new QFormLayout;
    titleRow->addRow(tr("Title"), title_);
    detailsLayout->addLayout(titleRow);
    detailsLayout->addLayout(fieldsRow);
    auto* lower = new QSplitter(Qt::Vertical, details_);
    lower->addWidget(tracesBox);
    lower->addWidget(timelineBox);
    detailsLayout->addWidget(lower, 1);
    detailsLayout->addWidget(message_);

    auto* split = new QSplitter(this);
    split->addWidget(left);
    split->addWidget(details_);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setSizes({64 * digit, 116 * digit});
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split);
    showIncident();
}

void IncidentsPage::setWorkspace(std::shared_ptr<Workspace> workspace) {
    workspace_ = std::move(workspace);
    current_.reset();
    reload();
}

void IncidentsPage::setDataset(DatasetPtr dataset) {
    dataset_ = std::move(dataset);
    // Versions offered in the form: those with a prompt version record, the usual way a release is named.
    const QString typed = version_->currentText();
    version_->clear();
    QStringList versions;
    if (dataset_) {
        for (const PromptVersionRecord& r : dataset_->promptVersions) {
            const QString v = QString::fromUtf8(dataset_->str(r.version));
            if (!v.isEmpty() && !versions.contains(v)) {
                versions << v;
            }
        }
    }
    versions.sort();
    version_->addItem(QString());
    version_->addItems(versions);
    version_->setCurrentText(typed);
    showIncident();
}

void IncidentsPage::setTextProvider(RequestTextProvider provider) {
    text_ = std::move(provider);
}

void IncidentsPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    reload();
}

void IncidentsPage::reload() {
    const std::optional<int64_t> keep = current_;
    {
        const QSignalBlocker block(list_->selectionModel());
        incidents_->setIncidents(workspace_ ? workspace_->incidents() : std::vector<IncidentRecord>{});
    }
    current_.reset();
    if (keep) {
        selectIncident(*keep);
    } else if (incidents_->rowCount() > 0 && workspace_) {
        selectIncident(incidents_->incident(0).id);
    } else {
        showIncident();
    }
}

void IncidentsPage::selectIncident(int64_t id) {
    const int row = incidents_->rowOfId(id);
    if (row < 0) {
        list_->selectionModel()->clearCurrentIndex();
        current_.reset();
        showIncident();
        return;
    }
    list_->selectionModel()->setCurrentIndex(incidents_->index(row, 0),
                                             QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    current_ = id;
    showIncident();
}

void IncidentsPage::startNewIncident() {
    list_->selectionModel()->clearSelection();
    {
        const QSignalBlocker block(list_->selectionModel());
        list_->selectionModel()->clearCurrentIndex();
    }
    current_.reset();
    showIncident();
    title_->setFocus();
}

void IncidentsPage::showIncident() {
    const std::optional<IncidentRecord> incident =
        current_ && workspace_ ? workspace_->incident(*current_) : std::nullopt;
    const bool usable = workspace_ != nullptr;
    details_->setEnabled(usable);
    if (!usable) {
        heading_->setText(tr("<b>No workspace is open</b>: incidents are kept in the workspace file."));
    } else if (!incident) {
        heading_->setText(tr("<span style='font-size:large'><b>New incident</b></span>"));
    } else {
        const auto time = [](int64_t ms) {
            return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc())
                .toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        };
        heading_->setText(tr("<span style='font-size:large'><b>%1</b></span>&nbsp;&nbsp; opened %2, "
                             "updated %3 (UTC)")
                              .arg(QString::fromStdString(incident->fields.title).toHtmlEscaped(),
                                   time(incident->createdMs), time(incident->updatedMs)));
    }
    const IncidentFields fields = incident ? incident->fields : IncidentFields{};
    title_->setText(QString::fromStdString(fields.title));
    severity_->setCurrentIndex(static_cast<int>(fields.severity));
    status_->setCurrentIndex(static_cast<int>(fields.status));
    version_->setCurrentText(QString::fromStdString(fields.promptVersion));
    save_->setText(incident ? tr("Save changes") : tr("Create incident"));

    std::unordered_map<std::string, ReviewLabel> labels;
    std::vector<IncidentTraceRecord> linked;
    if (incident) {
        linked = workspace_->incidentTraces(incident->id);
        for (const IncidentTraceRecord& t : linked) {
            if (const auto l = workspace_->label(t.traceId)) {
                labels.emplace(t.traceId, l->label);
            }
        }
    }
    traces_->setTraces(dataset_, linked, labels);
    export_->setEnabled(incident && !linked.empty());

    QString html;
    if (incident) {
        for (const IncidentNoteRecord& n : workspace_->incidentNotes(incident->id)) {
            const QString when = QDateTime::fromMSecsSinceEpoch(n.timeMs, QTimeZone::utc())
                                     .toString(QStringLiteral("MM-dd HH:mm"));
            const QString who = n.author.empty()
                                    ? QString()
                                    : QStringLiteral(" ") + QString::fromStdString(n.author).toHtmlEscaped();
            const QString text = QString::fromStdString(n.text).toHtmlEscaped();
            html +=
                n.isChange
                    ? QStringLiteral("<p style='color:#667'><b>%1</b>%2: <i>%3</i></p>").arg(when, who, text)
                    : QStringLiteral("<p><b>%1</b>%2: %3</p>").arg(when, who, text);
        }
    }
    timeline_->setHtml(html);
}

std::string IncidentsPage::author() const {
    return QSettings()
        .value(QStringLiteral("review/reviewer"), qEnvironmentVariable("USER"))
        .toString()
        .toStdString();
}

bool IncidentsPage::saveForm() {
    if (!workspace_) {
        return false;
    }
    IncidentFields f;
    f.title = title_->text().trimmed().toStdString();
    f.severity = static_cast<IncidentSeverity>(std::max(0, severity_->currentIndex()));
    f.status = static_cast<IncidentStatus>(std::max(0, status_->currentIndex()));
    f.promptVersion = version_->currentText().trimmed().toStdString();
    if (f.title.empty()) {
        setMessage(tr("An incident needs a title."));
        return false;
    }
    if (current_) {
        if (!workspace_->updateIncident(*current_, f, author(), nowMs())) {
            setMessage(tr("Not saved: %1").arg(QString::fromStdString(workspace_->lastError())));
            return false;
        }
        setMessage(tr("Saved."));
        reload();
        return true;
    }
    const auto id = workspace_->createIncident(f, author(), nowMs());
    if (!id) {
        setMessage(tr("Not created: %1").arg(QString::fromStdString(workspace_->lastError())));
        return false;
    }
    setMessage(tr("Incident created. Link traces from the Review page or by id below."));
    current_ = id;
    reload();
    return true;
}

bool IncidentsPage::linkTrace(const QString& traceId) {
    if (!workspace_ || !current_ || traceId.isEmpty()) {
        return false;
    }
    const std::string trace = traceId.toStdString();
    if (!workspace_->linkTraces(*current_, {{trace, trace}}, author(), nowMs())) {
        setMessage(tr("Not linked: %1").arg(QString::fromStdString(workspace_->lastError())));
        return false;
    }
    const bool loaded = dataset_ && dataset_->findRequest(trace).isValid();
    setMessage(loaded ? QString() : tr("Linked %1; it is not in the loaded data.").arg(traceId));
    reload();
    return true;
}

bool IncidentsPage::unlinkSelectedTrace() {
    const QModelIndex index = traceView_->selectionModel()->currentIndex();
    if (!workspace_ || !current_ || !index.isValid()) {
        return false;
    }
    if (!workspace_->unlinkTrace(*current_, traces_->traceId(index.row()), author(), nowMs())) {
        setMessage(tr("Not unlinked: %1").arg(QString::fromStdString(workspace_->lastError())));
        return false;
    }
    reload();
    return true;
}

bool IncidentsPage::addNote(const QString& text) {
    if (!workspace_ || !current_ || text.isEmpty()) {
        return false;
    }
    if (!workspace_->addIncidentNote(*current_, text.toStdString(), author(), nowMs())) {
        setMessage(tr("Note not saved: %1").arg(QString::fromStdString(workspace_->lastError())));
        return false;
    }
    reload();
    return true;
}

void IncidentsPage::chooseExportFile() {
    if (!current_) {
        return;
    }
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("incidents/exportDir"), QDir::homePath()).toString();
    const QString path = QFileDialog::getSaveFileName(this, tr("Eval dataset (JSON Lines)"),
                                                      QDir(dir).filePath(QStringLiteral("eval-cases.jsonl")),
                                                      tr("JSON Lines (*.jsonl);;All files (*)"));
    if (!path.isEmpty()) {
        settings.setValue(QStringLiteral("incidents/exportDir"), QFileInfo(path).absolutePath());
        exportEvalCases(path);
    }
}

bool IncidentsPage::exportEvalCases(const QString& path) {
    const std::optional<IncidentRecord> incident =
        current_ && workspace_ ? workspace_->incident(*current_) : std::nullopt;
    if (!incident) {
        return false;
    }
    std::vector<EvalCase> cases;
    for (const IncidentTraceRecord& t : workspace_->incidentTraces(incident->id)) {
        EvalCase c{t.traceId, t.requestId, dataset_ ? dataset_->findRequest(t.traceId) : RequestIndex{}, {}};
        if (const auto l = workspace_->label(t.traceId)) {
            c.labels.push_back({std::string(reviewLabelKey(l->label)), l->note, l->reviewer});
        }
        cases.push_back(std::move(c));
    }
    EvalExportSummary summary;
    const std::string lines =
        evalCasesJsonLines(dataset_.get(), cases, text_, incident->fields.title, &summary);
    // QSaveFile writes beside the target and renames: an existing dataset is never left half written.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(lines.data(), static_cast<qint64>(lines.size())) != static_cast<qint64>(lines.size()) ||
        !file.commit()) {
        setMessage(tr("Could not write %1: %2").arg(path, file.errorString()));
        return false;
    }
    const auto plural = [](size_t n, const QString& one, const QString& many) {
        return n == 1 ? one : many.arg(n);
    };
    QString text = tr("Wrote %1 to %2").arg(plural(summary.cases, tr("1 case"), tr("%1 cases")),
                                            QFileInfo(path).fileName());
    if (summary.withText < summary.cases) {
        text += tr("; %1 without input and output text").arg(summary.cases - summary.withText);
    }
    if (summary.redactions > 0) {
        text += tr("; %1 redacted").arg(plural(summary.redactions, tr("1 secret"), tr("%1 secrets")));
    }
    setMessage(text + QLatin1Char('.'));
    message_->setToolTip(path);
    return true;
}

void IncidentsPage::setMessage(const QString& text) {
    message_->setText(text);
}

}  // namespace ps
