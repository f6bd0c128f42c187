#include "overviewpage.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <cmath>

#include "breakdownmodel.h"
#include "format.h"
#include "histogramchart.h"
#include "kpitile.h"
#include "timeserieschart.h"

namespace ps {
namespace {

// Colours per error class, in ErrorClass order (None unused).
const QColor kErrorColors[kErrorClassCount] = {QColor(0, 0, 0),        QColor(0xd9, 0x5f, 0x02),
                                               QColor(0xb0, 0x00, 0x20), QColor(0x75, 0x70, 0xb3),
                                               QColor(0xe7, 0x29, 0x8a), QColor(0x66, 0xa6, 0x1e),
                                               QColor(0x66, 0x66, 0x66)};

QString errorClassName(size_t c) {
    switch (static_cast<ErrorClass>(c)) {
    case ErrorClass::RateLimited: return QObject::tr("rate limited (429)");
    case ErrorClass::ProviderError: return QObject::tr("provider error (5xx)");
    case ErrorClass::Timeout: return QObject::tr("timeout");
    case ErrorClass::ToolError: return QObject::tr("tool error");
    case ErrorClass::Validation: return QObject::tr("validation");
    case ErrorClass::Other: return QObject::tr("other");
    case ErrorClass::None: break;
    }
    return {};
}

HistogramChart::Histogram toChart(const Histogram& h) {
    return {h.edges, h.counts, h.p50, h.p95, h.p99};
}

QWidget* titled(const QString& title, QWidget* content, QWidget* parent) {
    auto* box = new QWidget(parent);
    auto* l = new QVBoxLayout(box);
    l->setContentsMargins(0, 4, 0, 4);
    auto* label = new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()), box);
    l->addWidget(label);
    l->addWidget(content, 1);
    return box;
}

constexpr Dimension kBreakdownDims[OverviewPage::kBreakdowns] = {Dimension::Model, Dimension::Feature,
                                                                  Dimension::PromptVersion, Dimension::Tenant,
                                                                  Dimension::Environment};

}  // namespace

OverviewPage::OverviewPage(QWidget* parent) : QWidget(parent) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* top = new QHBoxLayout;
    top->setContentsMargins(8, 6, 8, 0);
    heading_ = new QLabel(this);
    heading_->setWordWrap(true);
    busy_ = new QLabel(tr("updating…"), this);
    busy_->setStyleSheet(QStringLiteral("color: #777;"));
    busy_->hide();
    grain_ = new QComboBox(this);
    grain_->addItem(tr("Per request (trace)"), static_cast<int>(Grain::Request));
    grain_->addItem(tr("Per LLM call"), static_cast<int>(Grain::Generation));
    grain_->setToolTip(tr("Count requests (one per trace; latency of the root span) or single LLM calls"));
    top->addWidget(heading_, 1);
    top->addWidget(busy_);
    top->addWidget(grain_);
    outer->addLayout(top);

    stack_ = new QStackedWidget(this);
    empty_ = new QLabel(stack_);
    empty_->setAlignment(Qt::AlignCenter);
    empty_->setWordWrap(true);
    empty_->setStyleSheet(QStringLiteral("color: #555; font-size: 15px;"));
    auto* scroll = new QScrollArea(stack_);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* body = new QWidget(scroll);
    auto* layout = new QVBoxLayout(body);

    auto* tiles = new QHBoxLayout;
    const std::pair<QString, int> tileSpecs[kKpiCount] = {
        {tr("Requests"), 0},          {tr("Error rate"), -1},       {tr("Refusal rate"), -1},
        {tr("p95 latency"), -1},      {tr("p95 cost / request"), -1}, {tr("Eval pass rate"), 1},
        {tr("Thumbs-down rate"), -1}};
    for (size_t k = 0; k < kKpiCount; ++k) {
        tiles_[k] = new KpiTile(tileSpecs[k].first, tileSpecs[k].second, body);
        tiles->addWidget(tiles_[k]);
    }
    layout->addLayout(tiles);

    auto* grid = new QGridLayout;
    volume_ = new TimeSeriesChart(body);
    errors_ = new TimeSeriesChart(body);
    latency_ = new TimeSeriesChart(body);
    cost_ = new TimeSeriesChart(body);
    latencyHist_ = new HistogramChart(body);
    costHist_ = new HistogramChart(body);
    for (QWidget* w : std::initializer_list<QWidget*>{volume_, errors_, latency_, cost_, latencyHist_, costHist_}) {
        w->setMinimumHeight(240);
    }
    grid->addWidget(titled(tr("Volume"), volume_, body), 0, 0);
    grid->addWidget(titled(tr("Error rate by class"), errors_, body), 0, 1);
    grid->addWidget(titled(tr("Latency p50 / p95 / p99"), latency_, body), 1, 0);
    grid->addWidget(titled(tr("Cost"), cost_, body), 1, 1);
    grid->addWidget(titled(tr("Latency distribution"), latencyHist_, body), 2, 0);
    grid->addWidget(titled(tr("Cost distribution (per row)"), costHist_, body), 2, 1);
    layout->addLayout(grid);

    auto* lower = new QHBoxLayout;
    auto* tokenBox = new QWidget(body);
    auto* tokenLayout = new QVBoxLayout(tokenBox);
    tokenLayout->setContentsMargins(0, 0, 0, 0);
    tokens_ = new QLabel(tokenBox);
    tokens_->setWordWrap(true);
    topPrompts_ = new QStandardItemModel(0, 2, this);
    topPrompts_->setHorizontalHeaderLabels({tr("Prompt"), tr("Tokens (in + out)")});
    auto* topView = new QTableView(tokenBox);
    topView->setModel(topPrompts_);
    topView->verticalHeader()->hide();
    topView->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    topView->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    topView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    tokenChart_ = new TimeSeriesChart(tokenBox);
    tokenChart_->setMinimumHeight(200);
    tokenLayout->addWidget(tokens_);
    tokenLayout->addWidget(tokenChart_, 2);
    tokenLayout->addWidget(topView, 1);
    lower->addWidget(titled(tr("Tokens"), tokenBox, body), 1);

    breakdownTabs_ = new QTabWidget(body);
    for (size_t i = 0; i < kBreakdowns; ++i) {
        breakdownModels_[i] = new BreakdownModel(this);
        auto* proxy = new QSortFilterProxyModel(this);
        proxy->setSourceModel(breakdownModels_[i]);
        proxy->setSortRole(BreakdownModel::SortRole);
        auto* view = new QTableView(breakdownTabs_);
        view->setModel(proxy);
        view->setSortingEnabled(true);
        view->sortByColumn(BreakdownModel::Count, Qt::DescendingOrder);
        view->verticalHeader()->hide();
        view->setSelectionBehavior(QAbstractItemView::SelectRows);
        view->setEditTriggers(QAbstractItemView::NoEditTriggers);
        view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
        view->horizontalHeader()->setStretchLastSection(true);
        breakdownViews_[i] = view;
        breakdownTabs_->addTab(view, QString::fromUtf8(dimensionLabel(kBreakdownDims[i]).data()));
        // A click filters to the row's group; a click on its "slowest" link, or a double-click, opens the group's
        // slowest trace.
        connect(view, &QTableView::clicked, this, [this, i, proxy](const QModelIndex& index) {
            const QString key = breakdownModels_[i]->keyAt(proxy->mapToSource(index).row());
            if (key.isEmpty()) {
                return;
            }
            if (index.column() == BreakdownModel::Open) {
                Q_EMIT dimensionValueOpened(kBreakdownDims[i], key);
            } else {
                Q_EMIT dimensionValueClicked(kBreakdownDims[i], key);
            }
        });
        connect(view, &QTableView::doubleClicked, this, [this, i, proxy](const QModelIndex& index) {
            const QString key = breakdownModels_[i]->keyAt(proxy->mapToSource(index).row());
            if (!key.isEmpty() && index.column() != BreakdownModel::Open) {
                Q_EMIT dimensionValueOpened(kBreakdownDims[i], key);
            }
        });
    }
    lower->addWidget(
        titled(tr("Breakdown (click a row to filter; \u201cslowest\u201d or a double-click opens its slowest trace)"),
               breakdownTabs_, body),
        2);
    layout->addLayout(lower);
    scroll->setWidget(body);
    stack_->addWidget(scroll);
    stack_->addWidget(empty_);
    outer->addWidget(stack_, 1);

    for (TimeSeriesChart* chart : {volume_, errors_, latency_, cost_, tokenChart_}) {
        connect(chart, &TimeSeriesChart::rangeSelected, this, &OverviewPage::timeRangeSelected);
    }
    connect(latencyHist_, &HistogramChart::binClicked, this, &OverviewPage::latencyRangeSelected);
    connect(costHist_, &HistogramChart::binClicked, this, &OverviewPage::costRangeSelected);
    connect(latencyHist_, &HistogramChart::binOpened, this, &OverviewPage::latencyRangeOpened);
    connect(costHist_, &HistogramChart::binOpened, this, &OverviewPage::costRangeOpened);
    connect(grain_, &QComboBox::currentIndexChanged, this, [this] { Q_EMIT grainChanged(grain()); });
    showEmpty(tr("No data loaded. Open a trace export (Ctrl+O), drop files here, or open the demo."));
}

Grain OverviewPage::grain() const {
    return static_cast<Grain>(grain_->currentData().toInt());
}

void OverviewPage::setGrain(Grain grain) {
    grain_->setCurrentIndex(grain_->findData(static_cast<int>(grain)));
}

void OverviewPage::setBusy(bool busy) {
    busy_->setVisible(busy);
}

void OverviewPage::showEmpty(const QString& message) {
    empty_->setText(message);
    stack_->setCurrentWidget(empty_);
}

void OverviewPage::showResult(const DatasetPtr& dataset, const AnalysisResult& result) {
    const OverviewResult& o = result.overview;
    const bool calls = result.grain == Grain::Generation;
    const QString unit = calls ? (o.rows == 1 ? tr("LLM call") : tr("LLM calls"))
                               : (o.rows == 1 ? tr("request") : tr("requests"));
    const QLocale locale;
    heading_->setText(tr("<b>%1 %2</b> · %3 – %4 UTC · %5 buckets · computed in %6")
                          .arg(locale.toString(static_cast<qulonglong>(o.rows)), unit, fmt::dateTime(o.beginNs),
                               fmt::dateTime(o.endNs), fmt::bucket(o.series.bucketNs),
                               result.fromCache ? tr("%1, shown again").arg(fmt::duration(result.computeMs))
                                                : fmt::duration(result.computeMs)));
    if (o.rows == 0) {
        showEmpty(dataset && dataset->requestCount() > 0
                      ? tr("No %1 match these filters.\nUse Back (Alt+Left) or Reset to widen them.").arg(unit)
                      : tr("This source has no requests."));
        return;
    }
    stack_->setCurrentIndex(0);

    const int64_t days = (o.endNs - o.beginNs + 86399999999999LL) / 86400000000000LL;
    const QString previous = days >= 2 ? tr("previous %1 days").arg(days) : tr("previous period");
    auto kpi = [&](Kpi k) -> const KpiValue& { return o.kpis[static_cast<size_t>(k)]; };
    auto setTile = [&](Kpi k, const QString& value, const QString& detail) {
        KpiTile* t = tiles_[static_cast<size_t>(k)];
        t->setValue(value, detail);
        t->setChange(kpi(k).current, kpi(k).previous, previous);
        t->setSpark(kpi(k).spark);
    };
    tiles_[0]->setToolTip(calls ? tr("LLM calls in the selection") : tr("Requests (traces) in the selection"));
    tiles_[static_cast<size_t>(Kpi::Volume)]->setCaption(calls ? tr("LLM calls") : tr("Requests"));
    tiles_[static_cast<size_t>(Kpi::P95Cost)]->setCaption(calls ? tr("p95 cost / call") : tr("p95 cost / request"));
    for (HistogramChart* h : {latencyHist_, costHist_}) {
        h->setRowNoun(calls ? tr("LLM call") : tr("request"), calls ? tr("LLM calls") : tr("requests"));
    }
    setTile(Kpi::Volume, fmt::count(kpi(Kpi::Volume).current), {});
    setTile(Kpi::ErrorRate, fmt::percent(kpi(Kpi::ErrorRate).current), {});
    setTile(Kpi::RefusalRate, fmt::percent(kpi(Kpi::RefusalRate).current), {});
    setTile(Kpi::P95Latency, fmt::duration(kpi(Kpi::P95Latency).current),
            tr("p50 %1 · p99 %2").arg(fmt::duration(o.latencyMs.p50), fmt::duration(o.latencyMs.p99)));
    setTile(Kpi::P95Cost, fmt::usd(kpi(Kpi::P95Cost).current), tr("median %1").arg(fmt::usd(o.costUsd.p50)));
    setTile(Kpi::EvalPassRate, fmt::percent(kpi(Kpi::EvalPassRate).current), {});
    setTile(Kpi::ThumbsDownRate, fmt::percent(kpi(Kpi::ThumbsDownRate).current), tr("of explicit feedback"));

    const TimeSeries& ts = o.series;
    volume_->setData(ts.firstBucketNs, ts.bucketNs, {{unit, QColor(0x1f, 0x77, 0xb4), ts.count}},
                     calls ? fmt::Unit::Count : fmt::Unit::Count, tr("%1 per %2").arg(unit, fmt::bucket(ts.bucketNs)));
    std::vector<TimeSeriesChart::Series> errorSeries;
    for (size_t c = 1; c < kErrorClassCount; ++c) {
        bool any = false;
        for (double v : ts.errorRate[c]) {
            any = any || v > 0;
        }
        if (any) {
            errorSeries.push_back({errorClassName(c), kErrorColors[c], ts.errorRate[c]});
        }
    }
    errors_->setData(ts.firstBucketNs, ts.bucketNs, std::move(errorSeries), fmt::Unit::Fraction, tr("error rate"));
    latency_->setData(ts.firstBucketNs, ts.bucketNs,
                      {{QStringLiteral("p50"), QColor(0x2c, 0xa0, 0x2c), ts.p50},
                       {QStringLiteral("p95"), QColor(0xff, 0x7f, 0x0e), ts.p95},
                       {QStringLiteral("p99"), QColor(0xd6, 0x27, 0x28), ts.p99}},
                      fmt::Unit::DurationMs, tr("latency"));
    cost_->setData(ts.firstBucketNs, ts.bucketNs, {{tr("cost"), QColor(0x94, 0x67, 0xbd), ts.costUsd}},
                   fmt::Unit::Usd, tr("cost per %1").arg(fmt::bucket(ts.bucketNs)));
    latencyHist_->setData(toChart(o.latencyMs), fmt::Unit::DurationMs, tr("Latency"));
    costHist_->setData(toChart(o.costUsd), fmt::Unit::Usd, tr("Cost"));

    const TokenSummary& tk = o.tokens;
    tokens_->setText(tr("Input <b>%1</b> · output <b>%2</b> · cached <b>%3</b> (%4 of input)<br>"
                        "Output per input token: <b>%5</b>")
                         .arg(fmt::tokens(static_cast<double>(tk.input)), fmt::tokens(static_cast<double>(tk.output)),
                              fmt::tokens(static_cast<double>(tk.cached)),
                              fmt::percent(tk.input ? static_cast<double>(tk.cached) / static_cast<double>(tk.input)
                                                    : kNaN),
                              std::isnan(tk.efficiency) ? QStringLiteral("–")
                                                        : QString::number(tk.efficiency, 'f', 2)));
    tokenChart_->setData(ts.firstBucketNs, ts.bucketNs,
                         {{tr("input"), QColor(0x1f, 0x77, 0xb4), ts.inputTokens},
                          {tr("output"), QColor(0xff, 0x7f, 0x0e), ts.outputTokens}},
                         fmt::Unit::Tokens, tr("tokens per %1").arg(fmt::bucket(ts.bucketNs)));
    topPrompts_->setRowCount(0);
    for (const auto& [label, tokens] : tk.topPrompts) {
        auto* count = new QStandardItem(fmt::tokens(static_cast<double>(tokens)));
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        topPrompts_->appendRow({new QStandardItem(QString::fromStdString(label)), count});
    }
    for (size_t i = 0; i < kBreakdowns && i < o.breakdowns.size(); ++i) {
        breakdownModels_[i]->setBreakdown(o.breakdowns[i], o.rows, result.grain);
    }
}

}  // namespace ps
