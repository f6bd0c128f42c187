// The review queue's rules on a hand-made data set: which requests each rule picks, with every rule that
// matched, thresholds at their edges, the canary by environment and by prompt version, the order of the
// queue, and the defaults read from the data (judge evals, canary versions). Expected values are worked out
// by hand below.
#include <QTest>

#include <map>
#include <numeric>

#include "reviewfixture.h"
#include "reviewrules.h"

using namespace ps;
using namespace ps::testing;

namespace {

ReviewRuleSettings defaults(const Dataset& d) {
    ReviewRuleSettings s;
    s.judgeEvals = judgeEvalNames(d);
    s.canaryVersions = canaryPromptVersions(d);
    s.highRiskFeatures = {"sales"};
    return s;
}

std::vector<uint32_t> everything(const Dataset& d) {
    std::vector<uint32_t> all(d.requestCount());
    std::iota(all.begin(), all.end(), 0u);
    return all;
}

// trace id -> rules, from a result.
std::map<std::string, uint32_t> byTrace(const Dataset& d, const std::vector<ReviewCandidate>& c) {
    std::map<std::string, uint32_t> out;
    for (const ReviewCandidate& x : c) {
        out[std::string(d.str(d.requests.traceId[x.request.value]))] = x.rules;
    }
    return out;
}

}  // namespace

class TestReviewRules : public QObject {
    Q_OBJECT

private:
    DatasetPtr data_;

private Q_SLOTS:
    void initTestCase() {
        data_ = buildReviewDataset();
        QCOMPARE(data_->requestCount(), reviewRequests().size());
        for (size_t i = 0; i < reviewRequests().size(); ++i) {
            QCOMPARE(data_->str(data_->requests.traceId[i]), std::string_view(reviewRequests()[i].trace));
            QCOMPARE(int(data_->requests.toolCalls[i]), reviewRequests()[i].tools);
        }
    }

    void defaultsComeFromTheData() {
        // correctness scores beyond 0..1; quality and tone name a judge as their source; pii_check is 0/1.
        QCOMPARE(judgeEvalNames(*data_), (std::vector<std::string>{"correctness", "quality", "tone"}));
        // 43 is at 25% now; 7 went back to 100%; 42 was always at 100%.
        const std::vector<PromptVersionKey> canary = canaryPromptVersions(*data_);
        QCOMPARE(canary.size(), size_t{1});
        QCOMPARE(canary[0].prompt, std::string("support_answer"));
        QCOMPARE(canary[0].version, std::string("43"));
    }

    void eachRuleAndEveryRuleThatMatched() {
        const auto got = byTrace(*data_, applyReviewRules(*data_, everything(*data_), defaults(*data_)));
        const std::map<std::string, uint32_t> expected = {
            {"t1", kRuleFailedEval},
            {"t2", kRuleCanary | kRuleThumbsDown},
            {"t3", kRuleLowJudgeScore | kRuleManyToolCalls},
            {"t4", kRuleHighRiskFeature},
            {"t7", kRuleFailedEval | kRuleThumbsDown | kRuleLowJudgeScore | kRuleCanary},
        };
        QCOMPARE(got, expected);
    }

    void orderIsMostRulesFirstThenNewest() {
        const auto c = applyReviewRules(*data_, everything(*data_), defaults(*data_));
        std::vector<std::string> order;
        for (const ReviewCandidate& x : c) {
            order.emplace_back(data_->str(data_->requests.traceId[x.request.value]));
        }
        // t7 (4 rules); t3, t2 (2 rules, newest first); t4, t1 (1 rule, newest first).
        QCOMPARE(order, (std::vector<std::string>{"t7", "t3", "t2", "t4", "t1"}));
        QCOMPARE(applyReviewRules(*data_, everything(*data_), defaults(*data_)), c);
    }

    void onlyTheSelectionIsConsidered() {
        const auto got = byTrace(*data_, applyReviewRules(*data_, {0, 3, 4}, defaults(*data_)));
        QCOMPARE(got,
                 (std::map<std::string, uint32_t>{{"t1", kRuleFailedEval}, {"t4", kRuleHighRiskFeature}}));
        QVERIFY(applyReviewRules(*data_, {}, defaults(*data_)).empty());
    }

    void disabledRulesDoNotMatch() {
        ReviewRuleSettings s = defaults(*data_);
        s.enabled = kRuleThumbsDown;
        QCOMPARE(byTrace(*data_, applyReviewRules(*data_, everything(*data_), s)),
                 (std::map<std::string, uint32_t>{{"t2", kRuleThumbsDown}, {"t7", kRuleThumbsDown}}));
        s.enabled = 0;
        QVERIFY(applyReviewRules(*data_, everything(*data_), s).empty());
    }

    void thresholdsAreStrict_data() {
        QTest::addColumn<double>("below");
        QTest::addColumn<uint32_t>("maxTools");
        QTest::addColumn<QByteArray>("judged");
        QTest::addColumn<QByteArray>("tooManyTools");
        QTest::newRow("defaults") << 3.0 << 5u << QByteArray("t3,t7") << QByteArray("t3");
        QTest::newRow("below 3.5 takes t5's 3") << 3.5 << 5u << QByteArray("t3,t5,t7") << QByteArray("t3");
        QTest::newRow("below 2 leaves only t7's 1") << 2.0 << 5u << QByteArray("t7") << QByteArray("t3");
        QTest::newRow("more than 4 tools takes t5") << 3.0 << 4u << QByteArray("t3,t7")
                                                     << QByteArray("t3,t5");
        QTest::newRow("more than 0 tools") << 3.0 << 0u << QByteArray("t3,t7")
                                            << QByteArray("t2,t3,t5");
        QTest::newRow("more than 6 tools: none") << 3.0 << 6u << QByteArray("t3,t7") << QByteArray("");
    }

    void thresholdsAreStrict() {
        QFETCH(double, below);
        QFETCH(uint32_t, maxTools);
        QFETCH(QByteArray, judged);
        QFETCH(QByteArray, tooManyTools);
        ReviewRuleSettings s = defaults(*data_);
        s.judgeScoreBelow = below;
        s.maxToolCalls = maxTools;
        QByteArrayList gotJudged;
        QByteArrayList gotTools;
        for (const auto& [trace, rules] : byTrace(*data_, applyReviewRules(*data_, everything(*data_), s))) {
            if (rules & kRuleLowJudgeScore) {
                gotJudged << QByteArray::fromStdString(trace);
            }
            if (rules & kRuleManyToolCalls) {
                gotTools << QByteArray::fromStdString(trace);
            }
        }
        QCOMPARE(gotJudged.join(','), judged);
        QCOMPARE(gotTools.join(','), tooManyTools);
    }

    void judgeScoresOnlyFromTheChosenEvals() {
        ReviewRuleSettings s = defaults(*data_);
        s.enabled = kRuleLowJudgeScore;
        s.judgeEvals = {"tone"};
        QCOMPARE(byTrace(*data_, applyReviewRules(*data_, everything(*data_), s)),
                 (std::map<std::string, uint32_t>{{"t7", kRuleLowJudgeScore}}));
        // A rule check's 0 or 1 is not a judge score unless chosen as one; then both are below 3.
        s.judgeEvals = {"pii_check"};
        QCOMPARE(byTrace(*data_, applyReviewRules(*data_, everything(*data_), s)),
                 (std::map<std::string, uint32_t>{{"t1", kRuleLowJudgeScore}, {"t5", kRuleLowJudgeScore}}));
        s.judgeEvals = {"not_in_the_data"};
        QVERIFY(applyReviewRules(*data_, everything(*data_), s).empty());
    }

    void canaryByEnvironmentOrPromptVersion() {
        ReviewRuleSettings s = defaults(*data_);
        s.enabled = kRuleCanary;
        s.canaryVersions = {};
        QCOMPARE(byTrace(*data_, applyReviewRules(*data_, everything(*data_), s)),
                 (std::map<std::string, uint32_t>{{"t2", kRuleCanary}, {"t7", kRuleCanary}}));
        // Version 43 of any prompt also takes t6.
        s.canaryVersions = {{"", "43"}};
        QCOMPARE(
            byTrace(*data_, applyReviewRules(*data_, everything(*data_), s)),
            (std::map<std::string, uint32_t>{{"t2", kRuleCanary}, {"t6", kRuleCanary}, {"t7", kRuleCanary}}));
        s.canaryVersions = {{"support_answer", "42"}};
        QCOMPARE(byTrace(*data_, applyReviewRules(*data_, everything(*data_), s)),
                 (std::map<std::string, uint32_t>{
                     {"t1", kRuleCanary}, {"t2", kRuleCanary}, {"t5", kRuleCanary}, {"t7", kRuleCanary}}));
    }

    void highRiskFeaturesFromTheList() {
        ReviewRuleSettings s = defaults(*data_);
        s.enabled = kRuleHighRiskFeature;
        s.highRiskFeatures = {"invoice", "sales", "no_such_feature"};
        QCOMPARE(
            byTrace(*data_, applyReviewRules(*data_, everything(*data_), s)),
            (std::map<std::string, uint32_t>{{"t3", kRuleHighRiskFeature}, {"t4", kRuleHighRiskFeature}}));
        s.highRiskFeatures = {};
        QVERIFY(applyReviewRules(*data_, everything(*data_), s).empty());
    }

    void aCancelledRunReturnsNothing() {
        std::atomic<bool> cancel{true};
        QVERIFY(applyReviewRules(*data_, everything(*data_), defaults(*data_), &cancel).empty());
    }

    void ruleKeysRoundTrip() {
        QCOMPARE(reviewRuleKeys(kRuleThumbsDown | kRuleFailedEval | kRuleManyToolCalls),
                 std::string("failed_eval,thumbs_down,tool_calls"));
        QCOMPARE(parseReviewRuleKeys("tool_calls,canary,unknown,,failed_eval"),
                 uint32_t{kRuleManyToolCalls | kRuleCanary | kRuleFailedEval});
        for (int i = 0; i < kReviewRuleCount; ++i) {
            const uint32_t bit = 1u << i;
            QCOMPARE(parseReviewRuleKeys(reviewRuleKey(static_cast<ReviewRule>(bit))), bit);
        }
        QCOMPARE(parseReviewRuleKeys(reviewRuleKeys(kAllReviewRules)), kAllReviewRules);
        QCOMPARE(reviewRuleKeys(0), std::string());
    }
};

QTEST_GUILESS_MAIN(TestReviewRules)
#include "tst_reviewrules.moc"
