// The review queue as shown: rule candidates merged with the workspace's stored entries and labels (items
// added by hand first, states and labels from the workspace, "open only"), and the table model over it, under
// QAbstractItemModelTester. Expected rows are worked out by hand from reviewfixture.h.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <numeric>

#include "reviewfixture.h"
#include "requestsummary.h"
#include "reviewqueuemodel.h"

using namespace ps;
using namespace ps::testing;

namespace {

std::vector<ReviewCandidate> candidates(const Dataset& d) {
    std::vector<uint32_t> all(d.requestCount());
    std::iota(all.begin(), all.end(), 0u);
    ReviewRuleSettings s;
    s.judgeEvals = judgeEvalNames(d);
    s.canaryVersions = canaryPromptVersions(d);
    s.highRiskFeatures = {"sales"};
    return applyReviewRules(d, all, s);  // t7, t3, t2, t4, t1
}

QueueEntry stored(const char* trace, QueueOrigin origin, QueueState state, int64_t added,
                  const char* reasons = "") {
    QueueEntry e;
    e.traceId = trace;
    e.requestId = std::string("req-") + trace;
    e.origin = origin;
    e.state = state;
    e.addedMs = added;
    e.reasons = reasons;
    return e;
}

QStringList traces(const std::vector<ReviewQueueItem>& items) {
    QStringList out;
    for (const ReviewQueueItem& i : items) {
        out << QString::fromStdString(i.traceId);
    }
    return out;
}

QStringList list(std::initializer_list<const char*> items) {
    QStringList out;
    for (const char* i : items) {
        out << QString::fromUtf8(i);
    }
    return out;
}

}  // namespace

class TestReviewQueue : public QObject {
    Q_OBJECT

private:
    DatasetPtr data_;

private Q_SLOTS:
    void initTestCase() { data_ = buildReviewDataset(); }

    void rulesAloneGiveTheCandidatesInOrder() {
        const auto items = buildReviewQueue(*data_, candidates(*data_), {}, false);
        QCOMPARE(traces(items), list({"t7", "t3", "t2", "t4", "t1"}));
        for (const ReviewQueueItem& i : items) {
            QCOMPARE(i.state, QueueState::Open);
            QVERIFY(!i.byHand);
            QVERIFY(!i.label.has_value());
            QCOMPARE(i.requestId, i.traceId);
            QVERIFY(i.request.isValid());
        }
        QCOMPARE(items[1].rules, uint32_t{kRuleLowJudgeScore | kRuleManyToolCalls});
    }

    void storedEntriesAndLabelsAreMerged() {
        ReviewQueueSnapshot snap;
        // By hand: t5 (not picked by any rule), then "elsewhere" (not in the data), then t2 (also a rule
        // item).
        snap.stored.push_back(stored("t5", QueueOrigin::Hand, QueueState::Open, 10));
        snap.stored.push_back(stored("elsewhere", QueueOrigin::Hand, QueueState::Open, 20));
        snap.stored.push_back(stored("t2", QueueOrigin::Hand, QueueState::Open, 30));
        // A rule item dismissed earlier, with a rule stored then that does not match now.
        snap.stored.push_back(stored("t4", QueueOrigin::Rule, QueueState::Dismissed, 5, "tool_calls"));
        // A stored rule item that the rules do not pick now: it follows the rules and is not listed.
        snap.stored.push_back(stored("t6", QueueOrigin::Rule, QueueState::Done, 6, "canary"));
        snap.labels["t3"] = ReviewLabel::Hallucinated;  // labelled without going through the queue
        snap.labels["t5"] = ReviewLabel::Correct;

        const auto items = buildReviewQueue(*data_, candidates(*data_), snap, false);
        QCOMPARE(traces(items), list({"t2", "elsewhere", "t5", "t7", "t3", "t4", "t1"}));
        QVERIFY(items[0].byHand);
        QCOMPARE(items[0].requestId, std::string("req-t2"));
        QCOMPARE(items[0].rules, 0u);  // a hand item lists no rules of its own
        QVERIFY(!items[1].request.isValid());
        QCOMPARE(items[2].state, QueueState::Done);
        QCOMPARE(items[2].label, std::optional<ReviewLabel>(ReviewLabel::Correct));
        QCOMPARE(items[4].state, QueueState::Done);
        QCOMPARE(items[4].label, std::optional<ReviewLabel>(ReviewLabel::Hallucinated));
        QCOMPARE(items[5].state, QueueState::Dismissed);
        QCOMPARE(items[5].rules, uint32_t{kRuleHighRiskFeature | kRuleManyToolCalls});
        QCOMPARE(reviewItemReasons(items[5]), std::string("High-risk feature, Many tool calls"));
        QCOMPARE(reviewItemReasons(items[0]), std::string("Added by hand"));

        const auto open = buildReviewQueue(*data_, candidates(*data_), snap, true);
        QCOMPARE(traces(open), list({"t2", "elsewhere", "t7", "t1"}));
    }

    void modelShowsItemsAndUpdatesRowsInPlace() {
        ReviewQueueModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        ReviewQueueSnapshot snap;
        snap.stored.push_back(stored("elsewhere", QueueOrigin::Hand, QueueState::Open, 20));
        model.setItems(data_, buildReviewQueue(*data_, candidates(*data_), snap, false));
        QCOMPARE(model.rowCount(), 6);
        QCOMPARE(model.columnCount(), int(ReviewQueueModel::ColumnCount));
        QCOMPARE(model.openCount(), 6);
        auto cell = [&](int row, int column) { return model.index(row, column).data().toString(); };
        QCOMPARE(cell(1, ReviewQueueModel::Trace), QStringLiteral("t7"));
        QCOMPARE(cell(1, ReviewQueueModel::State), QStringLiteral("Open"));
        QCOMPARE(cell(1, ReviewQueueModel::Feature), QStringLiteral("chat"));
        QCOMPARE(cell(1, ReviewQueueModel::Version), QStringLiteral("42"));
        QCOMPARE(cell(1, ReviewQueueModel::Latency), QStringLiteral("500 ms"));
        QCOMPARE(cell(1, ReviewQueueModel::Time), QStringLiteral("1970-01-01 00:00"));
        QCOMPARE(cell(1, ReviewQueueModel::Reasons),
                 QStringLiteral("Failed eval, Thumbs down, Low judge score, Canary"));
        QCOMPARE(cell(0, ReviewQueueModel::Time), QStringLiteral("not loaded"));
        QVERIFY(!model.index(0, 0).data(ReviewQueueModel::RequestRole).isValid());
        QCOMPARE(model.index(1, 0).data(ReviewQueueModel::RequestRole).toUInt(), 6u);  // t7 is row 6
        QCOMPARE(model.index(2, 0).data(ReviewQueueModel::TraceIdRole).toString(), QStringLiteral("t3"));
        QCOMPARE(model.rowOfTrace("t4"), 4);
        QCOMPARE(model.rowOfTrace("nope"), -1);

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setItemState(2, QueueState::Done, ReviewLabel::Unsafe);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(cell(2, ReviewQueueModel::State), QStringLiteral("Unsafe"));
        QCOMPARE(model.openCount(), 5);
        model.setItemState(2, QueueState::Open, std::nullopt);
        QCOMPARE(cell(2, ReviewQueueModel::State), QStringLiteral("Open"));
        model.setItemState(99, QueueState::Done, std::nullopt);  // ignored
        QCOMPARE(changed.count(), 2);

        model.setItems(nullptr, {});
        QCOMPARE(model.rowCount(), 0);
    }

    void summaryOfOneRequest() {
        const QString t7 = requestSummaryHtml(*data_, data_->findRequest("t7"));
        for (const char* part : {"<b>t7</b>", "support_answer <b>v42</b>", "Canary", "500 ms", "tone 1",
                                 "thumbs down", "1970-01-01 00:00:06 UTC"}) {
            QVERIFY2(t7.contains(QString::fromUtf8(part)), part);
        }
        // t3's evals only: its two, not t1's or t5's (evals are looked up by request).
        const QString t3 = requestSummaryHtml(*data_, data_->findRequest("t3"));
        QVERIFY(t3.contains(QStringLiteral("correctness 2")));
        QVERIFY(t3.contains(QStringLiteral("quality 4 ✓")));
        QVERIFY(!t3.contains(QStringLiteral("pii_check")));
        QVERIFY(t3.contains(QStringLiteral("<td>6</td>")));  // tool calls
        QVERIFY(requestSummaryHtml(*data_, RequestIndex{}).contains(QStringLiteral("not in the loaded data")));
    }
};

QTEST_GUILESS_MAIN(TestReviewQueue)
#include "tst_reviewqueue.moc"
