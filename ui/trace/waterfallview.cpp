#include "waterfallview.h"

#include <QFutureWatcher>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

#include "waterfallcornerbar.h"
#include "waterfallpainter.h"
#include "waterfallsnapshot.h"
#include "waterfalltext.h"
#include "viewporttooltip.h"

namespace ps::trace {

WaterfallView::WaterfallView(QWidget* parent) : QAbstractScrollArea(parent) {
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setMouseTracking(true);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    connect(horizontalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        if (!updatingScrollBars_ && layout_) {
            windowChanged(window_.scrollTo(value));
        }
    });
    corner_ = new WaterfallCornerBar(viewport());
    connect(corner_, &WaterfallCornerBar::fitClicked, this, &WaterfallView::fit);
    connect(corner_, &WaterfallCornerBar::slowestClicked, this, &WaterfallView::selectSlowestSpan);
    connect(corner_, &WaterfallCornerBar::criticalPathToggled, this, &WaterfallView::setCriticalPathShown);
    updateButtons();
}

void WaterfallView::setTrace(DatasetPtr data, RequestIndex request) {
    data_ = std::move(data);
    request_ = data_ && request.isValid() && request.value < data_->requestCount() ? request : RequestIndex{};
    options_.collapsed.clear();
    layout_.reset();
    result_.reset();
    selected_ = SpanIndex::kInvalid;
    hover_ = SpanIndex::kInvalid;
    pendingSelect_ = SpanIndex::kInvalid;
    fitOnLayout_ = true;
    verticalScrollBar()->setValue(0);
    relayout();
}

void WaterfallView::setLayoutOptions(const LayoutOptions& options) {
    options_ = options;
    std::sort(options_.collapsed.begin(), options_.collapsed.end());
    relayout();
}

void WaterfallView::setHideRules(const LayoutOptions& rules) {
    LayoutOptions next = rules;
    next.collapsed = options_.collapsed;
    setLayoutOptions(next);
}

void WaterfallView::relayout() {
    const quint64 job = ++job_;
    if (!data_ || !request_.isValid()) {
        pendingJob_ = 0;
        updateScrollBars();
        updateButtons();
        viewport()->update();
        return;
    }
    const size_t spans = data_->spanEnd(request_) - data_->requests.firstSpan[request_.value];
    if (spans <= kSynchronousLayoutLimit) {
        pendingJob_ = 0;
        applyLayout(makeWaterfallSnapshot(data_, request_, options_, job));
        return;
    }
    // A superseded job still runs to its end (layoutTrace cannot be interrupted); its result is dropped by id.
    pendingJob_ = job;
    using Watcher = QFutureWatcher<std::shared_ptr<const WaterfallSnapshot>>;
    auto* watcher = new Watcher(this);
    connect(watcher, &Watcher::finished, this, [this, watcher] {
        watcher->deleteLater();
        applyLayout(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(&makeWaterfallSnapshot, data_, request_, options_, job));
    viewport()->update();
}

void WaterfallView::applyLayout(const std::shared_ptr<const WaterfallSnapshot>& result) {
    if (!result || result->job != job_) {
        return;
    }
    pendingJob_ = 0;
    result_ = result;
    layout_ = result->layout;
    window_.setBounds(layout_->beginNs, layout_->endNs);
    if (fitOnLayout_) {
        fitOnLayout_ = false;
        window_.fit();
    }
    windowChanged(true);
    if (pendingSelect_ != SpanIndex::kInvalid) {
        const uint32_t row = pendingSelect_;
        pendingSelect_ = SpanIndex::kInvalid;
        selectSpan(row);
    } else if (selected_ != SpanIndex::kInvalid && !layout_->isVisible(selected_)) {
        select(nearestShown(selected_));
    }
    updateScrollBars();
    updateButtons();
    viewport()->update();
    Q_EMIT layoutChanged();
}

uint32_t WaterfallView::nearestShown(uint32_t row) const {
    if (!layout_ || row < layout_->firstRow || row >= layout_->endRow) {
        return SpanIndex::kInvalid;
    }
    while (row != SpanIndex::kInvalid && !layout_->isVisible(row)) {
        row = layout_->depth[layout_->local(row)] == 0 ? SpanIndex::kInvalid : data_->spans.parent[row];
    }
    return row;
}

void WaterfallView::fit() { windowChanged(window_.fit()); }

void WaterfallView::zoomTo(int64_t beginNs, int64_t endNs) {
    windowChanged(window_.set(std::min(beginNs, endNs), std::max(beginNs, endNs)));
}

void WaterfallView::zoomAround(double x, double factor) {
    if (x < geometry_.timeLeft() || x > geometry_.timeLeft() + geometry_.timeWidth()) {
        x = geometry_.timeLeft() + geometry_.timeWidth() / 2.0;
    }
    windowChanged(window_.zoomAround(geometry_.timeAt(x, window_.begin(), window_.end()), factor));
}

void WaterfallView::windowChanged(bool changed) {
    updateScrollBars();
    viewport()->update();
    if (changed) {
        Q_EMIT viewRangeChanged(window_.begin(), window_.end());
    }
}

void WaterfallView::updateScrollBars() {
    updatingScrollBars_ = true;
    const size_t rows = layout_ ? layout_->visibleRows.size() : 0;
    const int fullRows = std::max(1, geometry_.rowsRect().height() / WaterfallGeometry::kRowHeight);
    verticalScrollBar()->setRange(0, static_cast<int>(std::max<size_t>(rows, static_cast<size_t>(fullRows)) -
                                                      static_cast<size_t>(fullRows)));
    verticalScrollBar()->setPageStep(fullRows);
    const int page = window_.scrollPage();
    horizontalScrollBar()->setRange(0, TimeWindow::kScrollUnits - page);
    horizontalScrollBar()->setPageStep(page);
    horizontalScrollBar()->setSingleStep(std::max(1, page / 10));
    horizontalScrollBar()->setValue(window_.scrollValue());
    updatingScrollBars_ = false;
}

void WaterfallView::updateButtons() {
    corner_->setReady(layout_ && layout_->spanCount() > 0, layout_ && layout_->slowestRow != SpanIndex::kInvalid);
    corner_->fitInto(geometry_.treeWidth - 10);
    corner_->move(6, std::max(1, (WaterfallGeometry::kMinimapHeight - corner_->height()) / 2));
}

size_t WaterfallView::firstVisibleRow() const { return static_cast<size_t>(std::max(0, verticalScrollBar()->value())); }

void WaterfallView::select(uint32_t row) {
    if (row == selected_) {
        return;
    }
    selected_ = row;
    viewport()->update();
    Q_EMIT spanSelected(row);
}

void WaterfallView::selectSpan(uint32_t row) {
    if (pendingJob_ != 0) {
        pendingSelect_ = row;  // applied when the layout arrives
        return;
    }
    if (!layout_ || row < layout_->firstRow || row >= layout_->endRow) {
        select(SpanIndex::kInvalid);
        return;
    }
    bool expanded = false;
    for (uint32_t p = row; layout_->depth[layout_->local(p)] > 0;) {
        p = data_->spans.parent[p];
        const auto it = std::lower_bound(options_.collapsed.begin(), options_.collapsed.end(), p);
        if (it != options_.collapsed.end() && *it == p) {
            options_.collapsed.erase(it);
            expanded = true;
        }
    }
    if (expanded) {
        pendingSelect_ = row;
        relayout();
        return;
    }
    select(nearestShown(row));
    scrollToRow(selected_);
    revealBar(selected_);
}

void WaterfallView::selectSlowestSpan() {
    if (layout_ && layout_->slowestRow != SpanIndex::kInvalid) {
        selectSpan(layout_->slowestRow);
    }
}

bool WaterfallView::isCollapsed(uint32_t row) const {
    return std::binary_search(options_.collapsed.begin(), options_.collapsed.end(), row);
}

void WaterfallView::setCollapsed(uint32_t row, bool collapsed) {
    if (isCollapsed(row) == collapsed) {
        return;
    }
    auto it = std::lower_bound(options_.collapsed.begin(), options_.collapsed.end(), row);
    if (collapsed) {
        options_.collapsed.insert(it, row);
    } else {
        options_.collapsed.erase(it);
    }
    relayout();
}

void WaterfallView::setCriticalPathShown(bool shown) {
    showCriticalPath_ = shown;
    corner_->setCriticalPathChecked(shown);
    viewport()->update();
}

void WaterfallView::scrollToRow(uint32_t row) {
    if (!layout_ || row == SpanIndex::kInvalid) {
        return;
    }
    const size_t d = layout_->displayIndexOf(row);
    if (d == SIZE_MAX) {
        return;
    }
    const auto fullRows = static_cast<size_t>(std::max(1, geometry_.rowsRect().height() / WaterfallGeometry::kRowHeight));
    const size_t first = firstVisibleRow();
    if (d < first) {
        verticalScrollBar()->setValue(static_cast<int>(d));
    } else if (d >= first + fullRows) {
        verticalScrollBar()->setValue(static_cast<int>(d + 1 - fullRows));
    }
}

void WaterfallView::revealBar(uint32_t row) {
    if (layout_ && row != SpanIndex::kInvalid) {
        const int64_t s = data_->spans.startNs[row];
        windowChanged(window_.reveal(s, s + data_->spans.durationNs[row]));
    }
}

void WaterfallView::zoomToSpan(uint32_t row) {
    const int64_t s = data_->spans.startNs[row];
    const int64_t d = data_->spans.durationNs[row];
    const int64_t pad = std::max<int64_t>(d / 20, TimeWindow::kMinWidthNs);
    zoomTo(s - pad, s + d + pad);
}

void WaterfallView::moveSelection(ptrdiff_t steps) {
    if (!layout_ || layout_->visibleRows.empty()) {
        return;
    }
    const auto& rows = layout_->visibleRows;
    size_t d = selected_ == SpanIndex::kInvalid ? SIZE_MAX : layout_->displayIndexOf(selected_);
    if (d == SIZE_MAX) {
        d = std::min(firstVisibleRow(), rows.size() - 1);
    } else {
        const auto next = static_cast<ptrdiff_t>(d) + steps;
        d = static_cast<size_t>(std::clamp<ptrdiff_t>(next, 0, static_cast<ptrdiff_t>(rows.size()) - 1));
    }
    select(rows[d]);
    scrollToRow(rows[d]);
}

void WaterfallView::moveMinimapWindow(int x) {
    const QRect area = geometry_.minimapRect().adjusted(WaterfallGeometry::kBarsMargin, 0, -WaterfallGeometry::kBarsMargin, 0);
    if (area.width() > 0) {
        windowChanged(window_.centreOn(static_cast<double>(x - area.left()) / area.width()));
    }
}

uint32_t WaterfallView::spanAt(const QPoint& pos) const {
    const int screenRow = geometry_.screenRowAt(pos.y());
    if (!layout_ || screenRow < 0 || pos.x() < 0 || pos.x() >= geometry_.width) {
        return SpanIndex::kInvalid;
    }
    const size_t d = firstVisibleRow() + static_cast<size_t>(screenRow);
    return d < layout_->visibleRows.size() ? layout_->visibleRows[d] : SpanIndex::kInvalid;
}

QRect WaterfallView::rowRect(uint32_t row) const {
    if (!layout_ || row == SpanIndex::kInvalid) {
        return {};
    }
    const size_t d = layout_->displayIndexOf(row);
    const size_t first = firstVisibleRow();
    if (d == SIZE_MAX || d < first || d >= first + static_cast<size_t>(geometry_.visibleRowCount())) {
        return {};
    }
    return {0, geometry_.rowTop(static_cast<int>(d - first)), geometry_.width, WaterfallGeometry::kRowHeight};
}

QRect WaterfallView::barRect(uint32_t row) const {
    const QRect r = rowRect(row);
    if (r.isEmpty()) {
        return {};
    }
    const size_t d = layout_->displayIndexOf(row);
    const auto bars = barsForPixels(*layout_, *data_, window_.begin(), window_.end(), geometry_.timeWidth(), d, 1);
    if (bars.empty()) {
        return {};
    }
    const int h = WaterfallGeometry::kBarHeight;
    return {geometry_.timeLeft() + bars[0].x, r.top() + (r.height() - h) / 2, bars[0].width, h};
}

bool WaterfallView::onTriangle(uint32_t row, int x) const {
    const size_t d = layout_->displayIndexOf(row);
    if (d == SIZE_MAX || layout_->subtreeEnd[layout_->local(row)] <= row + 1) {
        return false;
    }
    const int left = geometry_.indentLeft(layout_->visibleDepth[d]);
    return x >= left - 3 && x <= left + 13;
}

QString WaterfallView::spanToolTip(uint32_t row) const {
    return layout_ ? spanToolTipText(*data_, *layout_, row) : QString();
}

void WaterfallView::paintEvent(QPaintEvent*) {
    QPainter painter(viewport());
    WaterfallFrame frame;
    frame.data = data_.get();
    frame.layout = layout_.get();
    frame.geometry = geometry_;
    frame.viewBeginNs = window_.begin();
    frame.viewEndNs = window_.end();
    frame.firstRow = firstVisibleRow();
    frame.selectedRow = selected_;
    frame.hoverRow = hover_;
    frame.showCriticalPath = showCriticalPath_;
    if (drag_ == Drag::AxisRange) {
        frame.rangeFromX = rangeFrom_;
        frame.rangeToX = rangeTo_;
    }
    if (result_) {
        frame.minimap = &result_->minimap;
        frame.errorStarts = &result_->errorStarts;
        frame.kindsPresent = result_->kinds;
    }
    if (!data_ || !request_.isValid()) {
        frame.message = tr("No trace selected");
    } else if (!layout_) {
        frame.message = waterfallPendingText(data_->spanEnd(request_) - data_->requests.firstSpan[request_.value]);
    }
    frame.status = layout_ ? waterfallStatusText(*layout_, window_.width()) : QString();
    WaterfallPainter(painter, frame).paint();
}

void WaterfallView::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    geometry_.width = viewport()->width();
    geometry_.height = viewport()->height();
    geometry_.setTreeWidth(geometry_.treeWidth);
    updateScrollBars();
    updateButtons();
}

void WaterfallView::scrollContentsBy(int, int) {
    // The header and footer are painted in the viewport too: repaint instead of scrolling pixels.
    viewport()->update();
}

void WaterfallView::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    const QPoint pos = event->position().toPoint();
    pressPos_ = pos;
    pressBegin_ = window_.begin();
    pressEnd_ = window_.end();
    pressScroll_ = verticalScrollBar()->value();
    dragMoved_ = false;
    if (geometry_.onSplitter(pos.x(), pos.y())) {
        drag_ = Drag::Splitter;
    } else if (!layout_) {
        drag_ = Drag::None;
    } else if (geometry_.minimapRect().contains(pos)) {
        drag_ = Drag::Minimap;
        moveMinimapWindow(pos.x());
    } else if (geometry_.axisRect().contains(pos)) {
        drag_ = Drag::AxisRange;
        rangeFrom_ = rangeTo_ = pos.x();
    } else if (geometry_.rowsRect().contains(pos)) {
        const uint32_t row = spanAt(pos);
        if (pos.x() < geometry_.treeWidth) {
            if (row != SpanIndex::kInvalid && onTriangle(row, pos.x())) {
                setCollapsed(row, !isCollapsed(row));
            } else {
                select(row);
            }
            drag_ = Drag::None;
        } else {
            drag_ = Drag::Pan;
        }
    }
}

void WaterfallView::mouseMoveEvent(QMouseEvent* event) {
    const QPoint pos = event->position().toPoint();
    switch (drag_) {
    case Drag::Splitter:
        geometry_.setTreeWidth(pos.x());
        updateButtons();
        viewport()->update();
        return;
    case Drag::Pan: {
        const QPoint delta = pos - pressPos_;
        dragMoved_ = dragMoved_ || delta.manhattanLength() > 3;
        if (!dragMoved_) {
            return;
        }
        const auto shift = std::llround(static_cast<double>(delta.x()) / geometry_.timeWidth() *
                                        static_cast<double>(pressEnd_ - pressBegin_));
        windowChanged(window_.set(pressBegin_ - shift, pressEnd_ - shift));
        verticalScrollBar()->setValue(pressScroll_ - delta.y() / WaterfallGeometry::kRowHeight);
        return;
    }
    case Drag::AxisRange:
        rangeTo_ = std::clamp(pos.x(), geometry_.timeLeft(), geometry_.timeLeft() + geometry_.timeWidth());
        viewport()->update();
        return;
    case Drag::Minimap:
        moveMinimapWindow(pos.x());
        return;
    case Drag::None: break;
    }
    const uint32_t hover = geometry_.rowsRect().contains(pos) ? spanAt(pos) : SpanIndex::kInvalid;
    if (hover != hover_) {
        hover_ = hover;
        viewport()->update();
    }
    viewport()->setCursor(geometry_.onSplitter(pos.x(), pos.y()) ? Qt::SplitHCursor : Qt::ArrowCursor);
}

void WaterfallView::mouseReleaseEvent(QMouseEvent* event) {
    const QPoint pos = event->position().toPoint();
    const Drag drag = drag_;
    drag_ = Drag::None;
    if (drag == Drag::AxisRange) {
        if (std::abs(rangeTo_ - rangeFrom_) >= 4) {
            zoomTo(geometry_.timeAt(std::min(rangeFrom_, rangeTo_), window_.begin(), window_.end()),
                   geometry_.timeAt(std::max(rangeFrom_, rangeTo_), window_.begin(), window_.end()));
        }
        rangeFrom_ = rangeTo_ = -1;
        viewport()->update();
    } else if (drag == Drag::Pan && !dragMoved_) {
        select(spanAt(pos));
    }
}

void WaterfallView::mouseDoubleClickEvent(QMouseEvent* event) {
    const QPoint pos = event->position().toPoint();
    const uint32_t row = geometry_.rowsRect().contains(pos) ? spanAt(pos) : SpanIndex::kInvalid;
    if (row == SpanIndex::kInvalid || (pos.x() < geometry_.treeWidth && onTriangle(row, pos.x()))) {
        return;
    }
    select(row);
    zoomToSpan(row);
    Q_EMIT spanActivated(row);
}

void WaterfallView::wheelEvent(QWheelEvent* event) {
    const QPoint pos = event->position().toPoint();
    const QPoint angle = event->angleDelta();
    const bool overHeader = pos.y() < geometry_.headerHeight() && pos.x() >= geometry_.treeWidth;
    if (!layout_) {
        return;
    }
    if ((event->modifiers() & Qt::ControlModifier) != 0 || overHeader) {
        zoomAround(pos.x(), std::pow(0.8, angle.y() / 120.0));
    } else if ((event->modifiers() & Qt::ShiftModifier) != 0 || angle.x() != 0) {
        const int notches = angle.x() != 0 ? angle.x() : angle.y();
        windowChanged(window_.panBy(std::llround(-notches / 120.0 * 0.1 * static_cast<double>(window_.width()))));
    } else {
        QAbstractScrollArea::wheelEvent(event);
        return;
    }
    event->accept();
}

void WaterfallView::keyPressEvent(QKeyEvent* event) {
    const int page = std::max(1, geometry_.rowsRect().height() / WaterfallGeometry::kRowHeight - 1);
    const bool hasSelection = layout_ && selected_ != SpanIndex::kInvalid;
    switch (event->key()) {
    case Qt::Key_Up: moveSelection(-1); break;
    case Qt::Key_Down: moveSelection(1); break;
    case Qt::Key_PageUp: moveSelection(-page); break;
    case Qt::Key_PageDown: moveSelection(page); break;
    case Qt::Key_Home: moveSelection(-static_cast<ptrdiff_t>(layout_ ? layout_->visibleRows.size() : 0)); break;
    case Qt::Key_End: moveSelection(static_cast<ptrdiff_t>(layout_ ? layout_->visibleRows.size() : 0)); break;
    case Qt::Key_Left:
        if (hasSelection) {
            const bool parentOfOthers = layout_->subtreeEnd[layout_->local(selected_)] > selected_ + 1;
            if (parentOfOthers && !isCollapsed(selected_)) {
                setCollapsed(selected_, true);
            } else if (layout_->depth[layout_->local(selected_)] > 0) {
                select(data_->spans.parent[selected_]);
                scrollToRow(selected_);
            }
        }
        break;
    case Qt::Key_Right:
        if (hasSelection) {
            if (isCollapsed(selected_)) {
                setCollapsed(selected_, false);
            } else if (layout_->subtreeEnd[layout_->local(selected_)] > selected_ + 1 &&
                       layout_->isVisible(selected_ + 1)) {
                select(selected_ + 1);
                scrollToRow(selected_);
            }
        }
        break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (hasSelection) {
            zoomToSpan(selected_);
            Q_EMIT spanActivated(selected_);
        }
        break;
    case Qt::Key_F: fit(); break;
    case Qt::Key_S: selectSlowestSpan(); break;
    case Qt::Key_C: setCriticalPathShown(!showCriticalPath_); break;
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomAround(-1, 0.5); break;
    case Qt::Key_Minus: zoomAround(-1, 2.0); break;
    case Qt::Key_Escape:
        if (drag_ == Drag::AxisRange) {
            drag_ = Drag::None;
            rangeFrom_ = rangeTo_ = -1;
            viewport()->update();
        } else {
            event->ignore();
        }
        break;
    default: QAbstractScrollArea::keyPressEvent(event); return;
    }
}

void WaterfallView::leaveEvent(QEvent* event) {
    QAbstractScrollArea::leaveEvent(event);
    if (hover_ != SpanIndex::kInvalid) {
        hover_ = SpanIndex::kInvalid;
        viewport()->update();
    }
}

bool WaterfallView::viewportEvent(QEvent* event) {
    const auto textAt = [this](QPoint pos) {
        return geometry_.rowsRect().contains(pos) ? spanToolTip(spanAt(pos)) : waterfallAreaToolTip(geometry_, pos);
    };
    return handleViewportToolTip(event, viewport(), textAt) || QAbstractScrollArea::viewportEvent(event);
}

}  // namespace ps::trace
