// The workspace: one SQLite file holding what users add to the data (review labels with their history, the
// review queue, incidents with linked traces and a timeline). Source files and log databases are never
// written: the workspace refers to the data by trace id and request id only.
//
// Crash safety: WAL journal with synchronous=FULL. In WAL mode a commit appends to the -wal file; FULL fsyncs
// it before COMMIT returns, so a label that was reported saved survives the process being killed (NORMAL
// would too) and also a power cut or kernel crash (NORMAL may lose the last commits then). A label is a
// person's judgement, written a few times a minute: an fsync per commit costs nothing noticeable.
//
// Every write is one transaction (BEGIN IMMEDIATE ... COMMIT, rolled back on any error) and binds every value
// as a parameter. Not thread-safe: use a Workspace from one thread (the GUI thread; its writes are single
// rows).
#pragma once

#include <QString>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "workspacerecords.h"

struct sqlite3;

namespace ps {

class Workspace {
public:
    // Opens or creates the workspace file at path and brings its schema up to date. Refuses (nullptr, error
    // set) a file that is not SQLite, an SQLite database of another program, or a workspace of a newer
    // schema, without writing to it.
    static std::unique_ptr<Workspace> open(const std::string& path, std::string* error);
    // The per-user workspace: workspace.sqlite in the application data folder (created on first use).
    static QString defaultPath();

    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;
    ~Workspace();

    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] int schemaVersion() const;
    // Why the last call that returned false or nothing failed.
    [[nodiscard]] const std::string& lastError() const { return error_; }
    // PRAGMA integrity_check: "ok", or what is wrong.
    [[nodiscard]] std::string integrityCheck() const;

    // Labels. setLabel replaces the trace's label and records what it replaced, so that undo can restore it.
    bool setLabel(const LabelChange& change);
    [[nodiscard]] std::optional<LabelRecord> label(const std::string& traceId) const;
    [[nodiscard]] std::vector<LabelRecord> labels() const;  // every current label, by trace id
    [[nodiscard]] bool canUndoLabel() const;
    // Restores the value replaced by the latest label change (removing the label if there was none, and the
    // queue state it had) and forgets that change. The trace id undone, or nothing when there is nothing to
    // undo.
    std::optional<std::string> undoLastLabel();

    // Review queue. addToQueue adds all entries or none; an entry already queued keeps its state, except that
    // a dismissed one is opened again.
    bool addToQueue(const std::vector<QueueEntry>& entries);
    // Sets an entry's state, creating the entry (with its reasons and origin) when it is not queued yet.
    bool setQueueState(const QueueEntry& entry, QueueState state, int64_t timeMs);
    [[nodiscard]] std::vector<QueueEntry> queue() const;  // oldest first
    [[nodiscard]] std::optional<QueueEntry> queueEntry(const std::string& traceId) const;

    // Incidents. Creating and editing write what changed into the incident's timeline.
    std::optional<int64_t> createIncident(const IncidentFields& fields, const std::string& author,
                                          int64_t timeMs);
    bool updateIncident(int64_t id, const IncidentFields& fields, const std::string& author, int64_t timeMs);
    [[nodiscard]] std::vector<IncidentRecord> incidents() const;  // most recently updated first
    [[nodiscard]] std::optional<IncidentRecord> incident(int64_t id) const;
    // Links all traces or none; traces already linked are skipped.
    bool linkTraces(int64_t id, const std::vector<TraceKey>& traces, const std::string& author,
                    int64_t timeMs);
    bool unlinkTrace(int64_t id, const std::string& traceId, const std::string& author, int64_t timeMs);
    [[nodiscard]] std::vector<IncidentTraceRecord> incidentTraces(int64_t id) const;  // in the order linked
    bool addIncidentNote(int64_t id, const std::string& text, const std::string& author, int64_t timeMs);
    [[nodiscard]] std::vector<IncidentNoteRecord> incidentNotes(int64_t id) const;  // oldest first

private:
    Workspace(sqlite3* db, std::string path);
    template <typename Body>
    bool write(Body&& body);
    bool fail(const char* what) const;
    bool addTimeline(int64_t id, bool isChange, const std::string& author, const std::string& text,
                     int64_t timeMs);
    bool touchIncident(int64_t id, int64_t timeMs);

    sqlite3* db_;
    std::string path_;
    mutable std::string error_;
};

}  // namespace ps
