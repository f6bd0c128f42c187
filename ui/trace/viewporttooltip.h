// The tooltip of a custom-painted scroll area: a ToolTip event on its viewport shows the text for the point under
// the mouse, or hides the tooltip where there is nothing to say. Shared by the waterfall, flame graph and trace
// comparison, which draw their rows themselves and have no item to carry a tooltip.
#pragma once

#include <QHelpEvent>
#include <QToolTip>
#include <QWidget>

namespace ps::trace {

// True when event was a tooltip request (handled); textAt(QPoint in viewport coordinates) gives the text.
template <typename TextAt>
bool handleViewportToolTip(QEvent* event, QWidget* viewport, TextAt textAt) {
    if (event->type() != QEvent::ToolTip) {
        return false;
    }
    auto* help = static_cast<QHelpEvent*>(event);
    const QString text = textAt(help->pos());
    if (text.isEmpty()) {
        QToolTip::hideText();
    } else {
        QToolTip::showText(help->globalPos(), text, viewport);
    }
    return true;
}

}  // namespace ps::trace
