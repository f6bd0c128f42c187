#include "evalsummarymodel.h"

#include <cmath>

#include "format.h"
#include "outlierformat.h"

namespace ps {

EvalSummaryModel::EvalSummaryModel(QObject* parent) : QAbstractTableModel(parent) {}

void EvalSummaryModel::setEvals(DatasetPtr dataset, std::vector<EvalVersionStats> evals) {
    beginResetModel();
    dataset_ = std::move(dataset);
    evals_ = std::move(evals);
    endResetModel();
}

int EvalSummaryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !dataset_ ? 0 : static_cast<int>(evals_.size());
}

int EvalSummaryModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EvalSummaryModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) {
        return {};
    }
    const EvalVersionStats& e = evals_[static_cast<size_t>(index.row())];
    const auto column = static_cast<Column>(index.column());
    if (role == SortRole) {
        switch (column) {
        case Results: return static_cast<qulonglong>(e.results);
        case Failed: return static_cast<qulonglong>(e.failed);
        case PassRate: return e.passRateAll();
        case MeanScore: return e.meanScore;
        default: break;
        }
        return data(index, Qt::DisplayRole);
    }
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Eval: {
            const std::string_view name = dataset_->str(e.eval);
            return QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()));
        }
        case Version: {
            const std::string label = promptVersionLabel(*dataset_, e.prompt, e.version);
            return label.empty() ? tr("(none)") : QString::fromStdString(label);
        }
        case Results: return fmt::count(static_cast<double>(e.results));
        case Failed: return fmt::count(static_cast<double>(e.failed));
        case PassRate: return fmt::percent(e.passRateAll());
        case MeanScore: return std::isnan(e.meanScore) ? QStringLiteral("–") : QString::number(e.meanScore, 'f', 2);
        case ColumnCount: break;
        }
        return {};
    }
    if (role == Qt::TextAlignmentRole && column >= Results) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant EvalSummaryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (static_cast<Column>(section)) {
    case Eval: return tr("Eval");
    case Version: return tr("Prompt version");
    case Results: return tr("Results");
    case Failed: return tr("Failed");
    case PassRate: return tr("Pass rate");
    case MeanScore: return tr("Mean score");
    case ColumnCount: break;
    }
    return {};
}

}  // namespace ps
