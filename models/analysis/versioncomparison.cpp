#include "versioncomparison.h"

#include <algorithm>
#include <cmath>

#include "bootstrap.h"
#include "hodgeslehmann.h"
#include "mannwhitney.h"
#include "multipletesting.h"
#include "proportions.h"
#include "samplesize.h"
#include "welch.h"

namespace ps {
namespace {

// Verdict still to be decided from the adjusted p-value.
constexpr Verdict kPending = Verdict::NotTested;

double type7Sorted(const std::vector<double>& v, double p) {
    if (v.empty()) {
        return kNaN;
    }
    const double h = static_cast<double>(v.size() - 1) * p;
    const auto lo = static_cast<size_t>(std::floor(h));
    const double frac = h - static_cast<double>(lo);
    return frac > 0 && lo + 1 < v.size() ? v[lo] + frac * (v[lo + 1] - v[lo]) : v[lo];
}

SideSummary summaryOf(const std::vector<double>& sorted) {
    SideSummary s;
    s.n = sorted.size();
    if (sorted.empty()) {
        return s;
    }
    s.p50 = type7Sorted(sorted, 0.50);
    s.p95 = type7Sorted(sorted, 0.95);
    s.p99 = type7Sorted(sorted, 0.99);
    double sum = 0;
    for (double v : sorted) {
        sum += v;
    }
    s.mean = sum / static_cast<double>(sorted.size());
    return s;
}

double relativeTo(double diff, double base) {
    return base != 0 && std::isfinite(base) ? diff / std::fabs(base) : kNaN;
}

struct Builder {
    const ComparisonSide& a;
    const ComparisonSide& b;
    const ComparisonOptions& options;
    std::vector<MetricComparison>& out;
    uint64_t seed;

    [[nodiscard]] stats::PowerTarget target() const { return {options.alpha, options.power}; }

    // Extra rows of a metric, in requests: eval results and feedback are not one per request.
    [[nodiscard]] double inRequests(double rows, uint64_t nA, uint64_t nB) const {
        if (!std::isfinite(rows) || rows == 0 || nA + nB == 0) {
            return rows;
        }
        return std::ceil(rows * static_cast<double>(a.size() + b.size()) / static_cast<double>(nA + nB));
    }

    // When a side is short of the minimum: the extra rows, at the current split, for both sides to reach `need`.
    // The power formula may ask for fewer (a large effect), but no verdict is given below the minimum.
    static void atLeastMinimum(MetricComparison& m, uint64_t need, double scale) {
        if (m.verdict != Verdict::NotEnoughData || m.nA == 0 || m.nB == 0 || std::isinf(m.moreRequests)) {
            return;
        }
        const auto nA = static_cast<double>(m.nA);
        const auto nB = static_cast<double>(m.nB);
        const double total = std::max(static_cast<double>(need) * (nA + nB) / nA, static_cast<double>(need) * (nA + nB) / nB);
        const double extra = std::ceil(std::max(0.0, total - nA - nB) * scale);
        m.moreRequests = std::isnan(m.moreRequests) ? extra : std::max(m.moreRequests, extra);
    }

    [[nodiscard]] double requestsPerRow(uint64_t nA, uint64_t nB) const {
        return nA + nB > 0 ? static_cast<double>(a.size() + b.size()) / static_cast<double>(nA + nB) : 1.0;
    }

    MetricComparison& start(std::string key, std::string label, MetricUnit unit, BetterWhen better) {
        MetricComparison& m = out.emplace_back();
        m.key = std::move(key);
        m.label = std::move(label);
        m.unit = unit;
        m.better = better;
        m.verdict = kPending;
        return m;
    }

    void volume() {
        MetricComparison& m = start("requests", "Requests", MetricUnit::Count, BetterWhen::Neither);
        m.a = static_cast<double>(a.size());
        m.b = static_cast<double>(b.size());
        m.nA = a.size();
        m.nB = b.size();
        m.diff = m.b - m.a;
        m.relative = relativeTo(m.diff, m.a);
        m.verdict = Verdict::NotTested;
    }

    void rate(std::string key, std::string label, BetterWhen better, MetricEvent event, uint64_t kA, uint64_t nA,
              uint64_t kB, uint64_t nB) {
        MetricComparison& m = start(std::move(key), std::move(label), MetricUnit::Fraction, better);
        m.event = event;
        m.nA = nA;
        m.nB = nB;
        m.eventsA = kA;
        m.eventsB = kB;
        const stats::ProportionComparison c = stats::compareProportions(kA, nA, kB, nB);
        m.a = c.rateA;
        m.b = c.rateB;
        m.diff = c.diff;
        m.relative = relativeTo(c.diff, c.rateA);
        m.ci = c.ci;
        m.pValue = c.pValue;
        m.test = c.fisher ? StatTest::FisherExact : StatTest::TwoProportionZ;
        m.moreRequests = inRequests(stats::moreRowsForProportions(c.rateA, nA, c.rateB, nB, target()), nA, nB);
        if (nA < options.minRows || nB < options.minRows) {
            m.verdict = Verdict::NotEnoughData;
            atLeastMinimum(m, options.minRows, requestsPerRow(nA, nB));
        }
    }

    void distribution(std::string key, std::string label, MetricUnit unit, BetterWhen better,
                      const std::vector<double>& sa, const std::vector<double>& sb) {
        MetricComparison& m = start(std::move(key), std::move(label), unit, better);
        m.nA = sa.size();
        m.nB = sb.size();
        m.summaryA = summaryOf(sa);
        m.summaryB = summaryOf(sb);
        m.a = m.summaryA.p50;
        m.b = m.summaryB.p50;
        if (sa.empty() || sb.empty()) {
            m.verdict = Verdict::NotEnoughData;
            return;
        }
        const stats::MannWhitneyResult u = stats::mannWhitneyUSorted(sa, sb);
        const stats::ShiftEstimate shift = stats::hodgesLehmannShift(sa, sb);
        m.diff = shift.estimate;
        m.relative = relativeTo(shift.estimate, m.a);
        m.ci = shift.ci;
        m.pValue = u.pValue;
        m.test = u.exact ? StatTest::MannWhitneyExact : StatTest::MannWhitneyNormal;
        m.moreRequests = inRequests(stats::moreRowsForRankTest(u.probBGreater, m.nA, m.nB, target()), m.nA, m.nB);
        // The shift can be 0 while the rank test sees a tendency (many ties): the direction comes from U.
        m.direction = u.probBGreater > 0.5 ? 1 : u.probBGreater < 0.5 ? -1 : 0;
        if (m.nA < options.minRows || m.nB < options.minRows) {
            m.verdict = Verdict::NotEnoughData;
            atLeastMinimum(m, options.minRows, requestsPerRow(m.nA, m.nB));
        }
    }

    void percentile(std::string key, std::string label, MetricUnit unit, double p, const std::vector<double>& sa,
                    const std::vector<double>& sb) {
        MetricComparison& m = start(std::move(key), std::move(label), unit, BetterWhen::Lower);
        m.percentile = p;
        m.nA = sa.size();
        m.nB = sb.size();
        if (sa.empty() || sb.empty()) {
            m.a = type7Sorted(sa, p);
            m.b = type7Sorted(sb, p);
            m.verdict = Verdict::NotEnoughData;
            return;
        }
        stats::BootstrapOptions boot;
        boot.resamples = options.resamples;
        boot.seed = seed++;
        const stats::PercentileDifference d = stats::bootstrapPercentileDifference(sa, sb, p, boot);
        m.a = d.a;
        m.b = d.b;
        m.diff = d.diff;
        m.relative = relativeTo(d.diff, d.a);
        m.ci = d.ci;
        m.pValue = d.pValue;
        m.test = StatTest::Bootstrap;
        m.moreRequests = inRequests(stats::moreRowsFromStandardError(d.standardError, m.nA + m.nB, d.diff, target()),
                                    m.nA, m.nB);
        const double tail = std::min(p, 1 - p);
        const auto enough = [&](uint64_t n) {
            return n >= options.minRows && static_cast<double>(n) * tail >= static_cast<double>(options.minTail);
        };
        if (!enough(m.nA) || !enough(m.nB)) {
            m.verdict = Verdict::NotEnoughData;
            const auto need = static_cast<uint64_t>(std::ceil(static_cast<double>(options.minTail) / tail));
            atLeastMinimum(m, std::max(options.minRows, need), requestsPerRow(m.nA, m.nB));
        }
    }

    void meanScore(std::string key, std::string label, const std::vector<double>& sa, const std::vector<double>& sb) {
        MetricComparison& m = start(std::move(key), std::move(label), MetricUnit::Score, BetterWhen::Higher);
        const stats::Moments ma = stats::momentsOf(sa);
        const stats::Moments mb = stats::momentsOf(sb);
        m.nA = ma.n;
        m.nB = mb.n;
        m.a = ma.n ? ma.mean : kNaN;
        m.b = mb.n ? mb.mean : kNaN;
        const stats::WelchResult w = stats::welchTTest(ma, mb);
        m.diff = ma.n && mb.n ? w.diff : kNaN;
        m.relative = relativeTo(m.diff, m.a);
        m.ci = w.ci;
        m.pValue = w.pValue;
        m.test = StatTest::WelchT;
        m.moreRequests = inRequests(stats::moreRowsForMeans(std::sqrt(ma.variance), ma.n, std::sqrt(mb.variance), mb.n,
                                                            m.diff, target()),
                                    ma.n, mb.n);
        if (ma.n < options.minRows || mb.n < options.minRows || std::isnan(w.pValue)) {
            m.verdict = Verdict::NotEnoughData;
            atLeastMinimum(m, options.minRows, requestsPerRow(ma.n, mb.n));
        }
    }
};

const EvalSide* findEval(const ComparisonSide& s, const std::string& name) {
    const auto it = std::lower_bound(s.evals.begin(), s.evals.end(), name,
                                     [](const EvalSide& e, const std::string& n) { return e.name < n; });
    return it != s.evals.end() && it->name == name ? &*it : nullptr;
}

// Eval names on either side, sorted.
std::vector<std::string> evalNames(const ComparisonSide& a, const ComparisonSide& b) {
    std::vector<std::string> names;
    for (const ComparisonSide* s : {&a, &b}) {
        for (const EvalSide& e : s->evals) {
            names.push_back(e.name);
        }
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

// Scores that are more than pass/fail (0 and 1) are judge scores worth a mean.
bool gradedScores(const EvalSide* a, const EvalSide* b) {
    for (const EvalSide* e : {a, b}) {
        if (e && std::any_of(e->scores.begin(), e->scores.end(), [](double s) { return s != 0 && s != 1; })) {
            return true;
        }
    }
    return false;
}

Verdict decide(const MetricComparison& m, double alpha) {
    if (!(m.pAdjusted < alpha)) {
        return Verdict::NoDifference;
    }
    const int direction = m.direction != 0 ? m.direction : (m.diff > 0) - (m.diff < 0);
    if (direction == 0) {
        return Verdict::NoDifference;
    }
    const bool up = direction > 0;
    switch (m.better) {
    case BetterWhen::Lower: return up ? Verdict::Worse : Verdict::Better;
    case BetterWhen::Higher: return up ? Verdict::Better : Verdict::Worse;
    case BetterWhen::Neither: break;
    }
    return up ? Verdict::Higher : Verdict::Lower;
}

}  // namespace

std::string_view verdictKey(Verdict v) {
    switch (v) {
    case Verdict::Better: return "better";
    case Verdict::Worse: return "worse";
    case Verdict::Higher: return "higher";
    case Verdict::Lower: return "lower";
    case Verdict::NoDifference: return "no_difference";
    case Verdict::NotEnoughData: return "not_enough_data";
    case Verdict::NotTested: break;
    }
    return "not_tested";
}

std::string_view verdictText(Verdict v) {
    switch (v) {
    case Verdict::NoDifference: return "no detectable difference";
    case Verdict::NotEnoughData: return "not enough data";
    case Verdict::NotTested: return "not tested";
    default: return verdictKey(v);
    }
}

std::string_view statTestName(StatTest t) {
    switch (t) {
    case StatTest::TwoProportionZ: return "z-test";
    case StatTest::FisherExact: return "Fisher's exact";
    case StatTest::MannWhitneyNormal: return "Mann-Whitney U";
    case StatTest::MannWhitneyExact: return "Mann-Whitney U (exact)";
    case StatTest::Bootstrap: return "bootstrap";
    case StatTest::WelchT: return "Welch's t";
    case StatTest::None: break;
    }
    return "";
}

std::string_view statTestKey(StatTest t) {
    switch (t) {
    case StatTest::TwoProportionZ: return "z_test";
    case StatTest::FisherExact: return "fisher_exact";
    case StatTest::MannWhitneyNormal: return "mann_whitney_u";
    case StatTest::MannWhitneyExact: return "mann_whitney_u_exact";
    case StatTest::Bootstrap: return "bootstrap";
    case StatTest::WelchT: return "welch_t";
    case StatTest::None: break;
    }
    return "none";
}

const MetricComparison* VersionComparison::find(std::string_view key) const {
    for (const MetricComparison& m : metrics) {
        if (m.key == key) {
            return &m;
        }
    }
    return nullptr;
}

VersionComparison compareSides(const ComparisonSide& a, const ComparisonSide& b, const ComparisonOptions& options,
                               const std::atomic<bool>* cancel) {
    VersionComparison c;
    c.labelA = a.label;
    c.labelB = b.label;
    c.requestsA = a.size();
    c.requestsB = b.size();
    auto stop = [&] {
        c.cancelled = cancel && cancel->load(std::memory_order_relaxed);
        return c.cancelled;
    };
    Builder m{a, b, options, c.metrics, options.seed};
    m.volume();
    m.rate("error_rate", "Error rate", BetterWhen::Lower, MetricEvent::Error, a.errors, a.size(), b.errors, b.size());
    m.rate("refusal_rate", "Refusal rate", BetterWhen::Lower, MetricEvent::Refusal, a.refusals, a.size(), b.refusals,
           b.size());
    m.rate("failure_rate", "Failure rate (errors or failed evals)", BetterWhen::Lower, MetricEvent::Failure,
           a.failures, a.size(), b.failures, b.size());
    if (stop()) {
        return c;
    }
    m.distribution("latency_ms", "Latency (median; shift)", MetricUnit::DurationMs, BetterWhen::Lower, a.latencyMs,
                   b.latencyMs);
    m.percentile("latency_p50_ms", "p50 latency", MetricUnit::DurationMs, 0.50, a.latencyMs, b.latencyMs);
    m.percentile("latency_p95_ms", "p95 latency", MetricUnit::DurationMs, 0.95, a.latencyMs, b.latencyMs);
    m.percentile("latency_p99_ms", "p99 latency", MetricUnit::DurationMs, 0.99, a.latencyMs, b.latencyMs);
    if (stop()) {
        return c;
    }
    m.distribution("cost_usd", "Cost per request (median; shift)", MetricUnit::Usd, BetterWhen::Lower, a.costUsd,
                   b.costUsd);
    m.percentile("cost_p50_usd", "p50 cost per request", MetricUnit::Usd, 0.50, a.costUsd, b.costUsd);
    m.percentile("cost_p95_usd", "p95 cost per request", MetricUnit::Usd, 0.95, a.costUsd, b.costUsd);
    if (stop()) {
        return c;
    }
    m.distribution("input_tokens", "Input tokens per request", MetricUnit::Tokens, BetterWhen::Neither, a.inputTokens,
                   b.inputTokens);
    m.distribution("output_tokens", "Output tokens per request", MetricUnit::Tokens, BetterWhen::Neither,
                   a.outputTokens, b.outputTokens);
    m.distribution("token_efficiency", "Output per input token", MetricUnit::Ratio, BetterWhen::Neither,
                   a.tokenEfficiency, b.tokenEfficiency);
    if (stop()) {
        return c;
    }
    m.rate("eval_pass_rate", "Eval pass rate", BetterWhen::Higher, MetricEvent::EvalFail, a.evalPass,
           a.evalPass + a.evalFail, b.evalPass, b.evalPass + b.evalFail);
    const std::vector<std::string> names = evalNames(a, b);
    for (const std::string& name : names) {
        const EvalSide* ea = findEval(a, name);
        const EvalSide* eb = findEval(b, name);
        m.rate("eval_pass_rate:" + name, "Eval pass rate: " + name, BetterWhen::Higher, MetricEvent::EvalFail,
               ea ? ea->pass : 0, ea ? ea->pass + ea->fail : 0, eb ? eb->pass : 0, eb ? eb->pass + eb->fail : 0);
    }
    for (const std::string& name : names) {
        const EvalSide* ea = findEval(a, name);
        const EvalSide* eb = findEval(b, name);
        if (gradedScores(ea, eb)) {
            static const std::vector<double> kNone;
            m.meanScore("judge_score:" + name, "Mean score: " + name, ea ? ea->scores : kNone,
                        eb ? eb->scores : kNone);
        }
    }
    m.rate("thumbs_down_rate", "Thumbs-down share of feedback", BetterWhen::Lower, MetricEvent::ThumbsDown,
           a.thumbsDown, a.thumbsUp + a.thumbsDown, b.thumbsDown, b.thumbsUp + b.thumbsDown);
    m.rate("correction_rate", "Correction rate", BetterWhen::Lower, MetricEvent::Correction, a.corrections, a.size(),
           b.corrections, b.size());
    m.rate("abandonment_rate", "Abandonment rate", BetterWhen::Lower, MetricEvent::Abandoned, a.abandoned, a.size(),
           b.abandoned, b.size());

    std::vector<double> tested;
    for (const MetricComparison& x : c.metrics) {
        tested.push_back(x.verdict == kPending && x.key != "requests" ? x.pValue : kNaN);
    }
    const std::vector<double> adjusted = stats::benjaminiHochberg(tested);
    for (size_t i = 0; i < c.metrics.size(); ++i) {
        MetricComparison& x = c.metrics[i];
        if (std::isnan(tested[i])) {
            continue;
        }
        x.pAdjusted = adjusted[i];
        x.verdict = decide(x, options.alpha);
        if (x.verdict != Verdict::NoDifference) {
            x.moreRequests = 0;
        }
    }
    return c;
}

std::vector<uint32_t> requestsBehind(const Dataset& d, const ComparisonSide& side, const MetricComparison& m,
                                     bool sideB) {
    const RequestColumns& rq = d.requests;
    const double value = sideB ? m.b : m.a;
    std::string evalName;
    if (const size_t colon = m.key.find(':'); colon != std::string::npos && m.event == MetricEvent::EvalFail) {
        evalName = m.key.substr(colon + 1);
    }
    std::vector<uint8_t> evalFailed;
    if (m.event == MetricEvent::EvalFail) {
        evalFailed.assign(d.requestCount(), 0);
        for (size_t e = 0; e < d.evals.size(); ++e) {
            if (d.evals.outcome[e] == EvalOutcome::Fail && d.evals.request[e] < evalFailed.size() &&
                (evalName.empty() || d.str(d.evals.name[e]) == evalName)) {
                evalFailed[d.evals.request[e]] = 1;
            }
        }
    }
    std::vector<uint32_t> out;
    for (uint32_t r : side.requests) {
        const uint16_t f = rq.flags[r];
        bool keep = true;
        switch (m.event) {
        case MetricEvent::Error: keep = (f & kRequestError) != 0; break;
        case MetricEvent::Refusal: keep = (f & kRequestRefusal) != 0; break;
        case MetricEvent::Failure: keep = isFailure(d, r); break;
        case MetricEvent::EvalFail: keep = evalFailed[r] != 0; break;
        case MetricEvent::ThumbsDown: keep = (f & kRequestThumbsDown) != 0; break;
        case MetricEvent::Correction: keep = (f & kRequestCorrection) != 0; break;
        case MetricEvent::Abandoned: keep = (f & kRequestAbandoned) != 0; break;
        case MetricEvent::None:
            if (!std::isnan(m.percentile) && m.unit == MetricUnit::DurationMs) {
                keep = static_cast<double>(rq.durationNs[r]) / 1e6 >= value;
            } else if (!std::isnan(m.percentile) && m.unit == MetricUnit::Usd) {
                keep = rq.costUsd[r] >= value;
            }
            break;
        }
        if (keep) {
            out.push_back(r);
        }
    }
    return out;
}

}  // namespace ps
