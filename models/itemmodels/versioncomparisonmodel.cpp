#include "versioncomparisonmodel.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

#include "format.h"

namespace ps {
namespace {

const QString kDash = QStringLiteral("–");

bool decided(Verdict v) {
    return v == Verdict::Better || v == Verdict::Worse || v == Verdict::Higher || v == Verdict::Lower;
}

QString pText(double p) {
    if (std::isnan(p)) {
        return kDash;
    }
    if (p < 0.0001) {
        return QStringLiteral("< 0.0001");
    }
    return QString::number(p, 'f', p < 0.01 ? 4 : 3);
}

QString unitWord(MetricUnit unit) {
    switch (unit) {
    case MetricUnit::Fraction: return QObject::tr("percentage points");
    case MetricUnit::DurationMs: return QObject::tr("ms");
    case MetricUnit::Usd: return QObject::tr("USD");
    case MetricUnit::Tokens: return QObject::tr("tokens");
    case MetricUnit::Score: return QObject::tr("score points");
    case MetricUnit::Ratio:
    case MetricUnit::Count: break;
    }
    return {};
}

}  // namespace

VersionComparisonModel::VersionComparisonModel(QObject* parent) : QAbstractTableModel(parent) {}

void VersionComparisonModel::setComparison(const VersionComparison& comparison) {
    beginResetModel();
    comparison_ = comparison;
    endResetModel();
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
}

void VersionComparisonModel::clear() {
    setComparison(VersionComparison{});
}

const MetricComparison* VersionComparisonModel::metricAt(int row) const {
    return row >= 0 && row < rowCount() ? &comparison_.metrics[static_cast<size_t>(row)] : nullptr;
}

int VersionComparisonModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(comparison_.metrics.size());
}

int VersionComparisonModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QColor VersionComparisonModel::verdictColor(Verdict v) {
    switch (v) {
    case Verdict::Better: return {0x1a, 0x7f, 0x37};
    case Verdict::Worse: return {0xc6, 0x28, 0x28};
    case Verdict::Higher:
    case Verdict::Lower: return {0x1f, 0x5f, 0xa8};
    case Verdict::NotEnoughData: return {0x9a, 0x5b, 0x00};
    case Verdict::NoDifference:
    case Verdict::NotTested: break;
    }
    return {0x5f, 0x63, 0x68};
}

QString VersionComparisonModel::verdictLabel(Verdict v) {
    switch (v) {
    case Verdict::Better: return tr("better");
    case Verdict::Worse: return tr("worse");
    case Verdict::Higher: return tr("higher");
    case Verdict::Lower: return tr("lower");
    case Verdict::NoDifference: return tr("no detectable difference");
    case Verdict::NotEnoughData: return tr("not enough data");
    case Verdict::NotTested: break;
    }
    return {};
}

QString VersionComparisonModel::valueText(MetricUnit unit, double v) {
    if (!std::isfinite(v)) {
        return kDash;
    }
    switch (unit) {
    case MetricUnit::Fraction: return fmt::percent(v);
    case MetricUnit::DurationMs: return fmt::duration(v);
    case MetricUnit::Usd: return fmt::usd(v);
    case MetricUnit::Tokens:
    case MetricUnit::Count: return QLocale(QLocale::English).toString(v, 'f', v == std::floor(v) ? 0 : 1);
    case MetricUnit::Ratio: return QString::number(v, 'f', 3);
    case MetricUnit::Score: return QString::number(v, 'f', 2);
    }
    return kDash;
}

QString VersionComparisonModel::diffText(MetricUnit unit, double v) {
    if (!std::isfinite(v)) {
        return kDash;
    }
    const QString sign = v > 0 ? QStringLiteral("+") : v < 0 ? QStringLiteral("−") : QString();
    if (unit == MetricUnit::Fraction) {
        return sign + QString::number(std::fabs(v) * 100, 'f', 2) + QStringLiteral(" pp");
    }
    return sign + valueText(unit, std::fabs(v));
}

QString VersionComparisonModel::intervalText(MetricUnit unit, double low, double high) {
    // Percentage points once, at the end: "−1.62 … +7.21 pp".
    if (unit == MetricUnit::Fraction) {
        QString lo = diffText(unit, low);
        lo.chop(3);
        return lo + QStringLiteral(" … ") + diffText(unit, high);
    }
    return diffText(unit, low) + QStringLiteral(" … ") + diffText(unit, high);
}

QVariant VersionComparisonModel::display(const MetricComparison& m, Column column) const {
    switch (column) {
    case Metric: return QString::fromStdString(m.label);
    case ValueA: return valueText(m.unit, m.a);
    case ValueB: return valueText(m.unit, m.b);
    case Difference: return diffText(m.unit, m.diff);
    case Relative: return fmt::signedPercentChange(m.relative);
    case Interval:
        return m.ci.isFinite() ? intervalText(m.unit, m.ci.low, m.ci.high) : kDash;
    case PValue:
        // A bootstrap p-value cannot go below 2 / (resamples + 1): say so rather than print that floor.
        return m.test == StatTest::Bootstrap && m.pValue <= 0.001 ? QStringLiteral("≤ 0.001") : pText(m.pValue);
    case Test: return m.test == StatTest::None ? kDash : QString::fromUtf8(statTestName(m.test).data());
    case VerdictColumn: return m.verdict == Verdict::NotTested ? kDash : verdictLabel(m.verdict);
    case MoreRequests:
        if (decided(m.verdict)) {
            return tr("settled");
        }
        if (std::isinf(m.moreRequests)) {
            return tr("no effect seen");
        }
        return std::isfinite(m.moreRequests) && m.moreRequests > 0
                   ? tr("≈ %1").arg(fmt::count(m.moreRequests))
                   : kDash;
    case ColumnCount: break;
    }
    return {};
}

QVariant VersionComparisonModel::sortValue(const MetricComparison& m, Column column) const {
    switch (column) {
    case Metric: return QString::fromStdString(m.label);
    case ValueA: return m.a;
    case ValueB: return m.b;
    case Difference: return m.diff;
    case Relative: return m.relative;
    case Interval: return m.ci.low;
    case PValue: return m.pValue;
    case Test: return static_cast<int>(m.test);
    case VerdictColumn: return static_cast<int>(m.verdict);
    case MoreRequests: return decided(m.verdict) ? 0.0 : m.moreRequests;
    case ColumnCount: break;
    }
    return {};
}

QString VersionComparisonModel::toolTip(const MetricComparison& m, Column column) const {
    const QString a = QString::fromStdString(comparison_.labelA);
    const QString b = QString::fromStdString(comparison_.labelB);
    switch (column) {
    case ValueA:
    case ValueB: {
        const bool sideB = column == ValueB;
        QString text = tr("%1 rows on %2").arg(QLocale().toString(static_cast<qulonglong>(sideB ? m.nB : m.nA)),
                                                sideB ? b : a);
        if (m.unit == MetricUnit::Fraction) {
            text += tr(", %1 counted").arg(QLocale().toString(static_cast<qulonglong>(sideB ? m.eventsB : m.eventsA)));
        }
        const SideSummary& s = sideB ? m.summaryB : m.summaryA;
        if (s.n > 0) {
            text += tr("\nmedian %1 · p95 %2 · p99 %3 · mean %4")
                        .arg(valueText(m.unit, s.p50), valueText(m.unit, s.p95), valueText(m.unit, s.p99),
                             valueText(m.unit, s.mean));
        }
        return text + tr("\nDouble-click to see these requests");
    }
    case Difference:
        if (m.summaryA.n + m.summaryB.n > 0 && std::isnan(m.percentile)) {
            return tr("Hodges-Lehmann shift: the median of all differences between a %1 value and a %2 value (%3)")
                .arg(b, a, unitWord(m.unit));
        }
        return tr("%1 minus %2").arg(b, a);
    case Interval: return tr("95% confidence interval of the difference");
    case PValue:
        return std::isnan(m.pAdjusted)
                   ? tr("Two-sided p-value")
                   : tr("Two-sided p-value %1; adjusted for the %2 metrics compared (Benjamini-Hochberg): %3")
                         .arg(pText(m.pValue))
                         .arg(std::count_if(comparison_.metrics.begin(), comparison_.metrics.end(),
                                            [](const MetricComparison& x) { return !std::isnan(x.pAdjusted); }))
                         .arg(pText(m.pAdjusted));
    case VerdictColumn:
        switch (m.verdict) {
        case Verdict::NotEnoughData:
            return !std::isnan(m.percentile)
                       ? tr("Too few requests beyond this percentile on one side to judge it")
                       : tr("Too few rows on one side to judge");
        case Verdict::NoDifference: return tr("The difference could be chance (adjusted p ≥ 0.05)");
        case Verdict::NotTested: return tr("Volume is shown, not tested");
        default: return tr("The difference is unlikely to be chance (adjusted p < 0.05)");
        }
    case MoreRequests:
        return tr("More requests, on both sides at the current split, for an 80%-power test at the 5% level to "
                  "settle the difference observed so far");
    case Metric:
    case Relative:
    case Test:
    case ColumnCount: break;
    }
    return {};
}

QVariant VersionComparisonModel::data(const QModelIndex& index, int role) const {
    const MetricComparison* m = index.isValid() ? metricAt(index.row()) : nullptr;
    if (!m || index.column() >= ColumnCount) {
        return {};
    }
    const auto column = static_cast<Column>(index.column());
    switch (role) {
    case Qt::DisplayRole: return display(*m, column);
    case SortRole: return sortValue(*m, column);
    case KeyRole: return QString::fromStdString(m->key);
    case VerdictRole: return static_cast<int>(m->verdict);
    case Qt::ToolTipRole: return toolTip(*m, column);
    case Qt::TextAlignmentRole:
        return column == Metric || column == Test || column == VerdictColumn
                   ? QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter)
                   : QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (column == VerdictColumn || (column == Difference && decided(m->verdict))) {
            return verdictColor(m->verdict);
        }
        return {};
    case Qt::BackgroundRole:
        if (column == VerdictColumn && decided(m->verdict)) {
            QColor c = verdictColor(m->verdict);
            c.setAlpha(36);
            return c;
        }
        return {};
    default: break;
    }
    return {};
}

QVariant VersionComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole)) {
        return {};
    }
    const QString a = comparison_.labelA.empty() ? tr("A") : QString::fromStdString(comparison_.labelA);
    const QString b = comparison_.labelB.empty() ? tr("B") : QString::fromStdString(comparison_.labelB);
    if (role == Qt::ToolTipRole) {
        switch (static_cast<Column>(section)) {
        case ValueA: return tr("The baseline: %1").arg(a);
        case ValueB: return tr("Compared with the baseline: %1").arg(b);
        case Difference: return tr("%1 minus %2").arg(b, a);
        default: return {};
        }
    }
    switch (static_cast<Column>(section)) {
    case Metric: return tr("Metric");
    case ValueA: return tr("%1 (baseline)").arg(a);
    case ValueB: return b;
    case Difference: return tr("Difference");
    case Relative: return tr("Relative");
    case Interval: return tr("95% CI of the difference");
    case PValue: return tr("p-value");
    case Test: return tr("Test");
    case VerdictColumn: return tr("Verdict");
    case MoreRequests: return tr("More requests to settle");
    case ColumnCount: break;
    }
    return {};
}

}  // namespace ps
