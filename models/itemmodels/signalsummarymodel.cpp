#include "signalsummarymodel.h"

#include <QBrush>
#include <QColor>
#include <QFont>

#include <cmath>

#include "format.h"

namespace ps {

SignalSummaryModel::SignalSummaryModel(QObject* parent) : QAbstractTableModel(parent) {}

void SignalSummaryModel::setSignals(DatasetPtr dataset, std::vector<FeatureSignals> features,
                                    const FeatureSignals& total) {
    beginResetModel();
    dataset_ = std::move(dataset);
    columns_ = std::move(features);
    if (!columns_.empty()) {
        columns_.push_back(total);
    }
    endResetModel();
}

const FeatureSignals& SignalSummaryModel::columnAt(int column) const {
    return columns_[static_cast<size_t>(column)];
}

QString SignalSummaryModel::featureName(int column) const {
    if (column == static_cast<int>(columns_.size()) - 1) {
        return tr("All features");
    }
    const std::string_view name = dataset_->str(columns_[static_cast<size_t>(column)].feature);
    return name.empty() ? tr("(no feature)") : QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()));
}

int SignalSummaryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || columns_.empty() ? 0 : MeasureCount;
}

int SignalSummaryModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(columns_.size());
}

QVariant SignalSummaryModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount()) {
        return {};
    }
    const FeatureSignals& f = columns_[static_cast<size_t>(index.column())];
    const bool total = index.column() == columnCount() - 1;
    const bool bias = f.survivorshipBias();
    const auto measure = static_cast<Measure>(index.row());
    if (role == BiasRole) {
        return bias;
    }
    if (role == ValueRole) {
        switch (measure) {
        case Requests: return static_cast<qulonglong>(f.requests);
        case Sessions: return static_cast<qulonglong>(f.sessions);
        case SessionLength: return f.meanSessionLength();
        case Coverage: return f.coverage();
        case ThumbsUp: return static_cast<qulonglong>(f.thumbsUp);
        case ThumbsDown: return static_cast<qulonglong>(f.thumbsDown);
        case PositiveShare: return f.positiveShare();
        case Ratings: return f.meanRating();
        case Corrections: return f.correctionRate();
        case FollowUps: return f.followUpRate();
        case Abandonment: return f.abandonment();
        case Bias: return bias;
        case MeasureCount: break;
        }
        return {};
    }
    if (role == Qt::DisplayRole) {
        switch (measure) {
        case Requests: return fmt::count(static_cast<double>(f.requests));
        case Sessions: return fmt::count(static_cast<double>(f.sessions));
        case SessionLength:
            return std::isnan(f.meanSessionLength()) ? QStringLiteral("–")
                                                     : QString::number(f.meanSessionLength(), 'f', 1);
        case Coverage: return fmt::percent(f.coverage());
        case ThumbsUp: return fmt::count(static_cast<double>(f.thumbsUp));
        case ThumbsDown: return fmt::count(static_cast<double>(f.thumbsDown));
        case PositiveShare: return fmt::percent(f.positiveShare());
        case Ratings:
            return f.ratings ? tr("%1 (mean %2)").arg(f.ratings).arg(f.meanRating(), 0, 'f', 1) : QStringLiteral("–");
        case Corrections: return fmt::percent(f.correctionRate());
        case FollowUps: return fmt::percent(f.followUpRate());
        case Abandonment: return fmt::percent(f.abandonment());
        case Bias: return bias ? tr("⚠ survivorship bias") : tr("no");
        case MeasureCount: break;
        }
        return {};
    }
    if (role == Qt::TextAlignmentRole) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role == Qt::BackgroundRole && bias) {
        return QBrush(QColor(0xff, 0xe0, 0xb2));
    }
    // The two numbers behind the warning, and the warning itself, stand out in a biased feature's column.
    const bool reason = bias && (measure == Bias || measure == PositiveShare || measure == Abandonment);
    if (role == Qt::ForegroundRole && reason) {
        return QBrush(QColor(0xb3, 0x40, 0x00));
    }
    if (role == Qt::FontRole && (total || reason)) {
        QFont font;
        font.setBold(true);
        return font;
    }
    if (role == Qt::ToolTipRole && bias) {
        return tr("%1 of sessions are abandoned while %2 of explicit feedback is positive: the users who leave do "
                  "not vote, so the votes look better than the experience.")
            .arg(fmt::percent(f.abandonment()), fmt::percent(f.positiveShare()));
    }
    return {};
}

QVariant SignalSummaryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation == Qt::Horizontal) {
        return role == Qt::DisplayRole && section < columnCount() ? QVariant(featureName(section)) : QVariant();
    }
    if (role == Qt::ToolTipRole) {
        switch (static_cast<Measure>(section)) {
        case SessionLength: return tr("Requests per session in the selection");
        case Coverage: return tr("Requests with any explicit feedback (thumbs or rating)");
        case PositiveShare: return tr("Thumbs up and ratings of 4-5 among all explicit votes");
        case Corrections: return tr("Requests the user corrected");
        case FollowUps: return tr("Requests followed by a follow-up question");
        case Abandonment: return tr("Sessions with an abandoned signal");
        case Bias: return tr("Abandonment above 30% while explicit feedback is above 80% positive");
        default: return {};
        }
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (static_cast<Measure>(section)) {
    case Requests: return tr("Requests");
    case Sessions: return tr("Sessions");
    case SessionLength: return tr("Requests per session");
    case Coverage: return tr("Explicit feedback coverage");
    case ThumbsUp: return tr("Thumbs up");
    case ThumbsDown: return tr("Thumbs down");
    case PositiveShare: return tr("Explicit positive");
    case Ratings: return tr("Ratings");
    case Corrections: return tr("Corrected");
    case FollowUps: return tr("Followed up");
    case Abandonment: return tr("Sessions abandoned");
    case Bias: return tr("Survivorship bias");
    case MeasureCount: break;
    }
    return {};
}

}  // namespace ps
