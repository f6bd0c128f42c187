// Version comparisons on data whose truth is known: the in-memory fixture (tests/versionsfixture.h) with chosen
// differences, and the bundled demo (the support_answer v42 -> v43 canary fails about twice as often). Every figure
// is checked against a second computation written here over the Dataset's columns (plain loops, sorted copies, a
// brute-force U); A/A comparisons (one version split at random) must flag nothing in at least 95% of seeds.
#include <QTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

#include "comparisonplan.h"
#include "releaserules.h"
#include "sourceloader.h"
#include "versionsanalysis.h"
#include "versionsfixture.h"

using namespace ps;

namespace {

std::vector<uint32_t> rowsWhere(const Dataset& d, const std::function<bool(uint32_t)>& keep) {
    std::vector<uint32_t> out;
    for (uint32_t r = 0; r < d.requestCount(); ++r) {
        if (keep(r)) {
            out.push_back(r);
        }
    }
    return out;
}

std::vector<uint32_t> versionRows(const Dataset& d, std::string_view prompt, std::string_view version) {
    return rowsWhere(d, [&](uint32_t r) {
        return d.str(d.requests.promptName[r]) == prompt && d.str(d.requests.promptVersion[r]) == version;
    });
}

double medianOf(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Pairs (a, b) with b > a plus half the ties, by brute force: the independent U.
double bruteU(const std::vector<double>& a, const std::vector<double>& b) {
    double u = 0;
    for (double y : b) {
        for (double x : a) {
            u += y > x ? 1.0 : y == x ? 0.5 : 0.0;
        }
    }
    return u;
}

const MetricComparison& metric(const VersionComparison& c, std::string_view key) {
    const MetricComparison* m = c.find(key);
    if (!m) {
        qFatal("no metric %s", std::string(key).c_str());
    }
    return *m;
}

size_t flagged(const VersionComparison& c) {
    return static_cast<size_t>(std::count_if(c.metrics.begin(), c.metrics.end(), [](const MetricComparison& m) {
        return m.verdict != Verdict::NoDifference && m.verdict != Verdict::NotEnoughData &&
               m.verdict != Verdict::NotTested;
    }));
}

DatasetPtr loadDemo() {
    const std::string dir = PROMPTSCOPE_BINARY_DIR "/demo/";
    return loadSources({dir + "demo.otlp.jsonl", dir + "demo.records.jsonl"}).dataset;
}

}  // namespace

class TestVersionComparison : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        testing::VersionsFixture f;
        f.requests = 4000;
        f.seed = 5;
        f.b.errorRate = 0.08;
        f.b.latencyMedianMs = 1000;
        fixture_ = testing::buildVersionsFixture(f);
        demo_ = loadDemo();
        QVERIFY2(demo_, "the demo files are built with the project (target promptscope_demo)");
    }

    void figuresMatchPlainLoops() {
        const Dataset& d = *fixture_;
        const ComparisonSide a = readComparisonSide(d, "v1", versionRows(d, "chat", "1"));
        const ComparisonSide b = readComparisonSide(d, "v2", versionRows(d, "chat", "2"));
        const VersionComparison c = compareSides(a, b);
        QCOMPARE(c.requestsA + c.requestsB, d.requestCount());
        // Error rate: counts and the z-test written out here (pooled, two-sided, erfc for the normal tail).
        auto errors = [&](const std::vector<uint32_t>& rows) {
            return static_cast<double>(std::count_if(rows.begin(), rows.end(), [&](uint32_t r) {
                return d.requests.flags[r] & kRequestError;
            }));
        };
        const double ea = errors(a.requests);
        const double eb = errors(b.requests);
        const auto na = static_cast<double>(a.size());
        const auto nb = static_cast<double>(b.size());
        const MetricComparison& err = metric(c, "error_rate");
        QCOMPARE(err.a, ea / na);
        QCOMPARE(err.b, eb / nb);
        QCOMPARE(err.test, StatTest::TwoProportionZ);
        const double pooled = (ea + eb) / (na + nb);
        const double z = (eb / nb - ea / na) / std::sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb));
        QVERIFY(std::fabs(err.pValue - std::erfc(std::fabs(z) / std::sqrt(2.0))) < 1e-12);
        QCOMPARE(err.verdict, Verdict::Worse);  // 8% against 3% on 2,000 requests each
        // Latency: medians of sorted copies and U by brute force; the canary is slower (1,000 ms vs 800 ms).
        std::vector<double> la;
        std::vector<double> lb;
        for (uint32_t r : a.requests) {
            la.push_back(static_cast<double>(d.requests.durationNs[r]) / 1e6);
        }
        for (uint32_t r : b.requests) {
            lb.push_back(static_cast<double>(d.requests.durationNs[r]) / 1e6);
        }
        const MetricComparison& lat = metric(c, "latency_ms");
        QCOMPARE(lat.a, medianOf(la));
        QCOMPARE(lat.b, medianOf(lb));
        const double u = bruteU(la, lb);
        const double mean = na * nb / 2;
        const double sd = std::sqrt(na * nb * (na + nb + 1) / 12);  // no ties among nanosecond latencies
        const double zU = (std::fabs(u - mean) - 0.5) / sd;
        QVERIFY(std::fabs(lat.pValue - std::erfc(zU / std::sqrt(2.0))) < 1e-9);
        QCOMPARE(lat.verdict, Verdict::Worse);
        QVERIFY(lat.diff > 100 && lat.diff < 300);  // the shift of medians 800 -> 1,000 ms
        QVERIFY(lat.ci.low < lat.diff && lat.diff < lat.ci.high);
        // Eval pass rate over all eval results, by a loop over the eval table.
        uint64_t pass = 0;
        uint64_t all = 0;
        std::vector<uint8_t> inB(d.requestCount(), 0);
        for (uint32_t r : b.requests) {
            inB[r] = 1;
        }
        for (size_t e = 0; e < d.evals.size(); ++e) {
            if (inB[d.evals.request[e]] && d.evals.outcome[e] != EvalOutcome::Unknown) {
                ++all;
                pass += d.evals.outcome[e] == EvalOutcome::Pass;
            }
        }
        QCOMPARE(metric(c, "eval_pass_rate").nB, all);
        QCOMPARE(metric(c, "eval_pass_rate").b, static_cast<double>(pass) / static_cast<double>(all));
        // Judge scores 1..5 are graded: they get a mean; the 0/1 rule does not.
        QVERIFY(c.find("judge_score:correctness"));
        QVERIFY(!c.find("judge_score:format_check"));
        QCOMPARE(metric(c, "judge_score:correctness").test, StatTest::WelchT);
        // Cost is the same in both versions by construction: nothing to see.
        QCOMPARE(metric(c, "cost_usd").verdict, Verdict::NoDifference);
        // Settled metrics need no more requests.
        QCOMPARE(err.moreRequests, 0.0);
    }

    void directionFollowsTheMetric() {
        // Swapping the sides turns "worse" into "better" for lower-is-better metrics, with the same p-value.
        const Dataset& d = *fixture_;
        const ComparisonSide a = readComparisonSide(d, "v1", versionRows(d, "chat", "1"));
        const ComparisonSide b = readComparisonSide(d, "v2", versionRows(d, "chat", "2"));
        const VersionComparison forward = compareSides(a, b);
        const VersionComparison backward = compareSides(b, a);
        QCOMPARE(metric(backward, "error_rate").verdict, Verdict::Better);
        QCOMPARE(metric(backward, "latency_ms").verdict, Verdict::Better);
        QCOMPARE(metric(backward, "error_rate").pValue, metric(forward, "error_rate").pValue);
        QCOMPARE(metric(backward, "latency_ms").diff, -metric(forward, "latency_ms").diff);
    }

    void smallSidesAreNotEnoughData() {
        const Dataset& d = *fixture_;
        std::vector<uint32_t> rows = versionRows(d, "chat", "2");
        rows.resize(12);
        const ComparisonSide a = readComparisonSide(d, "v1", versionRows(d, "chat", "1"));
        const ComparisonSide b = readComparisonSide(d, "v2", rows);
        const VersionComparison c = compareSides(a, b);
        for (const char* key : {"error_rate", "latency_ms", "latency_p50_ms", "cost_p95_usd"}) {
            QCOMPARE(metric(c, key).verdict, Verdict::NotEnoughData);
        }
        QCOMPARE(metric(c, "requests").verdict, Verdict::NotTested);
        // More requests: at least enough, at this split (12 of about 2,000), for 20 on the small side.
        const double n = static_cast<double>(a.size() + 12);
        const double toMinimum = std::ceil(20 * n / 12 - n);
        QVERIFY(metric(c, "error_rate").moreRequests >= toMinimum);
        QVERIFY(metric(c, "latency_ms").moreRequests >= toMinimum);
        // For the p95: 200 requests on the small side (10 beyond the percentile).
        QVERIFY(metric(c, "latency_p95_ms").moreRequests >= std::ceil(200 * n / 12 - n));
        // The p99 of 500 requests rests on 5 of them: not judged; the p95 of 500 (25 beyond it) is.
        rows = versionRows(d, "chat", "2");
        rows.resize(500);
        const VersionComparison p99 = compareSides(a, readComparisonSide(d, "v2", rows));
        QCOMPARE(metric(p99, "latency_p99_ms").verdict, Verdict::NotEnoughData);
        QVERIFY(metric(p99, "latency_p95_ms").verdict != Verdict::NotEnoughData);
        // Empty side: nothing computed, nothing claimed.
        const VersionComparison empty = compareSides(a, readComparisonSide(d, "none", {}));
        QCOMPARE(metric(empty, "latency_ms").verdict, Verdict::NotEnoughData);
        QVERIFY(std::isnan(metric(empty, "error_rate").pValue));
    }

    void demoCanaryIsFlaggedWorse() {
        const Dataset& d = *demo_;
        const ComparisonSpec spec = defaultComparison(d);
        QCOMPARE(spec.prompt, std::string("support_answer"));
        QCOMPARE(spec.values, (std::vector<std::string>{"42", "43"}));
        const FacetIndex index = buildFacetIndex(d);
        const VersionsAnalysis a = analyseVersions(d, index, spec, Filter{});
        QCOMPARE(a.sides.size(), size_t{2});
        QCOMPARE(a.sides[0].requests, versionRows(d, "support_answer", "42"));
        QCOMPARE(a.sides[1].requests, versionRows(d, "support_answer", "43"));
        const VersionComparison& c = a.comparisons.at(0);
        // About twice the failures (errors or failed evals), significant after the adjustment.
        const MetricComparison& failure = metric(c, "failure_rate");
        const auto failures = [&](const std::vector<uint32_t>& rows) {
            return std::count_if(rows.begin(), rows.end(), [&](uint32_t r) {
                return (d.requests.flags[r] & kRequestError) || d.requests.evalFail[r] > 0;
            });
        };
        QCOMPARE(failure.eventsA, static_cast<uint64_t>(failures(a.sides[0].requests)));
        QCOMPARE(failure.eventsB, static_cast<uint64_t>(failures(a.sides[1].requests)));
        QVERIFY(failure.b / failure.a > 1.6);
        QCOMPARE(failure.verdict, Verdict::Worse);
        QVERIFY(failure.pAdjusted < 0.05);
        QVERIFY(failure.ci.low > 0);
        // Fuller answers: more output tokens and a higher cost per request.
        QCOMPARE(metric(c, "output_tokens").verdict, Verdict::Higher);
        QCOMPARE(metric(c, "cost_usd").verdict, Verdict::Worse);
        QCOMPARE(metric(c, "eval_pass_rate").verdict, Verdict::Worse);
        // The demo's canary has under 200 requests: the failure-rate gate waits rather than fails.
        const std::vector<RuleResult> rules = checkReleaseRules(c, ReleaseRuleSettings{});
        QVERIFY(c.requestsB < 200);
        QVERIFY(rules[0].waiting && rules[0].passed);
        ReleaseRuleSettings early;
        early.failureMinRequests = 50;
        QVERIFY(!checkReleaseRules(c, early)[0].passed);
    }

    void demoAASplitsFlagNothing() {
        // v42 split at random into two halves, 200 times: no metric may be flagged in at least 95% of them (1,000
        // splits flagged something in 3.5%, spread over the metrics, when this was written).
        const Dataset& d = *demo_;
        const std::vector<uint32_t> v42 = versionRows(d, "support_answer", "42");
        size_t clean = 0;
        constexpr int kSeeds = 200;
        for (int seed = 1; seed <= kSeeds; ++seed) {
            stats::SplitMix64 rng(static_cast<uint64_t>(seed) * 7919);
            std::vector<uint32_t> x;
            std::vector<uint32_t> y;
            for (uint32_t r : v42) {
                (rng.uniform() < 0.5 ? x : y).push_back(r);
            }
            const VersionComparison c = compareSides(readComparisonSide(d, "x", x), readComparisonSide(d, "y", y));
            clean += flagged(c) == 0;
        }
        qInfo("A/A on the demo's v42: %zu of %d random splits flag nothing", clean, kSeeds);
        QVERIFY(clean >= 95);
    }

    void fixtureAASeedsFlagNothing() {
        // Two versions with the same profile, generated from 100 seeds (2,000 requests each).
        size_t clean = 0;
        constexpr int kSeeds = 100;
        for (int seed = 1; seed <= kSeeds; ++seed) {
            testing::VersionsFixture f;
            f.requests = 2000;
            f.seed = static_cast<uint64_t>(seed) + 1000;
            const DatasetPtr data = testing::buildVersionsFixture(f);
            const VersionComparison c = compareSides(readComparisonSide(*data, "v1", versionRows(*data, "chat", "1")),
                                                     readComparisonSide(*data, "v2", versionRows(*data, "chat", "2")));
            clean += flagged(c) == 0;
        }
        qInfo("A/A on the fixture: %zu of %d seeds flag nothing", clean, kSeeds);
        QVERIFY(clean >= 95);
    }

    void releaseRules() {
        VersionComparison c;
        c.requestsA = 1000;
        c.requestsB = 250;
        MetricComparison failure;
        failure.key = "failure_rate";
        failure.a = 0.08;
        failure.b = 0.16;  // exactly 2x: fails
        MetricComparison cost;
        cost.key = "cost_p95_usd";
        cost.a = 0.010;
        cost.b = 0.0149;  // +49%: passes
        MetricComparison evals;
        evals.key = "eval_pass_rate";
        evals.b = 0.921;
        evals.nB = 300;
        c.metrics = {failure, cost, evals};
        std::vector<RuleResult> r = checkReleaseRules(c, ReleaseRuleSettings{});
        QCOMPARE(r.size(), size_t{3});
        QVERIFY(!r[0].passed);
        QVERIFY(r[1].passed);
        QVERIFY(r[2].passed);
        QVERIFY(anyRuleFailed(r));
        ReleaseRuleSettings s;
        s.failureRatio = 2.5;
        s.costP95Increase = 0.4;
        s.minEvalPassRate = 0.95;
        r = checkReleaseRules(c, s);
        QVERIFY(r[0].passed);
        QVERIFY(!r[1].passed);
        QVERIFY(!r[2].passed);
        QCOMPARE(QString::fromStdString(r[0].name),
                 QStringLiteral("Failure rate below 2.5x the baseline's (judged after 200 requests)"));
        // A baseline without failures: any failure of the candidate is infinitely more.
        c.metrics[0].a = 0;
        c.metrics[0].b = 0.01;
        QVERIFY(!checkReleaseRules(c, ReleaseRuleSettings{})[0].passed);
        c.metrics[0].b = 0;
        QVERIFY(checkReleaseRules(c, ReleaseRuleSettings{})[0].passed);
        // Switched off rules are not listed.
        s.costP95On = false;
        QCOMPARE(checkReleaseRules(c, s).size(), size_t{2});
    }

    void drillDownRowsMatchTheMetric() {
        const Dataset& d = *fixture_;
        const ComparisonSide a = readComparisonSide(d, "v1", versionRows(d, "chat", "1"));
        const ComparisonSide b = readComparisonSide(d, "v2", versionRows(d, "chat", "2"));
        const VersionComparison c = compareSides(a, b);
        const std::vector<uint32_t> errorsB = requestsBehind(d, b, metric(c, "error_rate"), true);
        QCOMPARE(errorsB.size(), static_cast<size_t>(metric(c, "error_rate").eventsB));
        for (uint32_t r : errorsB) {
            QVERIFY(d.requests.flags[r] & kRequestError);
        }
        // The p95 cell: the requests at or above that side's p95, about 5% of them.
        const MetricComparison& p95 = metric(c, "latency_p95_ms");
        const std::vector<uint32_t> slow = requestsBehind(d, a, p95, false);
        QVERIFY(slow.size() >= a.size() / 20 && slow.size() <= a.size() / 20 + 1);
        // Failed evals of one eval name.
        const MetricComparison& rule = metric(c, "eval_pass_rate:format_check");
        QCOMPARE(requestsBehind(d, b, rule, true).size(), static_cast<size_t>(rule.nB - rule.eventsB));
    }

    void plansAndVersions() {
        const Dataset& d = *demo_;
        QCOMPARE(versionsNewestFirst(d, "support_answer"), (std::vector<std::string>{"43", "42"}));
        QCOMPARE(versionsNewestFirst(d, "invoice_extract"), (std::vector<std::string>{"12", "11"}));
        QCOMPARE(promptsWithVersions(d).front(), std::string("support_answer"));
        Filter base;
        base.of(Dimension::Tenant) = {"acme"};
        base.of(Dimension::PromptVersion) = {"41"};
        ComparisonSpec spec;
        spec.prompt = "support_answer";
        spec.values = {"42", "43"};
        std::vector<ComparisonArm> arms = comparisonArms(spec, base);
        QCOMPARE(arms.size(), size_t{2});
        QCOMPARE(arms[1].label, std::string("v43"));
        QCOMPARE(arms[1].filter.of(Dimension::PromptVersion), (std::vector<std::string>{"43"}));  // replaces 41
        QCOMPARE(arms[1].filter.of(Dimension::Tenant), (std::vector<std::string>{"acme"}));         // kept
        // Before/after a deployment: the base's time range is narrowed on each side.
        spec.by = CompareBy::Deployment;
        spec.splitNs = 5000;
        base = Filter{};
        base.beginNs = 1000;
        arms = comparisonArms(spec, base);
        QCOMPARE(arms[0].filter.beginNs, int64_t{1000});
        QCOMPARE(arms[0].filter.endNs, int64_t{5000});
        QCOMPARE(arms[1].filter.beginNs, int64_t{5000});
        QCOMPARE(arms[1].filter.endNs, Filter::kNoLimit);
        QCOMPARE(arms[1].filter.of(Dimension::PromptVersion), std::vector<std::string>{});
        // Environments: canary against production.
        spec.by = CompareBy::Environment;
        spec.prompt.clear();
        spec.values = {"production", "canary"};
        arms = comparisonArms(spec, Filter{});
        QCOMPARE(arms[1].filter.of(Dimension::Environment), (std::vector<std::string>{"canary"}));
        QVERIFY(arms[1].filter.of(Dimension::PromptName).empty());
    }

    void demoTimelineShowsTheCanaryRamp() {
        const Dataset& d = *demo_;
        const FacetIndex index = buildFacetIndex(d);
        const VersionsAnalysis a = analyseVersions(d, index, defaultComparison(d), Filter{});
        const ReleaseTimeline& t = a.timeline;
        QCOMPARE(t.groups, (std::vector<std::string>{"v42", "v43"}));
        QCOMPARE(t.deployments.size(), size_t{3});  // v42's full rollout, then v43 at 5% and at 25%
        QVERIFY(t.buckets > 10 && t.buckets <= 60);
        // Each bucket's shares add up to 1 (only two versions); counts match a loop over the requests.
        double before = 0;
        double after = 0;
        double v43After = 0;
        for (size_t b = 0; b < t.buckets; ++b) {
            if (std::isnan(t.share[0][b])) {
                continue;
            }
            QVERIFY(std::fabs(t.share[0][b] + t.share[1][b] - 1) < 1e-12);
            const int64_t start = t.firstBucketNs + static_cast<int64_t>(b) * t.bucketNs;
            if (start + t.bucketNs <= t.deployments[1].atNs) {
                before += t.requests[1][b];
            } else if (start >= t.deployments[2].atNs) {
                after += t.requests[0][b] + t.requests[1][b];
                v43After += t.requests[1][b];
            }
        }
        QCOMPARE(before, 0.0);  // no v43 before the canary
        QVERIFY(v43After / after > 0.12 && v43After / after < 0.40);  // about 25% of support sessions
        const std::vector<uint32_t> v43 = versionRows(d, "support_answer", "43");
        const double total = std::accumulate(t.requests[1].begin(), t.requests[1].end(), 0.0);
        QCOMPARE(total, static_cast<double>(v43.size()));
        // v43's error rate per bucket by a loop; buckets with under 5 of its requests are left out as noise.
        const auto& errorRate = t.values[static_cast<size_t>(TimelineMetric::ErrorRate)][1];
        for (size_t b = 0; b < t.buckets; ++b) {
            const int64_t start = t.firstBucketNs + static_cast<int64_t>(b) * t.bucketNs;
            double n = 0;
            double errors = 0;
            for (uint32_t r : v43) {
                if (d.requests.startNs[r] >= start && d.requests.startNs[r] < start + t.bucketNs) {
                    ++n;
                    errors += (d.requests.flags[r] & kRequestError) != 0;
                }
            }
            QCOMPARE(t.requests[1][b], n);
            if (n < 5) {
                QVERIFY(std::isnan(errorRate[b]));
            } else {
                QCOMPARE(errorRate[b], errors / n);
            }
        }
    }

    void overlaidDistributions() {
        const Dataset& d = *fixture_;
        const FacetIndex index = buildFacetIndex(d);
        ComparisonSpec spec;
        spec.prompt = "chat";
        spec.values = {"1", "2"};
        const VersionsAnalysis a = analyseVersions(d, index, spec, Filter{});
        const OverlaidDistributions& o = a.latency;
        QCOMPARE(o.groups.size(), size_t{2});
        QCOMPARE(o.edges.size(), o.share[0].size() + 1);
        for (size_t k = 0; k < 2; ++k) {
            QVERIFY(std::fabs(std::accumulate(o.share[k].begin(), o.share[k].end(), 0.0) - 1) < 1e-12);
            QCOMPARE(o.ecdf[k].back().second, 1.0);
            for (size_t j = 1; j < o.ecdf[k].size(); ++j) {
                QVERIFY(o.ecdf[k][j].second >= o.ecdf[k][j - 1].second);
            }
        }
        // One bin by a loop: values in [edge 10, edge 11).
        const std::vector<double>& values = a.sides[1].latencyMs;
        const auto inBin = std::count_if(values.begin(), values.end(),
                                         [&](double v) { return v >= o.edges[10] && v < o.edges[11]; });
        QCOMPARE(o.share[1][10], static_cast<double>(inBin) / static_cast<double>(values.size()));
    }

private:
    DatasetPtr fixture_;
    DatasetPtr demo_;
};

QTEST_GUILESS_MAIN(TestVersionComparison)
#include "tst_versioncomparison.moc"
