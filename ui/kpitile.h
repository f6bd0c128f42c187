// One headline number on the overview: a caption, the value, its change against the previous period (coloured
// by whether the change is good or bad for this measure), a line of context, and a sparkline over the range.
#pragma once

#include <QFrame>

#include <vector>

class QLabel;

namespace ps {

class Sparkline;

class KpiTile : public QFrame {
    Q_OBJECT

public:
    // higherIsBetter: +1 when a rise is good (eval pass rate), -1 when bad (errors, latency), 0 neutral.
    explicit KpiTile(const QString& caption, int higherIsBetter = 0, QWidget* parent = nullptr);
    void setValue(const QString& value, const QString& detail = {});
    void setCaption(const QString& caption);
    // current/previous: raw numbers for the change; NaN previous hides it.
    void setChange(double current, double previous, const QString& previousLabel);
    void setSpark(std::vector<double> values);
    [[nodiscard]] QString valueText() const;
    [[nodiscard]] QString changeText() const;

private:
    int higherIsBetter_;
    QLabel* caption_;
    QLabel* value_;
    QLabel* change_;
    QLabel* detail_;
    Sparkline* spark_;
};

}  // namespace ps
