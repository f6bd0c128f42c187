#include "waterfallview.h"

#include <QFutureWatcher>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolButton>
#include <QToolTip>
#include <QWheelEvent>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

#include "format.h"
#include "spankindpalette.h"
#include "waterfallpainter.h"

namespace ps::trace {
namespace {

constexpr int64_t kMinWindowNs = 100;
constexpr int kMinimapBuckets = 2048;
constexpr int kScrollUnits = 100000;  // the horizontal scroll bar's scale for the whole trace
constexpr size_t kMaxErrorMarks = 20000;

QString fromUtf8(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

}  // namespace

// Everything computed per layout off the GUI thread: the layout, the minimap buckets, where the failed spans
// start and which kinds occur (for the legend).
struct WaterfallView::LayoutResult {
    quint64 job = 0;
    std::shared_ptr<const TraceLayout> layout;
    std::vector<uint32_t> minimap;
    std::vector<int64_t> errorStarts;
    uint32_t kinds = 0;
};

WaterfallView::WaterfallView(QWidget* parent) : QAbstractScrollArea(parent) {
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setMouseTracking(true);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    verticalScrollBar()->setSingleStep(1);
    connect(horizontalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        if (updatingScrollBars_ || !layout_) {
            return;
        }
        const int64_t width = viewEnd_ - viewBegin_;
        const auto range = static_cast<double>(traceEnd() - traceBegin());
        const int64_t begin = traceBegin() + std::llround(value / double(kScrollUnits) * range);
        setView(begin, begin + width);
    });
    auto makeButton = [this](const QString& text, const QString& tip) {
        auto* b = new QToolButton(viewport());
        b->setText(text);
        b->setToolTip(tip);
        b->setFocusPolicy(Qt::NoFocus);
        return b;
    };
    fitButton_ = makeButton(tr("Fit"), tr("Show the whole trace (F)"));
    slowestButton_ = makeButton(tr("Slowest span"), tr("Select the slowest span and scroll to it (S)"));
    connect(fitButton_, &QToolButton::clicked, this, &WaterfallView::fit);
    connect(slowestButton_, &QToolButton::clicked, this, &WaterfallView::selectSlowestSpan);
    updateButtons();
}

WaterfallView::~WaterfallView() = default;

QSize WaterfallView::sizeHint() const { return {1000, 520}; }

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

std::shared_ptr<const WaterfallView::LayoutResult> WaterfallView::computeLayout(const DatasetPtr& data,
                                                                                RequestIndex request,
                                                                                const LayoutOptions& options,
                                                                                quint64 job) {
    auto result = std::make_shared<LayoutResult>();
    result->job = job;
    auto layout = std::make_shared<TraceLayout>(layoutTrace(*data, request, options));
    result->minimap = minimap(*layout, *data, kMinimapBuckets);
    for (uint32_t row = layout->firstRow; row < layout->endRow; ++row) {
        result->kinds |= kindBit(data->spans.kind[row]);
        if ((layout->flags[layout->local(row)] & kSpanError) != 0 && result->errorStarts.size() < kMaxErrorMarks) {
            result->errorStarts.push_back(data->spans.startNs[row]);
        }
    }
    result->layout = std::move(layout);
    return result;
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
        applyLayout(computeLayout(data_, request_, options_, job));
        return;
    }
    // A superseded job still runs to its end (layoutTrace cannot be interrupted); its result is dropped by id.
    pendingJob_ = job;
    using Watcher = QFutureWatcher<std::shared_ptr<const LayoutResult>>;
    auto* watcher = new Watcher(this);
    connect(watcher, &Watcher::finished, this, [this, watcher] {
        watcher->deleteLater();
        applyLayout(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(&WaterfallView::computeLayout, data_, request_, options_, job));
    viewport()->update();
}

void WaterfallView::applyLayout(const std::shared_ptr<const LayoutResult>& result) {
    if (!result || result->job != job_) {
        return;
    }
    pendingJob_ = 0;
    result_ = result;
    layout_ = result->layout;
    if (fitOnLayout_) {
        fitOnLayout_ = false;
        viewBegin_ = traceBegin();
        viewEnd_ = traceEnd();
    }
    setView(viewBegin_, viewEnd_);
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

int64_t WaterfallView::traceBegin() const { return layout_ && layout_->spanCount() ? layout_->beginNs : 0; }

int64_t WaterfallView::traceEnd() const {
    const int64_t begin = traceBegin();
    const int64_t end = layout_ && layout_->spanCount() ? layout_->endNs : begin;
    return std::max(end, begin + 1000);  // a trace of zero-length spans still gets a microsecond of axis
}

void WaterfallView::fit() { setView(traceBegin(), traceEnd()); }

void WaterfallView::zoomTo(int64_t beginNs, int64_t endNs) {
    if (endNs < beginNs) {
        std::swap(beginNs, endNs);
    }
    setView(beginNs, endNs);
}

void WaterfallView::zoomAround(double x, double factor) {
    const int64_t width = viewEnd_ - viewBegin_;
    if (x < geometry_.timeLeft() || x > geometry_.timeLeft() + geometry_.timeWidth()) {
        x = geometry_.timeLeft() + geometry_.timeWidth() / 2.0;
    }
    const int64_t pivot = geometry_.timeAt(x, viewBegin_, viewEnd_);
    const auto next = std::max<int64_t>(kMinWindowNs, std::llround(static_cast<double>(width) * factor));
    const double share = static_cast<double>(pivot - viewBegin_) / static_cast<double>(std::max<int64_t>(1, width));
    const int64_t begin = pivot - std::llround(share * static_cast<double>(next));
    setView(begin, begin + next);
}

void WaterfallView::setView(int64_t beginNs, int64_t endNs) {
    const int64_t lo = traceBegin();
    const int64_t hi = traceEnd();
    int64_t width = std::clamp<int64_t>(endNs - beginNs, kMinWindowNs, hi - lo);
    if (width >= hi - lo) {
        beginNs = lo;
        width = hi - lo;
    }
    beginNs = std::clamp(beginNs, lo, hi - width);
    const bool changed = beginNs != viewBegin_ || beginNs + width != viewEnd_;
    viewBegin_ = beginNs;
    viewEnd_ = beginNs + width;
    updateScrollBars();
    viewport()->update();
    if (changed) {
        Q_EMIT viewRangeChanged(viewBegin_, viewEnd_);
    }
}

void WaterfallView::updateScrollBars() {
    updatingScrollBars_ = true;
    const size_t rows = layout_ ? layout_->visibleRows.size() : 0;
    const int fullRows = std::max(1, geometry_.rowsRect().height() / WaterfallGeometry::kRowHeight);
    verticalScrollBar()->setRange(0, static_cast<int>(std::max<size_t>(rows, static_cast<size_t>(fullRows)) -
                                                      static_cast<size_t>(fullRows)));
    verticalScrollBar()->setPageStep(fullRows);
    const auto range = static_cast<double>(traceEnd() - traceBegin());
    const int page = std::clamp(static_cast<int>(std::llround(static_cast<double>(viewEnd_ - viewBegin_) / range *
                                                              kScrollUnits)),
                                1, kScrollUnits);
    horizontalScrollBar()->setRange(0, kScrollUnits - page);
    horizontalScrollBar()->setPageStep(page);
    horizontalScrollBar()->setSingleStep(std::max(1, page / 10));
    horizontalScrollBar()->setValue(
        static_cast<int>(std::llround(static_cast<double>(viewBegin_ - traceBegin()) / range * kScrollUnits)));
    updatingScrollBars_ = false;
}

void WaterfallView::updateButtons() {
    const bool ready = layout_ && layout_->spanCount() > 0;
    fitButton_->setEnabled(ready);
    slowestButton_->setEnabled(ready && layout_->slowestRow != SpanIndex::kInvalid);
    const int y = (WaterfallGeometry::kMinimapHeight - fitButton_->sizeHint().height()) / 2;
    fitButton_->move(6, std::max(1, y));
    slowestButton_->move(fitButton_->geometry().right() + 6, std::max(1, y));
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
    if (!layout_ || row == SpanIndex::kInvalid) {
        return;
    }
    const int64_t s = data_->spans.startNs[row];
    const int64_t e = s + data_->spans.durationNs[row];
    if (s >= viewBegin_ && e <= viewEnd_) {
        return;
    }
    const int64_t width = viewEnd_ - viewBegin_;
    if (e - s > width) {
        const int64_t pad = (e - s) / 20;
        zoomTo(s - pad, e + pad);
    } else {
        setView((s + e) / 2 - width / 2, (s + e) / 2 - width / 2 + width);
    }
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
    if (area.width() <= 0) {
        return;
    }
    const double share = std::clamp(static_cast<double>(x - area.left()) / area.width(), 0.0, 1.0);
    const int64_t center = traceBegin() + std::llround(share * static_cast<double>(traceEnd() - traceBegin()));
    const int64_t width = viewEnd_ - viewBegin_;
    setView(center - width / 2, center - width / 2 + width);
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
    const auto bars = barsForPixels(*layout_, *data_, viewBegin_, viewEnd_, geometry_.timeWidth(), d, 1);
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
    const auto maxLevels = static_cast<uint32_t>(std::max(0, (geometry_.treeWidth - 150) / WaterfallGeometry::kIndent));
    const int left = 6 + static_cast<int>(std::min(layout_->visibleDepth[d], maxLevels)) * WaterfallGeometry::kIndent;
    return x >= left - 3 && x <= left + 13;
}

QString WaterfallView::statusText() const {
    if (!layout_ || layout_->spanCount() == 0) {
        return {};
    }
    const QLocale locale;
    QString text = layout_->spanCount() == 1 ? tr("1 span")
                                             : tr("%1 spans").arg(locale.toString(static_cast<qulonglong>(layout_->spanCount())));
    if (layout_->visibleRows.size() != layout_->spanCount()) {
        text += tr(", %1 shown").arg(locale.toString(static_cast<qulonglong>(layout_->visibleRows.size())));
    }
    text += tr(" · trace %1 · view %2")
                .arg(fmt::durationNs(layout_->endNs - layout_->beginNs), fmt::durationNs(viewEnd_ - viewBegin_));
    return text;
}

QString WaterfallView::spanToolTip(uint32_t row) const {
    if (!layout_ || row < layout_->firstRow || row >= layout_->endRow) {
        return {};
    }
    const auto& s = data_->spans;
    const size_t i = layout_->local(row);
    const uint8_t flags = layout_->flags[i];
    QStringList lines;
    QString head = QStringLiteral("<b>%1</b> — %2").arg(fromUtf8(data_->str(s.name[row])).toHtmlEscaped(),
                                                         palette::spanKindLabel(s.kind[row]));
    if (!s.service[row].isEmpty()) {
        head += QStringLiteral(", ") + fromUtf8(data_->str(s.service[row])).toHtmlEscaped();
    }
    lines << head;
    lines << tr("Total time: %1").arg(fmt::durationNs(s.durationNs[row]));
    lines << tr("Self time: %1").arg(fmt::durationNs(layout_->selfNs[i]));
    lines << tr("Starts at: +%1").arg(fmt::durationNs(s.startNs[row] - layout_->beginNs));
    const auto& gen = data_->generations;
    const auto g = std::lower_bound(gen.span.begin(), gen.span.end(), row);
    if (g != gen.span.end() && *g == row) {
        const auto k = static_cast<size_t>(g - gen.span.begin());
        lines << tr("Model: %1, %2 in / %3 out tokens, %4")
                     .arg(fromUtf8(data_->str(gen.model[k])).toHtmlEscaped(), fmt::tokens(gen.inputTokens[k]),
                          fmt::tokens(gen.outputTokens[k]), fmt::usd(gen.costUsd[k]));
    }
    if ((flags & kSpanError) != 0) {
        const auto& err = data_->errors;
        const auto e = std::lower_bound(err.span.begin(), err.span.end(), row);
        QString what;
        if (e != err.span.end() && *e == row) {
            const auto k = static_cast<size_t>(e - err.span.begin());
            what = fromUtf8(data_->str(err.type[k])) + QStringLiteral(": ") + fromUtf8(data_->str(err.message[k]));
        }
        lines << QStringLiteral("<span style='color:#dc2626'>%1</span>")
                     .arg(tr("Error %1").arg(what.toHtmlEscaped()).trimmed());
    }
    if ((flags & kSpanFailedEval) != 0) {
        lines << QStringLiteral("<span style='color:#dc2626'>%1</span>").arg(tr("Failed eval"));
    }
    if ((flags & kSpanSlowest) != 0) {
        lines << tr("The slowest span of the trace");
    }
    if ((flags & kSpanCriticalPath) != 0) {
        lines << tr("On the critical path");
    }
    if ((flags & kSpanCollapsed) != 0) {
        lines << tr("Collapsed: %1 spans inside").arg(QLocale().toString(static_cast<qulonglong>(layout_->subtreeEnd[i] - row - 1)));
    }
    return lines.join(QStringLiteral("<br>"));
}

void WaterfallView::paintEvent(QPaintEvent*) {
    QPainter painter(viewport());
    WaterfallFrame frame;
    frame.data = data_.get();
    frame.layout = layout_.get();
    frame.geometry = geometry_;
    frame.viewBeginNs = viewBegin_;
    frame.viewEndNs = viewEnd_;
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
        frame.message = tr("Laying out %1 spans…")
                            .arg(QLocale().toString(static_cast<qulonglong>(data_->spanEnd(request_) - data_->requests.firstSpan[request_.value])));
    }
    frame.status = statusText();
    WaterfallPainter(painter, frame).paint();
}

void WaterfallView::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    geometry_.width = viewport()->width();
    geometry_.height = viewport()->height();
    geometry_.treeWidth = std::clamp(geometry_.treeWidth, WaterfallGeometry::kMinTreeWidth,
                                     std::max(WaterfallGeometry::kMinTreeWidth, geometry_.width - 200));
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
    pressBegin_ = viewBegin_;
    pressEnd_ = viewEnd_;
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
        geometry_.treeWidth = std::clamp(pos.x(), WaterfallGeometry::kMinTreeWidth,
                                         std::max(WaterfallGeometry::kMinTreeWidth, geometry_.width - 200));
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
        setView(pressBegin_ - shift, pressEnd_ - shift);
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
            zoomTo(geometry_.timeAt(std::min(rangeFrom_, rangeTo_), viewBegin_, viewEnd_),
                   geometry_.timeAt(std::max(rangeFrom_, rangeTo_), viewBegin_, viewEnd_));
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
    const int64_t s = data_->spans.startNs[row];
    const int64_t pad = std::max<int64_t>(data_->spans.durationNs[row] / 20, kMinWindowNs);
    zoomTo(s - pad, s + data_->spans.durationNs[row] + pad);
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
        const auto shift = std::llround(-notches / 120.0 * 0.1 * static_cast<double>(viewEnd_ - viewBegin_));
        setView(viewBegin_ + shift, viewEnd_ + shift);
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
            const int64_t s = data_->spans.startNs[selected_];
            const int64_t d = data_->spans.durationNs[selected_];
            const int64_t pad = std::max<int64_t>(d / 20, kMinWindowNs);
            zoomTo(s - pad, s + d + pad);
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
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QPoint pos = help->pos();
        QString text;
        if (geometry_.minimapRect().contains(pos)) {
            text = tr("The whole trace; the framed part is on screen. Click or drag to move, wheel to zoom.");
        } else if (geometry_.axisRect().contains(pos)) {
            text = tr("Drag to zoom into a time range; wheel to zoom; F to fit.");
        } else if (geometry_.rowsRect().contains(pos)) {
            text = spanToolTip(spanAt(pos));
        } else if (geometry_.footerRect().contains(pos)) {
            text = tr("Critical path: from the root, the child that ends last at each level (C shows or hides it).");
        }
        if (text.isEmpty()) {
            QToolTip::hideText();
        } else {
            QToolTip::showText(help->globalPos(), text, viewport());
        }
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

}  // namespace ps::trace
