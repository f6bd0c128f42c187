// Two traces side by side, aligned span by span (TraceDiff): the aligned tree on the left with markers for spans
// only one trace has, each trace's bars on a shared time scale, and the duration, token and cost deltas of every
// pair coloured (slower or dearer red, faster or cheaper green). Selecting a pair emits pairSelected, which is
// where the input/output text comparison (lineDiff over the two spans' cold data) is hooked in.
#pragma once

#include <QAbstractScrollArea>

#include <memory>

#include "tracediff.h"

namespace ps::trace {

class TraceDiffView : public QAbstractScrollArea {
    Q_OBJECT

public:
    static constexpr int kRowHeight = 22;
    static constexpr int kSummaryHeight = 28;
    static constexpr int kHeaderHeight = 24;

    explicit TraceDiffView(QWidget* parent = nullptr);
    ~TraceDiffView() override;

    // Aligns the two traces (on the thread pool when they are large). Labels default to the trace id and prompt
    // version of each.
    void setTraces(DatasetPtr a, RequestIndex requestA, DatasetPtr b, RequestIndex requestB);
    void setLabels(const QString& labelA, const QString& labelB);
    [[nodiscard]] std::shared_ptr<const TraceDiff> diff() const { return diff_; }
    [[nodiscard]] bool isPending() const { return pendingJob_ != 0; }

    // Index into diff()->rows, or -1.
    void selectRow(int index);
    [[nodiscard]] int selectedRow() const { return selected_; }
    [[nodiscard]] int rowAt(const QPoint& viewportPos) const;
    [[nodiscard]] QString rowToolTip(int index) const;
    // How a duration change reads: +1 slower, -1 faster, 0 about the same (under 1 ms and 5%).
    [[nodiscard]] static int durationVerdict(const TraceDiffRow& row);

    QSize sizeHint() const override;

Q_SIGNALS:
    // The selected pair's absolute span rows in each Dataset (kInvalid on the side without the span).
    void pairSelected(uint32_t rowA, uint32_t rowB);
    void diffChanged();

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    struct Columns;
    [[nodiscard]] Columns columns() const;
    void apply(quint64 job, const std::shared_ptr<const TraceDiff>& diff);
    void updateScrollBar();
    void paintSummary(QPainter& p) const;
    void paintHeader(QPainter& p, const Columns& c) const;
    void paintRow(QPainter& p, const Columns& c, int index, int top) const;
    void paintBar(QPainter& p, const Columns& c, const DiffSpan& span, int left, int top) const;
    [[nodiscard]] QString defaultLabel(const Dataset& data, RequestIndex request) const;

    DatasetPtr a_;
    DatasetPtr b_;
    RequestIndex requestA_;
    RequestIndex requestB_;
    QString labelA_;
    QString labelB_;
    std::shared_ptr<const TraceDiff> diff_;
    quint64 job_ = 0;
    quint64 pendingJob_ = 0;
    int selected_ = -1;
    int hover_ = -1;
};

}  // namespace ps::trace
