// Quality figures on hand-made data sets with answers worked out by hand: eval pass rates and mean scores per eval
// name, prompt version and time bucket, judge score distributions, user signals per feature with the
// survivorship-bias check, and the sample-and-judge queue (determinism, rate, flagged requests first).
#include <QTest>

#include <cmath>
#include <random>
#include <set>

#include "judgesampling.h"
#include "quality.h"
#include "tracefixture.h"

using namespace ps;
using namespace ps::testing;

namespace {

constexpr int64_t kHourMs = 3600 * 1000;

Selection all(const Dataset& d) {
    Selection s;
    for (uint32_t r = 0; r < d.requestCount(); ++r) {
        s.requests.push_back(r);
    }
    return s;
}

const EvalVersionStats* find(const Dataset& d, const QualityResult& q, std::string_view eval,
                             std::string_view version) {
    for (const EvalVersionStats& s : q.evals) {
        if (d.str(s.eval) == eval && d.str(s.version) == version) {
            return &s;
        }
    }
    return nullptr;
}

const FeatureSignals* feature(const Dataset& d, const QualityResult& q, std::string_view name) {
    for (const FeatureSignals& f : q.features) {
        if (d.str(f.feature) == name) {
            return &f;
        }
    }
    return nullptr;
}

}  // namespace

class TestQuality : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void bucketWidths_data() {
        QTest::addColumn<qint64>("rangeHours");
        QTest::addColumn<qint64>("bucketHours");
        QTest::newRow("a few hours") << qint64{5} << qint64{1};
        QTest::newRow("a day") << qint64{24} << qint64{3};
        QTest::newRow("three days") << qint64{72} << qint64{6};
        QTest::newRow("two weeks") << qint64{14 * 24} << qint64{24};
        QTest::newRow("a year") << qint64{365 * 24} << qint64{7 * 24};
    }
    void bucketWidths() {
        QFETCH(qint64, rangeHours);
        QFETCH(qint64, bucketHours);
        QCOMPARE(qualityBucketFor(rangeHours * kHourMs * kMsNs), bucketHours * kHourMs * kMsNs);
    }

    // Two days of version 1, then version 2; a 1-5 judge and a 0/1 rule on each request.
    void evalsPerVersionAndDay() {
        TraceFixture f;
        const double judge[] = {5, 4, 2, 5, 1, 1, 3, 2};  // per request
        for (int i = 0; i < 8; ++i) {
            const std::string trace = "t" + std::to_string(i);
            f.request({.trace = trace, .startMs = i * 12 * kHourMs, .version = i < 4 ? "1" : "2"});
            f.eval(trace, "correctness", judge[i], judge[i] >= 3 ? EvalOutcome::Pass : EvalOutcome::Fail);
            f.eval(trace, "format", i == 5 ? 0 : 1, i == 5 ? EvalOutcome::Fail : EvalOutcome::Pass);
            f.eval(trace, "tone", 3 + i % 3, EvalOutcome::Pass);  // never below 3
        }
        const DatasetPtr d = f.build();
        const QualityResult q = computeQuality(*d, buildFacetIndex(*d), all(*d));
        // 84 hours of starts: 12-hour buckets would be 8 (<= 24), 6-hour 15: the 6-hour width is the smallest.
        QCOMPARE(q.bucketNs, 6 * kHourMs * kMsNs);
        QCOMPARE(q.buckets, size_t{15});
        QCOMPARE(q.evals.size(), size_t{6});
        const EvalVersionStats* c1 = find(*d, q, "correctness", "1");
        const EvalVersionStats* c2 = find(*d, q, "correctness", "2");
        QVERIFY(c1 && c2);
        QCOMPARE(c1->results, uint64_t{4});
        QCOMPARE(c1->passRateAll(), 0.75);
        QCOMPARE(c1->meanScore, 4.0);
        QCOMPARE(c2->passRateAll(), 0.25);
        QCOMPARE(c2->meanScore, 1.75);
        // Bucket 0 holds t0 only (version 1): passed, score 5; bucket 1 has no request.
        QCOMPARE(c1->passRate[0], 1.0);
        QCOMPARE(c1->meanScoreOverTime[0], 5.0);
        QVERIFY(std::isnan(c1->passRate[1]));
        QCOMPARE(c1->passRate[4], 0.0);  // t2 at 24 h: score 2
        QVERIFY(std::isnan(c2->passRate[0]));
        // The judges are graded on one 1..5 scale (five bins, tone's 1 and 2 empty); the rule is not graded.
        QCOMPARE(q.scales.size(), size_t{3});
        QCOMPARE(d->str(q.scales[0].eval), std::string_view("correctness"));
        QVERIFY(q.scales[0].graded);
        QCOMPARE(q.scales[0].bins, size_t{5});
        QCOMPARE(q.scales[0].lo, 1.0);
        QVERIFY(!q.scales[1].graded);
        QCOMPARE(d->str(q.scales[2].eval), std::string_view("tone"));
        QCOMPARE(q.scales[2].lo, 1.0);
        QCOMPARE(q.scales[2].bins, size_t{5});
        QCOMPARE(find(*d, q, "tone", "1")->scoreBins, (std::vector<uint64_t>{0, 0, 2, 1, 1}));  // 3, 4, 5, 3
        QCOMPARE(c1->scoreBins, (std::vector<uint64_t>{0, 1, 0, 1, 2}));
        QCOMPARE(c2->scoreBins, (std::vector<uint64_t>{2, 1, 1, 0, 0}));
        QVERIFY(find(*d, q, "format", "2")->scoreBins.empty());
        QCOMPARE(find(*d, q, "format", "2")->passRateAll(), 0.75);
    }

    void evalsOnlyOfTheSelection() {
        TraceFixture f;
        for (int i = 0; i < 4; ++i) {
            const std::string trace = "t" + std::to_string(i);
            f.request({.trace = trace, .startMs = i * 1000});
            f.eval(trace, "correctness", i + 1, i >= 2 ? EvalOutcome::Pass : EvalOutcome::Fail);
        }
        const DatasetPtr d = f.build();
        Selection s;
        s.requests = {1, 3};
        const QualityResult q = computeQuality(*d, buildFacetIndex(*d), s);
        QCOMPARE(q.evals.size(), size_t{1});
        QCOMPARE(q.evals[0].results, uint64_t{2});
        QCOMPARE(q.evals[0].meanScore, 3.0);  // (2 + 4) / 2
        QCOMPARE(q.evals[0].passRateAll(), 0.5);
    }

    // mail: 10 requests in 5 sessions of 2; 9 thumbs up, 1 down; 2 sessions abandoned (40%): biased.
    // chat: 4 requests in 4 sessions, 1 up, 1 down, a rating of 5 and of 1; 1 abandoned by session alone.
    void signalsPerFeature() {
        TraceFixture f;
        for (int i = 0; i < 10; ++i) {
            const std::string trace = "m" + std::to_string(i);
            f.request(
                {.trace = trace, .feature = "mail", .startMs = i * 1000, .session = "ms" + std::to_string(i / 2)});
            f.signal(trace, i == 9 ? SignalType::ThumbsDown : SignalType::ThumbsUp);
        }
        f.signal("m1", SignalType::Abandoned);
        f.signal("m5", SignalType::Abandoned);
        f.signal("m0", SignalType::Correction);
        for (int i = 0; i < 4; ++i) {
            f.request({.trace = "c" + std::to_string(i), .startMs = 20000 + i * 1000,
                       .session = i == 3 ? "" : "cs" + std::to_string(i)});
        }
        f.signal("c0", SignalType::ThumbsUp);
        f.signal("c0", SignalType::FollowUp);
        f.signal("c1", SignalType::ThumbsDown);
        f.signal("c2", SignalType::Rating, 5);
        f.signal("c3", SignalType::Rating, 1);
        f.signal("", SignalType::Abandoned, kNaN, "cs1");  // the session only
        const DatasetPtr d = f.build();
        const QualityResult q = computeQuality(*d, buildFacetIndex(*d), all(*d));
        const FeatureSignals* mail = feature(*d, q, "mail");
        const FeatureSignals* chat = feature(*d, q, "chat");
        QVERIFY(mail && chat);
        QCOMPARE(d->str(q.features[0].feature), std::string_view("mail"));  // most requests first
        QCOMPARE(mail->requests, uint64_t{10});
        QCOMPARE(mail->sessions, uint64_t{5});
        QCOMPARE(mail->thumbsUp, uint64_t{9});
        QCOMPARE(mail->thumbsDown, uint64_t{1});
        QCOMPARE(mail->coverage(), 1.0);
        QCOMPARE(mail->positiveShare(), 0.9);
        QCOMPARE(mail->abandonment(), 0.4);
        QCOMPARE(mail->correctionRate(), 0.1);
        QCOMPARE(mail->meanSessionLength(), 2.0);
        QVERIFY(mail->survivorshipBias());

        QCOMPARE(chat->sessions, uint64_t{4});  // c3 has no session: a session of its own
        QCOMPARE(chat->ratings, uint64_t{2});
        QCOMPARE(chat->meanRating(), 3.0);
        QCOMPARE(chat->positive, uint64_t{2});  // thumbs up, rating 5
        QCOMPARE(chat->negative, uint64_t{2});  // thumbs down, rating 1
        QCOMPARE(chat->coverage(), 1.0);
        QCOMPARE(chat->followUpRate(), 0.25);
        QCOMPARE(chat->abandonment(), 0.25);
        QVERIFY(!chat->survivorshipBias());

        QCOMPARE(q.total.requests, uint64_t{14});
        QCOMPARE(q.total.sessions, uint64_t{9});
        QCOMPARE(q.total.abandonedSessions, uint64_t{3});
        QCOMPARE(q.total.thumbsUp, uint64_t{10});
    }

    // One session asks two features; it counts once for each, and once in the total.
    void aSessionAcrossFeatures() {
        TraceFixture f;
        f.request({.trace = "a", .feature = "chat", .startMs = 0, .session = "s"});
        f.request({.trace = "b", .feature = "mail", .startMs = 10, .session = "s"});
        f.request({.trace = "c", .feature = "chat", .startMs = 20, .session = "s"});
        f.request({.trace = "d", .feature = "chat", .startMs = 30, .session = "t"});
        f.signal("b", SignalType::Abandoned);
        const DatasetPtr d = f.build();
        const QualityResult q = computeQuality(*d, buildFacetIndex(*d), all(*d));
        QCOMPARE(feature(*d, q, "chat")->sessions, uint64_t{2});
        QCOMPARE(feature(*d, q, "chat")->abandonedSessions, uint64_t{1});
        QCOMPARE(feature(*d, q, "chat")->meanSessionLength(), 1.5);
        QCOMPARE(feature(*d, q, "mail")->sessions, uint64_t{1});
        QCOMPARE(feature(*d, q, "mail")->abandonedSessions, uint64_t{1});
        QCOMPARE(q.total.sessions, uint64_t{2});
        QCOMPARE(q.total.abandonedSessions, uint64_t{1});
    }

    void biasNeedsBothThresholdsStrictly() {
        FeatureSignals s;
        s.sessions = 10;
        s.abandonedSessions = 3;  // exactly 30%: not above
        s.positive = 9;
        s.negative = 1;
        QVERIFY(!s.survivorshipBias());
        s.abandonedSessions = 4;
        QVERIFY(s.survivorshipBias());
        s.positive = 8;
        s.negative = 2;  // exactly 80%
        QVERIFY(!s.survivorshipBias());
    }

    void samplingIsDeterministicAndNested() {
        QCOMPARE(requestHash("4bf92f3577b34da6a3ce929d0e0e4736"), requestHash("4bf92f3577b34da6a3ce929d0e0e4736"));
        QVERIFY(requestHash("a") != requestHash("b"));
        for (int i = 0; i < 2000; ++i) {
            const std::string id = "trace-" + std::to_string(i);
            if (sampledForJudging(id, 0.05)) {
                QVERIFY(sampledForJudging(id, 0.10));  // raising the rate only adds requests
            }
            QVERIFY(!sampledForJudging(id, 0.0));
            QVERIFY(sampledForJudging(id, 1.0));
        }
    }

    // 200,000 ids of the shape trace ids have: the sampled share stays within 4 standard deviations of the rate.
    void samplingRate_data() {
        QTest::addColumn<double>("rate");
        QTest::newRow("1%") << 0.01;
        QTest::newRow("5%") << 0.05;
        QTest::newRow("37%") << 0.37;
    }
    void samplingRate() {
        QFETCH(double, rate);
        std::mt19937_64 rng(7);
        const int n = 200000;
        int sampled = 0;
        char id[33];
        for (int i = 0; i < n; ++i) {
            std::snprintf(id, sizeof id, "%016llx%016llx", static_cast<unsigned long long>(rng()),
                          static_cast<unsigned long long>(i));
            sampled += sampledForJudging(id, rate);
        }
        const double sigma = std::sqrt(n * rate * (1 - rate));
        QVERIFY2(std::abs(sampled - n * rate) < 4 * sigma,
                 qPrintable(QStringLiteral("%1 sampled of %2 at %3").arg(sampled).arg(n).arg(rate)));
    }

    void queueHasFlaggedFirst() {
        TraceFixture f;
        for (int i = 0; i < 400; ++i) {
            const std::string trace = "q" + std::to_string(i);
            f.request({.trace = trace, .startMs = i * 1000});
            if (i % 50 == 7) {
                f.eval(trace, "correctness", 1, EvalOutcome::Fail);
            }
            if (i % 80 == 3) {
                f.signal(trace, SignalType::ThumbsDown);
            }
        }
        const DatasetPtr d = f.build();
        const Selection s = all(*d);
        const JudgeQueue queue = buildJudgeQueue(*d, s, 0.1, 1000);
        uint64_t expectSampled = 0;
        std::set<uint32_t> flagged;
        for (uint32_t r : s.requests) {
            const std::string trace(d->str(d->requests.traceId[r]));
            const int i = std::stoi(trace.substr(1));
            if (i % 50 == 7 || i % 80 == 3) {
                flagged.insert(r);
            } else if (sampledForJudging(trace, 0.1)) {
                ++expectSampled;
            }
        }
        QCOMPARE(queue.flagged, uint64_t{flagged.size()});  // 8 failed evals + 5 thumbs-down
        QCOMPARE(queue.flagged, uint64_t{13});
        QCOMPARE(queue.sampled, expectSampled);
        QCOMPARE(queue.rows.size(), flagged.size() + expectSampled);
        for (size_t i = 0; i < queue.rows.size(); ++i) {
            const bool isFlagged = flagged.count(queue.rows[i].request.value) > 0;
            QCOMPARE(isFlagged, i < flagged.size());
            if (i > 0 && (i < flagged.size()) == (i - 1 < flagged.size())) {
                QVERIFY(queue.rows[i].request.value < queue.rows[i - 1].request.value);  // most recent first
            }
        }
        QCOMPARE(buildJudgeQueue(*d, s, 0.1, 5).rows.size(), size_t{5});
        QCOMPARE(buildJudgeQueue(*d, s, 0.1, 5).sampled, expectSampled);
    }
};

QTEST_GUILESS_MAIN(TestQuality)
#include "tst_quality.moc"
