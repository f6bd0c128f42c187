#include <QAbstractItemModelTester>
#include <QTest>

#include <string>
#include <vector>

#include "spantreemodel.h"
#include "tracefixtures.h"

using namespace ps;
using fixtures::kMs;

namespace {

// Two traces, so the model's rows are absolute rows of the second one. Trace b: root with children x, y; x has
// children x1, x2; and an orphan whose parent is not in the data.
DatasetPtr twoTraces() {
    return fixtures::build(std::vector<fixtures::Trace>{
        {"a", {{1, 0, 0, 10, "other-root"}, {2, 1, 1, 2, "other-child"}}, {}},
        {"b",
         {{1, 0, 100, 200, "root", SpanKind::Agent, SpanStatus::Ok, -1, -1, kNaN, "gateway"},
          {2, 1, 110, 150, "x", SpanKind::Llm},
          {3, 2, 115, 120, "x1", SpanKind::Tool, SpanStatus::Error},
          {4, 2, 120, 140, "x2", SpanKind::Retrieval},
          {5, 1, 150, 190, "y", SpanKind::Chain},
          {6, 77, 300, 301, "orphan"}},
         {}}});
}

QString text(const QAbstractItemModel& m, const QModelIndex& i, int column) {
    return m.data(m.index(i.row(), column, i.parent()), Qt::DisplayRole).toString();
}

}  // namespace

class TestSpanTreeModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void passesTheModelTester() {
        SpanTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto d = twoTraces();
        model.setTrace(d, d->findRequest("b"));
        model.setTrace(d, d->findRequest("a"));
        model.setTrace(d, RequestIndex{});
        QCOMPARE(model.rowCount(), 0);
        model.setTrace(nullptr, RequestIndex{0u});
        QCOMPARE(model.rowCount(), 0);
        model.setTrace(d, d->findRequest("b"));
        QCOMPARE(model.rowCount(), 2);
    }

    void treeFollowsTheParentColumn() {
        const auto d = twoTraces();
        const RequestIndex b = d->findRequest("b");
        SpanTreeModel model;
        model.setTrace(d, b);
        QCOMPARE(model.request(), b);
        // Every span of the trace is reachable, under the index of its parent in the Dataset (a plain walk of the
        // parent column), in row order among its siblings.
        std::vector<QModelIndex> pending{QModelIndex()};
        size_t seen = 0;
        while (!pending.empty()) {
            const QModelIndex parent = pending.back();
            pending.pop_back();
            uint32_t lastRow = 0;
            for (int r = 0; r < model.rowCount(parent); ++r) {
                const QModelIndex child = model.index(r, 0, parent);
                const uint32_t row = SpanTreeModel::spanOf(child);
                QVERIFY(row >= d->requests.firstSpan[b.value] && row < d->spanEnd(b));
                QVERIFY(row > lastRow);
                lastRow = row;
                const uint32_t p = d->spans.parent[row];
                QCOMPARE(SpanTreeModel::spanOf(parent), p);
                QCOMPARE(model.parent(child), parent);
                QCOMPARE(model.indexOfSpan(row), child);
                QCOMPARE(model.data(child, SpanTreeModel::SpanRowRole).toUInt(), row);
                uint32_t expectedChildren = 0;
                for (uint32_t c = 0; c < d->spanCount(); ++c) {
                    expectedChildren += d->spans.parent[c] == row ? 1 : 0;
                }
                QCOMPARE(static_cast<uint32_t>(model.rowCount(child)), expectedChildren);
                pending.push_back(child);
                ++seen;
            }
        }
        QCOMPARE(seen, size_t{6});
        QVERIFY(!model.indexOfSpan(0).isValid());  // a span of the other trace
    }

    void columnsShowTheSpan() {
        const auto d = twoTraces();
        SpanTreeModel model;
        model.setTrace(d, d->findRequest("b"));
        const QModelIndex root = model.index(0, 0);
        QCOMPARE(text(model, root, SpanTreeModel::Name), QStringLiteral("root"));
        QCOMPARE(text(model, root, SpanTreeModel::Kind), QStringLiteral("Agent"));
        QCOMPARE(text(model, root, SpanTreeModel::Service), QStringLiteral("gateway"));
        QCOMPARE(text(model, root, SpanTreeModel::Duration), QStringLiteral("100 ms"));
        QCOMPARE(text(model, root, SpanTreeModel::SelfTime), QStringLiteral("20 ms"));  // 100 - 40 - 40
        QCOMPARE(text(model, root, SpanTreeModel::Status), QStringLiteral("ok"));
        const QModelIndex x = model.index(0, 0, root);
        QCOMPARE(text(model, x, SpanTreeModel::Start), QStringLiteral("+10 ms"));
        QCOMPARE(model.data(model.index(0, SpanTreeModel::SelfTime, root), SpanTreeModel::SortRole).toLongLong(),
                 15 * kMs);  // x: 40 - (5 + 20)
        const QModelIndex x1 = model.index(0, 0, x);
        QCOMPARE(text(model, x1, SpanTreeModel::Name), QStringLiteral("x1"));
        QCOMPARE(text(model, x1, SpanTreeModel::Status), QStringLiteral("error"));
        QVERIFY(model.data(x1, Qt::ForegroundRole).isValid());
        QVERIFY(model.data(x1, Qt::DecorationRole).canConvert<QColor>());
        // The orphan is a second top-level row.
        QCOMPARE(text(model, model.index(1, 0), SpanTreeModel::Name), QStringLiteral("orphan"));
        QCOMPARE(model.headerData(SpanTreeModel::SelfTime, Qt::Horizontal, Qt::DisplayRole).toString(),
                 QStringLiteral("Self time"));
        QCOMPARE(model.columnCount(), int{SpanTreeModel::ColumnCount});
    }

    void largeFlatTrace() {
        fixtures::Trace t{"big", {{1, 0, 0, 200000, "root"}}, {}};
        for (uint64_t i = 2; i <= 100000; ++i) {
            t.spans.push_back({i, 1, static_cast<int64_t>(i), static_cast<int64_t>(i) + 1, "step"});
        }
        const auto d = fixtures::build(t);
        SpanTreeModel model;
        model.setTrace(d, RequestIndex{0u});
        const QModelIndex root = model.index(0, 0);
        QCOMPARE(model.rowCount(root), 99999);
        const QModelIndex last = model.index(99998, 0, root);
        QCOMPARE(SpanTreeModel::spanOf(last), 99999u);
        QCOMPARE(model.parent(last), root);
        QCOMPARE(model.indexOfSpan(50000).row(), 49999);
    }
};

QTEST_MAIN(TestSpanTreeModel)
#include "tst_spantreemodel.moc"
