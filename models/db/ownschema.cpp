#include "ownschema.h"

#include <array>

namespace ps::db {
namespace {

// No index on ps_spans beyond its key: a request's spans are the rows first_span_row ..< first_span_row +
// span_count of ps_requests, a range of the key.
// Empty texts are stored as NULL ("not given"); NaN costs and scores too. Row numbers follow the Dataset:
// requests by start time, the spans of a request contiguous and depth-first (root first, children by start).
constexpr std::string_view kDdl = R"sql(
CREATE TABLE ps_schema (
    version       INTEGER NOT NULL,
    written_by    TEXT NOT NULL,
    written_at_ns BIGINT NOT NULL,
    request_count BIGINT NOT NULL,
    span_count    BIGINT NOT NULL,
    issue_count   BIGINT NOT NULL
);
CREATE TABLE ps_sources (
    source_id   INTEGER PRIMARY KEY,
    path        TEXT NOT NULL,
    format      TEXT NOT NULL,
    size_bytes  BIGINT NOT NULL,
    modified_ns BIGINT NOT NULL
);
CREATE TABLE ps_requests (
    request_row      INTEGER PRIMARY KEY,
    trace_id         TEXT NOT NULL,
    first_span_row   INTEGER NOT NULL,
    span_count       INTEGER NOT NULL,
    generation_count INTEGER NOT NULL,
    start_ns         BIGINT NOT NULL,
    duration_ns      BIGINT NOT NULL,
    feature          TEXT,
    prompt_name      TEXT,
    prompt_version   TEXT,
    model            TEXT,
    provider         TEXT,
    environment      TEXT,
    user_id          TEXT,
    session_id       TEXT,
    tenant           TEXT,
    finish_reason    TEXT,
    input_tokens     BIGINT NOT NULL,
    output_tokens    BIGINT NOT NULL,
    cached_tokens    BIGINT NOT NULL,
    cost_usd         DOUBLE PRECISION NOT NULL,
    tool_calls       INTEGER NOT NULL,
    is_error         INTEGER NOT NULL,
    is_refusal       INTEGER NOT NULL,
    is_truncated     INTEGER NOT NULL,
    error_class      TEXT,
    eval_pass        INTEGER NOT NULL,
    eval_fail        INTEGER NOT NULL,
    flags            INTEGER NOT NULL
);
CREATE TABLE ps_spans (
    span_row         INTEGER PRIMARY KEY,
    request_row      INTEGER NOT NULL,
    parent_row       INTEGER,
    start_ns         BIGINT NOT NULL,
    duration_ns      BIGINT NOT NULL,
    name             TEXT,
    service          TEXT,
    kind             TEXT NOT NULL,
    status           TEXT NOT NULL,
    model            TEXT,
    provider         TEXT,
    prompt_name      TEXT,
    prompt_version   TEXT,
    finish_reason    TEXT,
    input_tokens     BIGINT,
    output_tokens    BIGINT,
    cached_tokens    BIGINT,
    reasoning_tokens BIGINT,
    cost_usd         DOUBLE PRECISION,
    cost_source      TEXT,
    ttft_us          BIGINT,
    error_type       TEXT,
    error_message    TEXT,
    error_class      TEXT,
    source_id        INTEGER,
    source_offset    BIGINT
);
CREATE TABLE ps_envelopes (
    envelope_id   INTEGER PRIMARY KEY,
    resource_json TEXT,
    scope_json    TEXT
);
CREATE TABLE ps_span_records (
    span_row    INTEGER PRIMARY KEY,
    format      TEXT NOT NULL,
    envelope_id INTEGER,
    record      TEXT NOT NULL
);
CREATE TABLE ps_evals (
    eval_row    INTEGER PRIMARY KEY,
    request_row INTEGER NOT NULL,
    span_row    INTEGER,
    name        TEXT,
    score       DOUBLE PRECISION,
    label       TEXT,
    outcome     TEXT,
    source      TEXT,
    explanation TEXT
);
CREATE TABLE ps_signals (
    signal_row  INTEGER PRIMARY KEY,
    request_row INTEGER,
    session_id  TEXT,
    type        TEXT NOT NULL,
    time_ns     BIGINT NOT NULL,
    value       DOUBLE PRECISION
);
CREATE TABLE ps_prompt_versions (
    prompt_version_row INTEGER PRIMARY KEY,
    prompt             TEXT,
    version            TEXT,
    model              TEXT,
    temperature        DOUBLE PRECISION,
    deployed_by        TEXT,
    deployed_at_ns     BIGINT NOT NULL,
    change_note        TEXT,
    eval_suite         TEXT
);
CREATE TABLE ps_deployments (
    deployment_row  INTEGER PRIMARY KEY,
    prompt          TEXT,
    version         TEXT,
    environment     TEXT,
    traffic_percent DOUBLE PRECISION,
    at_ns           BIGINT NOT NULL,
    deployed_by     TEXT,
    note            TEXT
);
CREATE TABLE ps_tenants (
    tenant_row INTEGER PRIMARY KEY,
    tenant     TEXT NOT NULL,
    tier       TEXT
);
CREATE TABLE ps_parse_issues (
    issue_row INTEGER PRIMARY KEY,
    file      TEXT NOT NULL,
    line      BIGINT NOT NULL,
    message   TEXT NOT NULL
);
)sql";

constexpr std::string_view kIndexDdl = R"sql(
CREATE INDEX ps_requests_by_trace ON ps_requests (trace_id);
CREATE INDEX ps_requests_by_start ON ps_requests (start_ns);
CREATE INDEX ps_evals_by_request ON ps_evals (request_row);
CREATE INDEX ps_signals_by_request ON ps_signals (request_row);
)sql";

constexpr std::array<std::string_view, 12> kTables = {
    "ps_schema",       "ps_sources", "ps_requests", "ps_spans",           "ps_envelopes",   "ps_span_records",
    "ps_evals",        "ps_signals", "ps_prompt_versions", "ps_deployments", "ps_tenants", "ps_parse_issues"};

}  // namespace

std::string_view ownSchemaDdl() { return kDdl; }

std::string_view ownSchemaIndexDdl() { return kIndexDdl; }

std::span<const std::string_view> ownTables() { return kTables; }

}  // namespace ps::db
