#include "outliertablemodel.h"

#include <QStringList>

#include "format.h"
#include "outlierformat.h"

namespace ps {
namespace {

QString text(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

double costOf(const Dataset& d, uint32_t r) {
    return (d.requests.flags[r] & kRequestCostUnknown) && d.requests.costUsd[r] == 0 ? kNaN : d.requests.costUsd[r];
}

QString feedbackText(uint16_t flags) {
    QStringList words;
    for (std::string_view name : feedbackNames(flags)) {
        QString w = text(name);
        words << w.replace(QLatin1Char('_'), QLatin1Char(' '));
    }
    return words.join(QStringLiteral(", "));
}

}  // namespace

OutlierTableModel::OutlierTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void OutlierTableModel::setTable(DatasetPtr dataset, const OutlierTable& table) {
    beginResetModel();
    dataset_ = std::move(dataset);
    table_ = table;
    endResetModel();
}

void OutlierTableModel::clear() {
    beginResetModel();
    table_.rows.clear();
    table_.candidates = 0;
    endResetModel();
}

int OutlierTableModel::duplicateColumn() const {
    switch (table_.kind) {
    case OutlierKind::Slowest: return Latency;
    case OutlierKind::MostExpensive: return Cost;
    case OutlierKind::LongestAgentLoops: return ToolCalls;
    case OutlierKind::LargestTokenUsers: return Tokens;
    case OutlierKind::LowestScoring:
    case OutlierKind::MostRetried: break;
    }
    return -1;
}

int OutlierTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !dataset_ ? 0 : static_cast<int>(table_.rows.size());
}

int OutlierTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString OutlierTableModel::valueText(double v) const {
    switch (table_.kind) {
    case OutlierKind::Slowest: return fmt::duration(v);
    case OutlierKind::MostExpensive: return fmt::usd(v);
    case OutlierKind::LowestScoring: return QString::number(v, 'f', 2);
    case OutlierKind::MostRetried:
    case OutlierKind::LongestAgentLoops:
    case OutlierKind::LargestTokenUsers: return fmt::count(v);
    }
    return {};
}

QVariant OutlierTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) {
        return {};
    }
    const Dataset& d = *dataset_;
    const OutlierRow& row = table_.rows[static_cast<size_t>(index.row())];
    const uint32_t r = row.request.value;
    const RequestColumns& q = d.requests;
    const auto column = static_cast<Column>(index.column());
    const double ms = static_cast<double>(q.durationNs[r]) / 1e6;
    const double tokens = static_cast<double>(q.inputTokens[r]) + q.outputTokens[r];
    if (role == RequestRole) {
        return r;
    }
    if (role == SortRole) {
        switch (column) {
        case Time: return static_cast<qlonglong>(q.startNs[r]);
        case Value: return row.value;
        case Rank: return row.percentile;
        case Latency: return ms;
        case Cost: return costOf(d, r);
        case Tokens: return tokens;
        case ToolCalls: return q.toolCalls[r];
        case EvalFailures: return q.evalFail[r];
        default: break;
        }
        return data(index, Qt::DisplayRole);
    }
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Trace: return text(d.str(q.traceId[r]));
        case Time: return fmt::dateTime(q.startNs[r]);
        case Feature: return text(d.str(q.feature[r]));
        case Tenant: return text(d.str(q.tenant[r]));
        case Prompt: return QString::fromStdString(promptVersionLabel(d, q.promptName[r], q.promptVersion[r]));
        case Model: return text(d.str(q.model[r]));
        case Value: return valueText(row.value);
        case Rank: return QString::fromStdString(rankPhrase(d, table_.kind, row));
        case Latency: return fmt::duration(ms);
        case Cost: return fmt::usd(costOf(d, r));
        case Tokens: return fmt::tokens(tokens);
        case ToolCalls: return q.toolCalls[r];
        case EvalFailures: return q.evalFail[r];
        case Feedback: return feedbackText(q.flags[r]);
        case ColumnCount: break;
        }
        return {};
    }
    if (role == Qt::TextAlignmentRole && column >= Value && column != Rank && column != Feedback) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role == Qt::ToolTipRole) {
        if (column == Rank) {
            return tr("Mid-rank percentile among %1 %2 requests in the selection: (below + equal / 2) / n")
                .arg(row.distributionSize)
                .arg(text(d.str(q.feature[r])));
        }
        return tr("%1 at %2 UTC\nDouble-click or press Enter to open the trace")
            .arg(text(d.str(q.traceId[r])), fmt::dateTimeSeconds(q.startNs[r]));
    }
    return {};
}

QVariant OutlierTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (static_cast<Column>(section)) {
    case Trace: return tr("Trace");
    case Time: return tr("Time (UTC)");
    case Feature: return tr("Feature");
    case Tenant: return tr("Tenant");
    case Prompt: return tr("Prompt version");
    case Model: return tr("Model");
    case Value:
        switch (table_.kind) {
        case OutlierKind::Slowest: return tr("Latency");
        case OutlierKind::MostExpensive: return tr("Cost");
        case OutlierKind::LowestScoring: return tr("Eval score (0–1)");
        case OutlierKind::MostRetried: return tr("Retries");
        case OutlierKind::LongestAgentLoops: return tr("Tool calls");
        case OutlierKind::LargestTokenUsers: return tr("Tokens");
        }
        return {};
    case Rank: return tr("Where it sits");
    case Latency: return tr("Latency");
    case Cost: return tr("Cost");
    case Tokens: return tr("Tokens");
    case ToolCalls: return tr("Tool calls");
    case EvalFailures: return tr("Failed evals");
    case Feedback: return tr("Feedback");
    case ColumnCount: break;
    }
    return {};
}

}  // namespace ps
