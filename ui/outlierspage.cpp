#include "outlierspage.h"

#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPointer>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QThreadPool>
#include <QVBoxLayout>

#include "failuregroupmodel.h"
#include "format.h"
#include "outlierformat.h"
#include "outliertablemodel.h"
#include "tailmodel.h"

namespace ps {
namespace {

constexpr int64_t kMinuteNs = 60LL * 1000000000;

bool hasTail(OutlierKind kind) {
    return kind == OutlierKind::Slowest || kind == OutlierKind::MostExpensive ||
           kind == OutlierKind::LargestTokenUsers;
}

QString tabTitle(OutlierKind kind) {
    switch (kind) {
    case OutlierKind::Slowest: return QObject::tr("Slowest");
    case OutlierKind::MostExpensive: return QObject::tr("Most expensive");
    case OutlierKind::LowestScoring: return QObject::tr("Lowest-scoring");
    case OutlierKind::MostRetried: return QObject::tr("Most retried");
    case OutlierKind::LongestAgentLoops: return QObject::tr("Longest agent loops");
    case OutlierKind::LargestTokenUsers: return QObject::tr("Largest token users");
    }
    return {};
}

// What each table lists and how its rows are chosen, above the table.
QString caption(OutlierKind kind, size_t shown, uint64_t candidates) {
    const QString n = QLocale().toString(static_cast<qulonglong>(shown));
    const QString of = QLocale().toString(static_cast<qulonglong>(candidates));
    switch (kind) {
    case OutlierKind::Slowest:
        return QObject::tr("The %1 slowest of %2 requests (latency of the root span).").arg(n, of);
    case OutlierKind::MostExpensive:
        return QObject::tr("The %1 most expensive of %2 requests with a known cost (sum over their model calls).")
            .arg(n, of);
    case OutlierKind::LowestScoring:
        return QObject::tr("The %1 lowest-scoring of %2 requests with scored evals. Score: each eval's scores put on "
                           "0–1 by its lowest and highest score in the data, averaged; ties by failed evals.")
            .arg(n, of);
    case OutlierKind::MostRetried:
        return QObject::tr("%1 of %2 retried inputs, by their last attempt. Retries: failed model calls retried "
                           "with the same prompt inside the request, plus earlier requests with the same input "
                           "(session, feature, prompt, first call's input tokens) within the window.")
            .arg(n, of);
    case OutlierKind::LongestAgentLoops:
        return QObject::tr("The %1 requests with the most tool calls, of %2 that call tools.").arg(n, of);
    case OutlierKind::LargestTokenUsers:
        return QObject::tr("The %1 largest token users (input + output) of %2 requests.").arg(n, of);
    }
    return {};
}

QTableView* makeTable(QAbstractItemModel* model, int sortRole, QWidget* parent) {
    auto* proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(model);
    proxy->setSortRole(sortRole);
    auto* view = new QTableView(parent);
    view->setModel(proxy);
    view->setSortingEnabled(true);
    view->sortByColumn(-1, Qt::AscendingOrder);  // the model's order (worst first) until a header is clicked
    view->verticalHeader()->hide();
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setWordWrap(false);
    view->setAlternatingRowColors(true);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

// "invoice_parser · enterprise: p50 1.2 s, p99 28.1 s — the p99 is 23× the median": the heaviest tail.
QString tailHeadlineText(const Dataset& d, OutlierKind kind, const std::vector<TailRow>& rows) {
    if (rows.empty() || rows.front().count < kMinTailCount || !(rows.front().p50 > 0)) {
        return QObject::tr("No group has enough requests to compare its p99 with its median.");
    }
    const TailRow& t = rows.front();
    auto value = [&](double v) {
        return kind == OutlierKind::Slowest         ? fmt::duration(v)
               : kind == OutlierKind::MostExpensive ? fmt::usd(v)
                                                    : fmt::tokens(v) + QObject::tr(" tokens");
    };
    auto name = [&](StringId s) {
        const std::string_view v = d.str(s);
        return v.empty() ? QObject::tr("(none)") : QString::fromUtf8(v.data(), static_cast<qsizetype>(v.size()));
    };
    const QString tier = t.tier.isEmpty() ? QObject::tr("no tier") : name(t.tier) + QObject::tr(" tier");
    return QObject::tr("<b>Heaviest tail: %1 · %2</b> — p50 %3, p99 <b>%4</b>: the p99 is <b>%5×</b> the median "
                       "(%6 requests).")
        .arg(name(t.feature).toHtmlEscaped(), tier.toHtmlEscaped(), value(t.p50), value(t.p99))
        .arg(t.ratio(), 0, 'f', 1)
        .arg(QLocale().toString(static_cast<qulonglong>(t.count)));
}

}  // namespace

OutliersPage::OutliersPage(QWidget* parent) : QWidget(parent) {
    qRegisterMetaType<ps::RequestIndex>("ps::RequestIndex");  // the signal's spelling of the typedef
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(8, 6, 8, 6);
    auto* top = new QHBoxLayout;
    heading_ = new QLabel(tr("No data loaded."), this);
    heading_->setWordWrap(true);
    busy_ = new QLabel(tr("updating…"), this);
    busy_->setStyleSheet(QStringLiteral("color: #777;"));
    busy_->hide();
    limit_ = new QSpinBox(this);
    limit_->setRange(5, 1000);
    limit_->setValue(50);
    limit_->setPrefix(tr("Show "));
    limit_->setSuffix(tr(" per table"));
    limit_->setToolTip(tr("How many requests each table lists"));
    retryWindow_ = new QSpinBox(this);
    retryWindow_->setRange(1, 240);
    retryWindow_->setValue(10);
    retryWindow_->setPrefix(tr("Retries within "));
    retryWindow_->setSuffix(tr(" min"));
    retryWindow_->setToolTip(tr("Requests with the same input in a session count as retries when each starts "
                                "within this many minutes of the previous one"));
    top->addWidget(heading_, 1);
    top->addWidget(busy_);
    top->addWidget(limit_);
    top->addWidget(retryWindow_);
    outer->addLayout(top);

    tabs_ = new QTabWidget(this);
    for (size_t k = 0; k < kOutlierKindCount; ++k) {
        const auto kind = static_cast<OutlierKind>(k);
        tabs_->addTab(buildKindTab(kind), tabTitle(kind));
    }
    tabs_->addTab(buildFailuresTab(), tr("Similar failures"));
    outer->addWidget(tabs_, 1);

    connect(limit_, &QSpinBox::valueChanged, this, &OutliersPage::recompute);
    connect(retryWindow_, &QSpinBox::valueChanged, this, &OutliersPage::recompute);
}

OutliersPage::~OutliersPage() {
    if (cancel_) {
        cancel_->store(true);
    }
}

QWidget* OutliersPage::buildKindTab(OutlierKind kind) {
    const size_t k = static_cast<size_t>(kind);
    auto* tab = new QWidget(tabs_);
    auto* layout = new QVBoxLayout(tab);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* split = new QSplitter(Qt::Vertical, tab);
    if (hasTail(kind)) {
        auto* tailBox = new QWidget(split);
        auto* tailLayout = new QVBoxLayout(tailBox);
        tailLayout->setContentsMargins(0, 0, 0, 0);
        auto* title = new QLabel(tr("<b>Where the tail is</b> — %1 by feature and tenant tier, the heaviest tail "
                                    "(p99 / p50) first")
                                     .arg(QString::fromUtf8(outlierMetricName(kind).data())),
                                 tailBox);
        tailHeadlines_[k] = new QLabel(tailBox);
        tailHeadlines_[k]->setWordWrap(true);
        tailHeadlines_[k]->setStyleSheet(
            QStringLiteral("background: #fff3e0; border: 1px solid #f0b070; padding: 4px; color: #5a2d00;"));
        tailModels_[k] = new TailModel(this);
        QTableView* tailView = makeTable(tailModels_[k], TailModel::SortRole, tailBox);
        tailView->horizontalHeader()->setStretchLastSection(false);
        tailLayout->addWidget(title);
        tailLayout->addWidget(tailHeadlines_[k]);
        tailLayout->addWidget(tailView, 1);
        split->addWidget(tailBox);
    }
    auto* rowsBox = new QWidget(split);
    auto* rowsLayout = new QVBoxLayout(rowsBox);
    rowsLayout->setContentsMargins(0, 0, 0, 0);
    captions_[k] = new QLabel(rowsBox);
    captions_[k]->setWordWrap(true);
    tables_[k] = new OutlierTableModel(this);
    views_[k] = makeTable(tables_[k], OutlierTableModel::SortRole, rowsBox);
    // Trace ids are long and alike at a glance: their middle goes first; the tooltip and the trace have them whole.
    views_[k]->setTextElideMode(Qt::ElideMiddle);
    views_[k]->horizontalHeader()->setSectionResizeMode(OutlierTableModel::Trace, QHeaderView::Interactive);
    views_[k]->horizontalHeader()->resizeSection(OutlierTableModel::Trace, 150);
    views_[k]->horizontalHeader()->setSectionResizeMode(OutlierTableModel::Model, QHeaderView::Interactive);
    views_[k]->horizontalHeader()->resizeSection(OutlierTableModel::Model, 150);
    views_[k]->setToolTip(tr("Double-click a row or press Enter to open its trace"));
    rowsLayout->addWidget(captions_[k]);
    rowsLayout->addWidget(views_[k], 1);
    split->addWidget(rowsBox);
    if (hasTail(kind)) {
        split->setStretchFactor(0, 2);
        split->setStretchFactor(1, 5);
    }
    layout->addWidget(split);
    connect(views_[k], &QTableView::activated, this, [this](const QModelIndex& index) {
        const QVariant r = index.data(OutlierTableModel::RequestRole);
        if (r.isValid()) {
            Q_EMIT traceRequested(RequestIndex(r.toUInt()));
        }
    });
    return tab;
}

QWidget* OutliersPage::buildFailuresTab() {
    auto* tab = new QWidget(tabs_);
    auto* layout = new QVBoxLayout(tab);
    layout->setContentsMargins(4, 4, 4, 4);
    failureCaption_ = new QLabel(tab);
    failureCaption_->setWordWrap(true);
    failures_ = new FailureGroupModel(this);
    failureView_ = makeTable(failures_, FailureGroupModel::SortRole, tab);
    failureView_->setToolTip(tr("Double-click a group to open its most recent trace"));
    layout->addWidget(failureCaption_);
    layout->addWidget(failureView_, 1);
    connect(failureView_, &QTableView::activated, this, [this](const QModelIndex& index) {
        const QVariant r = index.data(FailureGroupModel::RequestRole);
        if (r.isValid()) {
            Q_EMIT traceRequested(RequestIndex(r.toUInt()));
        }
    });
    return tab;
}

TailModel* OutliersPage::tails(OutlierKind kind) const {
    return tailModels_[static_cast<size_t>(kind)];
}

QLabel* OutliersPage::tailHeadline(OutlierKind kind) const {
    return tailHeadlines_[static_cast<size_t>(kind)];
}

void OutliersPage::showKind(OutlierKind kind) {
    tabs_->setCurrentIndex(static_cast<int>(kind));
}

void OutliersPage::showFailures() {
    tabs_->setCurrentIndex(static_cast<int>(kOutlierKindCount));
}

void OutliersPage::setInput(DatasetPtr dataset, std::shared_ptr<const FacetIndex> index, AnalysisResultPtr result) {
    dataset_ = std::move(dataset);
    index_ = std::move(index);
    input_ = std::move(result);
    stale_ = true;
    if (isVisible()) {
        recompute();
    }
}

void OutliersPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (stale_) {
        recompute();
    }
}

void OutliersPage::setBusy(bool busy) {
    busy_->setVisible(busy);
}

void OutliersPage::recompute() {
    if (!dataset_ || !input_ || !index_) {
        return;
    }
    stale_ = false;
    if (cancel_) {
        cancel_->store(true);  // the older job stops at its next check
    }
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    const quint64 job = ++job_;
    if (pending_++ == 0) {
        setBusy(true);
    }
    OutlierOptions options;
    options.limit = static_cast<size_t>(limit_->value());
    options.retryWindowNs = retryWindow_->value() * kMinuteNs;
    QPointer<OutliersPage> self(this);
    QThreadPool::globalInstance()->start(
        [self, job, cancel = cancel_, data = dataset_, index = index_, input = input_, options] {
            QElapsedTimer clock;
            clock.start();
            auto result = std::make_shared<Result>();
            result->outliers = computeOutliers(*data, *index, input->selection, options, cancel.get());
            if (!cancel->load()) {
                result->groups = groupFailures(*data, input->selection, cancel.get());
            }
            result->computeMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
            const bool done = !cancel->load() && !result->outliers.cancelled;
            QMetaObject::invokeMethod(
                self,
                [self, job, done, result = std::shared_ptr<const Result>(std::move(result))] {
                    if (!self) {
                        return;
                    }
                    if (--self->pending_ == 0) {
                        self->setBusy(false);
                    }
                    if (done && job == self->job_) {
                        self->showResult(*result);
                    }
                },
                Qt::QueuedConnection);
        });
}

void OutliersPage::showResult(const Result& result) {
    const QLocale locale;
    heading_->setText(tr("<b>Outliers among %1 requests</b> · ranks are mid-rank percentiles within each request's "
                         "feature · computed in %2")
                          .arg(locale.toString(static_cast<qulonglong>(result.outliers.requests)),
                               fmt::duration(result.computeMs)));
    for (size_t k = 0; k < kOutlierKindCount; ++k) {
        const auto kind = static_cast<OutlierKind>(k);
        const OutlierTable& table = result.outliers.tables[k];
        tables_[k]->setTable(dataset_, table);
        // The feature is named in "where it sits"; the metric's own column would repeat the value.
        for (int c = 0; c < OutlierTableModel::ColumnCount; ++c) {
            views_[k]->setColumnHidden(c, c == tables_[k]->duplicateColumn() || c == OutlierTableModel::Feature);
        }
        captions_[k]->setText(table.rows.empty() ? tr("No request in the selection has a %1.")
                                                       .arg(QString::fromUtf8(outlierMetricWords(kind).data()))
                                                 : caption(kind, table.rows.size(), table.candidates));
        if (tailModels_[k]) {
            tailModels_[k]->setTails(dataset_, kind, result.outliers.tails[k]);
            tailHeadlines_[k]->setText(tailHeadlineText(*dataset_, kind, result.outliers.tails[k]));
        }
    }
    failures_->setGroups(dataset_, result.groups);
    uint64_t errors = 0, evals = 0, tools = 0;
    for (const FailureGroup& g : result.groups) {
        (g.kind == FailureGroupKind::Error ? errors : g.kind == FailureGroupKind::Eval ? evals : tools) += 1;
    }
    failureCaption_->setText(
        tr("%1 error groups (type and message with numbers, ids, UUIDs and quoted values stripped; counted where the "
           "failure started), %2 failing evals, %3 failing tools. Share: of the selected requests. Double-click a "
           "group to open its most recent trace.")
            .arg(errors)
            .arg(evals)
            .arg(tools));
    Q_EMIT resultShown();
}

}  // namespace ps
