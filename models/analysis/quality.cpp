#include "quality.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace ps {
namespace {

constexpr int64_t kHourNs = 3600LL * 1000000000;

enum SignalBit : uint8_t {
    kUp = 1,
    kDown = 2,
    kRated = 4,
    kCorrected = 8,
    kFollowedUp = 16,
    kAbandoned = 32,
};

// What an eval name's scores look like in the selection, to tell judge dimensions from 0/1 checks.
struct ScoreShape {
    double lo = INFINITY, hi = -INFINITY;
    bool whole = true;
    std::vector<double> distinct;  // up to three
};

bool graded(const ScoreShape& s) {
    return s.distinct.size() > 2;
}

// commonLo..commonHi: the whole-number scale graded evals share (NaN when they do not).
EvalScale scaleOf(StringId eval, const ScoreShape& s, double commonLo, double commonHi) {
    EvalScale scale;
    scale.eval = eval;
    scale.graded = graded(s);
    if (!scale.graded) {
        return scale;
    }
    if (s.whole && commonHi - commonLo <= 10) {
        scale.lo = commonLo;
        scale.width = 1;
        scale.bins = static_cast<size_t>(commonHi - commonLo) + 1;
    } else {
        scale.lo = s.lo;
        scale.width = (s.hi - s.lo) / 10;
        scale.bins = 10;
    }
    return scale;
}

size_t binOf(const EvalScale& scale, double score) {
    const double at = scale.width == 1 && scale.bins <= 11 ? std::round(score - scale.lo)
                                                           : std::floor((score - scale.lo) / scale.width);
    return static_cast<size_t>(std::clamp(at, 0.0, static_cast<double>(scale.bins - 1)));
}

// Per eval name, prompt and version: counts per time bucket before they become rates.
struct EvalAccumulator {
    EvalVersionStats stats;
    std::vector<uint32_t> pass, fail, scored;
    std::vector<double> scoreSum;
    double allScoreSum = 0;
};

void computeEvals(const Dataset& d, const FacetIndex& index, const Selection& selection, QualityResult& out) {
    const EvalColumns& e = d.evals;
    std::vector<size_t> rows;  // eval rows of selected requests (both tables are ordered by request)
    size_t at = 0;
    for (size_t k = 0; k < e.size(); ++k) {
        while (at < selection.requests.size() && selection.requests[at] < e.request[k]) {
            ++at;
        }
        if (at < selection.requests.size() && selection.requests[at] == e.request[k]) {
            rows.push_back(k);
        }
    }
    std::vector<StringId> names;  // few: a linear search beats hashing
    auto nameCode = [&](StringId name) {
        const auto it = std::find(names.begin(), names.end(), name);
        if (it != names.end()) {
            return static_cast<size_t>(it - names.begin());
        }
        names.push_back(name);
        return names.size() - 1;
    };
    std::vector<ScoreShape> shapes;
    for (size_t k : rows) {
        const size_t n = nameCode(e.name[k]);
        shapes.resize(names.size());
        const double s = e.score[k];
        if (!std::isfinite(s)) {
            continue;
        }
        ScoreShape& shape = shapes[n];
        shape.lo = std::min(shape.lo, s);
        shape.hi = std::max(shape.hi, s);
        shape.whole = shape.whole && s == std::floor(s);
        if (shape.distinct.size() < 3 && std::find(shape.distinct.begin(), shape.distinct.end(), s) == shape.distinct.end()) {
            shape.distinct.push_back(s);
        }
    }
    double commonLo = INFINITY, commonHi = -INFINITY;
    for (const ScoreShape& shape : shapes) {
        if (graded(shape) && shape.whole) {
            commonLo = std::min(commonLo, shape.lo);
            commonHi = std::max(commonHi, shape.hi);
        }
    }
    std::vector<EvalScale> scales;
    for (size_t n = 0; n < names.size(); ++n) {
        scales.push_back(scaleOf(names[n], shapes[n], commonLo, commonHi));
    }

    const auto& promptCode = index.code[static_cast<size_t>(Dimension::PromptName)];
    const auto& versionCode = index.code[static_cast<size_t>(Dimension::PromptVersion)];
    const uint64_t versions = index.valueOf[static_cast<size_t>(Dimension::PromptVersion)].size();
    const uint64_t prompts = index.valueOf[static_cast<size_t>(Dimension::PromptName)].size();
    std::unordered_map<uint64_t, size_t> slot;
    std::vector<EvalAccumulator> acc;
    for (size_t k : rows) {
        const uint32_t r = e.request[k];
        const size_t n = nameCode(e.name[k]);
        const uint64_t key = (n * prompts + promptCode[r]) * versions + versionCode[r];
        auto [it, fresh] = slot.try_emplace(key, acc.size());
        if (fresh) {
            EvalAccumulator a;
            a.stats.eval = names[n];
            a.stats.prompt = d.requests.promptName[r];
            a.stats.version = d.requests.promptVersion[r];
            a.stats.scoreBins.assign(scales[n].bins, 0);
            a.pass.assign(out.buckets, 0);
            a.fail.assign(out.buckets, 0);
            a.scored.assign(out.buckets, 0);
            a.scoreSum.assign(out.buckets, 0);
            acc.push_back(std::move(a));
        }
        EvalAccumulator& a = acc[it->second];
        const auto b = static_cast<size_t>((d.requests.startNs[r] - out.firstBucketNs) / out.bucketNs);
        ++a.stats.results;
        if (e.outcome[k] == EvalOutcome::Pass) {
            ++a.stats.passed;
            ++a.pass[b];
        } else if (e.outcome[k] == EvalOutcome::Fail) {
            ++a.stats.failed;
            ++a.fail[b];
        }
        const double s = e.score[k];
        if (std::isfinite(s)) {
            ++a.stats.scored;
            a.allScoreSum += s;
            ++a.scored[b];
            a.scoreSum[b] += s;
            if (scales[n].graded) {
                ++a.stats.scoreBins[binOf(scales[n], s)];
            }
        }
    }
    for (EvalAccumulator& a : acc) {
        EvalVersionStats& s = a.stats;
        s.meanScore = s.scored ? a.allScoreSum / static_cast<double>(s.scored) : kNaN;
        s.passRate.resize(out.buckets);
        s.meanScoreOverTime.resize(out.buckets);
        for (size_t b = 0; b < out.buckets; ++b) {
            const uint32_t judged = a.pass[b] + a.fail[b];
            s.passRate[b] = judged ? static_cast<double>(a.pass[b]) / judged : kNaN;
            s.meanScoreOverTime[b] = a.scored[b] ? a.scoreSum[b] / a.scored[b] : kNaN;
        }
        out.evals.push_back(std::move(s));
    }
    std::sort(out.evals.begin(), out.evals.end(), [&](const EvalVersionStats& a, const EvalVersionStats& b) {
        return std::make_tuple(d.str(a.eval), d.str(a.prompt), d.str(a.version)) <
               std::make_tuple(d.str(b.eval), d.str(b.prompt), d.str(b.version));
    });
    std::sort(scales.begin(), scales.end(),
              [&](const EvalScale& a, const EvalScale& b) { return d.str(a.eval) < d.str(b.eval); });
    out.scales = std::move(scales);
}

uint8_t bump(uint8_t v) {
    return v == UINT8_MAX ? v : static_cast<uint8_t>(v + 1);
}

void computeSignals(const Dataset& d, const FacetIndex& index, const Selection& selection, QualityResult& out) {
    const SignalColumns& s = d.signals;
    const size_t n = d.requestCount();
    // Per request: which signals it has, and its explicit votes (thumbs and ratings, rarely more than one).
    std::vector<uint8_t> bits(n, 0), up(n, 0), down(n, 0), positive(n, 0), negative(n, 0);
    std::unordered_map<uint32_t, std::pair<uint32_t, double>> ratings;  // per request: count, sum (rare)
    std::unordered_set<uint32_t> abandonedSessions;
    for (size_t i = 0; i < s.size(); ++i) {
        const uint32_t r = s.request[i];
        const bool known = r < n;
        if (s.type[i] == SignalType::Abandoned) {
            const StringId session = !s.session[i].isEmpty() ? s.session[i] : known ? d.requests.session[r] : StringId{};
            if (!session.isEmpty()) {
                abandonedSessions.insert(session.value);
            }
        }
        if (!known) {
            continue;
        }
        switch (s.type[i]) {
        case SignalType::ThumbsUp:
            bits[r] |= kUp;
            up[r] = bump(up[r]);
            positive[r] = bump(positive[r]);
            break;
        case SignalType::ThumbsDown:
            bits[r] |= kDown;
            down[r] = bump(down[r]);
            negative[r] = bump(negative[r]);
            break;
        case SignalType::Correction: bits[r] |= kCorrected; break;
        case SignalType::FollowUp: bits[r] |= kFollowedUp; break;
        case SignalType::Abandoned: bits[r] |= kAbandoned; break;
        case SignalType::Rating:
            if (std::isfinite(s.value[i])) {
                bits[r] |= kRated;
                auto& [count, sum] = ratings[r];
                ++count;
                sum += s.value[i];
                if (s.value[i] >= 4) {
                    positive[r] = bump(positive[r]);
                } else if (s.value[i] <= 2) {
                    negative[r] = bump(negative[r]);
                }
            }
            break;
        }
    }

    const auto& featureCode = index.code[static_cast<size_t>(Dimension::Feature)];
    const auto& featureOf = index.valueOf[static_cast<size_t>(Dimension::Feature)];
    std::vector<FeatureSignals> features(featureOf.size());
    for (size_t f = 0; f < features.size(); ++f) {
        features[f].feature = featureOf[f];
    }
    // Sessions as (feature, session key) pairs; a request without a session is a session of its own.
    std::vector<std::pair<uint32_t, uint64_t>> sessionOf;
    sessionOf.reserve(selection.requests.size());
    std::unordered_set<uint64_t> abandonedKeys;
    for (uint32_t r : selection.requests) {
        FeatureSignals& f = features[featureCode[r]];
        ++f.requests;
        const uint8_t b = bits[r];
        f.thumbsUp += up[r];
        f.thumbsDown += down[r];
        f.positive += positive[r];
        f.negative += negative[r];
        if (b & kRated) {
            const auto& [count, sum] = ratings.at(r);
            f.ratings += count;
            f.ratingSum += sum;
        }
        f.withExplicit += (b & (kUp | kDown | kRated)) ? 1 : 0;
        f.withCorrection += (b & kCorrected) ? 1 : 0;
        f.withFollowUp += (b & kFollowedUp) ? 1 : 0;
        const StringId session = d.requests.session[r];
        const uint64_t key = session.isEmpty() ? (1ULL << 32) | r : session.value;
        sessionOf.emplace_back(featureCode[r], key);
        if ((b & kAbandoned) || (!session.isEmpty() && abandonedSessions.count(session.value))) {
            abandonedKeys.insert(key);
        }
    }
    std::sort(sessionOf.begin(), sessionOf.end());
    sessionOf.erase(std::unique(sessionOf.begin(), sessionOf.end()), sessionOf.end());
    std::vector<uint64_t> allSessions;
    allSessions.reserve(sessionOf.size());
    for (const auto& [feature, key] : sessionOf) {
        ++features[feature].sessions;
        features[feature].abandonedSessions += abandonedKeys.count(key);
        allSessions.push_back(key);
    }
    std::sort(allSessions.begin(), allSessions.end());
    allSessions.erase(std::unique(allSessions.begin(), allSessions.end()), allSessions.end());

    FeatureSignals& total = out.total;
    total.sessions = allSessions.size();
    for (uint64_t key : allSessions) {
        total.abandonedSessions += abandonedKeys.count(key);
    }
    for (const FeatureSignals& f : features) {
        if (f.requests == 0) {
            continue;
        }
        total.requests += f.requests;
        total.thumbsUp += f.thumbsUp;
        total.thumbsDown += f.thumbsDown;
        total.ratings += f.ratings;
        total.ratingSum += f.ratingSum;
        total.positive += f.positive;
        total.negative += f.negative;
        total.withExplicit += f.withExplicit;
        total.withCorrection += f.withCorrection;
        total.withFollowUp += f.withFollowUp;
        out.features.push_back(f);
    }
    std::sort(out.features.begin(), out.features.end(), [&](const FeatureSignals& a, const FeatureSignals& b) {
        return a.requests != b.requests ? a.requests > b.requests : d.str(a.feature) < d.str(b.feature);
    });
}

}  // namespace

int64_t qualityBucketFor(int64_t rangeNs) {
    static constexpr int64_t kSteps[] = {kHourNs, 3 * kHourNs, 6 * kHourNs, 12 * kHourNs, 24 * kHourNs};
    for (int64_t step : kSteps) {
        if (rangeNs / step < 24) {
            return step;
        }
    }
    return 7 * 24 * kHourNs;
}

QualityResult computeQuality(const Dataset& d, const FacetIndex& index, const Selection& selection,
                             const std::atomic<bool>* cancel) {
    QualityResult out;
    out.requests = selection.requests.size();
    if (selection.requests.empty()) {
        return out;
    }
    const int64_t begin = d.requests.startNs[selection.requests.front()];
    const int64_t end = d.requests.startNs[selection.requests.back()];
    out.bucketNs = qualityBucketFor(end - begin);
    out.firstBucketNs = begin - ((begin % out.bucketNs) + out.bucketNs) % out.bucketNs;
    out.buckets = static_cast<size_t>((end - out.firstBucketNs) / out.bucketNs) + 1;
    computeEvals(d, index, selection, out);
    if (cancel && cancel->load(std::memory_order_relaxed)) {
        out.cancelled = true;
        return out;
    }
    computeSignals(d, index, selection, out);
    return out;
}

}  // namespace ps
