#include "waterfallfilterbar.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QPixmap>
#include <QTimer>
#include <QToolButton>

#include "format.h"
#include "spankindpalette.h"

namespace ps::trace {
namespace {

QIcon swatch(const QColor& color) {
    QPixmap pixmap(12, 12);
    pixmap.fill(color);
    return QIcon(pixmap);
}

}  // namespace

std::vector<int64_t> WaterfallFilterBar::durationSteps() {
    return {0, 100000, 1000000, 10000000, 100000000, 1000000000};
}

WaterfallFilterBar::WaterfallFilterBar(QWidget* parent) : QWidget(parent) {
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(new QLabel(tr("Min duration:"), this));

    duration_ = new QComboBox(this);
    for (int64_t ns : durationSteps()) {
        duration_->addItem(ns == 0 ? tr("any") : fmt::durationNs(ns),
                           QVariant::fromValue<qlonglong>(ns));
    }
    duration_->setToolTip(tr("Hide spans shorter than this, with everything under them"));
    row->addWidget(duration_);
    row->addSpacing(8);
    row->addWidget(new QLabel(tr("Kinds:"), this));

    kindsButton_ = new QToolButton(this);
    kindsButton_->setPopupMode(QToolButton::InstantPopup);
    kindsButton_->setToolTip(tr("Span kinds to show; unticked kinds are hidden with everything under them"));
    auto* menu = new QMenu(kindsButton_);
    for (int k = 0; k < kSpanKindCount; ++k) {
        const auto kind = static_cast<SpanKind>(k);
        QAction* action = menu->addAction(swatch(palette::spanKindColor(kind)), palette::spanKindLabel(kind));
        action->setCheckable(true);
        action->setChecked(true);
        connect(action, &QAction::toggled, this, [this] {
            updateKindsButton();
            emitRules();
        });
        kindActions_.push_back(action);
    }
    kindsButton_->setMenu(menu);
    row->addWidget(kindsButton_);
    row->addSpacing(8);

    name_ = new QLineEdit(this);
    name_->setPlaceholderText(tr("hide names containing…"));
    name_->setClearButtonEnabled(true);
    name_->setToolTip(tr("Hide spans whose name contains this text (any case)"));
    row->addWidget(name_, 1);
    nameDebounce_ = new QTimer(this);
    nameDebounce_->setSingleShot(true);
    nameDebounce_->setInterval(250);
    connect(name_, &QLineEdit::textChanged, nameDebounce_, qOverload<>(&QTimer::start));
    connect(nameDebounce_, &QTimer::timeout, this, &WaterfallFilterBar::emitRules);
    connect(duration_, &QComboBox::currentIndexChanged, this, &WaterfallFilterBar::emitRules);

    reset_ = new QToolButton(this);
    reset_->setText(tr("Show all"));
    reset_->setToolTip(tr("Clear every hiding rule"));
    connect(reset_, &QToolButton::clicked, this, [this] { setRules(LayoutOptions{}); });
    row->addWidget(reset_);
    updateKindsButton();
}

LayoutOptions WaterfallFilterBar::rules() const {
    LayoutOptions o;
    o.minDurationNs = duration_->currentData().toLongLong();
    o.kinds = 0;
    for (size_t k = 0; k < kindActions_.size(); ++k) {
        if (kindActions_[k]->isChecked()) {
            o.kinds |= kindBit(static_cast<SpanKind>(k));
        }
    }
    o.hideName = name_->text().trimmed().toStdString();
    return o;
}

void WaterfallFilterBar::setRules(const LayoutOptions& rules) {
    const QSignalBlocker blockDuration(duration_);
    const QSignalBlocker blockName(name_);
    const auto steps = durationSteps();
    int index = 0;
    for (size_t i = 0; i < steps.size(); ++i) {
        if (steps[i] <= rules.minDurationNs) {
            index = static_cast<int>(i);
        }
    }
    duration_->setCurrentIndex(index);
    for (size_t k = 0; k < kindActions_.size(); ++k) {
        const QSignalBlocker block(kindActions_[k]);
        kindActions_[k]->setChecked((rules.kinds & kindBit(static_cast<SpanKind>(k))) != 0);
    }
    name_->setText(QString::fromStdString(rules.hideName));
    nameDebounce_->stop();
    updateKindsButton();
    emitRules();
}

void WaterfallFilterBar::updateKindsButton() {
    int shown = 0;
    for (QAction* a : kindActions_) {
        shown += a->isChecked() ? 1 : 0;
    }
    kindsButton_->setText(shown == kSpanKindCount ? tr("all") : tr("%1 of %2").arg(shown).arg(kSpanKindCount));
}

void WaterfallFilterBar::emitRules() {
    nameDebounce_->stop();
    Q_EMIT rulesChanged(rules());
}

}  // namespace ps::trace
