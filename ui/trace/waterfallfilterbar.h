// The waterfall's hiding controls in one row: spans shorter than a threshold, spans of unticked kinds and spans
// whose name contains a text are hidden with their subtrees (not just dimmed), so a 100,000-span agent trace
// can be cut down to the steps that matter. Produces the rule part of LayoutOptions; collapsing stays with the view.
#pragma once

#include <QWidget>

#include "waterfall.h"

class QComboBox;
class QLineEdit;
class QTimer;
class QToolButton;
class QAction;

namespace ps::trace {

class WaterfallFilterBar : public QWidget {
    Q_OBJECT

public:
    explicit WaterfallFilterBar(QWidget* parent = nullptr);

    // The duration, kind and name rules (collapsed is left empty).
    [[nodiscard]] LayoutOptions rules() const;
    void setRules(const LayoutOptions& rules);
    // Thresholds offered, in nanoseconds (0 = no threshold), for tests.
    [[nodiscard]] static std::vector<int64_t> durationSteps();

Q_SIGNALS:
    // Emitted on every change; typing in the name field is debounced.
    void rulesChanged(const ps::LayoutOptions& rules);

private:
    void emitRules();
    void updateKindsButton();

    QComboBox* duration_ = nullptr;
    QToolButton* kindsButton_ = nullptr;
    std::vector<QAction*> kindActions_;
    QLineEdit* name_ = nullptr;
    QTimer* nameDebounce_ = nullptr;
    QToolButton* reset_ = nullptr;
};

}  // namespace ps::trace
