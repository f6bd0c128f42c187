#include "versionspage.h"

#include <QComboBox>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QHeaderView>
#include <QScrollBar>
#include <QLabel>
#include <QPushButton>
#include <QLocale>
#include <QMenu>
#include <QScrollArea>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

#include "comparisonchooser.h"
#include "deploymentmarkers.h"
#include "distributionoverlaychart.h"
#include "format.h"
#include "inputpairsdialog.h"
#include "releaserulespanel.h"
#include "timeserieschart.h"
#include "versioncomparisonmodel.h"
#include "versionlabel.h"

namespace ps {
namespace {

using AnalysisPtr = std::shared_ptr<const VersionsAnalysis>;

QWidget* titled(const QString& title, QWidget* content, QWidget* parent, QWidget* extra = nullptr) {
    auto* box = new QWidget(parent);
    auto* l = new QVBoxLayout(box);
    l->setContentsMargins(0, 6, 0, 2);
    auto* head = new QHBoxLayout;
    head->addWidget(new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()), box));
    head->addStretch(1);
    if (extra) {
        head->addWidget(extra);
    }
    l->addLayout(head);
    l->addWidget(content, 1);
    return box;
}

struct TimelineChoice {
    TimelineMetric metric;
    const char* label;
    fmt::Unit unit;
};
constexpr TimelineChoice kTimelineChoices[] = {
    {TimelineMetric::FailureRate, QT_TRANSLATE_NOOP("VersionsPage", "Failure rate (errors or failed evals)"),
     fmt::Unit::Fraction},
    {TimelineMetric::ErrorRate, QT_TRANSLATE_NOOP("VersionsPage", "Error rate"), fmt::Unit::Fraction},
    {TimelineMetric::LatencyP50, QT_TRANSLATE_NOOP("VersionsPage", "p50 latency"), fmt::Unit::DurationMs},
    {TimelineMetric::LatencyP95, QT_TRANSLATE_NOOP("VersionsPage", "p95 latency"), fmt::Unit::DurationMs},
    {TimelineMetric::CostMean, QT_TRANSLATE_NOOP("VersionsPage", "Mean cost per request"), fmt::Unit::Usd},
    {TimelineMetric::EvalPassRate, QT_TRANSLATE_NOOP("VersionsPage", "Eval pass rate"), fmt::Unit::Fraction},
};

}  // namespace

VersionsPage::VersionsPage(QWidget* parent) : QWidget(parent) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* top = new QHBoxLayout;
    top->setContentsMargins(8, 6, 8, 0);
    chooser_ = new ComparisonChooser(this);
    busy_ = new QLabel(tr("updating…"), this);
    busy_->setStyleSheet(QStringLiteral("color: #777;"));
    busy_->hide();
    chooser_->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    top->addWidget(chooser_, 1);
    top->addWidget(busy_);
    outer->addLayout(top);

    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* body = new QWidget(scroll);
    auto* layout = new QVBoxLayout(body);

    auto* summaryRow = new QHBoxLayout;
    summary_ = new QLabel(tr("No data loaded."), body);
    summary_->setWordWrap(true);
    candidate_ = new QComboBox(body);
    candidate_->setToolTip(tr("More than two sides: which one the table compares with the baseline"));
    auto* pairs = new QPushButton(tr("Same-Input Pairs\u2026"), body);
    pairs->setToolTip(tr("Requests of both sides that got the same user input, to compare their traces"));
    connect(pairs, &QPushButton::clicked, this, &VersionsPage::showSameInputPairs);
    summaryRow->addWidget(summary_, 1);
    summaryRow->addWidget(candidate_);
    summaryRow->addWidget(pairs);
    layout->addLayout(summaryRow);

    auto* rulesRow = new QHBoxLayout;
    rules_ = new ReleaseRulesPanel(body);
    rulesRow->addWidget(rules_, 3);
    auto* legend = new QLabel(body);
    legend->setWordWrap(true);
    legend->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    QString legendText = tr("<b>Verdicts</b> ");
    for (Verdict v : {Verdict::Better, Verdict::Worse, Verdict::Higher, Verdict::NoDifference,
                      Verdict::NotEnoughData}) {
        QString word = v == Verdict::Higher ? tr("higher / lower (no better direction)")
                                            : VersionComparisonModel::verdictLabel(v);
        word.replace(QLatin1Char(' '), QStringLiteral("&nbsp;"));
        legendText += QStringLiteral("<span style='color:%1'>■&nbsp;%2</span> &nbsp; ")
                          .arg(VersionComparisonModel::verdictColor(v).name(), word);
    }
    legendText += tr("<br><span style='color:#555'>A metric differs when its p-value, adjusted for the number of "
                     "metrics compared (Benjamini–Hochberg), is below 5%. Intervals are 95%. Double-click a value to "
                     "see the requests behind it; right-click for single traces.</span>");
    legend->setText(legendText);
    rulesRow->addWidget(legend, 2);
    layout->addLayout(rulesRow);

    model_ = new VersionComparisonModel(this);
    table_ = new QTableView(body);
    table_->setModel(model_);
    table_->verticalHeader()->hide();
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setAlternatingRowColors(true);
    table_->setWordWrap(false);
    table_->setContextMenuPolicy(Qt::CustomContextMenu);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(VersionComparisonModel::Metric, QHeaderView::Stretch);
    table_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    table_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    layout->addWidget(table_);

    auto* charts = new QGridLayout;
    latencyHist_ = new DistributionOverlayChart(DistributionOverlayChart::Mode::Histogram, body);
    latencyEcdf_ = new DistributionOverlayChart(DistributionOverlayChart::Mode::Ecdf, body);
    costHist_ = new DistributionOverlayChart(DistributionOverlayChart::Mode::Histogram, body);
    costEcdf_ = new DistributionOverlayChart(DistributionOverlayChart::Mode::Ecdf, body);
    for (QWidget* w : std::initializer_list<QWidget*>{latencyHist_, latencyEcdf_, costHist_, costEcdf_}) {
        w->setMinimumHeight(260);
    }
    charts->addWidget(titled(tr("Latency distribution (normalised per version)"), latencyHist_, body), 0, 0);
    charts->addWidget(titled(tr("Latency ECDF"), latencyEcdf_, body), 0, 1);
    charts->addWidget(titled(tr("Cost per request distribution (normalised per version)"), costHist_, body), 1, 0);
    charts->addWidget(titled(tr("Cost per request ECDF"), costEcdf_, body), 1, 1);
    layout->addLayout(charts);

    auto* timeline = new QGridLayout;
    share_ = new TimeSeriesChart(body);
    metricChart_ = new TimeSeriesChart(body);
    share_->setMinimumHeight(260);
    metricChart_->setMinimumHeight(260);
    shareMarks_ = new DeploymentMarkers(share_);
    metricMarks_ = new DeploymentMarkers(metricChart_);
    timelineMetric_ = new QComboBox(body);
    for (const TimelineChoice& c : kTimelineChoices) {
        timelineMetric_->addItem(tr(c.label));
    }
    timeline->addWidget(titled(tr("Release timeline: traffic share per version (dashed: deployments)"), share_, body),
                        0, 0);
    timeline->addWidget(titled(tr("Per version over time:"), metricChart_, body, timelineMetric_), 0, 1);
    layout->addLayout(timeline);
    layout->addStretch(1);
    scroll->setWidget(body);
    outer->addWidget(scroll, 1);

    connect(chooser_, &ComparisonChooser::specChanged, this, &VersionsPage::recompute);
    connect(candidate_, &QComboBox::currentIndexChanged, this, &VersionsPage::showComparison);
    connect(rules_, &ReleaseRulesPanel::settingsChanged, this, &VersionsPage::showComparison);
    connect(timelineMetric_, &QComboBox::currentIndexChanged, this, &VersionsPage::showTimelineMetric);
    connect(table_, &QTableView::doubleClicked, this,
            [this](const QModelIndex& index) { drillDown(index.row(), index.column()); });
    connect(table_, &QTableView::customContextMenuRequested, this, &VersionsPage::showMenu);
    for (TimeSeriesChart* chart : {share_, metricChart_}) {
        connect(chart, &TimeSeriesChart::rangeSelected, this, &VersionsPage::timeRangeSelected);
    }
    candidate_->hide();
}

VersionsPage::~VersionsPage() {
    if (cancel_) {
        cancel_->store(true);
    }
}

void VersionsPage::setData(DatasetPtr dataset, std::shared_ptr<const FacetIndex> index, const Filter& base) {
    const bool newData = dataset != dataset_;
    if (!newData && base == base_ && (result_ || running_ > 0 || dirty_)) {
        index_ = std::move(index);
        return;  // the same requests (a grain change on the overview, say): nothing to recompute
    }
    dataset_ = std::move(dataset);
    index_ = std::move(index);
    base_ = base;
    if (newData) {
        result_.reset();
        chooser_->setDataset(dataset_);
    }
    recompute();
}

void VersionsPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (dirty_) {
        recompute();
    }
}

void VersionsPage::recompute() {
    if (!dataset_) {
        return;
    }
    if (!isVisible()) {
        dirty_ = true;  // nobody is looking: compute when the page is shown
        return;
    }
    dirty_ = false;
    const ComparisonSpec spec = chooser_->spec();
    if (spec.values.size() < 2) {
        summary_->setText(tr("Nothing to compare: this data has no prompt with two versions. Choose environments or "
                             "models above."));
        model_->clear();
        rules_->showNothing(tr("No comparison."));
        return;
    }
    if (cancel_) {
        cancel_->store(true);  // the older job stops at its next check
    }
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    const quint64 job = ++job_;
    ++running_;
    busy_->show();
    auto* watcher = new QFutureWatcher<AnalysisPtr>(this);
    connect(watcher, &QFutureWatcher<AnalysisPtr>::finished, this, [this, watcher, job] {
        watcher->deleteLater();
        if (--running_ == 0) {
            busy_->hide();
        }
        AnalysisPtr r = watcher->result();
        if (job == job_ && r && !r->cancelled) {
            showResult(std::move(r));
        }
    });
    watcher->setFuture(QtConcurrent::run([data = dataset_, index = index_, spec, base = base_, cancel = cancel_] {
        std::shared_ptr<const FacetIndex> facets = index;
        if (!facets) {
            facets = std::make_shared<const FacetIndex>(buildFacetIndex(*data));
        }
        return AnalysisPtr(std::make_shared<VersionsAnalysis>(
            analyseVersions(*data, *facets, spec, base, ComparisonOptions{}, cancel.get())));
    }));
}

size_t VersionsPage::candidateSide() const {
    return static_cast<size_t>(std::max(0, candidate_->currentIndex())) + 1;
}

const VersionComparison* VersionsPage::shownComparison() const {
    if (!result_ || result_->comparisons.empty()) {
        return nullptr;
    }
    return &result_->comparisons[std::min(candidateSide() - 1, result_->comparisons.size() - 1)];
}

void VersionsPage::showResult(std::shared_ptr<const VersionsAnalysis> result) {
    result_ = std::move(result);
    const VersionsAnalysis& r = *result_;
    {
        const QSignalBlocker block(candidate_);
        candidate_->clear();
        for (size_t k = 1; k < r.sides.size(); ++k) {
            candidate_->addItem(tr("%1 against %2").arg(QString::fromStdString(r.sides[k].label),
                                                        QString::fromStdString(r.sides[0].label)));
        }
        candidate_->setVisible(r.sides.size() > 2);
    }
    const QLocale locale;
    QStringList sides;
    for (size_t k = 0; k < r.sides.size(); ++k) {
        const ComparisonSide& s = r.sides[k];
        sides << tr("<span style='color:%1'>■</span> <b>%2</b>%3: %4 requests")
                     .arg(DistributionOverlayChart::groupColor(k).name(), QString::fromStdString(s.label).toHtmlEscaped(),
                          k == 0 ? tr(" (baseline)") : QString(),
                          locale.toString(static_cast<qulonglong>(s.size())));
    }
    const QString scope = r.spec.prompt.empty() ? QString() : QStringLiteral("<b>%1</b> · ").arg(QString::fromStdString(r.spec.prompt).toHtmlEscaped());
    QString text = scope;
    if (r.spec.by == CompareBy::Deployment) {
        text += tr("deployed %1 UTC · ").arg(fmt::dateTime(r.spec.splitNs));
    }
    text += sides.join(QStringLiteral(" · "));
    if (!r.base.isEmpty()) {
        text += tr(" · <i>within the sidebar's filters</i>");
    }
    summary_->setText(text);

    latencyHist_->setData(r.latency, fmt::Unit::DurationMs, tr("Latency"));
    latencyEcdf_->setData(r.latency, fmt::Unit::DurationMs, tr("Latency"));
    costHist_->setData(r.cost, fmt::Unit::Usd, tr("Cost per request"));
    costEcdf_->setData(r.cost, fmt::Unit::Usd, tr("Cost per request"));
    showComparison();
    showTimelineMetric();
    Q_EMIT resultShown();
}

void VersionsPage::showComparison() {
    const VersionComparison* c = shownComparison();
    if (!c) {
        model_->clear();
        rules_->showNothing(tr("No comparison."));
        return;
    }
    model_->setComparison(*c);
    rules_->showResults(checkReleaseRules(*c, rules_->settings()));
    table_->resizeRowsToContents();
    // Every row on screen, the page scrolls instead; room for a horizontal scroll bar on narrow windows.
    int height = table_->horizontalHeader()->height() + 2 * table_->frameWidth() +
                 table_->horizontalScrollBar()->sizeHint().height();
    for (int row = 0; row < model_->rowCount(); ++row) {
        height += table_->rowHeight(row);
    }
    table_->setFixedHeight(height);
}

void VersionsPage::showTimelineMetric() {
    if (!result_) {
        return;
    }
    const ReleaseTimeline& t = result_->timeline;
    // A version keeps its side's colour when it is compared; the others get the colours after the sides'.
    auto colourOf = [this, &t](const std::string& label) {
        for (size_t k = 0; k < result_->sides.size(); ++k) {
            if (result_->sides[k].label == label) {
                return DistributionOverlayChart::groupColor(k);
            }
        }
        const auto at = std::find(t.groups.begin(), t.groups.end(), label);
        return at == t.groups.end()
                   ? QColor(0x88, 0x88, 0x88)
                   : DistributionOverlayChart::groupColor(result_->sides.size() + static_cast<size_t>(at - t.groups.begin()));
    };
    std::vector<TimeSeriesChart::Series> shares;
    std::vector<TimeSeriesChart::Series> values;
    const TimelineChoice& choice = kTimelineChoices[std::max(0, timelineMetric_->currentIndex())];
    for (size_t g = 0; g < t.groups.size(); ++g) {
        const QString name = QString::fromStdString(t.groups[g]);
        shares.push_back({name, colourOf(t.groups[g]), t.share[g]});
        values.push_back({name, colourOf(t.groups[g]), t.values[static_cast<size_t>(choice.metric)][g]});
    }
    share_->setData(t.firstBucketNs, t.bucketNs, std::move(shares), fmt::Unit::Fraction, tr("share of requests"));
    metricChart_->setData(t.firstBucketNs, t.bucketNs, std::move(values), choice.unit, tr(choice.label));
    const int64_t span = static_cast<int64_t>(t.buckets) * t.bucketNs;
    auto versionColour = [&](const std::string& version) { return colourOf(versionLabel(version)); };
    shareMarks_->setMarks(t.firstBucketNs, span, t.deployments, versionColour);
    metricMarks_->setMarks(t.firstBucketNs, span, t.deployments, versionColour);
}

void VersionsPage::drillDown(int row, int column) {
    const MetricComparison* m = model_->metricAt(row);
    if (!m || !result_ || !dataset_) {
        return;
    }
    const bool sideB = column != VersionComparisonModel::ValueA;
    const size_t side = sideB ? candidateSide() : 0;
    if (side >= result_->arms.size()) {
        return;
    }
    Filter f = result_->arms[side].filter;
    const double value = sideB ? m->b : m->a;
    switch (m->event) {
    case MetricEvent::Error: f.status = StatusFilter::Error; break;
    case MetricEvent::Refusal: f.refusalsOnly = true; break;
    case MetricEvent::None:
        if (!std::isnan(m->percentile) && std::isfinite(value) && m->unit == MetricUnit::DurationMs) {
            f.minLatencyMs = value;
        } else if (!std::isnan(m->percentile) && std::isfinite(value) && m->unit == MetricUnit::Usd) {
            f.minCostUsd = value;
        }
        break;
    default: {
        // Failed evals and user signals are not something a Filter can say: hand over the requests themselves.
        const std::vector<uint32_t> rows = requestsBehind(*dataset_, result_->sides[side], *m, sideB);
        Q_EMIT requestsRequested(tr("%1: %2").arg(QString::fromStdString(result_->sides[side].label),
                                                  QString::fromStdString(m->label)),
                                 rows);
        return;
    }
    }
    Q_EMIT filterRequested(f);
}

void VersionsPage::showMenu(const QPoint& pos) {
    const QModelIndex index = table_->indexAt(pos);
    const MetricComparison* m = model_->metricAt(index.row());
    if (!m || !result_ || !dataset_) {
        return;
    }
    QMenu menu(this);
    const size_t b = candidateSide();
    for (const auto& [side, column] : {std::pair<size_t, int>{0, VersionComparisonModel::ValueA},
                                       std::pair<size_t, int>{b, VersionComparisonModel::ValueB}}) {
        if (side >= result_->sides.size()) {
            continue;
        }
        const ComparisonSide& s = result_->sides[side];
        const QString label = QString::fromStdString(s.label);
        menu.addAction(tr("Show the %1 requests behind this value").arg(label), this,
                       [this, row = index.row(), column] { drillDown(row, column); });
        const std::vector<uint32_t> rows = requestsBehind(*dataset_, s, *m, side != 0);
        if (rows.empty()) {
            continue;
        }
        uint32_t pick = rows.front();
        QString what = tr("Open a %1 request counted here").arg(label);
        if (m->unit == MetricUnit::DurationMs) {
            pick = *std::max_element(rows.begin(), rows.end(), [this](uint32_t x, uint32_t y) {
                return dataset_->requests.durationNs[x] < dataset_->requests.durationNs[y];
            });
            what = tr("Open the slowest %1 request").arg(label);
        } else if (m->unit == MetricUnit::Usd) {
            pick = *std::max_element(rows.begin(), rows.end(), [this](uint32_t x, uint32_t y) {
                return dataset_->requests.costUsd[x] < dataset_->requests.costUsd[y];
            });
            what = tr("Open the most expensive %1 request").arg(label);
        }
        menu.addAction(what, this, [this, pick] { Q_EMIT traceRequested(RequestIndex{pick}); });
    }
    menu.exec(table_->viewport()->mapToGlobal(pos));
}

InputPairsDialog* VersionsPage::showSameInputPairs() {
    const size_t b = candidateSide();
    if (!result_ || !dataset_ || b >= result_->sides.size() || result_->sides.empty()) {
        return nullptr;
    }
    const ComparisonSide& a = result_->sides[0];
    const ComparisonSide& c = result_->sides[b];
    auto* dialog = new InputPairsDialog(dataset_, QString::fromStdString(a.label), a.requests,
                                        QString::fromStdString(c.label), c.requests, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &InputPairsDialog::pairRequested, this, &VersionsPage::pairRequested);
    dialog->show();
    return dialog;
}

}  // namespace ps
