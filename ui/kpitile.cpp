#include "kpitile.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <cmath>

#include "format.h"
#include "sparkline.h"

namespace ps {

KpiTile::KpiTile(const QString& caption, int higherIsBetter, QWidget* parent)
    : QFrame(parent), higherIsBetter_(higherIsBetter) {
    setFrameShape(QFrame::StyledPanel);
    setMinimumWidth(140);
    auto* layout = new QVBoxLayout(this);
    layout->setSpacing(2);
    caption_ = new QLabel(caption, this);
    caption_->setStyleSheet(QStringLiteral("color: #555; font-weight: 600;"));
    value_ = new QLabel(QStringLiteral("–"), this);
    QFont big = value_->font();
    big.setPointSizeF(big.pointSizeF() * 1.7);
    big.setBold(true);
    value_->setFont(big);
    value_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    change_ = new QLabel(this);
    detail_ = new QLabel(this);
    detail_->setStyleSheet(QStringLiteral("color: #555;"));
    detail_->setWordWrap(true);
    spark_ = new Sparkline(this);
    spark_->setMinimumHeight(24);
    layout->addWidget(caption_);
    layout->addWidget(value_);
    layout->addWidget(change_);
    layout->addWidget(spark_);
    layout->addWidget(detail_);
}

void KpiTile::setCaption(const QString& caption) {
    caption_->setText(caption);
}

void KpiTile::setValue(const QString& value, const QString& detail) {
    value_->setText(value);
    detail_->setText(detail);
    detail_->setVisible(!detail.isEmpty());
}

void KpiTile::setChange(double current, double previous, const QString& previousLabel) {
    if (std::isnan(current) || std::isnan(previous) || previous == 0) {
        change_->setText(previous == 0 && current > 0 ? tr("new vs %1").arg(previousLabel)
                                                      : tr("no previous period"));
        change_->setStyleSheet(QStringLiteral("color: #777;"));
        return;
    }
    const double relative = (current - previous) / std::abs(previous);
    const QString arrow = relative > 0.005 ? QStringLiteral("▲") : relative < -0.005 ? QStringLiteral("▼") : QStringLiteral("=");
    change_->setText(QStringLiteral("%1 %2 vs %3").arg(arrow, fmt::signedPercentChange(relative), previousLabel));
    QString color = QStringLiteral("#555");
    if (higherIsBetter_ != 0 && std::abs(relative) > 0.005) {
        const bool good = (relative > 0) == (higherIsBetter_ > 0);
        color = good ? QStringLiteral("#1b7f3b") : QStringLiteral("#b00020");
    }
    change_->setStyleSheet(QStringLiteral("color: %1;").arg(color));
}

void KpiTile::setSpark(std::vector<double> values) {
    spark_->setValues(std::move(values));
}

QString KpiTile::valueText() const {
    return value_->text();
}

QString KpiTile::changeText() const {
    return change_->text();
}

}  // namespace ps
