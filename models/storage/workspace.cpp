#include "workspace.h"

#include <QDir>
#include <QStandardPaths>

#include <sqlite3.h>

#include <algorithm>

#include "sqlitestatement.h"
#include "workspaceschema.h"

namespace ps {
namespace {

bool execute(sqlite3* db, const char* sql) {
    return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

std::string orNone(const std::string& text) {
    return text.empty() ? std::string("none") : text;
}

LabelRecord readLabel(const SqliteStatement& row) {
    LabelRecord r;
    r.traceId = row.text(0);
    r.requestId = row.text(1);
    parseReviewLabel(row.text(2), &r.label);
    r.note = row.text(3);
    r.reviewer = row.text(4);
    r.timeMs = row.integer(5);
    return r;
}

IncidentRecord readIncident(const SqliteStatement& row) {
    IncidentRecord r;
    r.id = row.integer(0);
    r.fields.title = row.text(1);
    parseIncidentSeverity(row.text(2), &r.fields.severity);
    parseIncidentStatus(row.text(3), &r.fields.status);
    r.fields.promptVersion = row.text(4);
    r.createdMs = row.integer(5);
    r.updatedMs = row.integer(6);
    r.traceCount = row.integer(7);
    return r;
}

constexpr const char* kLabelColumns = "trace_id, request_id, label, note, reviewer, labelled_ms";
constexpr const char* kIncidentSelect =
    "SELECT i.id, i.title, i.severity, i.status, i.prompt_version, i.created_ms, i.updated_ms, "
    "(SELECT count(*) FROM incident_traces t WHERE t.incident_id = i.id) FROM incidents i";
constexpr const char* kUpsertLabel =
    "INSERT INTO labels (trace_id, request_id, label, note, reviewer, labelled_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (trace_id) DO UPDATE SET request_id = excluded.request_id, "
    "label = excluded.label, "
    "note = excluded.note, reviewer = excluded.reviewer, labelled_ms = excluded.labelled_ms";

}  // namespace

std::unique_ptr<Workspace> Workspace::open(const std::string& path, std::string* error) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
        *error = "cannot open " + path + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return nullptr;
    }
    auto refuse = [&](const std::string& why) -> std::unique_ptr<Workspace> {
        *error = path + ": " + why;
        sqlite3_close(db);
        return nullptr;
    };
    // Another window or process may be writing: wait for its transaction rather than failing at once.
    sqlite3_busy_timeout(db, 5000);

    // Look before changing anything: these reads write nothing, so a file that is not ours stays untouched.
    int64_t tables = 0;
    int64_t applicationId = 0;
    int64_t version = 0;
    {
        SqliteStatement probe(db,
                              "SELECT (SELECT count(*) FROM sqlite_schema), (SELECT application_id FROM "
                              "pragma_application_id), (SELECT user_version FROM pragma_user_version)");
        if (!probe.isValid() || !probe.next()) {
            return refuse(std::string("not a workspace file (") + sqlite3_errmsg(db) + ")");
        }
        tables = probe.integer(0);
        applicationId = probe.integer(1);
        version = probe.integer(2);
    }  // finalized here: the journal mode cannot change while a statement holds a read transaction
    if (applicationId != kWorkspaceApplicationId && (tables > 0 || version != 0)) {
        return refuse("an SQLite database of another program, not a PromptScope workspace");
    }
    if (version > kWorkspaceSchemaVersion) {
        return refuse("made by a newer PromptScope (schema version " + std::to_string(version) +
                      ", this one reads " + std::to_string(kWorkspaceSchemaVersion) + ")");
    }

    if (!execute(db, "PRAGMA journal_mode = WAL")) {
        return refuse(std::string("cannot set the journal mode (") + sqlite3_errmsg(db) + ")");
    }
    // On file systems without shared memory SQLite keeps its rollback journal, which is crash-safe too.
    if (!execute(db, "PRAGMA synchronous = FULL") || !execute(db, "PRAGMA foreign_keys = ON")) {
        return refuse(sqlite3_errmsg(db));
    }
    std::string why;
    if (!migrateWorkspace(db, kWorkspaceSchemaVersion, &why)) {
        return refuse("cannot update the schema (" + why + ")");
    }
    return std::unique_ptr<Workspace>(new Workspace(db, path));
}

QString Workspace::defaultPath() {
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    return QDir(dir).filePath(QStringLiteral("workspace.sqlite"));
}

Workspace::Workspace(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

Workspace::~Workspace() {
    // The last connection to close checkpoints the WAL into the main file and removes it.
    sqlite3_close(db_);
}

int Workspace::schemaVersion() const {
    return workspaceSchemaVersion(db_);
}

std::string Workspace::integrityCheck() const {
    SqliteStatement check(db_, "PRAGMA integrity_check");
    std::string result;
    while (check.next()) {
        result += (result.empty() ? "" : "\n") + check.text(0);
    }
    return check.succeeded() ? result : std::string(sqlite3_errmsg(db_));
}

bool Workspace::fail(const char* what) const {
    error_ = std::string(what) + ": " + sqlite3_errmsg(db_);
    return false;
}

template <typename Body>
bool Workspace::write(Body&& body) {
    error_.clear();
    if (!execute(db_, "BEGIN IMMEDIATE")) {
        return fail("cannot start a transaction");
    }
    if (body()) {
        if (execute(db_, "COMMIT")) {
            return true;
        }
        fail("cannot commit");
    }
    const std::string why = error_.empty() ? std::string(sqlite3_errmsg(db_)) : error_;
    execute(db_, "ROLLBACK");
    error_ = why;
    return false;
}

bool Workspace::setLabel(const LabelChange& c) {
    return write([&] {
        SqliteStatement previous(db_,
                                 "SELECT label, note, reviewer, labelled_ms FROM labels WHERE trace_id = ?1");
        previous.bind(1, c.traceId);
        const bool had = previous.next();
        if (!previous.succeeded()) {
            return fail("cannot read the label");
        }
        SqliteStatement queued(db_, "SELECT state FROM review_queue WHERE trace_id = ?1");
        queued.bind(1, c.traceId);
        const bool inQueue = queued.next();
        if (!queued.succeeded()) {
            return fail("cannot read the queue");
        }
        const std::string oldLabel = had ? previous.text(0) : std::string();
        const std::string oldNote = had ? previous.text(1) : std::string();
        const std::string oldReviewer = had ? previous.text(2) : std::string();
        const std::string oldState = inQueue ? queued.text(0) : std::string();
        SqliteStatement history(
            db_,
            "INSERT INTO label_history (trace_id, request_id, previous_label, previous_note, "
            "previous_reviewer, previous_ms, previous_queue_state, new_label, changed_ms) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
        history.bind(1, c.traceId).bind(2, c.requestId);
        history.bindOptional(3, had ? &oldLabel : nullptr).bindOptional(4, had ? &oldNote : nullptr);
        history.bindOptional(5, had ? &oldReviewer : nullptr);
        if (had) {
            history.bind(6, previous.integer(3));
        } else {
            history.bindNull(6);
        }
        history.bindOptional(7, inQueue ? &oldState : nullptr)
            .bind(8, reviewLabelKey(c.label))
            .bind(9, c.timeMs);
        if (!history.run()) {
            return fail("cannot record the label's history");
        }
        SqliteStatement upsert(db_, kUpsertLabel);
        upsert.bind(1, c.traceId).bind(2, c.requestId).bind(3, reviewLabelKey(c.label)).bind(4, c.note);
        upsert.bind(5, c.reviewer).bind(6, c.timeMs);
        if (!upsert.run()) {
            return fail("cannot save the label");
        }
        SqliteStatement done(
            db_, c.fromQueue ? "INSERT INTO review_queue (trace_id, request_id, reasons, added_by, state, "
                               "added_ms, updated_ms) VALUES (?1, ?2, ?3, ?4, 'done', ?5, ?5) "
                               "ON CONFLICT (trace_id) DO UPDATE SET state = 'done', updated_ms = ?5"
                             : "UPDATE review_queue SET state = 'done', updated_ms = ?5 WHERE trace_id = ?1");
        done.bind(1, c.traceId).bind(5, c.timeMs);
        if (c.fromQueue) {
            done.bind(2, c.requestId).bind(3, c.reasons).bind(4, queueOriginKey(c.origin));
        }
        return done.run() || fail("cannot update the queue");
    });
}

std::optional<LabelRecord> Workspace::label(const std::string& traceId) const {
    SqliteStatement read(db_, std::string("SELECT ") + kLabelColumns + " FROM labels WHERE trace_id = ?1");
    read.bind(1, traceId);
    if (read.next()) {
        return readLabel(read);
    }
    if (!read.succeeded()) {
        fail("cannot read the label");
    }
    return std::nullopt;
}

std::vector<LabelRecord> Workspace::labels() const {
    SqliteStatement read(db_, std::string("SELECT ") + kLabelColumns + " FROM labels ORDER BY trace_id");
    std::vector<LabelRecord> out;
    while (read.next()) {
        out.push_back(readLabel(read));
    }
    if (!read.succeeded()) {
        fail("cannot read the labels");
    }
    return out;
}

bool Workspace::canUndoLabel() const {
    SqliteStatement read(db_, "SELECT 1 FROM label_history LIMIT 1");
    return read.next();
}

std::optional<std::string> Workspace::undoLastLabel() {
    std::optional<std::string> undone;
    const bool ok = write([&] {
        SqliteStatement last(
            db_,
            "SELECT id, trace_id, request_id, previous_label, previous_note, previous_reviewer, "
            "previous_ms, previous_queue_state FROM label_history ORDER BY id DESC LIMIT 1");
        if (!last.next()) {
            return last.succeeded() || fail("cannot read the label history");
        }
        const std::string trace = last.text(1);
        if (last.isNull(3)) {
            SqliteStatement remove(db_, "DELETE FROM labels WHERE trace_id = ?1");
            if (!remove.bind(1, trace).run()) {
                return fail("cannot remove the label");
            }
        } else {
            SqliteStatement restore(db_, kUpsertLabel);
            restore.bind(1, trace).bind(2, last.text(2)).bind(3, last.text(3)).bind(4, last.text(4));
            restore.bind(5, last.text(5)).bind(6, last.integer(6));
            if (!restore.run()) {
                return fail("cannot restore the label");
            }
        }
        // The queue entry goes back to its state, or away when the labelling created it.
        SqliteStatement queue(db_, last.isNull(7)
                                       ? "DELETE FROM review_queue WHERE trace_id = ?1"
                                       : "UPDATE review_queue SET state = ?2 WHERE trace_id = ?1");
        queue.bind(1, trace);
        if (!last.isNull(7)) {
            queue.bind(2, last.text(7));
        }
        SqliteStatement forget(db_, "DELETE FROM label_history WHERE id = ?1");
        if (!queue.run() || !forget.bind(1, last.integer(0)).run()) {
            return fail("cannot undo");
        }
        undone = trace;
        return true;
    });
    return ok ? undone : std::nullopt;
}

bool Workspace::addToQueue(const std::vector<QueueEntry>& entries) {
    return write([&] {
        SqliteStatement add(
            db_,
            "INSERT INTO review_queue (trace_id, request_id, reasons, added_by, state, added_ms, "
            "updated_ms) VALUES (?1, ?2, ?3, ?4, 'open', ?5, ?5) ON CONFLICT (trace_id) DO UPDATE "
            "SET state = CASE WHEN state = 'dismissed' THEN 'open' ELSE state END, "
            "reasons = CASE WHEN excluded.reasons <> '' THEN excluded.reasons ELSE reasons END, "
            "updated_ms = excluded.updated_ms");
        for (const QueueEntry& e : entries) {
            add.bind(1, e.traceId).bind(2, e.requestId).bind(3, e.reasons).bind(4, queueOriginKey(e.origin));
            add.bind(5, e.addedMs);
            if (!add.run()) {
                return fail("cannot add to the review queue");
            }
            add.reset();
        }
        return true;
    });
}

bool Workspace::setQueueState(const QueueEntry& entry, QueueState state, int64_t timeMs) {
    return write([&] {
        SqliteStatement set(
            db_,
            "INSERT INTO review_queue (trace_id, request_id, reasons, added_by, state, added_ms, "
            "updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) ON CONFLICT (trace_id) DO UPDATE "
            "SET state = excluded.state, updated_ms = excluded.updated_ms");
        set.bind(1, entry.traceId).bind(2, entry.requestId).bind(3, entry.reasons);
        set.bind(4, queueOriginKey(entry.origin)).bind(5, queueStateKey(state)).bind(6, timeMs);
        return set.run() || fail("cannot update the review queue");
    });
}

namespace {

constexpr const char* kQueueSelect =
    "SELECT trace_id, request_id, reasons, added_by, state, added_ms, updated_ms FROM review_queue";

QueueEntry readQueueEntry(const SqliteStatement& row) {
    QueueEntry e;
    e.traceId = row.text(0);
    e.requestId = row.text(1);
    e.reasons = row.text(2);
    parseQueueOrigin(row.text(3), &e.origin);
    parseQueueState(row.text(4), &e.state);
    e.addedMs = row.integer(5);
    e.updatedMs = row.integer(6);
    return e;
}

}  // namespace

std::vector<QueueEntry> Workspace::queue() const {
    SqliteStatement read(db_, std::string(kQueueSelect) + " ORDER BY added_ms, trace_id");
    std::vector<QueueEntry> out;
    while (read.next()) {
        out.push_back(readQueueEntry(read));
    }
    if (!read.succeeded()) {
        fail("cannot read the review queue");
    }
    return out;
}

std::optional<QueueEntry> Workspace::queueEntry(const std::string& traceId) const {
    SqliteStatement read(db_, std::string(kQueueSelect) + " WHERE trace_id = ?1");
    read.bind(1, traceId);
    if (read.next()) {
        return readQueueEntry(read);
    }
    if (!read.succeeded()) {
        fail("cannot read the review queue");
    }
    return std::nullopt;
}

bool Workspace::addTimeline(int64_t id, bool isChange, const std::string& author, const std::string& text,
                            int64_t timeMs) {
    SqliteStatement add(db_,
                        "INSERT INTO incident_notes (incident_id, kind, author, text, time_ms) "
                        "VALUES (?1, ?2, ?3, ?4, ?5)");
    add.bind(1, id).bind(2, std::string_view(isChange ? "change" : "note")).bind(3, author).bind(4, text);
    return add.bind(5, timeMs).run() || fail("cannot write the incident's timeline");
}

bool Workspace::touchIncident(int64_t id, int64_t timeMs) {
    SqliteStatement touch(db_, "UPDATE incidents SET updated_ms = ?2 WHERE id = ?1");
    if (!touch.bind(1, id).bind(2, timeMs).run()) {
        return fail("cannot update the incident");
    }
    if (sqlite3_changes(db_) == 0) {
        error_ = "no incident " + std::to_string(id);
        return false;
    }
    return true;
}

std::optional<int64_t> Workspace::createIncident(const IncidentFields& f, const std::string& author,
                                                 int64_t timeMs) {
    int64_t id = 0;
    const bool ok = write([&] {
        SqliteStatement add(db_,
                            "INSERT INTO incidents (title, severity, status, prompt_version, created_ms, "
                            "updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?5)");
        add.bind(1, f.title).bind(2, incidentSeverityKey(f.severity)).bind(3, incidentStatusKey(f.status));
        if (!add.bind(4, f.promptVersion).bind(5, timeMs).run()) {
            return fail("cannot create the incident");
        }
        id = sqlite3_last_insert_rowid(db_);
        const std::string opened = "Opened: " + std::string(incidentSeverityTitle(f.severity)) + ", " +
                                   std::string(incidentStatusTitle(f.status)) + ", prompt version " +
                                   orNone(f.promptVersion);
        return addTimeline(id, true, author, opened, timeMs);
    });
    return ok ? std::optional<int64_t>(id) : std::nullopt;
}

bool Workspace::updateIncident(int64_t id, const IncidentFields& f, const std::string& author,
                               int64_t timeMs) {
    const std::optional<IncidentRecord> before = incident(id);
    if (!before) {
        error_ = "no incident " + std::to_string(id);
        return false;
    }
    const IncidentFields& old = before->fields;
    std::vector<std::string> changes;
    auto note = [&changes](const char* what, const std::string& from, const std::string& to) {
        if (from != to) {
            changes.push_back(std::string(what) + ": " + orNone(from) + " → " + orNone(to));
        }
    };
    note("Title", old.title, f.title);
    note("Severity", std::string(incidentSeverityTitle(old.severity)),
         std::string(incidentSeverityTitle(f.severity)));
    note("Status", std::string(incidentStatusTitle(old.status)), std::string(incidentStatusTitle(f.status)));
    note("Prompt version", old.promptVersion, f.promptVersion);
    if (changes.empty()) {
        error_.clear();
        return true;
    }
    return write([&] {
        SqliteStatement set(
            db_,
            "UPDATE incidents SET title = ?2, severity = ?3, status = ?4, prompt_version = ?5, "
            "updated_ms = ?6 WHERE id = ?1");
        set.bind(1, id)
            .bind(2, f.title)
            .bind(3, incidentSeverityKey(f.severity))
            .bind(4, incidentStatusKey(f.status));
        if (!set.bind(5, f.promptVersion).bind(6, timeMs).run()) {
            return fail("cannot update the incident");
        }
        for (const std::string& change : changes) {
            if (!addTimeline(id, true, author, change, timeMs)) {
                return false;
            }
        }
        return true;
    });
}

std::vector<IncidentRecord> Workspace::incidents() const {
    SqliteStatement read(db_, std::string(kIncidentSelect) + " ORDER BY i.updated_ms DESC, i.id DESC");
    std::vector<IncidentRecord> out;
    while (read.next()) {
        out.push_back(readIncident(read));
    }
    if (!read.succeeded()) {
        fail("cannot read the incidents");
    }
    return out;
}

std::optional<IncidentRecord> Workspace::incident(int64_t id) const {
    SqliteStatement read(db_, std::string(kIncidentSelect) + " WHERE i.id = ?1");
    read.bind(1, id);
    if (read.next()) {
        return readIncident(read);
    }
    if (!read.succeeded()) {
        fail("cannot read the incident");
    }
    return std::nullopt;
}

bool Workspace::linkTraces(int64_t id, const std::vector<TraceKey>& traces, const std::string& author,
                           int64_t timeMs) {
    return write([&] {
        // ON CONFLICT DO NOTHING skips a trace linked already; unlike INSERT OR IGNORE it still fails on a
        // CHECK (empty trace id) or a missing incident, which must cancel the whole link.
        SqliteStatement link(db_,
                             "INSERT INTO incident_traces (incident_id, trace_id, request_id, added_ms) "
                             "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (incident_id, trace_id) DO NOTHING");
        std::vector<std::string> added;
        for (const TraceKey& t : traces) {
            if (!link.bind(1, id).bind(2, t.traceId).bind(3, t.requestId).bind(4, timeMs).run()) {
                return fail("cannot link the trace");
            }
            if (sqlite3_changes(db_) > 0) {
                added.push_back(t.traceId);
            }
            link.reset();
        }
        if (added.empty()) {
            return true;
        }
        std::string text = added.size() == 1
                               ? "Linked trace " + added.front()
                               : "Linked " + std::to_string(added.size()) + " traces: " + added.front();
        for (size_t i = 1; i < std::min<size_t>(added.size(), 5); ++i) {
            text += ", " + added[i];
        }
        if (added.size() > 5) {
            text += ", …";
        }
        return touchIncident(id, timeMs) && addTimeline(id, true, author, text, timeMs);
    });
}

bool Workspace::unlinkTrace(int64_t id, const std::string& traceId, const std::string& author,
                            int64_t timeMs) {
    return write([&] {
        SqliteStatement unlink(db_, "DELETE FROM incident_traces WHERE incident_id = ?1 AND trace_id = ?2");
        if (!unlink.bind(1, id).bind(2, traceId).run()) {
            return fail("cannot unlink the trace");
        }
        if (sqlite3_changes(db_) == 0) {
            return true;
        }
        return touchIncident(id, timeMs) &&
               addTimeline(id, true, author, "Unlinked trace " + traceId, timeMs);
    });
}

std::vector<IncidentTraceRecord> Workspace::incidentTraces(int64_t id) const {
    SqliteStatement read(db_,
                         "SELECT trace_id, request_id, added_ms FROM incident_traces WHERE incident_id = ?1 "
                         "ORDER BY added_ms, rowid");
    read.bind(1, id);
    std::vector<IncidentTraceRecord> out;
    while (read.next()) {
        out.push_back({read.text(0), read.text(1), read.integer(2)});
    }
    if (!read.succeeded()) {
        fail("cannot read the incident's traces");
    }
    return out;
}

bool Workspace::addIncidentNote(int64_t id, const std::string& text, const std::string& author,
                                int64_t timeMs) {
    if (text.empty()) {
        error_ = "the note is empty";
        return false;
    }
    return write([&] { return touchIncident(id, timeMs) && addTimeline(id, false, author, text, timeMs); });
}

std::vector<IncidentNoteRecord> Workspace::incidentNotes(int64_t id) const {
    SqliteStatement read(db_,
                         "SELECT id, kind, author, text, time_ms FROM incident_notes WHERE incident_id = ?1 "
                         "ORDER BY time_ms, id");
    read.bind(1, id);
    std::vector<IncidentNoteRecord> out;
    while (read.next()) {
        out.push_back(
            {read.integer(0), read.text(1) == "change", read.text(2), read.text(3), read.integer(4)});
    }
    if (!read.succeeded()) {
        fail("cannot read the incident's timeline");
    }
    return out;
}

}  // namespace ps
