// The buttons in the waterfall's top-left corner, above the span tree: fit the trace, jump to the slowest span,
// show the critical path. A button that would spill over the minimap is left out when the tree column is narrow
// (each has a key too: F, S, C).
#pragma once

#include <QWidget>

class QToolButton;

namespace ps::trace {

class WaterfallCornerBar : public QWidget {
    Q_OBJECT

public:
    explicit WaterfallCornerBar(QWidget* parent = nullptr);

    void setReady(bool hasTrace, bool hasSlowest);
    void setCriticalPathChecked(bool checked);
    // Lays the buttons out from the left within width pixels, hiding those that do not fit.
    void fitInto(int width);

Q_SIGNALS:
    void fitClicked();
    void slowestClicked();
    void criticalPathToggled(bool shown);

private:
    QToolButton* fit_ = nullptr;
    QToolButton* slowest_ = nullptr;
    QToolButton* path_ = nullptr;
};

}  // namespace ps::trace
