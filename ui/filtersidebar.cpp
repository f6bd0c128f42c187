#include "filtersidebar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QScrollArea>
#include <QStringListModel>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

#include "facetmodel.h"
#include "format.h"
#include "query.h"

namespace ps {
namespace {

QString fromStd(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

// Query positions are UTF-8 byte offsets; the line edit counts UTF-16 units.
int charPosition(const QString& text, size_t byteOffset) {
    const QByteArray utf8 = text.toUtf8();
    return static_cast<int>(QString::fromUtf8(utf8.left(static_cast<qsizetype>(byteOffset))).size());
}

QToolButton* toolButton(const QString& text, const QString& tip, QWidget* parent) {
    auto* b = new QToolButton(parent);
    b->setText(text);
    b->setToolTip(tip);
    b->setAutoRaise(true);
    return b;
}

}  // namespace

FilterSidebar::FilterSidebar(QWidget* parent) : QWidget(parent) {
    setMinimumWidth(250);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(6, 6, 6, 6);

    auto* nav = new QHBoxLayout;
    back_ = toolButton(tr("◀ Back"), tr("Previous filter (Alt+Left)"), this);
    forward_ = toolButton(tr("Forward ▶"), tr("Next filter (Alt+Right)"), this);
    reset_ = toolButton(tr("Reset"), tr("Clear every filter (Ctrl+Shift+R)"), this);
    nav->addWidget(back_);
    nav->addWidget(forward_);
    nav->addStretch();
    nav->addWidget(reset_);
    outer->addLayout(nav);

    query_ = new QLineEdit(this);
    query_->setPlaceholderText(tr("model:gpt-4.1 version:43 latency>2s error \"refund\""));
    query_->setClearButtonEnabled(true);
    query_->setToolTip(tr("Filter query: key:value (feature, prompt, version, model, provider, env, tenant, tier, "
                          "user, session, finish), error / ok / refusal, latency>2s, cost>0.01, since:/until:/last:, "
                          "free text. Enter applies; Ctrl+Space completes."));
    outer->addWidget(query_);
    queryError_ = new QLabel(this);
    queryError_->setWordWrap(true);
    queryError_->setStyleSheet(QStringLiteral("color: #b00020;"));
    queryError_->hide();
    outer->addWidget(queryError_);
    completions_ = new QStringListModel(this);
    completer_ = new QCompleter(completions_, this);
    completer_->setWidget(query_);
    completer_->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
    completer_->setCaseSensitivity(Qt::CaseInsensitive);

    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* body = new QWidget(scroll);
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* timeRow = new QHBoxLayout;
    timeLabel_ = new QLabel(body);
    timeLabel_->setWordWrap(true);
    clearTime_ = toolButton(tr("×"), tr("Clear the time range"), body);
    timeRow->addWidget(timeLabel_, 1);
    timeRow->addWidget(clearTime_);
    timePreset_ = new QComboBox(body);
    timePreset_->setToolTip(tr("Ranges end at the last request in the data, not at today: exports are often old"));
    timePreset_->addItem(tr("Choose a range…"), 0);
    const std::pair<QString, qint64> presets[] = {{tr("Last hour of data"), 3600},
                                                  {tr("Last 24 hours of data"), 86400},
                                                  {tr("Last 7 days of data"), 7 * 86400},
                                                  {tr("Last 30 days of data"), 30 * 86400}};
    for (const auto& [label, seconds] : presets) {
        timePreset_->addItem(label, seconds);
    }
    layout->addWidget(new QLabel(tr("<b>Time</b> (drag across a chart to narrow)"), body));
    layout->addLayout(timeRow);
    layout->addWidget(timePreset_);

    auto* statusRow = new QHBoxLayout;
    status_ = new QComboBox(body);
    status_->addItem(tr("All statuses"), static_cast<int>(StatusFilter::Any));
    status_->addItem(tr("OK only"), static_cast<int>(StatusFilter::Ok));
    status_->addItem(tr("Errors only"), static_cast<int>(StatusFilter::Error));
    refusals_ = new QCheckBox(tr("Refusals"), body);
    statusRow->addWidget(status_, 1);
    statusRow->addWidget(refusals_);
    layout->addWidget(new QLabel(tr("<b>Status</b>"), body));
    layout->addLayout(statusRow);

    for (size_t k = 0; k < kDimensionCount; ++k) {
        const auto dim = static_cast<Dimension>(k);
        auto* header = new QLabel(body);
        headers_[k] = header;
        auto* list = new QListView(body);
        lists_[k] = list;
        facets_[k] = new FacetModel(this);
        list->setModel(facets_[k]);
        list->setUniformItemSizes(true);
        list->setAccessibleName(fromStd(dimensionLabel(dim)));
        layout->addWidget(header);
        layout->addWidget(list);
        connect(facets_[k], &FacetModel::checkedValuesChanged, this, [this, dim](const QStringList& values) {
            if (updating_) {
                return;
            }
            Filter f = filter_;
            f.of(dim).clear();
            for (const QString& v : values) {
                f.of(dim).push_back(v.toStdString());
            }
            edit(f);
        });
    }
    layout->addStretch();
    scroll->setWidget(body);
    outer->addWidget(scroll, 1);

    connect(back_, &QToolButton::clicked, this, &FilterSidebar::backRequested);
    connect(forward_, &QToolButton::clicked, this, &FilterSidebar::forwardRequested);
    connect(reset_, &QToolButton::clicked, this, &FilterSidebar::resetRequested);
    connect(query_, &QLineEdit::returnPressed, this, &FilterSidebar::applyQuery);
    connect(query_, &QLineEdit::textEdited, this, [this] {
        queryError_->hide();
        updateCompletions();
    });
    connect(completer_, qOverload<const QString&>(&QCompleter::activated), this, &FilterSidebar::insertCompletion);
    connect(timePreset_, &QComboBox::activated, this, [this](int i) {
        const qint64 seconds = timePreset_->itemData(i).toLongLong();
        timePreset_->setCurrentIndex(0);
        if (seconds <= 0 || dataEndNs_ == 0) {
            return;
        }
        Filter f = filter_;
        f.beginNs = dataEndNs_ + 1 - seconds * 1000000000LL;
        f.endNs = Filter::kNoLimit;
        edit(f);
    });
    connect(clearTime_, &QToolButton::clicked, this, [this] {
        Filter f = filter_;
        f.beginNs = f.endNs = Filter::kNoLimit;
        edit(f);
    });
    connect(status_, &QComboBox::currentIndexChanged, this, [this] {
        if (!updating_) {
            Filter f = filter_;
            f.status = static_cast<StatusFilter>(status_->currentData().toInt());
            edit(f);
        }
    });
    connect(refusals_, &QCheckBox::toggled, this, [this](bool on) {
        if (!updating_) {
            Filter f = filter_;
            f.refusalsOnly = on;
            edit(f);
        }
    });
    setFilter(Filter{});
}

void FilterSidebar::edit(const Filter& f) {
    setFilter(f);
    Q_EMIT filterEdited(f);
}

void FilterSidebar::setFilter(const Filter& f) {
    updating_ = true;
    filter_ = f;
    query_->setText(QString::fromStdString(formatQuery(f)));
    queryError_->hide();
    if (f.beginNs == Filter::kNoLimit && f.endNs == Filter::kNoLimit) {
        timeLabel_->setText(tr("All time"));
    } else {
        timeLabel_->setText(
            tr("%1 – %2 UTC")
                .arg(f.beginNs == Filter::kNoLimit ? tr("start") : fmt::dateTime(f.beginNs),
                     f.endNs == Filter::kNoLimit ? tr("end") : fmt::dateTime(f.endNs)));
    }
    clearTime_->setEnabled(f.beginNs != Filter::kNoLimit || f.endNs != Filter::kNoLimit);
    status_->setCurrentIndex(status_->findData(static_cast<int>(f.status)));
    refusals_->setChecked(f.refusalsOnly);
    updating_ = false;
}

void FilterSidebar::setSelection(DatasetPtr dataset, const Selection& selection) {
    dataset_ = std::move(dataset);
    if (!dataset_) {
        return;
    }
    dataEndNs_ = selection.dataEndNs;
    updating_ = true;
    for (size_t k = 0; k < kDimensionCount; ++k) {
        const auto dim = static_cast<Dimension>(k);
        QStringList checked;
        for (const std::string& v : filter_.of(dim)) {
            checked << QString::fromStdString(v);
        }
        facets_[k]->setValues(*dataset_, selection.facets[k], checked, selection.valueCount[k]);
        const uint32_t total = selection.valueCount[k];
        QString header = QStringLiteral("<b>%1</b>").arg(fromStd(dimensionLabel(dim)).toHtmlEscaped());
        header += total > kMaxFacetValues ? tr(" — top %1 of %2").arg(kMaxFacetValues).arg(QLocale().toString(total))
                                          : tr(" (%1)").arg(total);
        headers_[k]->setText(header);
        // A dimension with a single value and no filter says nothing: keep it out of the way.
        const bool useful = total > 1 || !filter_.of(dim).empty();
        headers_[k]->setVisible(useful);
        lists_[k]->setVisible(useful);
        // As tall as its rows, up to seven of them.
        const int rows = std::clamp(facets_[k]->rowCount(), 1, 7);
        const int rowHeight = std::max(lists_[k]->sizeHintForRow(0), fontMetrics().height() + 2);
        lists_[k]->setFixedHeight(rows * rowHeight + 2 * lists_[k]->frameWidth() + 4);
    }
    status_->setItemText(0, tr("All statuses (%1)").arg(QLocale().toString(selection.statusCounts[0])));
    status_->setItemText(1, tr("OK only (%1)").arg(QLocale().toString(selection.statusCounts[1])));
    status_->setItemText(2, tr("Errors only (%1)").arg(QLocale().toString(selection.statusCounts[2])));
    updating_ = false;
}

void FilterSidebar::setHistoryState(bool canGoBack, bool canGoForward) {
    back_->setEnabled(canGoBack);
    forward_->setEnabled(canGoForward);
}

void FilterSidebar::applyQuery() {
    const std::string text = query_->text().toStdString();
    const auto parsed = parseQuery(text, QDateTime::currentDateTimeUtc().toMSecsSinceEpoch() * 1000000);
    if (const auto* error = std::get_if<QueryError>(&parsed)) {
        const int from = charPosition(query_->text(), error->position);
        const int to = charPosition(query_->text(), error->position + std::max<size_t>(error->length, 1));
        query_->setSelection(from, std::max(1, to - from));
        showQueryError(QString::fromStdString(error->message));
        return;
    }
    edit(std::get<Filter>(parsed));
}

void FilterSidebar::showQueryError(const QString& message) {
    queryError_->setText(message);
    queryError_->show();
}

void FilterSidebar::updateCompletions() {
    const QString text = query_->text();
    const size_t cursor = static_cast<size_t>(text.left(query_->cursorPosition()).toUtf8().size());
    const std::string utf8 = text.toStdString();
    const auto candidates = completeQuery(utf8, cursor, [this](Dimension d) {
        std::vector<std::string> values;
        const FacetModel* m = facets_[static_cast<size_t>(d)];
        for (int r = 0; r < m->rowCount(); ++r) {
            values.push_back(m->data(m->index(r), FacetModel::ValueRole).toString().toStdString());
        }
        return values;
    });
    QStringList list;
    for (const std::string& c : candidates) {
        list << QString::fromStdString(c);
    }
    completions_->setStringList(list);
    if (list.isEmpty()) {
        completer_->popup()->hide();
    } else {
        completer_->complete();
    }
}

void FilterSidebar::insertCompletion(const QString& candidate) {
    const QString text = query_->text();
    const int cursorChars = query_->cursorPosition();
    const std::string utf8 = text.toStdString();
    const size_t cursor = static_cast<size_t>(text.left(cursorChars).toUtf8().size());
    const int start = charPosition(text, completionStart(utf8, cursor));
    const QString updated = text.left(start) + candidate + text.mid(cursorChars);
    query_->setText(updated);
    query_->setCursorPosition(start + static_cast<int>(candidate.size()));
}

}  // namespace ps
