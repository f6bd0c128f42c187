// A trace's flame graph, drawn as an icicle from the top: one box per span-name path, as wide as the path's total
// time, coloured by span kind, labelled when wide enough. Click a box to zoom into it, Esc or Backspace to zoom
// back out; the breadcrumb above shows where the view is. For agent traces that repeat the same steps thousands
// of times, where the waterfall shows every repetition and this shows their sum.
#pragma once

#include <QAbstractScrollArea>

#include <memory>
#include <vector>

#include "flamegraph.h"

class QCheckBox;
class QComboBox;

namespace ps::trace {

class FlameGraphView : public QAbstractScrollArea {
    Q_OBJECT

public:
    static constexpr int kRowHeight = 20;
    static constexpr int kHeaderHeight = 30;

    explicit FlameGraphView(QWidget* parent = nullptr);
    ~FlameGraphView() override;

    // Aggregates the trace (on the thread pool for large traces) and shows it from its root.
    void setTrace(DatasetPtr data, RequestIndex request);
    [[nodiscard]] bool isPending() const { return pendingJob_ != 0; }
    [[nodiscard]] std::shared_ptr<const FlameGraph> graph() const { return graph_; }

    void setOrder(FlameOrder order);
    [[nodiscard]] FlameOrder order() const { return order_; }
    // Whether "step 1", "step 2" share a box ("step #"); on by default. Recomputes the graph.
    void setMergeNumbered(bool merge);
    [[nodiscard]] bool mergesNumbered() const { return mergeNumbered_; }

    // The node drawn across the full width.
    [[nodiscard]] uint32_t focusNode() const { return focus_; }
    void zoomToNode(uint32_t node);
    void zoomOut();  // to the focus's parent, never above the default focus
    // The node under a viewport point, or FlameNode::kNoNode.
    [[nodiscard]] uint32_t nodeAt(const QPoint& viewportPos) const;
    [[nodiscard]] QRectF nodeRect(uint32_t node) const;  // empty when not drawn
    [[nodiscard]] QString nodeToolTip(uint32_t node) const;

    QSize sizeHint() const override;

Q_SIGNALS:
    void focusChanged(uint32_t node);
    void graphChanged();

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    struct Computed;
    static std::shared_ptr<const Computed> compute(const DatasetPtr& data, RequestIndex request, FlameOrder order,
                                                   bool mergeNumbered, quint64 job);
    void recompute();
    void apply(const std::shared_ptr<const Computed>& computed);
    [[nodiscard]] uint32_t defaultFocus() const;
    [[nodiscard]] std::vector<FlameRect> visibleRects() const;
    void updateScrollBar();

    DatasetPtr data_;
    RequestIndex request_;
    FlameOrder order_ = FlameOrder::ByTotalTime;
    bool mergeNumbered_ = true;
    std::shared_ptr<const FlameGraph> graph_;
    quint64 job_ = 0;
    quint64 pendingJob_ = 0;
    uint32_t focus_ = 0;
    uint32_t hover_ = FlameNode::kNoNode;
    QComboBox* orderBox_ = nullptr;
    QCheckBox* mergeBox_ = nullptr;
};

}  // namespace ps::trace
