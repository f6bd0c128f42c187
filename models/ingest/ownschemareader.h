// PromptScope's own tables (ps_spans and the tables beside it, written by `promptscope import` and by saving a
// workspace) as readDatabase() sees them: these forward to the own-table reader (promptscopetables.h).
#pragma once

#include "databasereader.h"

namespace ps {

ReadOutcome readOwnSchema(db::Connection& connection, const DatabaseSchema& schema,
                          const DatabaseReadRequest& request, DatasetBuilder& builder);

// Rows the read will go through, for progress; 0 when unknown.
uint64_t countOwnSchemaRows(db::Connection& connection, const DatabaseSchema& schema);

// A span's details from its ps_spans row: the trace id and the 48 key bits its ColdRef keeps.
SpanDetails readOwnSchemaSpan(db::Connection& connection, const DatabaseSchema& schema,
                              const std::string& traceId, uint64_t keyBits);

}  // namespace ps
