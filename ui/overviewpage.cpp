#include "overviewpage.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPointer>
#include <QTableWidget>
#include <QThreadPool>

#include <cmath>

#include "groupsummary.h"
#include "kpitile.h"

namespace ps {
namespace {

QString formatMs(double ms) {
    if (std::isnan(ms)) {
        return QStringLiteral("–");
    }
    if (ms >= 10000) {
        return QStringLiteral("%1 s").arg(ms / 1000.0, 0, 'f', 1);
    }
    if (ms >= 1000) {
        return QStringLiteral("%1 s").arg(ms / 1000.0, 0, 'f', 2);
    }
    return QStringLiteral("%1 ms").arg(ms, 0, 'f', ms < 10 ? 2 : 0);
}

QString formatUsd(double usd) {
    if (std::isnan(usd)) {
        return QStringLiteral("–");
    }
    return QStringLiteral("$") + QLocale().toString(usd, 'f', usd < 10 ? 4 : 2);
}

QString formatPercent(double fraction) {
    if (std::isnan(fraction)) {
        return QStringLiteral("–");
    }
    return QStringLiteral("%1%").arg(fraction * 100.0, 0, 'f', fraction < 0.1 ? 2 : 1);
}

// Table items that sort by their numeric value, not their text.
class NumericItem : public QTableWidgetItem {
public:
    using QTableWidgetItem::QTableWidgetItem;
    bool operator<(const QTableWidgetItem& other) const override {
        return data(Qt::UserRole).toDouble() < other.data(Qt::UserRole).toDouble();
    }
};

}  // namespace

OverviewPage::OverviewPage(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    heading_ = new QLabel(this);
    heading_->setWordWrap(true);
    layout->addWidget(heading_);

    auto* tiles = new QHBoxLayout;
    requests_ = new KpiTile(tr("Requests"), this);
    errors_ = new KpiTile(tr("Error rate"), this);
    latency_ = new KpiTile(tr("Latency p95"), this);
    cost_ = new KpiTile(tr("Cost"), this);
    evals_ = new KpiTile(tr("Eval pass rate"), this);
    for (KpiTile* t : {requests_, errors_, latency_, cost_, evals_}) {
        tiles->addWidget(t);
    }
    layout->addLayout(tiles);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Group by"), this));
    groupBy_ = new QComboBox(this);
    const std::pair<QString, GroupField> fields[] = {
        {tr("Prompt version"), GroupField::PromptVersion}, {tr("Prompt"), GroupField::Prompt},
        {tr("Model"), GroupField::Model},                  {tr("Feature"), GroupField::Feature},
        {tr("Environment"), GroupField::Environment},      {tr("Tenant"), GroupField::Tenant},
        {tr("Provider"), GroupField::Provider},            {tr("User"), GroupField::User}};
    for (const auto& [label, field] : fields) {
        groupBy_->addItem(label, static_cast<int>(field));
    }
    controls->addWidget(groupBy_);
    controls->addSpacing(16);
    controls->addWidget(new QLabel(tr("Grain"), this));
    grain_ = new QComboBox(this);
    grain_->addItem(tr("Requests (traces)"), static_cast<int>(Grain::Request));
    grain_->addItem(tr("Generations (LLM calls)"), static_cast<int>(Grain::Generation));
    controls->addWidget(grain_);
    controls->addStretch();
    layout->addLayout(controls);

    table_ = new QTableWidget(this);
    table_->setColumnCount(11);
    table_->setHorizontalHeaderLabels({tr("Group"), tr("Count"), tr("Errors"), tr("Error rate"), tr("p50"),
                                       tr("p95"), tr("p99"), tr("Input tokens"), tr("Output tokens"), tr("Cost"),
                                       tr("Eval pass")});
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSortingEnabled(true);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(table_, 1);

    connect(groupBy_, &QComboBox::currentIndexChanged, this, &OverviewPage::recompute);
    connect(grain_, &QComboBox::currentIndexChanged, this, &OverviewPage::recompute);
}

void OverviewPage::setDataset(DatasetPtr dataset) {
    dataset_ = std::move(dataset);
    recompute();
}

void OverviewPage::recompute() {
    if (!dataset_) {
        return;
    }
    const quint64 job = ++jobId_;
    const auto field = static_cast<GroupField>(groupBy_->currentData().toInt());
    const auto grain = static_cast<Grain>(grain_->currentData().toInt());
    QPointer<OverviewPage> self(this);
    DatasetPtr data = dataset_;
    QThreadPool::globalInstance()->start([self, job, field, grain, data] {
        auto report = std::make_shared<Report>(buildReport(*data, field, grain));
        QMetaObject::invokeMethod(self, [self, job, report] {
            if (self && self->jobId_ == job) {
                self->showReport(*report);
            }
        }, Qt::QueuedConnection);
    });
}

void OverviewPage::showReport(const Report& report) {
    const GroupSummary& t = report.total;
    const QLocale locale;
    const bool requests = report.grain == Grain::Request;
    heading_->setText(requests ? tr("<b>All requests</b> — one request is one trace; latency is its root span.")
                               : tr("<b>All LLM calls</b> — one row per model call span."));
    requests_->setValue(locale.toString(static_cast<qulonglong>(t.count)),
                        requests ? tr("traces") : tr("model calls"));
    errors_->setValue(formatPercent(t.errorRate), tr("%1 errors, %2 refusals")
                                                      .arg(locale.toString(static_cast<qulonglong>(t.errors)),
                                                           locale.toString(static_cast<qulonglong>(t.refusals))));
    latency_->setValue(formatMs(t.latencyMs.p95),
                       tr("p50 %1 · p99 %2").arg(formatMs(t.latencyMs.p50), formatMs(t.latencyMs.p99)));
    cost_->setValue(formatUsd(t.costUsd),
                    t.count ? tr("%1 per request").arg(formatUsd(t.costUsd / static_cast<double>(t.count))) : QString());
    evals_->setValue(t.evalPassRate ? formatPercent(*t.evalPassRate) : QStringLiteral("–"),
                     tr("%1 passed, %2 failed")
                         .arg(locale.toString(static_cast<qulonglong>(t.evalPass)),
                              locale.toString(static_cast<qulonglong>(t.evalFail))));

    table_->setSortingEnabled(false);
    table_->setRowCount(static_cast<int>(report.groups.size()));
    int row = 0;
    for (const GroupSummary& g : report.groups) {
        auto set = [&](int column, double value, const QString& text) {
            auto* item = new NumericItem(text);
            item->setData(Qt::UserRole, value);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            table_->setItem(row, column, item);
        };
        table_->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(g.key)));
        set(1, static_cast<double>(g.count), locale.toString(static_cast<qulonglong>(g.count)));
        set(2, static_cast<double>(g.errors), locale.toString(static_cast<qulonglong>(g.errors)));
        set(3, g.errorRate, formatPercent(g.errorRate));
        set(4, g.latencyMs.p50, formatMs(g.latencyMs.p50));
        set(5, g.latencyMs.p95, formatMs(g.latencyMs.p95));
        set(6, g.latencyMs.p99, formatMs(g.latencyMs.p99));
        set(7, static_cast<double>(g.inputTokens), locale.toString(static_cast<qulonglong>(g.inputTokens)));
        set(8, static_cast<double>(g.outputTokens), locale.toString(static_cast<qulonglong>(g.outputTokens)));
        set(9, g.costUsd, formatUsd(g.costUsd));
        set(10, g.evalPassRate.value_or(-1), g.evalPassRate ? formatPercent(*g.evalPassRate) : QStringLiteral("–"));
        ++row;
    }
    table_->setSortingEnabled(true);
    table_->sortByColumn(1, Qt::DescendingOrder);
    table_->resizeColumnsToContents();
}

}  // namespace ps
