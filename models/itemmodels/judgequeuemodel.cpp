#include "judgequeuemodel.h"

#include <QStringList>

#include "format.h"
#include "outlierformat.h"

namespace ps {
namespace {

QString text(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

}  // namespace

JudgeQueueModel::JudgeQueueModel(QObject* parent) : QAbstractTableModel(parent) {}

void JudgeQueueModel::setQueue(DatasetPtr dataset, JudgeQueue queue) {
    beginResetModel();
    dataset_ = std::move(dataset);
    queue_ = std::move(queue);
    endResetModel();
}

int JudgeQueueModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !dataset_ ? 0 : static_cast<int>(queue_.rows.size());
}

int JudgeQueueModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JudgeQueueModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) {
        return {};
    }
    const JudgeQueueRow& row = queue_.rows[static_cast<size_t>(index.row())];
    const uint32_t r = row.request.value;
    const Dataset& d = *dataset_;
    const auto column = static_cast<Column>(index.column());
    if (role == RequestRole) {
        return r;
    }
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Trace: return text(d.str(d.requests.traceId[r]));
        case Time: return fmt::dateTimeSeconds(d.requests.startNs[r]);
        case Feature: return text(d.str(d.requests.feature[r]));
        case Prompt:
            return QString::fromStdString(promptVersionLabel(d, d.requests.promptName[r], d.requests.promptVersion[r]));
        case Reason: {
            QStringList why;
            if (row.reasons & kJudgeFailedEval) {
                why << tr("failed eval");
            }
            if (row.reasons & kJudgeThumbsDown) {
                why << tr("thumbs down");
            }
            if (row.reasons & kJudgeSampled) {
                why << tr("sampled");
            }
            return why.join(QStringLiteral(", "));
        }
        case FailedEvals: return d.requests.evalFail[r];
        case Hash: return QString::number(requestHashFraction(d.str(d.requests.traceId[r])), 'f', 4);
        case ColumnCount: break;
        }
        return {};
    }
    if (role == Qt::TextAlignmentRole && (column == FailedEvals || column == Hash)) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role == Qt::ToolTipRole && column == Hash) {
        return tr("Sampled when this is under the rate (%1)").arg(queue_.rate, 0, 'f', 4);
    }
    return {};
}

QVariant JudgeQueueModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (static_cast<Column>(section)) {
    case Trace: return tr("Trace");
    case Time: return tr("Time (UTC)");
    case Feature: return tr("Feature");
    case Prompt: return tr("Prompt version");
    case Reason: return tr("Why");
    case FailedEvals: return tr("Failed evals");
    case Hash: return tr("Id hash (0–1)");
    case ColumnCount: break;
    }
    return {};
}

}  // namespace ps
