// PromptScope's own tables (ownschema.h, written by `promptscope import` and File > Save Workspace As) as a
// RequestMapping, so that a large imported database is aggregated in place like LiteLLM's table.
//
// A request is a row of ps_requests (alias r), which already holds what the in-memory Dataset derives from the
// trace: the root span's start and duration, the error flag and class, the refusal flag, token and cost sums
// over the model calls, the eval counts and the flags with the user signals. Its tenant's tier comes from
// ps_tenants, its name (for the text filter) from the root span, and the error types and messages the text
// filter searches from every failed span of the request. At the generation grain the calls are the rows of
// ps_spans (alias g) of kind 'llm' inside the request's span range, each with its own evals from ps_evals.
#pragma once

#include <string>

#include "dbconnection.h"
#include "requestmapping.h"

namespace ps::db {

RequestMapping ownSchemaRequestMapping(Dialect dialect);

// False with *error when ps_schema says the tables were written with a schema version this program does not
// read (a newer PromptScope).
bool ownSchemaIsReadable(Connection& connection, std::string* error);

}  // namespace ps::db
