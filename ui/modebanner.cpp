#include "modebanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace ps {

ModeBanner::ModeBanner(QWidget* parent) : QFrame(parent) {
    setObjectName(QStringLiteral("modeBanner"));
    setStyleSheet(QStringLiteral("#modeBanner { background: #fff4d6; border: 1px solid #e0c060; }"
                                 "#modeBanner QLabel { color: #5c4400; }"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 5, 8, 5);
    label_ = new QLabel(this);
    label_->setWordWrap(true);
    label_->setTextFormat(Qt::RichText);
    layout->addWidget(label_, 1);
    button_ = new QPushButton(this);
    layout->addWidget(button_, 0, Qt::AlignVCenter);
    connect(button_, &QPushButton::clicked, this, &ModeBanner::actionTriggered);
    hide();
}

void ModeBanner::showMessage(const QString& html, const QString& buttonText, bool buttonEnabled) {
    label_->setText(html);
    button_->setText(buttonText);
    button_->setMinimumWidth(button_->sizeHint().width());  // the wrapping sentence gives way, not the button
    button_->setVisible(!buttonText.isEmpty());
    button_->setEnabled(buttonEnabled);
    show();
}

QString ModeBanner::text() const { return label_->text(); }

}  // namespace ps
