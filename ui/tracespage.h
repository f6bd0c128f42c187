// The Traces page: the trace list of the current filter on top; below it the chosen trace as a waterfall, a flame
// graph, or compared with a pinned trace, and the selected span's details on the right. Every other page opens a
// trace here (showTrace) or a set of requests (showRequests).
#pragma once

#include <QWidget>

#include <memory>

#include "dataset.h"
#include "selection.h"

class QLabel;
class QPushButton;
class QTabWidget;

namespace ps {
namespace trace {
class FlameGraphView;
class TextDiffView;
class TraceDiffView;
class WaterfallFilterBar;
class WaterfallView;
}  // namespace trace

class SpanDetailsPanel;
class TraceListView;
using trace::FlameGraphView;
using trace::TextDiffView;
using trace::TraceDiffView;
using trace::WaterfallFilterBar;
using trace::WaterfallView;

class TracesPage : public QWidget {
    Q_OBJECT

public:
    explicit TracesPage(QWidget* parent = nullptr);
    ~TracesPage() override;

    // The requests of the sidebar's filter.
    void setSelection(DatasetPtr data, const Selection& selection);
    // Only these requests, under a title (a drill-down from another page), until the filter changes or the user
    // goes back to the filter.
    void showRequests(const QString& title, const std::vector<uint32_t>& requests);
    // Shows one trace's waterfall with its slowest span selected; false for an invalid request.
    bool showTrace(RequestIndex request);
    [[nodiscard]] RequestIndex currentTrace() const { return current_; }
    // Pins the shown trace as the left side of comparisons; choosing another trace then compares the two.
    void pinForComparison();
    void showComparison(RequestIndex a, RequestIndex b);
    // Pins a, opens b and shows the Compare tab: how another page hands over a pair of traces.
    void comparePair(RequestIndex a, RequestIndex b);

    [[nodiscard]] TraceListView* list() const { return list_; }
    [[nodiscard]] WaterfallView* waterfall() const { return waterfall_; }
    [[nodiscard]] FlameGraphView* flameGraph() const { return flame_; }
    [[nodiscard]] TraceDiffView* diff() const { return diff_; }
    [[nodiscard]] TextDiffView* textDiff() const { return textDiff_; }
    [[nodiscard]] SpanDetailsPanel* details() const { return details_; }
    [[nodiscard]] QTabWidget* views() const { return views_; }
    [[nodiscard]] QPushButton* reviewButton() const { return review_; }

Q_SIGNALS:
    // The shown trace's waterfall is laid out and its selected span's details are on screen.
    void traceShown();
    // The user asks to put the shown trace in the review queue, or to link it to the current incident.
    void reviewRequested(const QString& traceId);
    void incidentLinkRequested(const QString& traceId);

private:
    void showSpan(uint32_t row);
    void onPairSelected(uint32_t rowA, uint32_t rowB);
    void updateHeader();

    DatasetPtr data_;
    Selection filterSelection_;
    QString drillTitle_;
    RequestIndex current_;
    RequestIndex pinned_;
    quint64 textJob_ = 0;

    QLabel* header_;
    QPushButton* backToFilter_;
    QPushButton* pin_;
    QPushButton* review_;
    TraceListView* list_;
    QTabWidget* views_;
    WaterfallFilterBar* filterBar_;
    WaterfallView* waterfall_;
    FlameGraphView* flame_;
    TraceDiffView* diff_;
    TextDiffView* textDiff_;
    QLabel* compareHint_;
    SpanDetailsPanel* details_;
};

}  // namespace ps
