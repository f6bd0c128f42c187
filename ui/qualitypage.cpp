#include "qualitypage.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPointer>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QThreadPool>
#include <QVBoxLayout>

#include <map>

#include "evalsummarymodel.h"
#include "format.h"
#include "judgequeuemodel.h"
#include "outlierformat.h"
#include "scoredistributionchart.h"
#include "sharebarchart.h"
#include "signalsummarymodel.h"
#include "timeserieschart.h"

namespace ps {
namespace {

constexpr size_t kQueueRows = 2000;  // rows listed; the counts cover the whole queue

const QColor kPalette[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28), QColor(0x2c, 0xa0, 0x2c),
                           QColor(0xff, 0x7f, 0x0e), QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                           QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f)};

QString text(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

QLabel* sectionTitle(const QString& title, QWidget* parent) {
    return new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()), parent);
}

QTableView* makeTable(QAbstractItemModel* model, int sortRole, QWidget* parent) {
    auto* view = new QTableView(parent);
    if (sortRole >= 0) {
        auto* proxy = new QSortFilterProxyModel(parent);
        proxy->setSourceModel(model);
        proxy->setSortRole(sortRole);
        view->setModel(proxy);
        view->setSortingEnabled(true);
        view->sortByColumn(-1, Qt::AscendingOrder);
    } else {
        view->setModel(model);
    }
    view->verticalHeader()->hide();
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setWordWrap(false);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

}  // namespace

QualityPage::QualityPage(QWidget* parent) : QWidget(parent) {
    qRegisterMetaType<ps::RequestIndex>("ps::RequestIndex");  // the signal's spelling of the typedef
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(8, 6, 8, 6);
    auto* top = new QHBoxLayout;
    heading_ = new QLabel(tr("No data loaded."), this);
    heading_->setWordWrap(true);
    busy_ = new QLabel(tr("updating…"), this);
    busy_->setStyleSheet(QStringLiteral("color: #777;"));
    busy_->hide();
    top->addWidget(heading_, 1);
    top->addWidget(busy_);
    outer->addLayout(top);
    warning_ = new QLabel(this);
    warning_->setWordWrap(true);
    warning_->setTextFormat(Qt::RichText);
    warning_->setStyleSheet(QStringLiteral(
        "background: #fff3e0; border: 2px solid #e67e22; border-radius: 4px; padding: 6px; color: #5a2d00;"));
    warning_->hide();
    outer->addWidget(warning_);

    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* body = new QWidget(scroll);
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildEvalSection(body));
    layout->addWidget(buildSignalSection(body));
    auto* dims = new QWidget(body);
    auto* dimsLayout = new QVBoxLayout(dims);
    dimsLayout->setContentsMargins(0, 4, 0, 4);
    dimsLayout->addWidget(sectionTitle(tr("Judge dimensions: score distribution per prompt version"), dims));
    noDimensions_ = new QLabel(tr("No graded evals (judge scores on a scale) in the selection."), dims);
    noDimensions_->setStyleSheet(QStringLiteral("color: #777;"));
    dimensionRow_ = new QHBoxLayout;
    dimsLayout->addWidget(noDimensions_);
    dimsLayout->addLayout(dimensionRow_);
    layout->addWidget(dims);
    layout->addWidget(buildQueueSection(body));
    scroll->setWidget(body);
    outer->addWidget(scroll, 1);
}

QualityPage::~QualityPage() {
    if (cancel_) {
        cancel_->store(true);
    }
}

QWidget* QualityPage::buildEvalSection(QWidget* parent) {
    auto* box = new QWidget(parent);
    auto* grid = new QGridLayout(box);
    grid->setContentsMargins(0, 4, 0, 4);
    auto* controls = new QHBoxLayout;
    evalTitle_ = sectionTitle(tr("Eval results per prompt version"), box);
    controls->addWidget(evalTitle_);
    controls->addStretch(1);
    evalChooser_ = new QComboBox(box);
    evalChooser_->setToolTip(tr("The eval to show over time"));
    evalChooser_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    evalMetric_ = new QComboBox(box);
    evalMetric_->addItem(tr("Pass rate"));
    evalMetric_->addItem(tr("Mean score"));
    controls->addWidget(evalChooser_);
    controls->addWidget(evalMetric_);
    evalChart_ = new TimeSeriesChart(box);
    evalChart_->setMinimumHeight(260);
    evalSummary_ = new EvalSummaryModel(this);
    QTableView* table = makeTable(evalSummary_, EvalSummaryModel::SortRole, box);
    grid->addLayout(controls, 0, 0);
    grid->addWidget(evalChart_, 1, 0);
    grid->addWidget(sectionTitle(tr("Eval totals per prompt version"), box), 0, 1);
    grid->addWidget(table, 1, 1);
    table->setFixedWidth(590);  // its columns' width: the chart takes the rest
    grid->setColumnStretch(0, 1);
    connect(evalChooser_, &QComboBox::currentIndexChanged, this, &QualityPage::showEvalSeries);
    connect(evalMetric_, &QComboBox::currentIndexChanged, this, &QualityPage::showEvalSeries);
    return box;
}

QWidget* QualityPage::buildSignalSection(QWidget* parent) {
    auto* box = new QWidget(parent);
    auto* grid = new QGridLayout(box);
    grid->setContentsMargins(0, 4, 0, 4);
    signalChart_ = new ShareBarChart(box);
    signalChart_->setMinimumHeight(260);
    signals_ = new SignalSummaryModel(this);
    QTableView* table = makeTable(signals_, -1, box);
    table->verticalHeader()->show();
    table->setSelectionBehavior(QAbstractItemView::SelectItems);
    table->setMinimumHeight(table->verticalHeader()->defaultSectionSize() * (SignalSummaryModel::MeasureCount + 1) + 8);
    grid->addWidget(sectionTitle(tr("User signals per feature: explicit feedback and what users did"), box), 0, 0, 1,
                    2);
    grid->addWidget(signalChart_, 1, 0);
    grid->addWidget(table, 1, 1);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    return box;
}

QWidget* QualityPage::buildQueueSection(QWidget* parent) {
    auto* box = new QWidget(parent);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 4, 0, 4);
    auto* controls = new QHBoxLayout;
    controls->addWidget(sectionTitle(tr("Sample and judge"), box));
    rate_ = new QDoubleSpinBox(box);
    rate_->setRange(0, 100);
    rate_->setDecimals(1);
    rate_->setSingleStep(1);
    rate_->setValue(5);
    rate_->setPrefix(tr("sample "));
    rate_->setSuffix(tr(" % of the rest"));
    rate_->setToolTip(tr("Share of unflagged requests sent to judging, chosen by a hash of the trace id: the same "
                         "requests every time, and a higher rate only adds requests"));
    queueSummary_ = new QLabel(box);
    queueSummary_->setWordWrap(true);
    controls->addWidget(rate_);
    controls->addWidget(queueSummary_, 1);
    queue_ = new JudgeQueueModel(this);
    queueView_ = makeTable(queue_, -1, box);
    queueView_->setMinimumHeight(240);
    queueView_->setToolTip(tr("Double-click a row or press Enter to open its trace"));
    layout->addLayout(controls);
    layout->addWidget(queueView_, 1);
    connect(rate_, &QDoubleSpinBox::valueChanged, this, [this] { recompute(true); });
    connect(queueView_, &QTableView::activated, this, [this](const QModelIndex& index) {
        const QVariant r = index.data(JudgeQueueModel::RequestRole);
        if (r.isValid()) {
            Q_EMIT traceRequested(RequestIndex(r.toUInt()));
        }
    });
    return box;
}

double QualityPage::samplingRate() const {
    return rate_->value() / 100.0;
}

void QualityPage::setSamplingRate(double fraction) {
    rate_->setValue(fraction * 100.0);
}

void QualityPage::setInput(DatasetPtr dataset, std::shared_ptr<const FacetIndex> index, AnalysisResultPtr result) {
    dataset_ = std::move(dataset);
    index_ = std::move(index);
    input_ = std::move(result);
    stale_ = true;
    if (isVisible()) {
        recompute(false);
    }
}

void QualityPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (stale_) {
        recompute(false);
    }
}

void QualityPage::setBusy(bool busy) {
    busy_->setVisible(busy);
}

void QualityPage::recompute(bool queueOnly) {
    if (!dataset_ || !input_ || !index_) {
        return;
    }
    // A full job computes the queue too, at the rate of its start: it supersedes older full and queue jobs.
    const quint64 fullJob = queueOnly ? 0 : ++fullJob_;
    const quint64 queueJob = ++queueJob_;
    if (!queueOnly) {
        stale_ = false;
        if (cancel_) {
            cancel_->store(true);  // the older full job stops at its next check
        }
        cancel_ = std::make_shared<std::atomic<bool>>(false);
    }
    if (pending_++ == 0) {
        setBusy(true);
    }
    const double rate = samplingRate();
    QPointer<QualityPage> self(this);
    auto cancel = queueOnly ? std::make_shared<std::atomic<bool>>(false) : cancel_;
    QThreadPool::globalInstance()->start(
        [self, fullJob, queueJob, rate, cancel, data = dataset_, index = index_, input = input_] {
            QElapsedTimer clock;
            clock.start();
            auto result = std::make_shared<Result>();
            if (fullJob != 0) {
                result->quality = computeQuality(*data, *index, input->selection, cancel.get());
            }
            result->queue = buildJudgeQueue(*data, input->selection, rate, kQueueRows);
            result->computeMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
            const bool done = !cancel->load() && !result->quality.cancelled;
            QMetaObject::invokeMethod(
                self,
                [self, fullJob, queueJob, done, result = std::shared_ptr<const Result>(std::move(result))] {
                    if (!self) {
                        return;
                    }
                    if (--self->pending_ == 0) {
                        self->setBusy(false);
                    }
                    if (!done) {
                        return;
                    }
                    const bool showQuality = fullJob != 0 && fullJob == self->fullJob_;
                    const bool showQueue = queueJob == self->queueJob_;
                    if (showQuality || showQueue) {
                        self->showResult(*result, showQuality, showQueue);
                    }
                },
                Qt::QueuedConnection);
        });
}

void QualityPage::showResult(const Result& result, bool quality, bool queue) {
    if (quality) {
        quality_ = result.quality;
        heading_->setText(tr("<b>Quality of %1 requests</b> · evals by the request's prompt version and start · "
                             "computed in %2")
                              .arg(QLocale().toString(static_cast<qulonglong>(quality_.requests)),
                                   fmt::duration(result.computeMs)));
        const QString chosen = evalChooser_->currentText();
        {
            const QSignalBlocker block(evalChooser_);
            evalChooser_->clear();
            for (const EvalScale& s : quality_.scales) {
                evalChooser_->addItem(text(dataset_->str(s.eval)));
            }
            // Keep the user's choice; at first, the eval with the most failures, where a story is likeliest.
            int pick = evalChooser_->findText(chosen);
            if (pick < 0) {
                std::map<uint32_t, uint64_t> failures;
                for (const EvalVersionStats& e : quality_.evals) {
                    failures[e.eval.value] += e.failed;
                }
                uint64_t most = 0;
                for (int i = 0; i < static_cast<int>(quality_.scales.size()); ++i) {
                    const uint64_t n = failures[quality_.scales[static_cast<size_t>(i)].eval.value];
                    if (pick < 0 || n > most) {
                        pick = i;
                        most = n;
                    }
                }
            }
            evalChooser_->setCurrentIndex(pick);
        }
        evalSummary_->setEvals(dataset_, quality_.evals);
        showEvalSeries();
        showDimensions();
        showSignals();
    }
    if (queue) {
        showQueue(result.queue);
    }
    Q_EMIT resultShown();
}

void QualityPage::showEvalSeries() {
    const std::string name = evalChooser_->currentText().toStdString();
    const bool passRate = evalMetric_->currentIndex() == 0;
    std::vector<TimeSeriesChart::Series> series;
    for (const EvalVersionStats& e : quality_.evals) {
        if (dataset_->str(e.eval) != name) {
            continue;
        }
        const std::string label = promptVersionLabel(*dataset_, e.prompt, e.version);
        series.push_back({label.empty() ? tr("(no version)") : QString::fromStdString(label),
                          kPalette[series.size() % std::size(kPalette)],
                          passRate ? e.passRate : e.meanScoreOverTime});
    }
    evalChart_->setData(quality_.firstBucketNs, quality_.bucketNs, std::move(series),
                        passRate ? fmt::Unit::Fraction : fmt::Unit::Score,
                        passRate ? tr("pass rate") : tr("mean score"));
    evalTitle_->setText(tr("<b>Eval results per prompt version</b>, per %1 (UTC)").arg(fmt::bucket(quality_.bucketNs)));
}

void QualityPage::showDimensions() {
    size_t used = 0;
    for (const EvalScale& scale : quality_.scales) {
        if (!scale.graded) {
            continue;
        }
        if (used == dimensionCharts_.size()) {
            auto* chart = new ScoreDistributionChart(dimensionRow_->parentWidget());
            chart->setMinimumHeight(240);
            dimensionRow_->addWidget(chart);
            dimensionCharts_.push_back(chart);
        }
        QStringList bins;
        for (size_t b = 0; b < scale.bins; ++b) {
            const double lo = scale.lo + static_cast<double>(b) * scale.width;
            bins << (scale.width == 1 ? QString::number(lo) : QStringLiteral("%1–%2").arg(lo).arg(lo + scale.width));
        }
        std::vector<ScoreDistributionChart::Bar> bars;
        for (const EvalVersionStats& e : quality_.evals) {
            if (e.eval == scale.eval && !e.scoreBins.empty()) {
                const std::string label = promptVersionLabel(*dataset_, e.prompt, e.version);
                bars.push_back({label.empty() ? tr("(no version)") : QString::fromStdString(label), e.meanScore,
                                e.scoreBins});
            }
        }
        ScoreDistributionChart* chart = dimensionCharts_[used++];
        chart->setData(text(dataset_->str(scale.eval)), bins, bars);
        chart->show();
    }
    for (size_t i = used; i < dimensionCharts_.size(); ++i) {
        dimensionCharts_[i]->hide();
    }
    noDimensions_->setVisible(used == 0);
}

void QualityPage::showSignals() {
    signals_->setSignals(dataset_, quality_.features, quality_.total);
    QStringList categories;
    std::vector<double> positive, abandoned, coverage;
    QStringList warnings;
    for (const FeatureSignals& f : quality_.features) {
        const QString name = f.feature.isEmpty() ? tr("(no feature)") : text(dataset_->str(f.feature));
        categories << name;
        positive.push_back(f.positiveShare());
        abandoned.push_back(f.abandonment());
        coverage.push_back(f.coverage());
        if (f.survivorshipBias()) {
            warnings << tr("<b>⚠ Survivorship bias in %1:</b> %2 of its explicit feedback is positive, yet %3 of "
                           "its sessions are abandoned. Only %4 of requests get explicit feedback, and users who "
                           "leave do not vote: judge this feature by abandonment and evals, not by thumbs.")
                            .arg(name.toHtmlEscaped(), fmt::percent(f.positiveShare()),
                                 fmt::percent(f.abandonment()), fmt::percent(f.coverage()));
        }
    }
    warning_->setText(warnings.join(QStringLiteral("<br>")));
    warning_->setVisible(!warnings.isEmpty());
    signalChart_->setData(categories,
                          {{tr("explicit positive"), QColor(0x2c, 0xa0, 0x2c), positive},
                           {tr("sessions abandoned"), QColor(0xd6, 0x27, 0x28), abandoned},
                           {tr("feedback coverage"), QColor(0x1f, 0x77, 0xb4), coverage}},
                          {{tr("80%"), QColor(0x2c, 0xa0, 0x2c), kBiasPositive},
                           {tr("30%"), QColor(0xd6, 0x27, 0x28), kBiasAbandonment}},
                          tr("share (%)"));
}

void QualityPage::showQueue(JudgeQueue queue) {
    const QLocale locale;
    const uint64_t total = queue.flagged + queue.sampled;
    queueSummary_->setText(
        tr("<b>%1 to judge</b> of %2 requests: %3 flagged (a failed eval or a thumbs-down) always go, first; "
           "%4 more sampled by trace-id hash.%5")
            .arg(locale.toString(static_cast<qulonglong>(total)),
                 locale.toString(static_cast<qulonglong>(queue.requests)),
                 locale.toString(static_cast<qulonglong>(queue.flagged)),
                 locale.toString(static_cast<qulonglong>(queue.sampled)),
                 total > queue.rows.size() ? tr(" The first %1 are listed.").arg(queue.rows.size()) : QString()));
    queue_->setQueue(dataset_, std::move(queue));
}

}  // namespace ps
