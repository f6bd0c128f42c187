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
    // The eval rows of selected requests, by a merge walk: both tables are ordered by request.
    auto forSelected = [&](auto&& visit) {
        size_t at = 0;
        for (size_t k = 0; k < e.size(); ++k) {
            while (at < selection.requests.size() && selection.requests[at] < e.request[k]) {
                ++at;
            }
            if (at < selection.requests.size() && selection.requests[at] == e.request[k]) {
                visit(k);
            }
        }
    };
    std::vector<StringId> names;  // few: a linear search, last hit first, beats hashing
    size_t lastName = 0;
    auto nameCode = [&](StringId name) {
        if (lastName < names.size() && names[lastName] == name) {
            return lastName;
        }
        lastName = static_cast<size_t>(std::find(names.begin(), names.end(), name) - names.begin());
        if (lastName == names.size()) {
            names.push_back(name);
        }
        return lastName;
    };
    std::vector<ScoreShape> shapes;
    forSelected([&](size_t k) {
        const size_t n = nameCode(e.name[k]);
        shapes.resize(names.size());
        const double s = e.score[k];
        if (!std::isfinite(s)) {
            return;
        }
        ScoreShape& shape = shapes[n];
        shape.lo = std::min(shape.lo, s);
        shape.hi = std::max(shape.hi, s);
        shape.whole = shape.whole && s == std::floor(s);
        if (shape.distinct.size() < 3 &&
            std::find(shape.distinct.begin(), shape.distinct.end(), s) == shape.distinct.end()) {
            shape.distinct.push_back(s);
        }
    });
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
    // Per name, the last key and its slot: the rows of one request share their prompt and version.
    std::vector<std::pair<uint64_t, size_t>> lastSlot(names.size(), {UINT64_MAX, 0});
    std::vector<EvalAccumulator> acc;
    forSelected([&](size_t k) {
        const uint32_t r = e.request[k];
        const size_t n = nameCode(e.name[k]);
        const uint64_t key = (n * prompts + promptCode[r]) * versions + versionCode[r];
        if (lastSlot[n].first != key) {
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
            lastSlot[n] = {key, it->second};
        }
        EvalAccumulator& a = acc[lastSlot[n].second];
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
    });
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

// One request's signals, for the requests that have any (a small share): kept sparse, ordered by request.
struct RequestSignals {
    uint32_t request = 0;
    uint8_t bits = 0;
    uint32_t up = 0, down = 0, positive = 0, negative = 0, ratings = 0;
    double ratingSum = 0;
};

std::vector<RequestSignals> signalsByRequest(const Dataset& d) {
    const SignalColumns& s = d.signals;
    std::vector<uint32_t> order;
    for (uint32_t i = 0; i < s.size(); ++i) {
        if (s.request[i] < d.requestCount()) {
            order.push_back(i);
        }
    }
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return s.request[a] < s.request[b]; });
    std::vector<RequestSignals> out;
    for (uint32_t i : order) {
        if (out.empty() || out.back().request != s.request[i]) {
            out.push_back({});
            out.back().request = s.request[i];
        }
        RequestSignals& r = out.back();
        switch (s.type[i]) {
        case SignalType::ThumbsUp: r.bits |= kUp; ++r.up; ++r.positive; break;
        case SignalType::ThumbsDown: r.bits |= kDown; ++r.down; ++r.negative; break;
        case SignalType::Correction: r.bits |= kCorrected; break;
        case SignalType::FollowUp: r.bits |= kFollowedUp; break;
        case SignalType::Abandoned: r.bits |= kAbandoned; break;
        case SignalType::Rating:
            if (std::isfinite(s.value[i])) {
                r.bits |= kRated;
                ++r.ratings;
                r.ratingSum += s.value[i];
                r.positive += s.value[i] >= 4;
                r.negative += s.value[i] <= 2;
            }
            break;
        }
    }
    return out;
}

void computeSignals(const Dataset& d, const FacetIndex& index, const Selection& selection, QualityResult& out) {
    const std::vector<RequestSignals> votes = signalsByRequest(d);
    // Sessions with an abandoned signal, on one of their requests or on the session alone (the builder gives a
    // request's signal its request's session).
    std::unordered_set<uint32_t> abandonedSessions;
    for (size_t i = 0; i < d.signals.size(); ++i) {
        if (d.signals.type[i] == SignalType::Abandoned && !d.signals.session[i].isEmpty()) {
            abandonedSessions.insert(d.signals.session[i].value);
        }
    }

    const auto& featureCode = index.code[static_cast<size_t>(Dimension::Feature)];
    const auto& featureOf = index.valueOf[static_cast<size_t>(Dimension::Feature)];
    const auto& sessionCode = index.code[static_cast<size_t>(Dimension::Session)];
    const auto& sessionOf = index.valueOf[static_cast<size_t>(Dimension::Session)];
    std::vector<FeatureSignals> features(featureOf.size());
    for (size_t f = 0; f < features.size(); ++f) {
        features[f].feature = featureOf[f];
    }
    // Per session (dense facet code): the first feature it was counted for and whether it was abandoned; a session
    // spanning features is counted once per feature through `alsoIn`.
    constexpr uint32_t kUnseen = UINT32_MAX;
    std::vector<uint32_t> firstFeature(sessionOf.size(), kUnseen);
    std::vector<uint8_t> abandoned(sessionOf.size(), 0);
    std::unordered_set<uint64_t> alsoIn;
    FeatureSignals& total = out.total;
    size_t v = 0;
    for (uint32_t r : selection.requests) {
        while (v < votes.size() && votes[v].request < r) {
            ++v;
        }
        const RequestSignals none;
        const RequestSignals& q = v < votes.size() && votes[v].request == r ? votes[v] : none;
        const uint32_t fc = featureCode[r];
        FeatureSignals& f = features[fc];
        ++f.requests;
        f.thumbsUp += q.up;
        f.thumbsDown += q.down;
        f.positive += q.positive;
        f.negative += q.negative;
        f.ratings += q.ratings;
        f.ratingSum += q.ratingSum;
        f.withExplicit += (q.bits & (kUp | kDown | kRated)) ? 1 : 0;
        f.withCorrection += (q.bits & kCorrected) ? 1 : 0;
        f.withFollowUp += (q.bits & kFollowedUp) ? 1 : 0;
        const uint32_t sc = sessionCode[r];
        if (sessionOf[sc].isEmpty()) {  // a session of its own
            const uint64_t gone = (q.bits & kAbandoned) ? 1 : 0;
            ++f.sessions;
            f.abandonedSessions += gone;
            ++total.sessions;
            total.abandonedSessions += gone;
            continue;
        }
        if (firstFeature[sc] == kUnseen) {
            firstFeature[sc] = fc;
            abandoned[sc] = abandonedSessions.count(sessionOf[sc].value) > 0;
            ++f.sessions;
            f.abandonedSessions += abandoned[sc];
            ++total.sessions;
            total.abandonedSessions += abandoned[sc];
        } else if (firstFeature[sc] != fc && alsoIn.insert((uint64_t{sc} << 32) | fc).second) {
            ++f.sessions;
            f.abandonedSessions += abandoned[sc];
        }
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
