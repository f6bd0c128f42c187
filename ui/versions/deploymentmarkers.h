// Deployments drawn on a TimeSeriesChart of the release timeline: a dashed vertical line at each deployment's
// time, coloured like its version, with a short label at the top and the details (version, environment, traffic
// share, who, note) as a tooltip. Kept in step with the chart's plot area as it resizes.
#pragma once

#include <QColor>
#include <QObject>

#include <functional>
#include <vector>

#include "releasetimeline.h"

class QGraphicsItem;

namespace ps {

class TimeSeriesChart;

class DeploymentMarkers : public QObject {
    Q_OBJECT

public:
    explicit DeploymentMarkers(TimeSeriesChart* chart);
    ~DeploymentMarkers() override;

    // The chart's buckets start at firstBucketNs and span spanNs; colourOf picks a version's colour.
    void setMarks(int64_t firstBucketNs, int64_t spanNs, std::vector<DeploymentMark> marks,
                  const std::function<QColor(const std::string& version)>& colourOf);
    [[nodiscard]] size_t count() const { return marks_.size(); }
    [[nodiscard]] QString toolTipOf(size_t i) const;

private:
    void layout();
    void clearItems();

    TimeSeriesChart* chart_;
    int64_t first_ = 0;
    int64_t span_ = 1;
    std::vector<DeploymentMark> marks_;
    std::vector<QColor> colours_;
    std::vector<QGraphicsItem*> items_;
};

}  // namespace ps
