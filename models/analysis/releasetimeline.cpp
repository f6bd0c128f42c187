#include "releasetimeline.h"

#include <algorithm>
#include <cmath>

#include "comparisonside.h"
#include "percentile.h"

namespace ps {

int64_t timelineBucketFor(int64_t rangeNs) {
    constexpr int64_t kMinute = 60LL * 1000000000;
    constexpr int64_t kSteps[] = {5 * kMinute,   15 * kMinute,  60 * kMinute,       180 * kMinute,
                                  360 * kMinute, 720 * kMinute, 1440 * kMinute};
    for (int64_t step : kSteps) {
        if (rangeNs / step < 60) {
            return step;
        }
    }
    return 7 * 1440 * kMinute;
}

ReleaseTimeline computeReleaseTimeline(const Dataset& d, std::span<const uint32_t> requests,
                                       std::span<const uint32_t> group, std::vector<std::string> groups,
                                       const std::vector<DeploymentRecord>& deployments,
                                       const std::atomic<bool>* cancel) {
    ReleaseTimeline t;
    t.groups = std::move(groups);
    for (const DeploymentRecord& dep : deployments) {
        t.deployments.push_back({dep.atNs, std::string(d.str(dep.prompt)), std::string(d.str(dep.version)),
                                 std::string(d.str(dep.environment)), std::string(d.str(dep.by)),
                                 std::string(d.str(dep.note)), dep.trafficPercent});
    }
    const size_t g = t.groups.size();
    if (requests.empty() || g == 0) {
        return t;
    }
    const RequestColumns& rq = d.requests;
    const int64_t first = rq.startNs[requests.front()];
    const int64_t last = rq.startNs[requests.back()];
    t.bucketNs = timelineBucketFor(last - first);
    // Buckets aligned to whole multiples of the width (UTC midnight for days), so labels land on round times.
    t.firstBucketNs = first - ((first % t.bucketNs) + t.bucketNs) % t.bucketNs;
    t.buckets = static_cast<size_t>((last - t.firstBucketNs) / t.bucketNs) + 1;
    t.requests.assign(g, std::vector<double>(t.buckets, 0));
    t.share.assign(g, std::vector<double>(t.buckets, kNaN));
    for (auto& metric : t.values) {
        metric.assign(g, std::vector<double>(t.buckets, kNaN));
    }
    std::vector<std::vector<double>> latency(g);
    std::vector<std::vector<double>> cost(g);
    std::vector<uint64_t> errors(g), failures(g), pass(g), fail(g);
    size_t i = 0;
    for (size_t b = 0; b < t.buckets; ++b) {
        if (cancel && cancel->load(std::memory_order_relaxed)) {
            t.cancelled = true;
            return t;
        }
        const int64_t end = t.firstBucketNs + static_cast<int64_t>(b + 1) * t.bucketNs;
        for (size_t k = 0; k < g; ++k) {
            latency[k].clear();
            cost[k].clear();
            errors[k] = failures[k] = pass[k] = fail[k] = 0;
        }
        uint64_t all = 0;
        for (; i < requests.size() && rq.startNs[requests[i]] < end; ++i) {
            ++all;
            const uint32_t k = group[i];
            if (k == kNoGroup) {
                continue;
            }
            const uint32_t r = requests[i];
            latency[k].push_back(static_cast<double>(rq.durationNs[r]) / 1e6);
            if (!((rq.flags[r] & kRequestCostUnknown) && rq.costUsd[r] == 0)) {
                cost[k].push_back(rq.costUsd[r]);
            }
            errors[k] += (rq.flags[r] & kRequestError) != 0;
            failures[k] += isFailure(d, r);
            pass[k] += rq.evalPass[r];
            fail[k] += rq.evalFail[r];
        }
        for (size_t k = 0; k < g; ++k) {
            const auto n = static_cast<double>(latency[k].size());
            t.requests[k][b] = n;
            if (all > 0) {
                t.share[k][b] = n / static_cast<double>(all);
            }
            if (latency[k].size() < kMinTimelineRows) {
                continue;
            }
            auto set = [&](TimelineMetric m, double v) { t.values[static_cast<size_t>(m)][k][b] = v; };
            set(TimelineMetric::ErrorRate, static_cast<double>(errors[k]) / n);
            set(TimelineMetric::FailureRate, static_cast<double>(failures[k]) / n);
            const double qs[] = {0.5, 0.95};
            double p[2];
            quantiles(latency[k], qs, p);
            set(TimelineMetric::LatencyP50, p[0]);
            set(TimelineMetric::LatencyP95, p[1]);
            if (!cost[k].empty()) {
                double sum = 0;
                for (double c : cost[k]) {
                    sum += c;
                }
                set(TimelineMetric::CostMean, sum / static_cast<double>(cost[k].size()));
            }
            if (pass[k] + fail[k] > 0) {
                set(TimelineMetric::EvalPassRate,
                    static_cast<double>(pass[k]) / static_cast<double>(pass[k] + fail[k]));
            }
        }
    }
    return t;
}

}  // namespace ps
