// A user's custom SELECT, whose columns are named after PromptScope's fields (the README's table; the row loader
// reads them in models/ingest/fieldrow.cpp), as a RequestMapping over "(SELECT ...) AS q", so that a large log
// table is aggregated in place like LiteLLM's.
//
// The SQL follows the row loader's reading of a row, so both modes give the same figures: the request id is
// trace_id else span_id; the start and end are ISO text, timestamps or epoch numbers (unit by magnitude, from a
// sample row); status texts and an HTTP status >= 400 decide failures, classified as the loader does (429 or a
// rate limit, timeouts, tool calls, 5xx, validation); a row is an LLM call when its kind says so or, without a
// kind, when it names a model, and only LLM calls carry tokens, cost and a finish reason; dimensions come from
// their column, else from `metadata` keys, else from `key:value` entries of `tags`, and `team` names the tenant
// when nothing else does.
//
// Differences from loading the rows, documented in the README: only a SELECT of one row per request maps (no
// parent_span_id, not both trace_id and span_id); a row without cost_usd has an unknown cost (the price table is
// not applied in SQL); a request's tenant tier is its own row's; on PostgreSQL, `metadata` and `tags` are read
// when they are json, jsonb (or a text array for tags), not plain text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "dbconnection.h"
#include "requestmapping.h"

namespace ps::db {

// Looks at the SELECT's columns and a sample row (a few LIMIT 1 queries); nullopt with *error when it cannot be
// aggregated in place (then it is loaded row by row).
std::optional<RequestMapping> customSelectRequestMapping(Connection& connection, std::string_view select,
                                                         std::string* error);

}  // namespace ps::db
