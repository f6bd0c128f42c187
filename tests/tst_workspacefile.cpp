// Save Workspace As: one .promptscope file holding the loaded data and the workspace. Reopening it gives the
// same figures (report of every grouping), the same labels, queue and incidents; annotations added to it land
// in it without touching the saved data; the window's saver shows progress, saves and can be cancelled.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QDir>
#include <QFileInfo>
#include <QProgressDialog>
#include <QWidget>

#include <filesystem>

#include "colddata.h"
#include "datasetbuilder.h"
#include "datasetequality.h"
#include "groupsummary.h"
#include "pricingjson.h"
#include "promptscopetables.h"
#include "reportformat.h"
#include "sourceloader.h"
#include "sqliteconnection.h"
#include "workspace.h"
#include "workspacefile.h"
#include "workspacesaver.h"

using namespace ps;

namespace {

std::vector<std::string> demoFiles() {
    const std::string dir = PROMPTSCOPE_BINARY_DIR "/demo/";
    return {dir + "demo.otlp.jsonl", dir + "demo.records.jsonl"};
}

DatasetPtr openSaved(const std::string& path, std::string* error) {
    auto connection = db::SqliteConnection::open(path, db::ConnectOptions{}, error);
    if (!connection) {
        return nullptr;
    }
    DatasetBuilder builder(bundledPricing());
    ReadRequest request{builder.addSource({path, SourceFormat::Database, 0, 0}), path};
    const ReadOutcome outcome = readPromptScopeTables(*connection, request, builder);
    *error = outcome.error;
    return outcome.error.empty() ? builder.build() : nullptr;
}

std::string reports(const Dataset& data) {
    std::string out;
    for (const GroupField field : {GroupField::PromptVersion, GroupField::Model, GroupField::Tenant}) {
        for (const Grain grain : {Grain::Request, Grain::Generation}) {
            out += formatReportJson(buildReport(data, field, grain));
        }
    }
    return out;
}

int64_t rowCount(const std::string& path, const char* table) {
    std::string error;
    auto connection = db::SqliteConnection::open(path, db::ConnectOptions{}, &error);
    int64_t n = -1;
    connection->query(std::string("SELECT count(*) FROM ") + table, {}, [&](const db::Row& row) {
        n = row.integer(0).value_or(-1);
        return false;
    }, &error);
    return n;
}

// A workspace with two labels (one changed), a queue entry and an incident with a linked trace and a note.
void annotate(Workspace& ws, const Dataset& data) {
    const std::string t0(data.str(data.requests.traceId[0]));
    const std::string t1(data.str(data.requests.traceId[1]));
    QVERIFY(ws.setLabel({t0, t0, ReviewLabel::Hallucinated, "made up a refund policy", "ana", 1000}));
    QVERIFY(ws.setLabel({t1, t1, ReviewLabel::Correct, {}, "lee", 2000}));
    QVERIFY(ws.setLabel({t1, t1, ReviewLabel::ToolError, "crm timeout", "lee", 3000}));
    QVERIFY(ws.addToQueue({{t0, t0, "eval_fail", QueueOrigin::Rule, QueueState::Open, 500, 500}}));
    const auto incident = ws.createIncident({"v43 refunds", IncidentSeverity::Sev2, IncidentStatus::Investigating,
                                             "support_answer/43"}, "ana", 4000);
    QVERIFY(incident);
    QVERIFY(ws.linkTraces(*incident, {{t0, t0}}, "ana", 4100));
    QVERIFY(ws.addIncidentNote(*incident, "rolled back to 42", "lee", 4200));
}

std::string annotations(const Workspace& ws) {
    std::string out;
    for (const LabelRecord& l : ws.labels()) {
        out += l.traceId + " " + std::string(reviewLabelKey(l.label)) + " " + l.note + " " + l.reviewer + " " +
               std::to_string(l.timeMs) + "\n";
    }
    for (const QueueEntry& q : ws.queue()) {
        out += "queue " + q.traceId + " " + q.reasons + " " + std::string(queueStateKey(q.state)) + "\n";
    }
    for (const IncidentRecord& i : ws.incidents()) {
        out += "incident " + i.fields.title + " " + std::to_string(i.traceCount) + "\n";
        for (const IncidentTraceRecord& t : ws.incidentTraces(i.id)) {
            out += "  trace " + t.traceId + "\n";
        }
        for (const IncidentNoteRecord& n : ws.incidentNotes(i.id)) {
            out += "  note " + n.author + ": " + n.text + "\n";
        }
    }
    return out;
}

}  // namespace

class TestWorkspaceFile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void savedFileReopensWithTheSameFiguresAndLabels() {
        const LoadResult loaded = loadSources(demoFiles());
        QVERIFY(loaded.dataset);
        QTemporaryDir dir;
        const std::string workspacePath = dir.filePath(QStringLiteral("workspace.sqlite")).toStdString();
        std::string error;
        auto ws = Workspace::open(workspacePath, &error);
        QVERIFY2(ws, error.c_str());
        annotate(*ws, *loaded.dataset);
        const std::string before = annotations(*ws);
        QVERIFY(before.find("crm timeout") != std::string::npos);
        QVERIFY(ws->canUndoLabel());

        const std::string saved = dir.filePath(QStringLiteral("handover.promptscope")).toStdString();
        const DatasetWriteResult result = saveWorkspaceFile(loaded.dataset, workspacePath, saved, {});
        QVERIFY2(result.ok(), result.error.c_str());
        QVERIFY(isWorkspaceFileWithData(saved));
        QVERIFY(!isWorkspaceFileWithData(workspacePath));

        const DatasetPtr reopened = openSaved(saved, &error);
        QVERIFY2(reopened, error.c_str());
        const std::string difference = testing::datasetDifference(*loaded.dataset, *reopened);
        QVERIFY2(difference.empty(), difference.c_str());
        QCOMPARE(reports(*reopened), reports(*loaded.dataset));

        auto colleague = Workspace::open(saved, &error);
        QVERIFY2(colleague, error.c_str());
        QCOMPARE(annotations(*colleague), before);
        QVERIFY(colleague->canUndoLabel());  // the label history came along

        // The colleague's labels go into the file; the saved data stays as it was.
        const int64_t spans = rowCount(saved, "ps_spans");
        const std::string t2(loaded.dataset->str(loaded.dataset->requests.traceId[2]));
        QVERIFY(colleague->setLabel({t2, t2, ReviewLabel::Unsafe, "pii", "kim", 5000}));
        colleague.reset();
        QCOMPARE(rowCount(saved, "ps_spans"), spans);
        QCOMPARE(rowCount(saved, "labels"), int64_t{3});
        const DatasetPtr again = openSaved(saved, &error);
        QVERIFY2(again, error.c_str());
        QVERIFY(testing::datasetDifference(*loaded.dataset, *again).empty());
        QCOMPARE(annotations(*ws), before);  // the original workspace is untouched

        // Saved again from the reopened file (records now come from its tables): still the same.
        const std::string resaved = dir.filePath(QStringLiteral("again.promptscope")).toStdString();
        const DatasetWriteResult second = saveWorkspaceFile(again, saved, resaved, {});
        QVERIFY2(second.ok(), second.error.c_str());
        QCOMPARE(second.records, uint64_t{loaded.dataset->spanCount()});
        const DatasetPtr third = openSaved(resaved, &error);
        QVERIFY2(third, error.c_str());
        QVERIFY(testing::datasetDifference(*loaded.dataset, *third).empty());
        ColdDataReader fromFiles(loaded.dataset);
        ColdDataReader fromResaved(third);
        for (uint32_t row = 0; row < loaded.dataset->spanCount(); row += 211) {
            QCOMPARE(QString::fromStdString(testing::detailsText(fromResaved.readSpan(row))),
                     QString::fromStdString(testing::detailsText(fromFiles.readSpan(row))));
        }
        auto thirdWorkspace = Workspace::open(resaved, &error);
        QVERIFY2(thirdWorkspace, error.c_str());
        QCOMPARE(rowCount(resaved, "labels"), int64_t{3});
    }

    void saverSavesAndCanBeCancelled() {
        const LoadResult loaded = loadSources(demoFiles());
        QVERIFY(loaded.dataset);
        QTemporaryDir dir;
        const QString workspacePath = dir.filePath(QStringLiteral("workspace.sqlite"));
        std::string error;
        QVERIFY(Workspace::open(workspacePath.toStdString(), &error));
        QWidget window;
        WorkspaceSaver saver(&window);
        QSignalSpy saved(&saver, &WorkspaceSaver::saved);
        QSignalSpy progress(&saver, &WorkspaceSaver::progress);
        const QString target = dir.filePath(QStringLiteral("a.promptscope"));
        saver.save(loaded.dataset, workspacePath, target);
        QVERIFY(saver.isRunning());
        // The dialog in the window says what is saved (it shows itself after 300 ms; shown here for the picture).
        auto* dialog = window.findChild<QProgressDialog*>();
        QVERIFY(dialog);
        QVERIFY(dialog->labelText().contains(QStringLiteral("a.promptscope")));
        dialog->show();
        QDir().mkpath(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots"));
        QVERIFY(dialog->grab().save(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots/save-workspace-progress.png")));
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 60000);
        QCOMPARE(saved.first().first().toString(), target);
        QVERIFY(!saver.isRunning());
        QVERIFY(isWorkspaceFileWithData(target.toStdString()));

        QSignalSpy cancelled(&saver, &WorkspaceSaver::cancelled);
        const QString other = dir.filePath(QStringLiteral("b.promptscope"));
        saver.save(loaded.dataset, workspacePath, other);
        saver.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, 60000);
        QVERIFY(!QFileInfo::exists(other));
        QVERIFY(!QFileInfo::exists(other + QStringLiteral(".partial")));
    }
};

QTEST_MAIN(TestWorkspaceFile)
#include "tst_workspacefile.moc"
