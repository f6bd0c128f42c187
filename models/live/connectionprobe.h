// What "Test Connection" does, without widgets: opens the target, finds its schema (or runs the custom SELECT
// once) and says in one sentence what is wrong: the server refused, the password was wrong, the table does not
// exist, the tables are not a schema PromptScope knows. Blocking: run it off the GUI thread.
#pragma once

#include <cstdint>
#include <string>

#include "databaseschema.h"
#include "dbconnection.h"

namespace ps::live {

enum class ProbeProblem : uint8_t {
    None,
    NotReachable,     // connection refused, no such host, timed out
    Authentication,   // wrong user or password
    NoSuchDatabase,   // no such file (SQLite) or database (PostgreSQL)
    NoSuchTable,      // the custom SELECT names a table that does not exist
    UnknownSchema,    // connected, but no table of a known schema
    BadQuery,         // the custom SELECT fails or lacks required fields
    Other,
};

struct ProbeRequest {
    std::string source;    // sqlite:PATH, a database path, or a postgresql:// URI (with or without a password)
    std::string password;  // used when the source carries none
    bool customQuery = false;
    std::string sql;       // the custom SELECT when customQuery
    int connectTimeoutSeconds = 10;
};

struct ProbeResult {
    ProbeProblem problem = ProbeProblem::Other;
    DatabaseSchemaKind schema = DatabaseSchemaKind::Unknown;
    std::string message;  // for the user; never holds the password
    [[nodiscard]] bool ok() const { return problem == ProbeProblem::None; }
};

ProbeResult probeConnection(const ProbeRequest& request);

// The kind of failure a connection error message describes (libpq's and SQLite's wording).
ProbeProblem classifyConnectError(std::string_view message);

}  // namespace ps::live
