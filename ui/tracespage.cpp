#include "tracespage.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QLocale>
#include <QPointer>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTabWidget>
#include <QThreadPool>
#include <QVBoxLayout>

#include "colddata.h"
#include "flamegraphview.h"
#include "spandetailspanel.h"
#include "textdiffview.h"
#include "tracediffview.h"
#include "tracelistview.h"
#include "waterfallfilterbar.h"
#include "waterfallview.h"

namespace ps {
namespace {

QString traceIdOf(const Dataset& d, RequestIndex r) {
    const std::string_view id = d.str(d.requests.traceId[r.value]);
    return QString::fromUtf8(id.data(), static_cast<qsizetype>(id.size()));
}

}  // namespace

TracesPage::TracesPage(QWidget* parent) : QWidget(parent) {
    header_ = new QLabel(this);
    header_->setTextFormat(Qt::RichText);
    backToFilter_ = new QPushButton(tr("Back to the filter"), this);
    backToFilter_->setToolTip(tr("List the requests of the sidebar's filter again"));
    backToFilter_->hide();
    pin_ = new QPushButton(tr("Pin for comparison"), this);
    pin_->setToolTip(tr("Keep this trace as the left side of a comparison, then choose another trace (Ctrl+P)"));
    pin_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    review_ = new QPushButton(tr("Review"), this);
    review_->setToolTip(tr("Put this trace in the review queue (Ctrl+R) or link it to the current incident"));
    auto* reviewMenu = new QMenu(review_);
    QAction* queue = reviewMenu->addAction(tr("Add to the review queue"), this, [this] {
        if (data_ && current_.isValid()) {
            Q_EMIT reviewRequested(traceIdOf(*data_, current_));
        }
    });
    queue->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    addAction(queue);  // the shortcut works without opening the menu
    reviewMenu->addAction(tr("Link to the current incident"), this, [this] {
        if (data_ && current_.isValid()) {
            Q_EMIT incidentLinkRequested(traceIdOf(*data_, current_));
        }
    });
    review_->setMenu(reviewMenu);
    auto* top = new QHBoxLayout;
    top->addWidget(header_, 1);
    top->addWidget(backToFilter_);
    top->addWidget(review_);
    top->addWidget(pin_);

    list_ = new TraceListView(this);

    views_ = new QTabWidget(this);
    auto* waterfallTab = new QWidget(views_);
    filterBar_ = new WaterfallFilterBar(waterfallTab);
    waterfall_ = new WaterfallView(waterfallTab);
    auto* waterfallLayout = new QVBoxLayout(waterfallTab);
    waterfallLayout->setContentsMargins(0, 0, 0, 0);
    waterfallLayout->setSpacing(2);
    waterfallLayout->addWidget(filterBar_);
    waterfallLayout->addWidget(waterfall_, 1);
    views_->addTab(waterfallTab, tr("Waterfall"));
    flame_ = new FlameGraphView(views_);
    views_->addTab(flame_, tr("Flame graph"));
    auto* compareTab = new QWidget(views_);
    compareHint_ = new QLabel(tr("Pin a trace (Ctrl+P), then choose another one in the list to compare them span "
                                 "by span: structure, durations, tokens, cost, and the text of the selected pair."),
                              compareTab);
    compareHint_->setWordWrap(true);
    diff_ = new TraceDiffView(compareTab);
    textDiff_ = new TextDiffView(compareTab);
    auto* compareSplit = new QSplitter(Qt::Vertical, compareTab);
    compareSplit->addWidget(diff_);
    compareSplit->addWidget(textDiff_);
    compareSplit->setStretchFactor(0, 3);
    compareSplit->setStretchFactor(1, 1);
    auto* compareLayout = new QVBoxLayout(compareTab);
    compareLayout->setContentsMargins(0, 0, 0, 0);
    compareLayout->addWidget(compareHint_);
    compareLayout->addWidget(compareSplit, 1);
    views_->addTab(compareTab, tr("Compare"));

    details_ = new SpanDetailsPanel(this);

    auto* bottom = new QSplitter(Qt::Horizontal, this);
    bottom->addWidget(views_);
    bottom->addWidget(details_);
    bottom->setStretchFactor(0, 3);
    bottom->setStretchFactor(1, 2);
    bottom->setSizes({760, 480});  // the details need room for a conversation
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(list_);
    split->addWidget(bottom);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    split->setSizes({220, 660});

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(list_, &TraceListView::currentTraceChanged, this, [this](RequestIndex r) {
        if (r.isValid()) {
            showTrace(r);
        }
    });
    connect(list_, &TraceListView::traceActivated, this, [this](RequestIndex r) {
        showTrace(r);
        waterfall_->setFocus();
    });
    connect(filterBar_, &WaterfallFilterBar::rulesChanged, waterfall_, &WaterfallView::setHideRules);
    connect(waterfall_, &WaterfallView::spanSelected, this, &TracesPage::showSpan);
    connect(waterfall_, &WaterfallView::layoutChanged, this, [this] {
        // A newly shown trace opens on its slowest span: where an engineer looks first.
        if (waterfall_->request() == current_ && waterfall_->selectedSpan() == SpanIndex::kInvalid) {
            waterfall_->selectSlowestSpan();
            if (waterfall_->selectedSpan() == SpanIndex::kInvalid && data_) {
                showSpan(data_->requests.firstSpan[current_.value]);  // a one-span trace: its root
            }
        }
    });
    connect(details_, &SpanDetailsPanel::detailsLoaded, this, [this] { Q_EMIT traceShown(); });
    connect(diff_, &TraceDiffView::pairSelected, this, &TracesPage::onPairSelected);
    connect(pin_, &QPushButton::clicked, this, &TracesPage::pinForComparison);
    connect(backToFilter_, &QPushButton::clicked, this, [this] {
        drillTitle_.clear();
        list_->setSelection(data_, filterSelection_);
        updateHeader();
    });
    updateHeader();
}

TracesPage::~TracesPage() = default;

void TracesPage::setSelection(DatasetPtr data, const Selection& selection) {
    if (data != data_) {
        current_ = RequestIndex{};
        pinned_ = RequestIndex{};
        details_->clear();
        waterfall_->setTrace(data, RequestIndex{});
    }
    data_ = std::move(data);
    filterSelection_ = selection;
    drillTitle_.clear();
    list_->setSelection(data_, filterSelection_);
    updateHeader();
}

void TracesPage::showRequests(const QString& title, const std::vector<uint32_t>& requests) {
    Selection only;
    only.requests = requests;
    std::sort(only.requests.begin(), only.requests.end());
    drillTitle_ = title;
    list_->setSelection(data_, only);
    updateHeader();
    if (!requests.empty()) {
        showTrace(RequestIndex{requests.front()});
    }
}

bool TracesPage::showTrace(RequestIndex request) {
    if (!data_ || !request.isValid() || request.value >= data_->requestCount()) {
        return false;
    }
    if (request == current_) {
        return true;
    }
    current_ = request;
    list_->selectTrace(request);
    waterfall_->setTrace(data_, request);
    flame_->setTrace(data_, request);
    if (pinned_.isValid() && pinned_ != request) {
        showComparison(pinned_, request);
    }
    updateHeader();
    return true;
}

void TracesPage::pinForComparison() {
    if (!current_.isValid()) {
        return;
    }
    pinned_ = current_;
    updateHeader();
}

void TracesPage::comparePair(RequestIndex a, RequestIndex b) {
    if (!data_ || !a.isValid() || !b.isValid()) {
        return;
    }
    pinned_ = a;
    showTrace(b);
    showComparison(a, b);
    updateHeader();
    views_->setCurrentIndex(views_->count() - 1);  // the Compare tab
}

void TracesPage::showComparison(RequestIndex a, RequestIndex b) {
    if (!data_) {
        return;
    }
    compareHint_->setText(tr("<b>A</b> %1 (pinned) · <b>B</b> %2 · select a row to compare the two spans' messages")
                              .arg(traceIdOf(*data_, a), traceIdOf(*data_, b)));
    diff_->setTraces(data_, a, data_, b);
    textDiff_->setTexts(QString(), QString());
}

void TracesPage::showSpan(uint32_t row) {
    if (!data_ || row == SpanIndex::kInvalid) {
        return;
    }
    details_->setSpan(data_, row);
}

void TracesPage::onPairSelected(uint32_t rowA, uint32_t rowB) {
    // Both spans' messages come from the source files: read on the pool, shown if still the latest pair.
    const quint64 job = ++textJob_;
    QPointer<TracesPage> self(this);
    DatasetPtr data = data_;
    QThreadPool::globalInstance()->start([self, job, data, rowA, rowB] {
        ColdDataReader reader(data);
        auto textOf = [&](uint32_t row) {
            if (row == SpanIndex::kInvalid) {
                return QString();
            }
            const SpanDetails d = reader.readSpan(row, false);
            return d.ok() ? QString::fromStdString(messagesAsText(d))
                          : QObject::tr("(could not read this span: %1)").arg(QString::fromStdString(d.error));
        };
        const QString a = textOf(rowA);
        const QString b = textOf(rowB);
        QMetaObject::invokeMethod(
            self,
            [self, job, a, b] {
                if (self && job == self->textJob_) {
                    self->textDiff_->setTexts(a, b);
                }
            },
            Qt::QueuedConnection);
    });
}

void TracesPage::updateHeader() {
    const QLocale locale;
    QString text;
    if (!data_) {
        text = tr("No data loaded.");
    } else if (!drillTitle_.isEmpty()) {
        text = tr("<b>%1</b>").arg(drillTitle_.toHtmlEscaped());
    } else {
        text = tr("<b>%1</b> of %2 requests in the filter")
                   .arg(locale.toString(static_cast<qulonglong>(filterSelection_.requests.size())),
                        locale.toString(static_cast<qulonglong>(data_->requestCount())));
    }
    if (data_ && current_.isValid()) {
        text += tr(" · showing <b>%1</b>").arg(traceIdOf(*data_, current_));
    }
    if (data_ && pinned_.isValid()) {
        text += tr(" · pinned for comparison: %1").arg(traceIdOf(*data_, pinned_));
    }
    header_->setText(text);
    backToFilter_->setVisible(!drillTitle_.isEmpty());
    pin_->setEnabled(current_.isValid());
    review_->setEnabled(current_.isValid());
}

}  // namespace ps
