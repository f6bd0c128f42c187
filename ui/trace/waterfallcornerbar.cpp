#include "waterfallcornerbar.h"

#include <QToolButton>

#include <algorithm>

namespace ps::trace {

WaterfallCornerBar::WaterfallCornerBar(QWidget* parent) : QWidget(parent) {
    auto make = [this](const QString& text, const QString& tip) {
        auto* b = new QToolButton(this);
        b->setText(text);
        b->setToolTip(tip);
        b->setFocusPolicy(Qt::NoFocus);  // keys stay with the waterfall
        return b;
    };
    fit_ = make(tr("Fit"), tr("Show the whole trace (F)"));
    slowest_ = make(tr("Slowest span"), tr("Select the slowest span and scroll to it (S)"));
    path_ = make(tr("Critical path"), tr("Mark the steps the trace's end waited on (C)"));
    path_->setCheckable(true);
    path_->setChecked(true);
    connect(fit_, &QToolButton::clicked, this, &WaterfallCornerBar::fitClicked);
    connect(slowest_, &QToolButton::clicked, this, &WaterfallCornerBar::slowestClicked);
    connect(path_, &QToolButton::toggled, this, &WaterfallCornerBar::criticalPathToggled);
    setReady(false, false);
}

void WaterfallCornerBar::setReady(bool hasTrace, bool hasSlowest) {
    fit_->setEnabled(hasTrace);
    slowest_->setEnabled(hasTrace && hasSlowest);
    path_->setEnabled(hasTrace);
}

void WaterfallCornerBar::setCriticalPathChecked(bool checked) {
    const QSignalBlocker block(path_);
    path_->setChecked(checked);
}

void WaterfallCornerBar::fitInto(int width) {
    int x = 0;
    int height = 0;
    for (QToolButton* b : {fit_, slowest_, path_}) {
        b->resize(b->sizeHint());
        b->move(x, 0);
        b->setVisible(x + b->width() <= width);
        x += b->width() + 6;
        height = std::max(height, b->height());
    }
    resize(std::max(0, width), height);
}

}  // namespace ps::trace
