// The workspace's schema as an ordered list of migrations. A file records the number of migrations applied in
// PRAGMA user_version; opening a file applies the missing ones, all in one transaction, so a file is always
// at one version of the schema (a crash mid-migration leaves the older version, never a mix).
#pragma once

#include <string>

struct sqlite3;

namespace ps {

// 1: labels and the review queue. 2: label history (undo). 3: incidents, their traces and timeline.
inline constexpr int kWorkspaceSchemaVersion = 3;
// PRAGMA application_id of a workspace file ("PSWS"), so that another program's SQLite file is never
// migrated.
inline constexpr int kWorkspaceApplicationId = 0x50535753;

// Brings an open database from its user_version up to targetVersion (<= kWorkspaceSchemaVersion) inside one
// IMMEDIATE transaction; on error rolls back and says why. Tests use a lower target to make older files.
bool migrateWorkspace(sqlite3* db, int targetVersion, std::string* error);

// PRAGMA user_version of an open database, or -1 when it cannot be read (not a database).
int workspaceSchemaVersion(sqlite3* db);

}  // namespace ps
