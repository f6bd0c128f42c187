// Which log tables a database holds, so the right reader runs: PromptScope's own schema (marked by
// `ps_spans`, read by its own reader), LiteLLM's "LiteLLM_SpendLogs", Langfuse v2's traces / observations /
// scores, or a SELECT the user wrote with columns named after PromptScope's fields (see fieldrow.h). Columns
// are listed as found, since tables from older versions of those products lack some and readers must adapt.
// The one place that tells schemas apart: the load path, live refresh and the Connect dialog's test all ask it.
#pragma once

#include <string>
#include <string_view>
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
                               // custom SELECT: one "table" of its result columns (none when it returned no row)
    std::string customSelect;  // CustomSelect only, without trailing semicolons
    std::string error;         // Unknown: what was found and what to do
    std::vector<std::string> tablesFound;  // every table the session sees (not for a custom SELECT)
    bool unreadable = false;   // the tables could not be listed (or the custom SELECT failed): error says why
    std::string queryError;    // the database's own words when the custom SELECT failed

    [[nodiscard]] const DatabaseTable* table(std::string_view name) const;
    // A custom SELECT whose first row was seen: its result columns are known.
    [[nodiscard]] bool columnsKnown() const { return !tables.empty() && !tables.front().columns.empty(); }
};

// Looks at the tables the session can read. A non-empty customSelect wins over detection (the user said what
// to read); it is checked by running it for one row.
DatabaseSchema detectSchema(db::Connection& connection, const std::string& customSelect = {});

std::string_view schemaKindName(DatabaseSchemaKind kind);  // "LiteLLM SpendLogs", "Langfuse v2", ...

// A custom SELECT without what would end an outer statement early (trailing semicolons and blanks), so it can
// be wrapped as a subquery.
std::string trimmedSelect(std::string_view sql);

// What a custom SELECT returns, checked on its first row against the fields the readers read (fieldrow.h).
struct CustomSelectCheck {
    bool ok = false;
    bool empty = false;                // ran, but returned no row: its columns could not be checked
    std::vector<std::string> missing;  // what the readers need and it does not return
    std::vector<std::string> unknown;  // columns that are not fields (ignored when loading)
    bool noDuration = false;           // neither end_time nor duration_ms: every span lasts 0 ms
    std::string error;                 // the database's message when the query fails
};

CustomSelectCheck checkCustomSelect(db::Connection& connection, std::string_view sql);

}  // namespace ps
