#include "tracelistmodel.h"

#include <QBrush>
#include <QColor>
#include <QFontDatabase>
#include <QLocale>
#include <QPointer>
#include <QThreadPool>
#include <algorithm>
#include <cmath>

#include "format.h"
#include "hugepages.h"
#include "tracelistorder.h"

namespace ps {
namespace {

QString text(const Dataset& d, StringId id) {
    const std::string_view s = d.str(id);
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

QString errorClassLabel(ErrorClass c) {
    switch (c) {
        case ErrorClass::RateLimited:
            return QObject::tr("error · rate limited");
        case ErrorClass::ProviderError:
            return QObject::tr("error · provider");
        case ErrorClass::Timeout:
            return QObject::tr("error · timeout");
        case ErrorClass::ToolError:
            return QObject::tr("error · tool");
        case ErrorClass::Validation:
            return QObject::tr("error · validation");
        case ErrorClass::None:
        case ErrorClass::Other:
            break;
    }
    return QObject::tr("error");
}

bool isNumeric(int column) {
    switch (column) {
        case TraceListModel::Duration:
        case TraceListModel::Cost:
        case TraceListModel::Tokens:
        case TraceListModel::FailedEvals:
            return true;
        default:
            return false;
    }
}

}  // namespace

struct TraceListModel::SortResult {
    quint64 job = 0;
    DatasetPtr data;
    std::shared_ptr<const std::vector<uint32_t>> base;
    std::shared_ptr<const std::vector<uint32_t>> ranks;
    std::vector<uint32_t> shown;
    std::vector<uint32_t> positions;
    bool done = false;
};

TraceListModel::TraceListModel(QObject* parent)
    : QAbstractTableModel(parent), idFont_(QFontDatabase::systemFont(QFontDatabase::FixedFont)) {}

TraceListModel::~TraceListModel() {
    if (cancel_) {
        cancel_->store(true);
    }
}

void TraceListModel::setRows(DatasetPtr data, std::vector<uint32_t> rows) {
    setRows(std::move(data), std::make_shared<const std::vector<uint32_t>>(std::move(rows)));
}

void TraceListModel::setRows(DatasetPtr data, std::shared_ptr<const std::vector<uint32_t>> rows) {
    if (cancel_) {
        cancel_->store(true);
    }
    ++job_;  // a running sort's result no longer applies
    beginResetModel();
    if (data != data_) {
        ranks_.reset();
    }
    data_ = std::move(data);
    base_ = rows ? std::move(rows) : std::make_shared<const std::vector<uint32_t>>();
    shown_.clear();
    positionOf_.clear();
    endResetModel();
    if (sortColumn_ >= 0 && data_) {
        startSort();
    }
}

void TraceListModel::setAllRows(DatasetPtr data) {
    std::vector<uint32_t> rows(data ? data->requestCount() : 0);
    for (size_t i = 0; i < rows.size(); ++i) {
        rows[i] = static_cast<uint32_t>(i);
    }
    setRows(std::move(data), std::move(rows));
}

RequestIndex TraceListModel::requestAt(int row) const {
    if (!base_ || row < 0 || row >= rowCount()) {
        return RequestIndex{};
    }
    const auto i = static_cast<size_t>(row);
    return RequestIndex{shown_.empty() ? (*base_)[i] : shown_[i]};
}

int TraceListModel::rowOfRequest(RequestIndex request) const {
    if (!base_ || !request.isValid()) {
        return -1;
    }
    if (!shown_.empty()) {
        return request.value < positionOf_.size() && positionOf_[request.value] != RequestIndex::kInvalid
                   ? static_cast<int>(positionOf_[request.value])
                   : -1;
    }
    const auto it = std::lower_bound(base_->begin(), base_->end(), request.value);
    return it != base_->end() && *it == request.value ? static_cast<int>(it - base_->begin()) : -1;
}

int TraceListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !base_ ? 0 : static_cast<int>(base_->size());
}

int TraceListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TraceListModel::display(uint32_t r, int column) const {
    const Dataset& d = *data_;
    const RequestColumns& rq = d.requests;
    switch (static_cast<Column>(column)) {
        case TraceId:
            return text(d, rq.traceId[r]);
        case Time:
            return fmt::dateTimeSeconds(rq.startNs[r]);
        case Feature:
            return rq.feature[r].isEmpty() ? QStringLiteral("–") : text(d, rq.feature[r]);
        case PromptVersion: {
            if (rq.promptName[r].isEmpty() && rq.promptVersion[r].isEmpty()) {
                return QStringLiteral("–");
            }
            const QString version = text(d, rq.promptVersion[r]);
            return rq.promptName[r].isEmpty()
                       ? version
                       : QString(text(d, rq.promptName[r]) + QStringLiteral(" v") + version);
        }
        case Models: {
            const uint32_t others = otherModelCount(d, RequestIndex{r});
            const QString model = rq.model[r].isEmpty() ? QStringLiteral("–") : text(d, rq.model[r]);
            return others == 0 ? model : model + QStringLiteral(" +%1").arg(others);
        }
        case Duration:
            return fmt::duration(static_cast<double>(rq.durationNs[r]) / 1e6);
        case Cost:
            return fmt::usd(rq.costUsd[r]);
        case Tokens:
            return QString(fmt::tokens(rq.inputTokens[r]) + QStringLiteral(" / ") +
                           fmt::tokens(rq.outputTokens[r]));
        case Status: {
            const uint32_t status = statusOrdinal(d, RequestIndex{r});
            return status == 0 ? tr("ok") : status == 1 ? tr("refusal") : errorClassLabel(rq.errorClass[r]);
        }
        case FailedEvals:
            return rq.evalPass[r] + rq.evalFail[r] == 0 ? QStringLiteral("–")
                                                        : QString::number(rq.evalFail[r]);
        case Feedback: {
            const uint16_t flags = rq.flags[r];
            const bool up = (flags & kRequestThumbsUp) != 0;
            const bool down = (flags & kRequestThumbsDown) != 0;
            return up && down ? tr("▲▼ both") : up ? tr("▲ up") : down ? tr("▼ down") : QString();
        }
        case ColumnCount:
            break;
    }
    return {};
}

QVariant TraceListModel::toolTip(uint32_t r, int column) const {
    const RequestColumns& rq = data_->requests;
    switch (column) {
        case Cost: {
            const uint16_t flags = rq.flags[r];
            if ((flags & kRequestCostUnknown) != 0) {
                return tr("Some model calls have no cost in the data and no price in the table");
            }
            return (flags & kRequestCostFromPricing) != 0 ? tr("Computed from tokens and the price table")
                                                          : tr("Cost as recorded in the data");
        }
        case Tokens:
            return tr("%1 input tokens (%2 cached), %3 output tokens")
                .arg(QLocale().toString(rq.inputTokens[r]), QLocale().toString(rq.cachedTokens[r]),
                     QLocale().toString(rq.outputTokens[r]));
        case FailedEvals:
            return tr("%1 failed, %2 passed").arg(rq.evalFail[r]).arg(rq.evalPass[r]);
        case TraceId:
            return tr("%1 (double-click or Enter to open)").arg(text(*data_, rq.traceId[r]));
        default:
            return {};
    }
}

QVariant TraceListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !data_ || index.row() >= rowCount() || index.column() >= ColumnCount) {
        return {};
    }
    const uint32_t r = requestAt(index.row()).value;
    const int column = index.column();
    switch (role) {
        case Qt::DisplayRole:
            return display(r, column);
        case Qt::ToolTipRole:
            return toolTip(r, column);
        case RequestIndexRole:
            return QVariant::fromValue(r);
        case Qt::TextAlignmentRole:
            return QVariant::fromValue(isNumeric(column) ? Qt::AlignRight | Qt::AlignVCenter
                                                         : Qt::AlignLeft | Qt::AlignVCenter);
        case Qt::FontRole:
            return column == TraceId ? QVariant(idFont_) : QVariant();
        case Qt::ForegroundRole: {
            const uint16_t flags = data_->requests.flags[r];
            if (column == Status && (flags & kRequestError) != 0) {
                return QBrush(QColor(0xc6, 0x28, 0x28));
            }
            if (column == Status && (flags & kRequestRefusal) != 0) {
                return QBrush(QColor(0xb2, 0x6a, 0x00));
            }
            if (column == FailedEvals && data_->requests.evalFail[r] != 0) {
                return QBrush(QColor(0xc6, 0x28, 0x28));
            }
            if (column == Feedback) {
                const bool up = (flags & kRequestThumbsUp) != 0;
                const bool down = (flags & kRequestThumbsDown) != 0;
                if (up != down) {
                    return QBrush(up ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28));
                }
            }
            return {};
        }
        default:
            return {};
    }
}

QVariant TraceListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) {
        return {};
    }
    if (role == Qt::TextAlignmentRole) {
        return QVariant::fromValue(isNumeric(section) ? Qt::AlignRight | Qt::AlignVCenter
                                                      : Qt::AlignLeft | Qt::AlignVCenter);
    }
    if (role == Qt::ToolTipRole) {
        switch (static_cast<Column>(section)) {
            case Models:
                return tr("The request's model; +N: its calls also used N other models");
            case Tokens:
                return tr("Input / output tokens over the request's model calls");
            case Status:
                return tr("ok, refusal, or the class of the error");
            case FailedEvals:
                return tr("Eval results that failed");
            case Feedback:
                return tr("Thumbs up or down from the user");
            case Time:
                return tr("Start of the request, UTC");
            default:
                return {};
        }
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (static_cast<Column>(section)) {
        case TraceId:
            return tr("Trace");
        case Time:
            return tr("Time (UTC)");
        case Feature:
            return tr("Feature");
        case PromptVersion:
            return tr("Prompt version");
        case Models:
            return tr("Model");
        case Duration:
            return tr("Duration");
        case Cost:
            return tr("Cost");
        case Tokens:
            return tr("Tokens in / out");
        case Status:
            return tr("Status");
        case FailedEvals:
            return tr("Failed evals");
        case Feedback:
            return tr("Feedback");
        case ColumnCount:
            break;
    }
    return {};
}

void TraceListModel::sort(int column, Qt::SortOrder order) {
    if (column >= ColumnCount) {
        return;
    }
    sortColumn_ = column;
    sortOrder_ = order;
    if (!data_ || !base_) {
        return;
    }
    if (column < 0) {
        if (cancel_) {
            cancel_->store(true);
        }
        ++job_;
        setShown({}, {});
        return;
    }
    startSort();
}

void TraceListModel::startSort() {
    if (cancel_) {
        cancel_->store(true);  // the older job stops at its next check
    }
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    const quint64 job = ++job_;
    if (pendingJobs_++ == 0) {
        Q_EMIT sortingChanged(true);
    }
    QPointer<TraceListModel> self(this);
    auto cancel = cancel_;
    auto result = std::make_shared<SortResult>();
    result->job = job;
    result->data = data_;
    result->base = base_;
    result->ranks = ranks_;
    const auto column = static_cast<TraceColumn>(sortColumn_);
    const bool descending = sortOrder_ == Qt::DescendingOrder;
    QThreadPool::globalInstance()->start([self, cancel, result, column, descending] {
        const Dataset& d = *result->data;
        if (sortNeedsStringRanks(column) && !result->ranks) {
            auto ranks = rankStrings(d.strings, cancel.get());
            if (!ranks.empty() || d.strings.size() == 0) {
                result->ranks = std::make_shared<const std::vector<uint32_t>>(std::move(ranks));
            }
        }
        static const std::vector<uint32_t> kNoRanks;
        if (!cancel->load() && (result->ranks || !sortNeedsStringRanks(column))) {
            TraceOrder order = sortTraceRows(d, *result->base, column, descending,
                                             result->ranks ? *result->ranks : kNoRanks, cancel.get());
            if (!order.cancelled) {
                reserveHuge(result->positions, d.requestCount());
                result->positions.assign(d.requestCount(), RequestIndex::kInvalid);
                for (size_t i = 0; i < order.rows.size(); ++i) {
                    result->positions[order.rows[i]] = static_cast<uint32_t>(i);
                }
                result->shown = std::move(order.rows);
                result->done = !cancel->load();
            }
        }
        QMetaObject::invokeMethod(
            self,
            [self, result] {
                if (self) {
                    self->applySort(*result);
                }
            },
            Qt::QueuedConnection);
    });
}

void TraceListModel::applySort(SortResult& result) {
    if (result.data == data_ && result.ranks && !ranks_) {
        ranks_ = result.ranks;  // kept for later sorts, even when this one was superseded
    }
    if (result.done && result.job == job_ && result.base == base_) {
        setShown(std::move(result.shown), std::move(result.positions));
    }
    if (--pendingJobs_ == 0) {
        Q_EMIT sortingChanged(false);
    }
}

void TraceListModel::setShown(std::vector<uint32_t> shown, std::vector<uint32_t> positions) {
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    // Persistent indexes (the current row, the selection) follow their requests to their new rows.
    const QModelIndexList before = persistentIndexList();
    std::vector<RequestIndex> requests;
    requests.reserve(static_cast<size_t>(before.size()));
    for (const QModelIndex& i : before) {
        requests.push_back(requestAt(i.row()));
    }
    shown_ = std::move(shown);
    positionOf_ = std::move(positions);
    QModelIndexList after;
    after.reserve(before.size());
    for (qsizetype i = 0; i < before.size(); ++i) {
        const int row = rowOfRequest(requests[static_cast<size_t>(i)]);
        after.push_back(row < 0 ? QModelIndex() : index(row, before[i].column()));
    }
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

}  // namespace ps
