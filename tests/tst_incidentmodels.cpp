// The incidents table and an incident's linked traces as item models, under QAbstractItemModelTester, fed
// from a real workspace file and the review fixture's data set.
#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QTest>

#include "incidentlistmodel.h"
#include "incidenttracemodel.h"
#include "reviewfixture.h"
#include "workspace.h"

using namespace ps;
using namespace ps::testing;

class TestIncidentModels : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;

private Q_SLOTS:
    void incidentList() {
        std::string error;
        auto ws = Workspace::open(dir_.filePath(QStringLiteral("a.sqlite")).toStdString(), &error);
        QVERIFY2(ws, error.c_str());
        const auto first = ws->createIncident(
            {"Refunds wrong", IncidentSeverity::Sev2, IncidentStatus::Open, "43"}, "ana", 1000);
        const auto second = ws->createIncident(
            {"Slow invoices", IncidentSeverity::Sev4, IncidentStatus::Resolved, ""}, "bo", 86400000);
        QVERIFY(first && second);
        QVERIFY(ws->linkTraces(*first, {{"t1", "t1"}, {"t2", "t2"}}, "ana", 2000));

        IncidentListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setIncidents(ws->incidents());
        QCOMPARE(model.rowCount(), 2);
        auto cell = [&](int row, int column) { return model.index(row, column).data().toString(); };
        QCOMPARE(cell(0, IncidentListModel::Title), QStringLiteral("Slow invoices"));
        QCOMPARE(cell(0, IncidentListModel::Status), QStringLiteral("Resolved"));
        QCOMPARE(cell(0, IncidentListModel::Updated), QStringLiteral("1970-01-02 00:00"));
        QCOMPARE(cell(1, IncidentListModel::Title), QStringLiteral("Refunds wrong"));
        QCOMPARE(cell(1, IncidentListModel::Severity), QStringLiteral("SEV2"));
        QCOMPARE(model.index(1, IncidentListModel::Severity).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("SEV2 major"));
        QCOMPARE(cell(1, IncidentListModel::Version), QStringLiteral("43"));
        QCOMPARE(cell(1, IncidentListModel::Traces), QStringLiteral("2"));
        QCOMPARE(model.index(1, 0).data(IncidentListModel::IdRole).toLongLong(), *first);
        QCOMPARE(model.rowOfId(*first), 1);
        QCOMPARE(model.rowOfId(12345), -1);
        model.setIncidents({});
        QCOMPARE(model.rowCount(), 0);
    }

    void linkedTraces() {
        const DatasetPtr data = buildReviewDataset();
        IncidentTraceModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const std::vector<IncidentTraceRecord> traces = {
            {"t7", "t7", 1}, {"gone", "gone", 2}, {"t3", "t3", 3}};
        std::unordered_map<std::string, ReviewLabel> labels = {{"t7", ReviewLabel::Unsafe}};
        model.setTraces(data, traces, labels);
        QCOMPARE(model.rowCount(), 3);
        auto cell = [&](int row, int column) { return model.index(row, column).data().toString(); };
        QCOMPARE(cell(0, IncidentTraceModel::Trace), QStringLiteral("t7"));
        QCOMPARE(cell(0, IncidentTraceModel::FailedEvals), QStringLiteral("1"));
        QCOMPARE(cell(0, IncidentTraceModel::Label), QStringLiteral("Unsafe"));
        QCOMPARE(cell(0, IncidentTraceModel::Feature), QStringLiteral("chat"));
        QCOMPARE(cell(1, IncidentTraceModel::Time), QStringLiteral("not loaded"));
        QVERIFY(!model.index(1, 0).data(IncidentTraceModel::RequestRole).isValid());
        QCOMPARE(cell(2, IncidentTraceModel::Version), QStringLiteral("7"));
        QCOMPARE(cell(2, IncidentTraceModel::FailedEvals), QStringLiteral("0"));
        QCOMPARE(model.request(2), data->findRequest("t3"));
        QCOMPARE(model.traceId(1), std::string("gone"));
        model.setTraces(nullptr, traces, {});
        QCOMPARE(cell(0, IncidentTraceModel::Time), QStringLiteral("not loaded"));
    }
};

QTEST_GUILESS_MAIN(TestIncidentModels)
#include "tst_incidentmodels.moc"
