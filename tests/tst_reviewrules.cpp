// The review queue's rules on a hand-made data set: which requests each rule picks, with every rule that
// matched, thresholds at their edges, the canary by environment and by prompt version, the order of the
// queue, and the defaults read from the data (judge evals, canary versions). Expected values are worked out
// by hand below.
#include <QTest>

#include <map>
#include <numeric>

#include "datasetbuilder.h"
#include "reviewrules.h"

using namespace ps;

namespace {

constexpr int64_t kMs = 1000000;

struct Eval {
    const char* name;
    double score;
    EvalOutcome outcome;
    const char* source;
};

struct Req {
    const char* trace;
    const char* feature;
    const char* prompt;
    const char* version;
    const char* environment;
    int tools;
    bool thumbsDown;
    std::vector<Eval> evals;
};

// Requests start 1 s apart in this order, so row i is trace t<i+1>.
const std::vector<Req>& requests() {
    static const std::vector<Req> reqs = {
        // t1: a failed rule check (0/1 scale, not a judge).
        {"t1", "chat", "support_answer", "42", "production", 0, false,
         {{"pii_check", 0, EvalOutcome::Fail, ""}}},
        // t2: the canary environment and a thumbs-down.
        {"t2", "chat", "support_answer", "43", "canary", 1, true, {}},
        // t3: a judge dimension at 2 (below 3), six tool calls (more than 5), a passing judge overall score.
        {"t3", "invoice", "invoice_extract", "7", "production", 6, false,
         {{"correctness", 2, EvalOutcome::Unknown, ""}, {"quality", 4, EvalOutcome::Pass, "llm_judge"}}},
        // t4: a high-risk feature only.
        {"t4", "sales", "sales_email", "3", "production", 0, false, {}},
        // t5: every threshold exactly at its edge: judge score 3 (not below 3), five tool calls (not more
        // than 5).
        {"t5", "chat", "support_answer", "42", "production", 5, false,
         {{"correctness", 3, EvalOutcome::Pass, ""}, {"pii_check", 1, EvalOutcome::Pass, ""}}},
        // t6: version 43 of another prompt.
        {"t6", "chat", "other_prompt", "43", "production", 0, false, {}},
        // t7: the canary environment spelt differently, a failed eval, thumbs-down, a judge score of 1.
        {"t7", "chat", "support_answer", "42", "Canary", 0, true,
         {{"tone", 1, EvalOutcome::Fail, "LLM-Judge"}}},
    };
    return reqs;
}

DatasetPtr build() {
    DatasetBuilder builder;
    RecordBatch b;
    uint64_t id = 1;
    int64_t start = 0;
    for (const Req& r : requests()) {
        RawSpan root;
        root.traceId = b.strings.intern(r.trace);
        root.spanId = id++;
        root.startNs = start;
        root.endNs = start + 500 * kMs;
        root.name = b.strings.intern("handle");
        root.feature = b.strings.intern(r.feature);
        root.promptName = b.strings.intern(r.prompt);
        root.promptVersion = b.strings.intern(r.version);
        root.environment = b.strings.intern(r.environment);
        root.status = SpanStatus::Ok;
        b.spans.push_back(root);
        for (int t = 0; t < r.tools; ++t) {
            RawSpan tool = root;
            tool.parentSpanId = root.spanId;
            tool.spanId = id++;
            tool.kind = SpanKind::Tool;
            tool.startNs = start + (t + 1) * kMs;
            tool.endNs = tool.startNs + kMs;
            b.spans.push_back(tool);
        }
        for (const Eval& e : r.evals) {
            RawEval ev;
            ev.traceId = root.traceId;
            ev.name = b.strings.intern(e.name);
            ev.score = e.score;
            ev.outcome = e.outcome;
            ev.source = b.strings.intern(e.source);
            b.evals.push_back(ev);
        }
        if (r.thumbsDown) {
            RawSignal s;
            s.requestId = root.traceId;
            s.type = SignalType::ThumbsDown;
            s.timeNs = start + 600 * kMs;
            b.signals.push_back(s);
        }
        start += 1000 * kMs;
    }
    // support_answer 43 went out at 5%, then 25%; invoice_extract 7 was a canary once, now at 100%.
    auto deploy = [&](const char* prompt, const char* version, double percent, int64_t at) {
        DeploymentRecord d;
        d.prompt = b.strings.intern(prompt);
        d.version = b.strings.intern(version);
        d.environment = b.strings.intern("production");
        d.trafficPercent = percent;
        d.atNs = at;
        b.deployments.push_back(d);
    };
    deploy("support_answer", "43", 5, 10);
    deploy("support_answer", "43", 25, 20);
    deploy("invoice_extract", "7", 10, 10);
    deploy("invoice_extract", "7", 100, 30);
    deploy("support_answer", "42", 100, 5);
    builder.addBatch(std::move(b));
    return builder.build();
}

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
        data_ = build();
        QCOMPARE(data_->requestCount(), requests().size());
        for (size_t i = 0; i < requests().size(); ++i) {
            QCOMPARE(data_->str(data_->requests.traceId[i]), std::string_view(requests()[i].trace));
            QCOMPARE(int(data_->requests.toolCalls[i]), requests()[i].tools);
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
