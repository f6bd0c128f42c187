// The trace waterfall: the span tree on the left (collapsible, kind glyphs, error and eval markers), bars on a
// time axis on the right, a minimap of the whole trace above, a legend below. Custom-painted; only the rows on
// screen are laid out into pixels, so a 1,000,000-span trace scrolls and zooms like a 10-span one.
//
// Mouse: click selects, the triangle collapses or expands, double-click zooms to the span; Ctrl+wheel (or the
// wheel over the axis or minimap) zooms around the cursor, Shift+wheel or a drag on the bars pans, a drag on the
// axis zooms to the dragged range, a click or drag on the minimap moves the window, the column border resizes
// the tree. Keys: Up/Down (PageUp/PageDown, Home/End) move the selection, Left/Right collapse/expand (or go to the
// parent / first child), Enter activates the selected span and zooms to it, F fits the trace, S selects the
// slowest span, C shows or hides the critical path, +/- zoom.
//
// The trace's layout (depth, self time, hiding rules, critical path) is computed on the thread pool for large
// traces (job id: a newer layout supersedes an older one) and synchronously for small ones.
#pragma once

#include <QAbstractScrollArea>

#include <memory>
#include <vector>

#include "timewindow.h"
#include "waterfall.h"
#include "waterfallgeometry.h"

namespace ps::trace {

class WaterfallCornerBar;
struct WaterfallSnapshot;

class WaterfallView : public QAbstractScrollArea {
    Q_OBJECT

public:
    // Traces with more spans than this are laid out on the thread pool.
    static constexpr size_t kSynchronousLayoutLimit = 50000;

    explicit WaterfallView(QWidget* parent = nullptr);
    ~WaterfallView() override = default;

    // Shows a trace, fitted, with nothing selected and nothing collapsed (the hiding rules are kept).
    void setTrace(DatasetPtr data, RequestIndex request);
    [[nodiscard]] const DatasetPtr& dataset() const { return data_; }
    [[nodiscard]] RequestIndex request() const { return request_; }

    // Replaces every option, collapsed spans included.
    void setLayoutOptions(const LayoutOptions& options);
    // Replaces the duration, kind and name rules, keeping what the user collapsed.
    void setHideRules(const LayoutOptions& rules);
    [[nodiscard]] const LayoutOptions& layoutOptions() const { return options_; }
    // The layout on screen; null before the first layout of a trace is ready.
    [[nodiscard]] std::shared_ptr<const TraceLayout> traceLayout() const { return layout_; }
    [[nodiscard]] bool isLayoutPending() const { return pendingJob_ != 0; }

    // Selects a span and scrolls to it, expanding collapsed ancestors. A span hidden by a rule cannot be shown:
    // its nearest shown ancestor is selected instead. kInvalid clears the selection.
    void selectSpan(uint32_t absoluteRow);
    [[nodiscard]] uint32_t selectedSpan() const { return selected_; }
    void selectSlowestSpan();
    void setCollapsed(uint32_t absoluteRow, bool collapsed);
    [[nodiscard]] bool isCollapsed(uint32_t absoluteRow) const;

    void fit();
    void zoomTo(int64_t beginNs, int64_t endNs);
    // Zooms by factor (< 1 zooms in) keeping the time under viewport x in place.
    void zoomAround(double x, double factor);
    [[nodiscard]] int64_t viewBeginNs() const { return window_.begin(); }
    [[nodiscard]] int64_t viewEndNs() const { return window_.end(); }
    void setCriticalPathShown(bool shown);
    [[nodiscard]] bool isCriticalPathShown() const { return showCriticalPath_; }

    // Hit testing in viewport coordinates, for tests and tooltips.
    [[nodiscard]] uint32_t spanAt(const QPoint& viewportPos) const;  // kInvalid outside the rows
    [[nodiscard]] QRect rowRect(uint32_t absoluteRow) const;          // empty when not on screen
    [[nodiscard]] QRect barRect(uint32_t absoluteRow) const;          // empty when not on screen
    [[nodiscard]] const WaterfallGeometry& geometry() const { return geometry_; }
    [[nodiscard]] size_t firstVisibleRow() const;
    // The tooltip text of a span: kind, times, self time, status, marks.
    [[nodiscard]] QString spanToolTip(uint32_t absoluteRow) const;

    QSize sizeHint() const override { return {1000, 520}; }

Q_SIGNALS:
    void spanSelected(uint32_t absoluteRow);   // kInvalid when the selection is cleared
    void spanActivated(uint32_t absoluteRow);  // Enter or double-click
    void layoutChanged();                      // a new layout is on screen
    void viewRangeChanged(int64_t beginNs, int64_t endNs);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    enum class Drag { None, Pan, AxisRange, Minimap, Splitter };

    void relayout();
    void applyLayout(const std::shared_ptr<const WaterfallSnapshot>& result);
    [[nodiscard]] uint32_t nearestShown(uint32_t absoluteRow) const;
    [[nodiscard]] bool onTriangle(uint32_t absoluteRow, int x) const;
    void windowChanged(bool changed);  // after window_ moved: scroll bars, repaint, signal
    void updateScrollBars();
    void updateButtons();
    void scrollToRow(uint32_t absoluteRow);
    void revealBar(uint32_t absoluteRow);
    void zoomToSpan(uint32_t absoluteRow);
    void select(uint32_t absoluteRow);
    void moveSelection(ptrdiff_t displaySteps);
    void moveMinimapWindow(int x);

    DatasetPtr data_;
    RequestIndex request_;
    LayoutOptions options_;
    std::shared_ptr<const TraceLayout> layout_;
    std::shared_ptr<const WaterfallSnapshot> result_;
    quint64 job_ = 0;
    quint64 pendingJob_ = 0;
    bool fitOnLayout_ = false;
    uint32_t pendingSelect_ = SpanIndex::kInvalid;

    WaterfallGeometry geometry_;
    TimeWindow window_;
    uint32_t selected_ = SpanIndex::kInvalid;
    uint32_t hover_ = SpanIndex::kInvalid;
    bool showCriticalPath_ = true;
    bool updatingScrollBars_ = false;

    Drag drag_ = Drag::None;
    QPoint pressPos_;
    int64_t pressBegin_ = 0;
    int64_t pressEnd_ = 0;
    int pressScroll_ = 0;
    bool dragMoved_ = false;
    int rangeFrom_ = -1;
    int rangeTo_ = -1;

    WaterfallCornerBar* corner_ = nullptr;
};

}  // namespace ps::trace
