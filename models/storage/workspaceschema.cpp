#include "workspaceschema.h"

#include <sqlite3.h>

#include <array>
#include <string_view>

#include "sqlitestatement.h"

namespace ps {
namespace {

// Each entry takes the schema from version i to i + 1. Append only: a released step is never edited, since
// files in the field already went through it.
constexpr std::array<std::string_view, kWorkspaceSchemaVersion> kMigrations = {
    // 1. One current label per trace (the team's verdict; label_history keeps who changed it), and the queue.
    R"sql(
CREATE TABLE labels (
    trace_id   TEXT PRIMARY KEY NOT NULL CHECK (trace_id <> ''),
    request_id TEXT NOT NULL,
    label      TEXT NOT NULL CHECK (label IN ('correct', 'partially_correct', 'hallucinated', 'unsafe',
                                              'incomplete', 'tool_error')),
    note       TEXT NOT NULL DEFAULT '',
    reviewer   TEXT NOT NULL DEFAULT '',
    labelled_ms INTEGER NOT NULL
);
CREATE TABLE review_queue (
    trace_id   TEXT PRIMARY KEY NOT NULL CHECK (trace_id <> ''),
    request_id TEXT NOT NULL,
    reasons    TEXT NOT NULL DEFAULT '',
    added_by   TEXT NOT NULL CHECK (added_by IN ('rule', 'hand')),
    state      TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'dismissed')),
    added_ms   INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
);
)sql",
    // 2. Every label change keeps the values it replaced (NULL: there was none), newest last, for undo.
    R"sql(
CREATE TABLE label_history (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    trace_id             TEXT NOT NULL,
    request_id           TEXT NOT NULL,
    previous_label       TEXT,
    previous_note        TEXT,
    previous_reviewer    TEXT,
    previous_ms          INTEGER,
    previous_queue_state TEXT,
    new_label            TEXT NOT NULL,
    changed_ms           INTEGER NOT NULL
);
)sql",
    // 3. Incidents with their linked traces and a timeline of notes and recorded changes.
    R"sql(
CREATE TABLE incidents (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    title          TEXT NOT NULL CHECK (title <> ''),
    severity       TEXT NOT NULL CHECK (severity IN ('sev1', 'sev2', 'sev3', 'sev4')),
    status         TEXT NOT NULL CHECK (status IN ('open', 'investigating', 'mitigated', 'resolved')),
    prompt_version TEXT NOT NULL DEFAULT '',
    created_ms     INTEGER NOT NULL,
    updated_ms     INTEGER NOT NULL
);
CREATE TABLE incident_traces (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    trace_id    TEXT NOT NULL CHECK (trace_id <> ''),
    request_id  TEXT NOT NULL,
    added_ms    INTEGER NOT NULL,
    PRIMARY KEY (incident_id, trace_id)
);
CREATE INDEX incident_traces_by_trace ON incident_traces(trace_id);
CREATE TABLE incident_notes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('note', 'change')),
    author      TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL,
    time_ms     INTEGER NOT NULL
);
CREATE INDEX incident_notes_by_incident ON incident_notes(incident_id, time_ms);
)sql",
};

bool exec(sqlite3* db, const char* sql, std::string* error) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        *error = message ? message : sqlite3_errmsg(db);
        sqlite3_free(message);
        return false;
    }
    return true;
}

}  // namespace

int workspaceSchemaVersion(sqlite3* db) {
    SqliteStatement read(db, "PRAGMA user_version");
    return read.next() ? static_cast<int>(read.integer(0)) : -1;
}

bool migrateWorkspace(sqlite3* db, int targetVersion, std::string* error) {
    if (targetVersion < 0 || targetVersion > kWorkspaceSchemaVersion) {
        *error = "unknown workspace schema version " + std::to_string(targetVersion);
        return false;
    }
    // IMMEDIATE takes the write lock first, so two windows opening one new file cannot both migrate it.
    if (!exec(db, "BEGIN IMMEDIATE", error)) {
        return false;
    }
    const int current = workspaceSchemaVersion(db);
    bool ok = current >= 0;
    if (!ok) {
        *error = sqlite3_errmsg(db);
    } else if (current > targetVersion) {
        *error = "the workspace has schema version " + std::to_string(current) +
                 ", newer than this program's " + std::to_string(targetVersion);
        ok = false;
    }
    for (int v = current; ok && v < targetVersion; ++v) {
        ok = exec(db, std::string(kMigrations[static_cast<size_t>(v)]).c_str(), error);
    }
    if (ok && current < targetVersion) {
        // PRAGMAs take no bound parameters; both numbers are this program's constants, not user values.
        const std::string stamp = "PRAGMA application_id = " + std::to_string(kWorkspaceApplicationId) +
                                  "; PRAGMA user_version = " + std::to_string(targetVersion);
        ok = exec(db, stamp.c_str(), error);
    }
    if (ok && exec(db, "COMMIT", error)) {
        return true;
    }
    std::string ignored;
    exec(db, "ROLLBACK", &ignored);
    return false;
}

}  // namespace ps
