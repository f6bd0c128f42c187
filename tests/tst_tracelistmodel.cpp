// The trace list model: every column sorted on the thread pool in both directions, checked against
// std::stable_sort of the same rows with comparators written here from the columns' meaning; the texts shown
// on a tiny hand-made data set; persistent indexes following their requests; newer sorts and new rows
// superseding a running sort; and QAbstractItemModelTester throughout.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <set>
#include <tuple>

#include "datasetbuilder.h"
#include "syntheticrequests.h"
#include "tracelistmodel.h"
#include "tracelistorder.h"
#include "tracesearch.h"

using namespace ps;

namespace {

using Less = std::function<bool(uint32_t, uint32_t)>;

// "a comes before b" in ascending order, from the column's meaning (not from the model's sort keys).
Less ascending(const Dataset& d, int column) {
    const RequestColumns& rq = d.requests;
    auto text = [&d](StringId id) { return d.str(id); };
    auto others = [&d](uint32_t r) {
        std::set<uint32_t> models;
        for (uint32_t g = d.requests.firstGeneration[r]; g < d.generationEnd(RequestIndex{r}); ++g) {
            if (!d.generations.model[g].isEmpty() && d.generations.model[g] != d.requests.model[r]) {
                models.insert(d.generations.model[g].value);
            }
        }
        return models.size();
    };
    auto status = [&rq](uint32_t r) {
        if ((rq.flags[r] & kRequestError) != 0) {
            return 2 + static_cast<int>(rq.errorClass[r]);
        }
        return (rq.flags[r] & kRequestRefusal) != 0 ? 1 : 0;
    };
    auto feedback = [&rq](uint32_t r) {
        const bool up = (rq.flags[r] & kRequestThumbsUp) != 0;
        const bool down = (rq.flags[r] & kRequestThumbsDown) != 0;
        return up == down ? 0 : up ? 1 : -1;
    };
    switch (column) {
        case TraceListModel::TraceId:
            return [=](uint32_t a, uint32_t b) { return text(rq.traceId[a]) < text(rq.traceId[b]); };
        case TraceListModel::Time:
            return [&rq](uint32_t a, uint32_t b) { return rq.startNs[a] < rq.startNs[b]; };
        case TraceListModel::Feature:
            return [=](uint32_t a, uint32_t b) { return text(rq.feature[a]) < text(rq.feature[b]); };
        case TraceListModel::PromptVersion:
            return [=](uint32_t a, uint32_t b) {
                return std::make_tuple(text(rq.promptName[a]), text(rq.promptVersion[a])) <
                       std::make_tuple(text(rq.promptName[b]), text(rq.promptVersion[b]));
            };
        case TraceListModel::Models:
            return [=](uint32_t a, uint32_t b) {
                return std::make_tuple(text(rq.model[a]), others(a)) <
                       std::make_tuple(text(rq.model[b]), others(b));
            };
        case TraceListModel::Duration:
            return [&rq](uint32_t a, uint32_t b) { return rq.durationNs[a] < rq.durationNs[b]; };
        case TraceListModel::Cost:
            return [&rq](uint32_t a, uint32_t b) { return rq.costUsd[a] < rq.costUsd[b]; };
        case TraceListModel::Tokens:
            return [&rq](uint32_t a, uint32_t b) {
                return rq.inputTokens[a] + rq.outputTokens[a] < rq.inputTokens[b] + rq.outputTokens[b];
            };
        case TraceListModel::Status:
            return [=](uint32_t a, uint32_t b) { return status(a) < status(b); };
        case TraceListModel::FailedEvals:
            return [&rq](uint32_t a, uint32_t b) { return rq.evalFail[a] < rq.evalFail[b]; };
        case TraceListModel::Feedback:
            return [=](uint32_t a, uint32_t b) { return feedback(a) < feedback(b); };
        default:
            return {};
    }
}

std::vector<uint32_t> referenceOrder(const Dataset& d, std::vector<uint32_t> rows, int column,
                                     Qt::SortOrder order) {
    const Less less = ascending(d, column);
    // Requests without a cost go last in both directions.
    auto missing = [&d, column](uint32_t r) {
        return column == TraceListModel::Cost && std::isnan(d.requests.costUsd[r]);
    };
    std::stable_sort(rows.begin(), rows.end(), [&](uint32_t a, uint32_t b) {
        if (missing(a) || missing(b)) {
            return !missing(a) && missing(b);
        }
        return order == Qt::AscendingOrder ? less(a, b) : less(b, a);
    });
    return rows;
}

std::vector<uint32_t> shownOrder(const TraceListModel& model) {
    std::vector<uint32_t> out(static_cast<size_t>(model.rowCount()));
    for (int i = 0; i < model.rowCount(); ++i) {
        out[static_cast<size_t>(i)] =
            model.data(model.index(i, 0), TraceListModel::RequestIndexRole).toUInt();
    }
    return out;
}

// Three requests with values worked out by hand.
DatasetPtr tinyDataset() {
    DatasetBuilder builder;
    RecordBatch b;
    auto span = [&b](const char* trace, uint64_t id, uint64_t parent, int64_t startMs, int64_t durMs) {
        RawSpan s;
        s.traceId = b.strings.intern(trace);
        s.spanId = id;
        s.parentSpanId = parent;
        s.startNs = startMs * 1000000;
        s.endNs = (startMs + durMs) * 1000000;
        s.status = SpanStatus::Ok;
        return s;
    };
    RawSpan root = span("aaaa1111", 1, 0, 1000, 1234);
    root.feature = b.strings.intern("support_chatbot");
    root.promptName = b.strings.intern("support_answer");
    root.promptVersion = b.strings.intern("43");
    b.spans.push_back(root);
    const char* models[] = {"gpt-4.1", "gpt-4.1-mini", "gpt-4.1-mini", "o3"};
    for (uint64_t i = 0; i < 4; ++i) {
        RawSpan call = span("aaaa1111", 2 + i, 1, 1100 + static_cast<int64_t>(i) * 100, 50);
        call.kind = SpanKind::Llm;
        call.model = b.strings.intern(models[i]);
        call.inputTokens = 300;
        call.outputTokens = 25;
        call.costUsd = 0.0105;
        b.spans.push_back(call);
    }
    RawSpan failed = span("bbbb2222", 10, 0, 5000, 85);
    failed.status = SpanStatus::Error;
    failed.httpStatus = 429;
    failed.statusMessage = b.strings.intern("429 Rate limit reached");
    b.spans.push_back(failed);
    RawSpan refused = span("cccc3333", 20, 0, 9000, 20500);
    refused.kind = SpanKind::Llm;
    refused.model = b.strings.intern("o3");
    refused.finishReason = b.strings.intern("content_filter");
    refused.inputTokens = 12000;
    refused.outputTokens = 5;
    b.spans.push_back(refused);
    RawSignal up;
    up.requestId = b.strings.intern("aaaa1111");
    up.type = SignalType::ThumbsUp;
    b.signals.push_back(up);
    RawSignal down = up;
    down.requestId = b.strings.intern("cccc3333");
    down.type = SignalType::ThumbsDown;
    b.signals.push_back(down);
    RawEval eval;
    eval.traceId = b.strings.intern("aaaa1111");
    eval.name = b.strings.intern("groundedness");
    eval.outcome = EvalOutcome::Fail;
    b.evals.push_back(eval);
    eval.outcome = EvalOutcome::Pass;
    b.evals.push_back(eval);
    builder.addBatch(std::move(b));
    return builder.build();
}

}  // namespace

class TestTraceListModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { data_ = testing::syntheticRequests(20000, 3); }

    void everyColumnSortsLikeAStableSort_data() {
        QTest::addColumn<int>("column");
        QTest::addColumn<int>("order");
        QTest::addColumn<bool>("subset");
        for (int c = 0; c < TraceListModel::ColumnCount; ++c) {
            for (const Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
                const QString name =
                    TraceListModel().headerData(c, Qt::Horizontal, Qt::DisplayRole).toString();
                const char* dir = order == Qt::AscendingOrder ? "asc" : "desc";
                QTest::addRow("%s %s", qPrintable(name), dir) << c << static_cast<int>(order) << false;
                QTest::addRow("%s %s, a selection", qPrintable(name), dir)
                    << c << static_cast<int>(order) << true;
            }
        }
    }

    void everyColumnSortsLikeAStableSort() {
        QFETCH(int, column);
        QFETCH(int, order);
        QFETCH(bool, subset);
        std::vector<uint32_t> rows;
        for (uint32_t r = 0; r < data_->requestCount(); ++r) {
            if (!subset || r % 3 != 1) {
                rows.push_back(r);
            }
        }
        TraceListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRows(data_, rows);
        QSignalSpy done(&model, &TraceListModel::sortingChanged);
        model.sort(column, static_cast<Qt::SortOrder>(order));
        QVERIFY(model.isSorting());
        QTRY_VERIFY_WITH_TIMEOUT(!model.isSorting(), 20000);
        QCOMPARE(done.count(), 2);  // started, finished
        const std::vector<uint32_t> expected =
            referenceOrder(*data_, rows, column, static_cast<Qt::SortOrder>(order));
        const std::vector<uint32_t> shown = shownOrder(model);
        QCOMPARE(shown.size(), expected.size());
        QVERIFY(shown == expected);
        for (size_t i = 0; i < shown.size(); i += 97) {
            QCOMPARE(model.rowOfRequest(RequestIndex{shown[i]}), static_cast<int>(i));
        }
    }

    void textsOnAHandMadeDataSet() {
        const DatasetPtr d = tinyDataset();
        QCOMPARE(d->requestCount(), size_t{3});
        TraceListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setAllRows(d);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), 11);
        auto text = [&](int row, int column) { return model.index(row, column).data().toString(); };
        QCOMPARE(text(0, TraceListModel::TraceId), QStringLiteral("aaaa1111"));
        QCOMPARE(text(0, TraceListModel::Time), QStringLiteral("1970-01-01 00:00:01"));
        QCOMPARE(text(0, TraceListModel::Feature), QStringLiteral("support_chatbot"));
        QCOMPARE(text(0, TraceListModel::PromptVersion), QStringLiteral("support_answer v43"));
        QCOMPARE(text(0, TraceListModel::Models), QStringLiteral("gpt-4.1 +2"));  // gpt-4.1-mini twice, o3
        QCOMPARE(text(0, TraceListModel::Duration), QStringLiteral("1.23 s"));
        QCOMPARE(text(0, TraceListModel::Cost), QStringLiteral("$0.042"));  // 4 x $0.0105
        QCOMPARE(text(0, TraceListModel::Tokens), QStringLiteral("1,200 / 100"));
        QCOMPARE(text(0, TraceListModel::Status), QStringLiteral("ok"));
        QCOMPARE(text(0, TraceListModel::FailedEvals), QStringLiteral("1"));
        QCOMPARE(text(0, TraceListModel::Feedback), QStringLiteral("▲ up"));
        QCOMPARE(text(1, TraceListModel::Feature), QStringLiteral("–"));
        QCOMPARE(text(1, TraceListModel::Status), QStringLiteral("error · rate limited"));
        QCOMPARE(text(1, TraceListModel::Duration), QStringLiteral("85 ms"));
        QCOMPARE(text(1, TraceListModel::FailedEvals), QStringLiteral("–"));
        QCOMPARE(text(1, TraceListModel::Feedback), QString());
        QCOMPARE(text(2, TraceListModel::Status), QStringLiteral("refusal"));
        QCOMPARE(text(2, TraceListModel::Models), QStringLiteral("o3"));
        QCOMPARE(text(2, TraceListModel::Duration), QStringLiteral("20.5 s"));
        QCOMPARE(text(2, TraceListModel::Tokens), QStringLiteral("12.0k / 5"));
        QCOMPARE(text(2, TraceListModel::Feedback), QStringLiteral("▼ down"));
        QCOMPARE(model.index(0, TraceListModel::Duration).data(Qt::TextAlignmentRole).toInt(),
                 static_cast<int>(Qt::AlignRight | Qt::AlignVCenter));
        QCOMPARE(model.index(0, TraceListModel::Feature).data(Qt::TextAlignmentRole).toInt(),
                 static_cast<int>(Qt::AlignLeft | Qt::AlignVCenter));
        QCOMPARE(model.index(2, 0).data(TraceListModel::RequestIndexRole).toUInt(), 2u);
        QCOMPARE(model.rowOfRequest(RequestIndex{7u}), -1);
        QCOMPARE(model.requestAt(5).isValid(), false);
    }

    void persistentIndexesFollowTheirRequests() {
        TraceListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setAllRows(data_);
        const RequestIndex watched{1234u};
        const QPersistentModelIndex p = model.index(model.rowOfRequest(watched), TraceListModel::Cost);
        QCOMPARE(p.row(), 1234);
        model.sort(TraceListModel::Duration, Qt::DescendingOrder);
        QTRY_VERIFY_WITH_TIMEOUT(!model.isSorting(), 20000);
        QVERIFY(p.isValid());
        QCOMPARE(p.column(), static_cast<int>(TraceListModel::Cost));
        QCOMPARE(model.requestAt(p.row()), watched);
        QVERIFY(p.row() != 1234);
        model.sort(-1);  // back to time order
        QCOMPARE(p.row(), 1234);
    }

    void newerSortAndNewRowsSupersedeARunningSort() {
        TraceListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setAllRows(data_);
        model.sort(TraceListModel::Duration, Qt::AscendingOrder);
        model.sort(TraceListModel::Cost, Qt::DescendingOrder);
        QTRY_VERIFY_WITH_TIMEOUT(!model.isSorting(), 20000);
        std::vector<uint32_t> all(data_->requestCount());
        std::iota(all.begin(), all.end(), 0u);
        QVERIFY(shownOrder(model) == referenceOrder(*data_, all, TraceListModel::Cost, Qt::DescendingOrder));

        model.sort(TraceListModel::TraceId, Qt::AscendingOrder);
        const std::vector<uint32_t> some = findTracesById(*data_, all, "a");
        QVERIFY(!some.empty() && some.size() < all.size());
        model.setRows(data_, some);  // arrives while the sort runs: the sort is redone on these rows
        QTRY_VERIFY_WITH_TIMEOUT(!model.isSorting(), 20000);
        QCOMPARE(model.rowCount(), static_cast<int>(some.size()));
        QVERIFY(shownOrder(model) ==
                referenceOrder(*data_, some, TraceListModel::TraceId, Qt::AscendingOrder));
    }

    void radixSortIsStableOnEdgeKeys() {
        std::vector<uint64_t> keys = {UINT64_MAX, 0, 5, 5, UINT64_MAX, 1ULL << 63, 0, 5};
        std::vector<uint32_t> payload(keys.size());
        std::iota(payload.begin(), payload.end(), 0u);
        RadixScratch scratch;
        QVERIFY(radixSortByKey(keys, payload, scratch));
        QCOMPARE(payload, (std::vector<uint32_t>{1, 6, 2, 3, 7, 5, 0, 4}));
        QVERIFY(std::is_sorted(keys.begin(), keys.end()));
        // Keys in reverse order with ties: the ties keep their order.
        keys = {9, 7, 7, 7, 3, 3, 1};
        payload = {0, 1, 2, 3, 4, 5, 6};
        QVERIFY(radixSortByKey(keys, payload, scratch));
        QCOMPARE(payload, (std::vector<uint32_t>{6, 4, 5, 1, 2, 3, 0}));
    }

    void stringRanksFollowByteOrder() {
        Dataset d;
        const char* texts[] = {"b", "a",        "abcdefgh1", "abcdefgh0",   "abcdefgh",
                               "",  "\xc3\xa9", "Z",         "abcdefgh\x01"};
        for (const char* t : texts) {
            d.strings.intern(t);
        }
        const std::vector<uint32_t> rank = rankStrings(d.strings);
        QCOMPARE(rank.size(), d.strings.size());
        std::vector<uint32_t> ids(d.strings.size());
        std::iota(ids.begin(), ids.end(), 0u);
        std::sort(ids.begin(), ids.end(), [&](uint32_t a, uint32_t b) {
            return d.strings.view(StringId{a}) < d.strings.view(StringId{b});
        });
        for (size_t i = 0; i < ids.size(); ++i) {
            QCOMPARE(rank[ids[i]], static_cast<uint32_t>(i));
        }
    }

    void idSearch() {
        const DatasetPtr d = tinyDataset();
        const std::vector<uint32_t> all = {0, 1, 2};
        QCOMPARE(findTracesById(*d, all, "AAAA"), (std::vector<uint32_t>{0}));
        QCOMPARE(findTracesById(*d, all, "  cccc3333 "), (std::vector<uint32_t>{2}));
        QVERIFY(findTracesById(*d, all, "").empty());
        QVERIFY(findTracesById(*d, all, "dddd").empty());
        QCOMPARE(findTracesById(*d, std::vector<uint32_t>{1, 2}, "aaaa"), (std::vector<uint32_t>{}));
    }

private:
    DatasetPtr data_;
};

QTEST_MAIN(TestTraceListModel)
#include "tst_tracelistmodel.moc"
