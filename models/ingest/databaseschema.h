// Which log tables a database holds, so the right reader runs: PromptScope's own schema (marked by
// `ps_spans`, read by its own reader), LiteLLM's "LiteLLM_SpendLogs", Langfuse v2's traces / observations /
// scores, or a SELECT the user wrote with columns named after PromptScope's fields (see fieldrow.h). Columns
// are listed as found, since tables from older versions of those products lack some and readers must adapt.
#pragma once

#include <string>
#include <vector>

#include "dbconnection.h"

namespace ps {

enum class DatabaseSchemaKind : uint8_t {
    Unknown,
    PromptScope,  // tables written by `promptscope import`; detected here, read by the own-schema reader
    LiteLlmSpendLogs,
    LangfuseV2,
    CustomSelect,
};

struct DatabaseTable {
    std::string name;                  // as the database spells it (quote it with db::quoteIdentifier)
    std::vector<std::string> columns;  // in table order

    [[nodiscard]] bool has(std::string_view column) const;
};

struct DatabaseSchema {
    DatabaseSchemaKind kind = DatabaseSchemaKind::Unknown;
    std::vector<DatabaseTable>
        tables;                // LiteLLM: the spend logs; Langfuse: traces, observations, scores, prompts?
    std::string customSelect;  // CustomSelect only
    std::string error;         // Unknown: what was found and what to do

    [[nodiscard]] const DatabaseTable* table(std::string_view name) const;
};

// Looks at the tables the session can read. A non-empty customSelect wins over detection (the user said what
// to read); it is checked by running it for one row.
DatabaseSchema detectSchema(db::Connection& connection, const std::string& customSelect = {});

std::string_view schemaKindName(DatabaseSchemaKind kind);  // "LiteLLM spend logs", "Langfuse v2", ...

}  // namespace ps
