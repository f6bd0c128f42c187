// How good the answers of a selection are, for the Quality page: eval results over time per eval name and prompt
// version (pass rate, mean score), the distribution of graded (judge) scores per version, and user signals per
// feature with the survivorship-bias check.
//
// Definitions (also in the README):
// - An eval result counts for the request it belongs to: its time is the request's start, its prompt version the
//   request's. Pass rate = passed / (passed + failed); results without an outcome count in the mean score only.
// - A graded eval (a judge dimension such as correctness, completeness, tone) has more than two distinct scores
//   in the selection; a 0/1 rule check is not graded. Graded evals with whole-number scores share one scale, one
//   bin per integer from the lowest to the highest of their scores when that spans at most 10 (so a dimension
//   that never scores below 3 shows empty bins for 1 and 2); others get 10 equal bins over their own range.
// - Explicit feedback: thumbs up/down and ratings (positive: thumbs up or a rating of 4 or more on a 1-5 scale;
//   negative: thumbs down or a rating of 2 or less). Coverage = requests with any explicit feedback / requests.
//   Explicit positive share = positive / (positive + negative) signals.
// - Implicit: corrections and follow-ups (share of requests with one), abandonment (share of sessions with an
//   abandoned signal, on any of its requests or on the session alone), session length (selected requests per
//   session). A request without a session is a session of its own.
// - Survivorship bias: abandonment above 30% while the explicit positive share is above 80%: the users who
//   leave do not vote, so the votes look better than the experience.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "dataset.h"
#include "selection.h"

namespace ps {

inline constexpr double kBiasAbandonment = 0.30;
inline constexpr double kBiasPositive = 0.80;

struct EvalVersionStats {
    StringId eval;
    StringId prompt;   // the request's prompt name and version
    StringId version;
    uint64_t results = 0;
    uint64_t passed = 0;
    uint64_t failed = 0;
    uint64_t scored = 0;
    double meanScore = kNaN;
    std::vector<uint64_t> scoreBins;        // graded evals only: results per bin of its EvalScale
    std::vector<double> passRate;           // per time bucket; NaN when the bucket has no pass/fail result
    std::vector<double> meanScoreOverTime;  // per time bucket; NaN when the bucket has no score
    [[nodiscard]] double passRateAll() const {
        return passed + failed ? static_cast<double>(passed) / static_cast<double>(passed + failed) : kNaN;
    }
};

struct EvalScale {
    StringId eval;
    bool graded = false;
    double lo = 0;     // first bin's lower edge (or its integer)
    double width = 1;  // bin width
    size_t bins = 0;
};

struct FeatureSignals {
    StringId feature;  // empty in the total row and for requests without a feature
    uint64_t requests = 0;
    uint64_t sessions = 0;
    uint64_t thumbsUp = 0, thumbsDown = 0;
    uint64_t ratings = 0;
    double ratingSum = 0;
    uint64_t positive = 0, negative = 0;
    uint64_t withExplicit = 0;  // requests with any explicit feedback
    uint64_t withCorrection = 0, withFollowUp = 0;
    uint64_t abandonedSessions = 0;

    [[nodiscard]] double coverage() const { return ratio(withExplicit, requests); }
    [[nodiscard]] double positiveShare() const { return ratio(positive, positive + negative); }
    [[nodiscard]] double abandonment() const { return ratio(abandonedSessions, sessions); }
    [[nodiscard]] double correctionRate() const { return ratio(withCorrection, requests); }
    [[nodiscard]] double followUpRate() const { return ratio(withFollowUp, requests); }
    [[nodiscard]] double meanSessionLength() const { return ratio(requests, sessions); }
    [[nodiscard]] double meanRating() const { return ratings ? ratingSum / static_cast<double>(ratings) : kNaN; }
    [[nodiscard]] bool survivorshipBias() const {
        return abandonment() > kBiasAbandonment && positiveShare() > kBiasPositive;
    }

private:
    static double ratio(uint64_t a, uint64_t b) {
        return b ? static_cast<double>(a) / static_cast<double>(b) : kNaN;
    }
};

struct QualityResult {
    int64_t firstBucketNs = 0;
    int64_t bucketNs = 0;
    size_t buckets = 0;
    std::vector<EvalScale> scales;        // per eval name, by name
    std::vector<EvalVersionStats> evals;  // by eval name, then prompt and version
    std::vector<FeatureSignals> features; // by requests, most first
    FeatureSignals total;
    uint64_t requests = 0;
    bool cancelled = false;
};

// The time bucket for eval series over a range: the smallest of 1, 3, 6, 12 hours, 1 day and 1 week that gives
// at most 24 buckets (1 week beyond).
int64_t qualityBucketFor(int64_t rangeNs);

// index: buildFacetIndex(d). cancel is checked between the parts.
QualityResult computeQuality(const Dataset& d, const FacetIndex& index, const Selection& selection,
                             const std::atomic<bool>* cancel = nullptr);

}  // namespace ps
