// The release timeline of the Versions page: per time bucket, each version's share of the traffic (the canary's
// 5% -> 25% -> 100%) and each version's error rate, failure rate, latency, cost and eval pass rate, plus the
// deployments to mark on the time axis. Groups are versions of a prompt, or the compared sides (environments,
// models).
#pragma once

#include <array>
#include <atomic>
#include <span>
#include <string>
#include <vector>

#include "dataset.h"

namespace ps {

enum class TimelineMetric : uint8_t { ErrorRate, FailureRate, LatencyP50, LatencyP95, CostMean, EvalPassRate };
inline constexpr size_t kTimelineMetricCount = 6;

struct DeploymentMark {
    int64_t atNs = 0;
    std::string prompt, version, environment, by, note;
    double trafficPercent = 100;
};

struct ReleaseTimeline {
    int64_t firstBucketNs = 0;
    int64_t bucketNs = 0;
    size_t buckets = 0;
    std::vector<std::string> groups;
    std::vector<std::vector<double>> requests;  // [group][bucket]
    std::vector<std::vector<double>> share;     // [group][bucket]: of all the bucket's requests; NaN when none
    // [metric][group][bucket]; NaN where the group has fewer than kMinTimelineRows requests in the bucket (a rate
    // of 1 of 2 requests is noise, not a trend) and, for the eval pass rate, where it has no eval result.
    std::array<std::vector<std::vector<double>>, kTimelineMetricCount> values;
    std::vector<DeploymentMark> deployments;
    bool cancelled = false;
};

inline constexpr uint32_t kNoGroup = UINT32_MAX;
inline constexpr size_t kMinTimelineRows = 5;

// The bucket width for a time range: the smallest of 5, 15 minutes, 1, 3, 6, 12 hours, 1 day and 1 week that
// gives at most 60 buckets, so a bucket holds enough requests for a rate to mean something.
int64_t timelineBucketFor(int64_t rangeNs);

// requests: request rows in start order; group: per request, its group (index into groups) or kNoGroup (counted
// in the share's denominator only, e.g. versions not compared).
ReleaseTimeline computeReleaseTimeline(const Dataset& d, std::span<const uint32_t> requests,
                                       std::span<const uint32_t> group, std::vector<std::string> groups,
                                       const std::vector<DeploymentRecord>& deployments,
                                       const std::atomic<bool>* cancel = nullptr);

}  // namespace ps
