#include "kpitile.h"

#include <QLabel>
#include <QVBoxLayout>

namespace ps {

KpiTile::KpiTile(const QString& caption, QWidget* parent) : QFrame(parent) {
    setFrameShape(QFrame::StyledPanel);
    setMinimumWidth(150);
    auto* layout = new QVBoxLayout(this);
    layout->setSpacing(2);
    auto* title = new QLabel(caption, this);
    title->setStyleSheet(QStringLiteral("color: palette(mid); font-weight: 600;"));
    value_ = new QLabel(QStringLiteral("–"), this);
    QFont big = value_->font();
    big.setPointSizeF(big.pointSizeF() * 1.9);
    big.setBold(true);
    value_->setFont(big);
    value_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    detail_ = new QLabel(this);
    detail_->setStyleSheet(QStringLiteral("color: palette(mid);"));
    layout->addWidget(title);
    layout->addWidget(value_);
    layout->addWidget(detail_);
}

void KpiTile::setValue(const QString& value, const QString& detail) {
    value_->setText(value);
    detail_->setText(detail);
}

}  // namespace ps
