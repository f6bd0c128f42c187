#include "spantreemodel.h"

#include "format.h"
#include "spankindpalette.h"

namespace ps {

SpanTreeModel::SpanTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

void SpanTreeModel::setTrace(DatasetPtr data, RequestIndex request) {
    std::shared_ptr<const TraceLayout> layout;
    if (data) {
        layout = std::make_shared<const TraceLayout>(layoutTrace(*data, request, LayoutOptions{}));
    }
    setTrace(std::move(data), std::move(layout));
}

void SpanTreeModel::setTrace(DatasetPtr data, std::shared_ptr<const TraceLayout> layout) {
    beginResetModel();
    data_ = std::move(data);
    layout_ = data_ ? std::move(layout) : nullptr;
    rebuild();
    endResetModel();
}

void SpanTreeModel::rebuild() {
    childBegin_.clear();
    children_.clear();
    roots_.clear();
    positionOf_.clear();
    if (!layout_ || layout_->spanCount() == 0) {
        layout_.reset();
        return;
    }
    const TraceLayout& l = *layout_;
    const size_t n = l.spanCount();
    childBegin_.resize(n + 1);
    children_.reserve(n);
    positionOf_.assign(n, 0);
    // Depth-first storage: the children of a span are found by hopping over their subtrees, so each span is
    // visited once as a child and the whole pass is linear.
    for (size_t i = 0; i < n; ++i) {
        const auto row = static_cast<uint32_t>(l.firstRow + i);
        childBegin_[i] = static_cast<uint32_t>(children_.size());
        uint32_t position = 0;
        for (uint32_t c = row + 1; c < l.subtreeEnd[i]; c = l.subtreeEnd[local(c)]) {
            children_.push_back(c);
            positionOf_[local(c)] = position++;
        }
    }
    childBegin_[n] = static_cast<uint32_t>(children_.size());
    for (uint32_t r = l.firstRow; r < l.endRow; r = l.subtreeEnd[local(r)]) {
        positionOf_[local(r)] = static_cast<uint32_t>(roots_.size());
        roots_.push_back(r);
    }
}

uint32_t SpanTreeModel::parentRowOf(uint32_t row) const {
    return layout_->depth[local(row)] == 0 ? SpanIndex::kInvalid : data_->spans.parent[row];
}

uint32_t SpanTreeModel::spanOf(const QModelIndex& index) {
    return index.isValid() ? static_cast<uint32_t>(index.internalId()) : SpanIndex::kInvalid;
}

QModelIndex SpanTreeModel::indexOfSpan(uint32_t row) const {
    if (!layout_ || row < layout_->firstRow || row >= layout_->endRow) {
        return {};
    }
    return createIndex(static_cast<int>(positionOf_[local(row)]), 0, static_cast<quintptr>(row));
}

QModelIndex SpanTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (!layout_ || row < 0 || column < 0 || column >= ColumnCount || parent.column() > 0) {
        return {};
    }
    const auto r = static_cast<size_t>(row);
    if (!parent.isValid()) {
        return r < roots_.size() ? createIndex(row, column, static_cast<quintptr>(roots_[r])) : QModelIndex();
    }
    const size_t p = local(spanOf(parent));
    if (r >= childBegin_[p + 1] - childBegin_[p]) {
        return {};
    }
    return createIndex(row, column, static_cast<quintptr>(children_[childBegin_[p] + r]));
}

QModelIndex SpanTreeModel::parent(const QModelIndex& child) const {
    if (!layout_ || !child.isValid()) {
        return {};
    }
    const uint32_t p = parentRowOf(spanOf(child));
    return p == SpanIndex::kInvalid ? QModelIndex() : indexOfSpan(p);
}

int SpanTreeModel::rowCount(const QModelIndex& parent) const {
    if (!layout_ || parent.column() > 0) {
        return 0;
    }
    if (!parent.isValid()) {
        return static_cast<int>(roots_.size());
    }
    const size_t p = local(spanOf(parent));
    return static_cast<int>(childBegin_[p + 1] - childBegin_[p]);
}

int SpanTreeModel::columnCount(const QModelIndex& parent) const {
    return parent.column() > 0 ? 0 : ColumnCount;
}

bool SpanTreeModel::hasChildren(const QModelIndex& parent) const {
    return rowCount(parent) > 0;
}

QVariant SpanTreeModel::data(const QModelIndex& index, int role) const {
    if (!layout_ || !index.isValid() || index.column() >= ColumnCount) {
        return {};
    }
    const uint32_t row = spanOf(index);
    const size_t i = local(row);
    const auto& s = data_->spans;
    const auto column = static_cast<Column>(index.column());
    const int64_t startOffset = s.startNs[row] - layout_->beginNs;
    auto text = [this](StringId id) {
        const std::string_view v = data_->str(id);
        return QString::fromUtf8(v.data(), static_cast<qsizetype>(v.size()));
    };
    auto statusText = [](SpanStatus status) {
        switch (status) {
        case SpanStatus::Error: return tr("error");
        case SpanStatus::Ok: return tr("ok");
        case SpanStatus::Unset: break;
        }
        return tr("unset");
    };
    switch (role) {
    case SpanRowRole: return row;
    case SortRole:
        switch (column) {
        case Start: return static_cast<qlonglong>(startOffset);
        case Duration: return static_cast<qlonglong>(s.durationNs[row]);
        case SelfTime: return static_cast<qlonglong>(layout_->selfNs[i]);
        default: break;
        }
        [[fallthrough]];
    case Qt::DisplayRole:
        switch (column) {
        case Name: return text(s.name[row]);
        case Kind: return palette::spanKindLabel(s.kind[row]);
        case Service: return text(s.service[row]);
        case Start: return QString(QStringLiteral("+") + fmt::durationNs(startOffset));
        case Duration: return fmt::durationNs(s.durationNs[row]);
        case SelfTime: return fmt::durationNs(layout_->selfNs[i]);
        case Status: return statusText(s.status[row]);
        case ColumnCount: break;
        }
        return {};
    case Qt::DecorationRole:
        return column == Name ? QVariant(palette::spanKindColor(s.kind[row])) : QVariant();
    case Qt::ForegroundRole:
        return s.status[row] == SpanStatus::Error ? QVariant(palette::errorColor()) : QVariant();
    case Qt::TextAlignmentRole:
        return column >= Start && column <= SelfTime ? QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter)
                                                     : QVariant();
    case Qt::AccessibleDescriptionRole:
        if (column == Name) {
            return tr("%1 span, %2, %3").arg(palette::spanKindLabel(s.kind[row]), fmt::durationNs(s.durationNs[row]),
                                              statusText(s.status[row]));
        }
        return {};
    default: return {};
    }
}

QVariant SpanTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (static_cast<Column>(section)) {
    case Name: return tr("Span");
    case Kind: return tr("Kind");
    case Service: return tr("Service");
    case Start: return tr("Start");
    case Duration: return tr("Duration");
    case SelfTime: return tr("Self time");
    case Status: return tr("Status");
    case ColumnCount: break;
    }
    return {};
}

}  // namespace ps
