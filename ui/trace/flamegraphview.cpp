#include "flamegraphview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFutureWatcher>
#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

#include "format.h"
#include "spankindpalette.h"
#include "viewporttooltip.h"

namespace ps::trace {
namespace {

constexpr int kMargin = 8;
constexpr double kMinBoxPx = 0.5;  // narrower boxes are not drawn (their time shows in the parent)
constexpr size_t kSynchronousLimit = 50000;

QString fromUtf8(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

// Siblings of one kind would be one flat block of colour: shade each path a little by its name.
QColor boxColor(SpanKind kind, std::string_view name) {
    uint32_t h = 2166136261u;
    for (char c : name) {
        h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
    }
    return palette::spanKindColor(kind).lighter(100 + static_cast<int>(h % 28));
}

}  // namespace

struct FlameGraphView::Computed {
    quint64 job = 0;
    std::shared_ptr<const FlameGraph> graph;
};

FlameGraphView::FlameGraphView(QWidget* parent) : QAbstractScrollArea(parent) {
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setMouseTracking(true);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    orderBox_ = new QComboBox(viewport());
    orderBox_->addItem(tr("Largest first"), static_cast<int>(FlameOrder::ByTotalTime));
    orderBox_->addItem(tr("By name"), static_cast<int>(FlameOrder::ByName));
    orderBox_->addItem(tr("In order of start"), static_cast<int>(FlameOrder::ByFirstStart));
    orderBox_->setToolTip(tr("Order of the boxes under each parent"));
    orderBox_->setFocusPolicy(Qt::NoFocus);
    connect(orderBox_, &QComboBox::currentIndexChanged, this,
            [this] { setOrder(static_cast<FlameOrder>(orderBox_->currentData().toInt())); });
    mergeBox_ = new QCheckBox(tr("Merge numbered steps"), viewport());
    mergeBox_->setChecked(mergeNumbered_);
    mergeBox_->setToolTip(tr("Count \"step 1\", \"step 2\", … as one box \"step #\""));
    mergeBox_->setFocusPolicy(Qt::NoFocus);
    connect(mergeBox_, &QCheckBox::toggled, this, &FlameGraphView::setMergeNumbered);
}

void FlameGraphView::setMergeNumbered(bool merge) {
    if (merge == mergeNumbered_) {
        return;
    }
    mergeNumbered_ = merge;
    const QSignalBlocker block(mergeBox_);
    mergeBox_->setChecked(merge);
    graph_.reset();
    focus_ = 0;
    recompute();
}

FlameGraphView::~FlameGraphView() = default;

QSize FlameGraphView::sizeHint() const { return {1000, 320}; }

void FlameGraphView::setTrace(DatasetPtr data, RequestIndex request) {
    data_ = std::move(data);
    request_ = data_ && request.isValid() && request.value < data_->requestCount() ? request : RequestIndex{};
    graph_.reset();
    focus_ = 0;
    hover_ = FlameNode::kNoNode;
    recompute();
}

void FlameGraphView::setOrder(FlameOrder order) {
    if (order == order_) {
        return;
    }
    order_ = order;
    const QSignalBlocker block(orderBox_);
    orderBox_->setCurrentIndex(orderBox_->findData(static_cast<int>(order)));
    if (!graph_) {
        recompute();  // a graph still being aggregated was asked for in the old order
        return;
    }
    // Renumbering moves nodes: keep the focus on the same path through one of its spans.
    size_t spanOfFocus = SIZE_MAX;
    for (size_t i = 0; i < graph_->nodeOfSpan.size() && focus_ != 0; ++i) {
        if (graph_->nodeOfSpan[i] == focus_) {
            spanOfFocus = i;
            break;
        }
    }
    auto sorted = std::make_shared<FlameGraph>(*graph_);
    sortFlameGraph(*data_, *sorted, order_);
    focus_ = spanOfFocus == SIZE_MAX ? 0 : sorted->nodeOfSpan[spanOfFocus];
    graph_ = std::move(sorted);
    if (focus_ == 0) {
        focus_ = defaultFocus();
    }
    viewport()->update();
    Q_EMIT graphChanged();
}

std::shared_ptr<const FlameGraphView::Computed> FlameGraphView::compute(const DatasetPtr& data, RequestIndex request,
                                                                        FlameOrder order, bool mergeNumbered,
                                                                        quint64 job) {
    auto out = std::make_shared<Computed>();
    out->job = job;
    out->graph = std::make_shared<const FlameGraph>(
        buildFlameGraph(*data, layoutTrace(*data, request, {}), order, mergeNumbered));
    return out;
}

void FlameGraphView::recompute() {
    const quint64 job = ++job_;
    if (!data_ || !request_.isValid()) {
        pendingJob_ = 0;
        updateScrollBar();
        viewport()->update();
        return;
    }
    if (data_->spanEnd(request_) - data_->requests.firstSpan[request_.value] <= kSynchronousLimit) {
        pendingJob_ = 0;
        apply(compute(data_, request_, order_, mergeNumbered_, job));
        return;
    }
    pendingJob_ = job;
    using Watcher = QFutureWatcher<std::shared_ptr<const Computed>>;
    auto* watcher = new Watcher(this);
    connect(watcher, &Watcher::finished, this, [this, watcher] {
        watcher->deleteLater();
        apply(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(&FlameGraphView::compute, data_, request_, order_, mergeNumbered_, job));
    viewport()->update();
}

void FlameGraphView::apply(const std::shared_ptr<const Computed>& computed) {
    if (!computed || computed->job != job_) {
        return;
    }
    pendingJob_ = 0;
    graph_ = computed->graph;
    focus_ = defaultFocus();
    verticalScrollBar()->setValue(0);
    updateScrollBar();
    viewport()->update();
    Q_EMIT graphChanged();
    Q_EMIT focusChanged(focus_);
}

uint32_t FlameGraphView::defaultFocus() const {
    // A trace with one root starts at the root; the "all spans" box above it would say the same thing twice.
    return graph_ && graph_->nodes[0].childCount == 1 ? 1u : 0u;
}

void FlameGraphView::zoomToNode(uint32_t node) {
    if (!graph_ || node >= graph_->nodes.size() || node == focus_) {
        return;
    }
    focus_ = node;
    verticalScrollBar()->setValue(0);
    updateScrollBar();
    viewport()->update();
    Q_EMIT focusChanged(focus_);
}

void FlameGraphView::zoomOut() {
    if (!graph_ || focus_ == defaultFocus() || focus_ == 0) {
        return;
    }
    zoomToNode(graph_->nodes[focus_].parent);
}

void FlameGraphView::updateScrollBar() {
    const int levels = graph_ ? static_cast<int>(graph_->maxDepth - graph_->nodes[focus_].depth) + 1 : 0;
    const int fit = std::max(1, (viewport()->height() - kHeaderHeight) / kRowHeight);
    verticalScrollBar()->setRange(0, std::max(0, levels - fit));
    verticalScrollBar()->setPageStep(fit);
}

std::vector<FlameRect> FlameGraphView::visibleRects() const {
    if (!graph_) {
        return {};
    }
    const auto first = static_cast<uint32_t>(verticalScrollBar()->value());
    const int fit = (viewport()->height() - kHeaderHeight + kRowHeight - 1) / kRowHeight;
    auto rects = flameRects(*graph_, focus_, viewport()->width() - 2 * kMargin, kMinBoxPx,
                            first + static_cast<uint32_t>(std::max(0, fit)));
    std::erase_if(rects, [first](const FlameRect& r) { return r.level < first; });
    for (FlameRect& r : rects) {
        r.x += kMargin;
        r.level -= first;
    }
    return rects;
}

uint32_t FlameGraphView::nodeAt(const QPoint& pos) const {
    for (const FlameRect& r : visibleRects()) {
        const double top = kHeaderHeight + r.level * kRowHeight;
        if (pos.y() >= top && pos.y() < top + kRowHeight && pos.x() >= r.x && pos.x() < r.x + std::max(1.0, r.width)) {
            return r.node;
        }
    }
    return FlameNode::kNoNode;
}

QRectF FlameGraphView::nodeRect(uint32_t node) const {
    for (const FlameRect& r : visibleRects()) {
        if (r.node == node) {
            return {r.x, static_cast<double>(kHeaderHeight + r.level * kRowHeight), r.width, double(kRowHeight)};
        }
    }
    return {};
}

QString FlameGraphView::nodeToolTip(uint32_t node) const {
    if (!graph_ || node >= graph_->nodes.size()) {
        return {};
    }
    const FlameNode& n = graph_->nodes[node];
    const FlameNode& f = graph_->nodes[focus_];
    const QString path = node == 0 ? tr("All spans") : fromUtf8(flamePath(*data_, *graph_, node));
    QStringList lines;
    lines << QStringLiteral("<b>%1</b>").arg(path.toHtmlEscaped().replace(QLatin1Char(';'), QStringLiteral(" › ")));
    if (node != 0) {
        lines << tr("%1, %2 spans").arg(palette::spanKindLabel(n.kind), QLocale().toString(static_cast<qulonglong>(n.count)));
    }
    const double share = f.totalNs > 0 ? static_cast<double>(n.totalNs) / static_cast<double>(f.totalNs) : 0;
    lines << tr("Total time: %1 (%2 of the box on top)").arg(fmt::durationNs(n.totalNs), fmt::percent(share));
    lines << tr("Self time: %1").arg(fmt::durationNs(n.selfNs));
    if (n.errorCount > 0) {
        lines << QStringLiteral("<span style='color:#dc2626'>%1</span>")
                     .arg(tr("%1 failed").arg(QLocale().toString(n.errorCount)));
    }
    lines << tr("Click to zoom in; Esc to zoom out");
    return lines.join(QStringLiteral("<br>"));
}

void FlameGraphView::paintEvent(QPaintEvent*) {
    QPainter p(viewport());
    const QRect all = viewport()->rect();
    p.fillRect(all, Qt::white);
    const QColor muted(0x4b, 0x55, 0x63);
    const int comboWidth = viewport()->width() - mergeBox_->x();
    if (!graph_) {
        p.setPen(muted);
        p.drawText(all, Qt::AlignCenter, !data_ || !request_.isValid() ? tr("No trace selected")
                                                                       : tr("Aggregating the trace…"));
        return;
    }
    // Breadcrumb: the path from the top down to the focus.
    QStringList crumbs;
    for (uint32_t at = focus_; at != FlameNode::kNoNode; at = graph_->nodes[at].parent) {
        crumbs.prepend(at == 0 ? tr("All spans") : QString::fromStdString(flameLabel(*data_, graph_->nodes[at])));
    }
    const FlameNode& f = graph_->nodes[focus_];
    const QString head = crumbs.join(QStringLiteral(" › ")) +
                         tr("   —   %1 total").arg(fmt::durationNs(f.totalNs)) +
                         (focus_ != defaultFocus() ? tr(" (Esc to zoom out)") : QString());
    p.setPen(QColor(0x1f, 0x29, 0x37));
    const QRect headRect(kMargin, 0, all.width() - comboWidth - 3 * kMargin, kHeaderHeight);
    p.drawText(headRect, Qt::AlignLeft | Qt::AlignVCenter,
               p.fontMetrics().elidedText(head, Qt::ElideLeft, headRect.width()));
    p.setClipRect(QRect(0, kHeaderHeight, all.width(), all.height() - kHeaderHeight));
    const QFontMetrics fm(p.font());
    for (const FlameRect& r : visibleRects()) {
        const FlameNode& n = graph_->nodes[r.node];
        const QRectF box(r.x, kHeaderHeight + r.level * kRowHeight, std::max(1.0, r.width - 1), kRowHeight - 1);
        const QColor color = r.node == 0 ? QColor(0xcb, 0xd5, 0xe1) : boxColor(n.kind, data_->str(n.name));
        p.fillRect(box, r.node == hover_ ? color.darker(115) : color);
        if (n.errorCount > 0) {
            p.fillRect(QRectF(box.left(), box.top(), box.width(), 3), palette::errorColor());
        }
        if (box.width() < 28) {
            continue;
        }
        const QString name = r.node == 0 ? tr("All spans") : QString::fromStdString(flameLabel(*data_, n));
        QString label = name + QStringLiteral("  ") + fmt::durationNs(n.totalNs);
        if (n.count > 1) {
            label += QStringLiteral("  ×") + QLocale().toString(static_cast<qulonglong>(n.count));
        }
        if (fm.horizontalAdvance(label) > box.width() - 8) {
            label = name;
        }
        p.setPen(palette::textColorOn(color));
        p.drawText(box.adjusted(4, 0, -4, 0), Qt::AlignLeft | Qt::AlignVCenter,
                   fm.elidedText(label, Qt::ElideRight, static_cast<int>(box.width()) - 8));
    }
}

void FlameGraphView::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    const QSize combo = orderBox_->sizeHint();
    orderBox_->setGeometry(viewport()->width() - combo.width() - kMargin, (kHeaderHeight - combo.height()) / 2,
                           combo.width(), combo.height());
    const QSize check = mergeBox_->sizeHint();
    mergeBox_->setGeometry(orderBox_->x() - check.width() - 2 * kMargin, (kHeaderHeight - check.height()) / 2,
                           check.width(), check.height());
    updateScrollBar();
}

void FlameGraphView::scrollContentsBy(int, int) { viewport()->update(); }

void FlameGraphView::mouseMoveEvent(QMouseEvent* event) {
    const uint32_t node = nodeAt(event->position().toPoint());
    if (node != hover_) {
        hover_ = node;
        viewport()->update();
    }
}

void FlameGraphView::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() == Qt::RightButton) {
        zoomOut();
        return;
    }
    if (event->button() == Qt::LeftButton) {
        const uint32_t node = nodeAt(event->position().toPoint());
        if (node != FlameNode::kNoNode) {
            zoomToNode(node);
        }
    }
}

void FlameGraphView::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
    case Qt::Key_Escape:
    case Qt::Key_Backspace: zoomOut(); break;
    case Qt::Key_Home: zoomToNode(defaultFocus()); break;
    default: QAbstractScrollArea::keyPressEvent(event);
    }
}

void FlameGraphView::leaveEvent(QEvent* event) {
    QAbstractScrollArea::leaveEvent(event);
    hover_ = FlameNode::kNoNode;
    viewport()->update();
}

bool FlameGraphView::viewportEvent(QEvent* event) {
    return handleViewportToolTip(event, viewport(), [this](QPoint pos) { return nodeToolTip(nodeAt(pos)); }) ||
           QAbstractScrollArea::viewportEvent(event);
}

}  // namespace ps::trace
