// The workspace database: schema and migrations from older files, refusal of files that are not workspaces,
// transactions (all or nothing), label undo, values with quotes and invalid UTF-8 stored byte for byte,
// incidents and their timeline, and source files left untouched.
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include "sourceloader.h"
#include "workspace.h"
#include "workspaceschema.h"

using namespace ps;

namespace {

// A raw connection for setting up files and looking at them independently of the Workspace class.
class RawDb {
public:
    explicit RawDb(const QString& path) { sqlite3_open(path.toUtf8().constData(), &db_); }
    ~RawDb() { sqlite3_close(db_); }
    bool exec(const char* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }
    int64_t integer(const char* sql) {
        sqlite3_stmt* s = nullptr;
        int64_t v = -1;
        if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
            v = sqlite3_column_int64(s, 0);
        }
        sqlite3_finalize(s);
        return v;
    }
    QString text(const char* sql) {
        sqlite3_stmt* s = nullptr;
        QString v;
        if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
            v = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
        }
        sqlite3_finalize(s);
        return v;
    }
    sqlite3* handle() const { return db_; }

private:
    sqlite3* db_ = nullptr;
};

QByteArray fileHash(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

LabelChange change(const std::string& trace, ReviewLabel label, const std::string& note = {},
                   int64_t t = 1000) {
    LabelChange c;
    c.traceId = trace;
    c.requestId = "req-" + trace;
    c.label = label;
    c.note = note;
    c.reviewer = "ana";
    c.timeMs = t;
    return c;
}

QueueEntry entry(const std::string& trace, const std::string& reasons, QueueOrigin origin, int64_t t) {
    QueueEntry e;
    e.traceId = trace;
    e.requestId = trace;
    e.reasons = reasons;
    e.origin = origin;
    e.addedMs = t;
    return e;
}

}  // namespace

class TestWorkspace : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    int files_ = 0;

    QString freshPath() { return dir_.filePath(QStringLiteral("ws%1.sqlite").arg(++files_)); }

    std::unique_ptr<Workspace> openFresh() {
        std::string error;
        auto ws = Workspace::open(freshPath().toStdString(), &error);
        if (!ws) {
            qWarning("%s", error.c_str());
        }
        return ws;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void newFileHasTheCurrentSchemaInWalMode() {
        const QString path = freshPath();
        std::string error;
        {
            auto ws = Workspace::open(path.toStdString(), &error);
            QVERIFY2(ws, error.c_str());
            QCOMPARE(ws->schemaVersion(), kWorkspaceSchemaVersion);
            QCOMPARE(ws->integrityCheck(), std::string("ok"));
            RawDb raw(path);
            QCOMPARE(raw.text("PRAGMA journal_mode"), QStringLiteral("wal"));
            QCOMPARE(raw.integer("PRAGMA application_id"), int64_t{kWorkspaceApplicationId});
            for (const char* table : {"labels", "review_queue", "label_history", "incidents",
                                      "incident_traces", "incident_notes"}) {
                const QByteArray sql =
                    QByteArray("SELECT count(*) FROM sqlite_schema WHERE name = '") + table + "'";
                QCOMPARE(raw.integer(sql.constData()), int64_t{1});
            }
        }
        // Reopening a current file changes nothing.
        auto again = Workspace::open(path.toStdString(), &error);
        QVERIFY2(again, error.c_str());
        QCOMPARE(again->schemaVersion(), kWorkspaceSchemaVersion);
    }

    void labelsKeepQuotesAndInvalidUtf8ByteForByte() {
        auto ws = openFresh();
        QVERIFY(ws);
        const std::string trace = "t'1\"; DROP TABLE labels; --";
        const std::string note =
            std::string("it's \"bad\" \xff\xfe\xc3 and a NUL ") + '\0' + " in the middle";
        const std::string reviewer = "O'Brien \xe2\x82";
        LabelChange c = change(trace, ReviewLabel::Hallucinated, note);
        c.reviewer = reviewer;
        QVERIFY2(ws->setLabel(c), ws->lastError().c_str());
        const auto read = ws->label(trace);
        QVERIFY(read.has_value());
        QCOMPARE(read->traceId, trace);
        QCOMPARE(read->note, note);
        QCOMPARE(read->note.size(), note.size());
        QCOMPARE(read->reviewer, reviewer);
        QCOMPARE(read->requestId, "req-" + trace);
        QCOMPARE(read->label, ReviewLabel::Hallucinated);
        QCOMPARE(read->timeMs, int64_t{1000});
        QCOMPARE(ws->labels().size(), size_t{1});
        QVERIFY(!ws->label("t'1").has_value());
        QCOMPARE(ws->integrityCheck(), std::string("ok"));
    }

    void undoRestoresThePreviousLabelThenNone() {
        auto ws = openFresh();
        QVERIFY(ws);
        QVERIFY(!ws->canUndoLabel());
        QVERIFY(!ws->undoLastLabel().has_value());
        QVERIFY(ws->setLabel(change("a", ReviewLabel::Correct, "first", 10)));
        QVERIFY(ws->setLabel(change("b", ReviewLabel::Unsafe, "", 20)));
        QVERIFY(ws->setLabel(change("a", ReviewLabel::Incomplete, "second", 30)));
        QCOMPARE(ws->label("a")->label, ReviewLabel::Incomplete);

        QCOMPARE(ws->undoLastLabel(), std::optional<std::string>("a"));
        const auto a = ws->label("a");
        QVERIFY(a.has_value());
        QCOMPARE(a->label, ReviewLabel::Correct);
        QCOMPARE(a->note, std::string("first"));
        QCOMPARE(a->timeMs, int64_t{10});

        QCOMPARE(ws->undoLastLabel(), std::optional<std::string>("b"));
        QVERIFY(!ws->label("b").has_value());
        QCOMPARE(ws->undoLastLabel(), std::optional<std::string>("a"));
        QVERIFY(!ws->label("a").has_value());
        QVERIFY(!ws->canUndoLabel());
        QVERIFY(!ws->undoLastLabel().has_value());
        QVERIFY(ws->labels().empty());
    }

    void labellingFromTheQueueMarksItDoneAndUndoReopensIt() {
        auto ws = openFresh();
        QVERIFY(ws);
        QVERIFY(ws->addToQueue({entry("hand", "", QueueOrigin::Hand, 5)}));
        // A rule item is stored when it is labelled, with the rules that put it there.
        LabelChange fromRule = change("ruled", ReviewLabel::ToolError, "", 40);
        fromRule.fromQueue = true;
        fromRule.reasons = "failed_eval,tool_calls";
        QVERIFY(ws->setLabel(fromRule));
        QVERIFY(ws->setLabel(change("hand", ReviewLabel::Correct, "", 50)));
        auto queue = ws->queue();
        QCOMPARE(queue.size(), size_t{2});
        QCOMPARE(queue[0].traceId, std::string("hand"));
        QCOMPARE(queue[0].state, QueueState::Done);
        QCOMPARE(queue[0].origin, QueueOrigin::Hand);
        QCOMPARE(queue[1].traceId, std::string("ruled"));
        QCOMPARE(queue[1].state, QueueState::Done);
        QCOMPARE(queue[1].origin, QueueOrigin::Rule);
        QCOMPARE(queue[1].reasons, std::string("failed_eval,tool_calls"));

        QVERIFY(ws->undoLastLabel().has_value());  // "hand" is open again
        QVERIFY(ws->undoLastLabel().has_value());  // "ruled" leaves the queue: labelling had put it there
        queue = ws->queue();
        QCOMPARE(queue.size(), size_t{1});
        QCOMPARE(queue[0].traceId, std::string("hand"));
        QCOMPARE(queue[0].state, QueueState::Open);
    }

    void queueStatesAndReopeningDismissedItems() {
        auto ws = openFresh();
        QVERIFY(ws);
        QVERIFY(ws->setQueueState(entry("x", "thumbs_down", QueueOrigin::Rule, 1), QueueState::Dismissed, 2));
        auto queue = ws->queue();
        QCOMPARE(queue.size(), size_t{1});
        QCOMPARE(queue[0].state, QueueState::Dismissed);
        QCOMPARE(queue[0].addedMs, int64_t{2});
        // Adding by hand reopens it and keeps the rule's reasons.
        QVERIFY(ws->addToQueue({entry("x", "", QueueOrigin::Hand, 3)}));
        queue = ws->queue();
        QCOMPARE(queue[0].state, QueueState::Open);
        QCOMPARE(queue[0].reasons, std::string("thumbs_down"));
        QCOMPARE(queue[0].updatedMs, int64_t{3});
        const auto one = ws->queueEntry("x");
        QVERIFY(one.has_value());
        QCOMPARE(one->origin, QueueOrigin::Rule);
        QCOMPARE(one->state, QueueState::Open);
        QVERIFY(!ws->queueEntry("y").has_value());
    }

    void aFailingWriteLeavesNothingBehind() {
        auto ws = openFresh();
        QVERIFY(ws);
        // The third entry breaks a constraint: the two before it must not be stored.
        QVERIFY(!ws->addToQueue({entry("q1", "", QueueOrigin::Hand, 1), entry("q2", "", QueueOrigin::Hand, 1),
                                 entry("", "", QueueOrigin::Hand, 1)}));
        QVERIFY(!ws->lastError().empty());
        QVERIFY(ws->queue().empty());
        // Linking to an incident: one bad trace cancels the others, the timeline entry and the updated time.
        const auto id = ws->createIncident(
            {"Refund answers wrong", IncidentSeverity::Sev2, IncidentStatus::Open, "43"}, "ana", 100);
        QVERIFY(id.has_value());
        QVERIFY(!ws->linkTraces(*id, {{"t1", "t1"}, {"", ""}}, "ana", 200));
        QVERIFY(ws->incidentTraces(*id).empty());
        QCOMPARE(ws->incidentNotes(*id).size(), size_t{1});  // "Opened"
        QCOMPARE(ws->incident(*id)->updatedMs, int64_t{100});
        // A missing incident is refused by the foreign key.
        QVERIFY(!ws->linkTraces(*id + 100, {{"t1", "t1"}}, "ana", 200));
        QVERIFY(!ws->addIncidentNote(*id + 100, "note", "ana", 200));
        // Bad labels fail whole too: nothing in labels, nothing to undo.
        QVERIFY(!ws->setLabel(change("", ReviewLabel::Correct)));
        QVERIFY(ws->labels().empty());
        QVERIFY(!ws->canUndoLabel());
        // And the workspace is still usable afterwards.
        QVERIFY(ws->addToQueue({entry("q1", "", QueueOrigin::Hand, 1)}));
        QCOMPARE(ws->queue().size(), size_t{1});
    }

    void incidentsRecordTheirTimeline() {
        auto ws = openFresh();
        QVERIFY(ws);
        IncidentFields f{"Canary v43 fails refunds", IncidentSeverity::Sev3, IncidentStatus::Open, "43"};
        const auto id = ws->createIncident(f, "ana", 1000);
        QVERIFY(id.has_value());
        const auto other = ws->createIncident(
            {"Slow invoices", IncidentSeverity::Sev4, IncidentStatus::Open, ""}, "bo", 1500);
        QVERIFY(other.has_value());
        QVERIFY(ws->linkTraces(*id, {{"t1", "r1"}, {"t2", "r2"}}, "ana", 2000));
        QVERIFY(ws->linkTraces(*id, {{"t2", "r2"}, {"t3", "r3"}}, "ana", 3000));  // t2 already linked
        f.status = IncidentStatus::Investigating;
        f.severity = IncidentSeverity::Sev2;
        QVERIFY(ws->updateIncident(*id, f, "bo", 4000));
        QVERIFY(ws->updateIncident(*id, f, "bo", 4500));  // no change, no entry
        QVERIFY(ws->addIncidentNote(*id, "Rolled the canary back to 5%", "bo", 5000));
        QVERIFY(ws->unlinkTrace(*id, "t1", "ana", 6000));

        const auto traces = ws->incidentTraces(*id);
        QCOMPARE(traces.size(), size_t{2});
        QCOMPARE(traces[0].traceId, std::string("t2"));
        QCOMPARE(traces[0].requestId, std::string("r2"));
        QCOMPARE(traces[1].traceId, std::string("t3"));
        const auto read = ws->incident(*id);
        QCOMPARE(read->fields.status, IncidentStatus::Investigating);
        QCOMPARE(read->fields.severity, IncidentSeverity::Sev2);
        QCOMPARE(read->fields.promptVersion, std::string("43"));
        QCOMPARE(read->createdMs, int64_t{1000});
        QCOMPARE(read->updatedMs, int64_t{6000});
        QCOMPARE(read->traceCount, int64_t{2});

        const auto notes = ws->incidentNotes(*id);
        std::vector<std::string> texts;
        for (const auto& n : notes) {
            texts.push_back(n.text);
        }
        const std::vector<std::string> expected = {
            "Opened: SEV3 minor, Open, prompt version 43",
            "Linked 2 traces: t1, t2",
            "Linked trace t3",
            "Severity: SEV3 minor → SEV2 major",
            "Status: Open → Investigating",
            "Rolled the canary back to 5%",
            "Unlinked trace t1"};
        QCOMPARE(texts, expected);
        QVERIFY(!notes[5].isChange);
        QCOMPARE(notes[5].author, std::string("bo"));
        QVERIFY(notes[4].isChange);

        const auto all = ws->incidents();  // most recently updated first
        QCOMPARE(all.size(), size_t{2});
        QCOMPARE(all[0].id, *id);
        QCOMPARE(all[1].id, *other);
        QVERIFY(!ws->createIncident({"", IncidentSeverity::Sev1, IncidentStatus::Open, ""}, "ana", 1)
                     .has_value());
        QVERIFY(!ws->addIncidentNote(*id, "", "ana", 7000));
    }

    void migratesAVersion1File() {
        const QString path = freshPath();
        {
            RawDb raw(path);
            std::string error;
            QVERIFY2(migrateWorkspace(raw.handle(), 1, &error), error.c_str());
            QVERIFY(raw.exec("INSERT INTO labels (trace_id, request_id, label, note, reviewer, labelled_ms) "
                             "VALUES ('old', 'old', 'unsafe', 'from v1', 'cy', 77)"));
            QCOMPARE(raw.integer("PRAGMA user_version"), int64_t{1});
        }
        std::string error;
        auto ws = Workspace::open(path.toStdString(), &error);
        QVERIFY2(ws, error.c_str());
        QCOMPARE(ws->schemaVersion(), kWorkspaceSchemaVersion);
        const auto old = ws->label("old");
        QVERIFY(old.has_value());
        QCOMPARE(old->label, ReviewLabel::Unsafe);
        QCOMPARE(old->note, std::string("from v1"));
        QVERIFY(!ws->canUndoLabel());  // v1 kept no history
        QVERIFY(ws->setLabel(change("old", ReviewLabel::Correct)));
        QCOMPARE(ws->undoLastLabel(), std::optional<std::string>("old"));
        QCOMPARE(ws->label("old")->label, ReviewLabel::Unsafe);
        QVERIFY(ws->createIncident({"After migration", IncidentSeverity::Sev3, IncidentStatus::Open, ""},
                                   "cy", 1));
        QCOMPARE(ws->integrityCheck(), std::string("ok"));
    }

    void aFailedMigrationKeepsTheOlderVersion() {
        const QString path = freshPath();
        {
            RawDb raw(path);
            std::string error;
            QVERIFY(migrateWorkspace(raw.handle(), 1, &error));
            // Something in the way of migration 3.
            QVERIFY(raw.exec("CREATE TABLE incidents (whatever TEXT)"));
        }
        std::string error;
        QVERIFY(!Workspace::open(path.toStdString(), &error));
        QVERIFY(error.find("schema") != std::string::npos);
        RawDb raw(path);
        QCOMPARE(raw.integer("PRAGMA user_version"), int64_t{1});
        // Migration 2 ran in the same transaction and was rolled back with 3.
        QCOMPARE(raw.integer("SELECT count(*) FROM sqlite_schema WHERE name = 'label_history'"), int64_t{0});
    }

    void refusesAWorkspaceOfANewerVersion() {
        const QString path = freshPath();
        {
            std::string error;
            QVERIFY(Workspace::open(path.toStdString(), &error));
        }
        {
            RawDb raw(path);
            QVERIFY(raw.exec("PRAGMA user_version = 99"));
        }
        std::string error;
        QVERIFY(!Workspace::open(path.toStdString(), &error));
        QVERIFY2(error.find("newer") != std::string::npos, error.c_str());
        std::string reason;
        RawDb raw(path);
        QVERIFY(!migrateWorkspace(raw.handle(), kWorkspaceSchemaVersion, &reason));
        QCOMPARE(raw.integer("PRAGMA user_version"), int64_t{99});
    }

    void refusesAnotherProgramsDatabaseWithoutWritingToIt() {
        const QString path = freshPath();
        {
            RawDb raw(path);
            QVERIFY(raw.exec("CREATE TABLE \"LiteLLM_SpendLogs\" (request_id TEXT, spend REAL)"));
            QVERIFY(raw.exec("INSERT INTO \"LiteLLM_SpendLogs\" VALUES ('r1', 0.5)"));
        }
        const QByteArray before = fileHash(path);
        std::string error;
        QVERIFY(!Workspace::open(path.toStdString(), &error));
        QVERIFY2(error.find("another program") != std::string::npos, error.c_str());
        QCOMPARE(fileHash(path), before);
        QVERIFY(!QFileInfo::exists(path + QStringLiteral("-wal")));
    }

    void refusesATraceFileAndLeavesItUntouched() {
        const QString source = dir_.filePath(QStringLiteral("chat.jsonl"));
        QVERIFY(QFile::copy(
            QStringLiteral(PROMPTSCOPE_SAMPLES_DIR "/otel-js-sdk__instrumentation-openai__chat.jsonl"),
            source));
        const QByteArray before = fileHash(source);
        const QDateTime modified = QFileInfo(source).lastModified();
        std::string error;
        QVERIFY(!Workspace::open(source.toStdString(), &error));
        QVERIFY2(error.find("not a workspace") != std::string::npos, error.c_str());
        QCOMPARE(fileHash(source), before);
        QCOMPARE(QFileInfo(source).lastModified(), modified);
        QVERIFY(!QFileInfo::exists(source + QStringLiteral("-wal")));
        QVERIFY(!QFileInfo::exists(source + QStringLiteral("-journal")));
    }

    void labellingLoadedTracesNeverTouchesTheSources() {
        QTemporaryDir folder;
        const QString source = folder.filePath(QStringLiteral("traces.jsonl"));
        QVERIFY(QFile::copy(
            QStringLiteral(PROMPTSCOPE_SAMPLES_DIR "/otel-js-sdk__instrumentation-openai__chat.jsonl"),
            source));
        const QByteArray before = fileHash(source);
        const QDateTime modified = QFileInfo(source).lastModified();
        const LoadResult loaded = loadSources({source.toStdString()});
        QVERIFY(loaded.dataset);
        QVERIFY(loaded.dataset->requestCount() > 0);
        {
            std::string error;
            auto ws = Workspace::open(folder.filePath(QStringLiteral("review.sqlite")).toStdString(), &error);
            QVERIFY2(ws, error.c_str());
            const Dataset& d = *loaded.dataset;
            for (size_t r = 0; r < d.requestCount(); ++r) {
                const std::string trace(d.str(d.requests.traceId[r]));
                QVERIFY(ws->setLabel(change(trace, ReviewLabel::PartiallyCorrect)));
                QVERIFY(ws->addToQueue({entry(trace, "", QueueOrigin::Hand, 1)}));
            }
            const auto id =
                ws->createIncident({"x", IncidentSeverity::Sev3, IncidentStatus::Open, ""}, "ana", 1);
            QVERIFY(ws->linkTraces(*id, {{std::string(d.str(d.requests.traceId[0])), ""}}, "ana", 2));
            QCOMPARE(ws->labels().size(), d.requestCount());
        }
        QCOMPARE(fileHash(source), before);
        QCOMPARE(QFileInfo(source).lastModified(), modified);
        // Only the workspace was written next to the source; closing it folded its WAL back into it.
        QStringList names = QDir(folder.path()).entryList(QDir::Files);
        names.sort();
        QCOMPARE(names, QStringList({QStringLiteral("review.sqlite"), QStringLiteral("traces.jsonl")}));
    }

    void keysAreStableStrings() {
        for (int i = 0; i < kReviewLabelCount; ++i) {
            ReviewLabel back{};
            QVERIFY(parseReviewLabel(reviewLabelKey(static_cast<ReviewLabel>(i)), &back));
            QCOMPARE(static_cast<int>(back), i);
        }
        QCOMPARE(reviewLabelKey(ReviewLabel::PartiallyCorrect), std::string_view("partially_correct"));
        QCOMPARE(reviewLabelKey(ReviewLabel::ToolError), std::string_view("tool_error"));
        ReviewLabel ignored{};
        QVERIFY(!parseReviewLabel("Correct", &ignored));
    }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
