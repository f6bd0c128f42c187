// Shares (0..1) side by side per category: grouped vertical bars on a 0-100% axis with the value on each bar,
// and optional dashed reference lines (a threshold a share should not cross). Used for user signals per feature.
#pragma once

#include <QColor>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

class QChart;
class QChartView;

namespace ps {

class ShareBarChart : public QWidget {
    Q_OBJECT

public:
    struct Set {
        QString name;
        QColor color;
        std::vector<double> shares;  // one per category, 0..1; NaN draws no bar
    };
    struct Reference {
        QString name;
        QColor color;
        double share = 0;
    };

    explicit ShareBarChart(QWidget* parent = nullptr);
    void setData(const QStringList& categories, const std::vector<Set>& sets, const std::vector<Reference>& references,
                 const QString& axisTitle);
    [[nodiscard]] QChartView* chartView() const { return view_; }

    QSize sizeHint() const override { return {480, 280}; }
    QSize minimumSizeHint() const override { return {260, 180}; }

private:
    QChart* chart_;
    QChartView* view_;
};

}  // namespace ps
