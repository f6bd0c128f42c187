// A word-sized trend: a thin line over the values (NaN breaks it) with a dot on the latest one. No axes; the
// range is the values' own, so it shows shape, not magnitude.
#pragma once

#include <QColor>
#include <QWidget>

#include <vector>

namespace ps {

class Sparkline : public QWidget {
    Q_OBJECT

public:
    explicit Sparkline(QWidget* parent = nullptr);

    void setValues(std::vector<double> values);
    const std::vector<double>& values() const { return values_; }
    void setColor(const QColor& color);  // the palette's highlight colour unless set

    QSize sizeHint() const override { return {120, 28}; }
    QSize minimumSizeHint() const override { return {40, 16}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<double> values_;
    QColor color_;
};

}  // namespace ps
