// Which tables a log database holds, told apart by their names and columns, and the field names a custom SELECT
// uses to map its columns onto PromptScope's spans (the connect dialog lists them; readers of custom queries
// read them by these names).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dbconnection.h"

namespace ps::live {

enum class LogSchema : uint8_t { Unknown, PromptScope, LiteLlmSpendLogs, LangfuseV2, Custom };

std::string_view logSchemaName(LogSchema schema);

// The tables that identify each schema.
inline constexpr std::string_view kLiteLlmSpendLogsTable = "LiteLLM_SpendLogs";
inline constexpr std::string_view kOwnSpansTable = "ps_spans";

// The schema whose tables the session can see: PromptScope's own (ps_spans), LiteLLM's "LiteLLM_SpendLogs",
// Langfuse v2 (traces and observations), else Unknown. *tables receives the tables seen, for the message that says
// none was recognised. False with *error when the tables cannot be listed.
bool detectLogSchema(db::Connection& connection, LogSchema* schema, std::vector<std::string>* tables,
                     std::string* error);

struct CustomField {
    std::string_view name;
    std::string_view meaning;
    bool required = false;
};

// The columns a custom SELECT may return, by name, in the order the help lists them.
std::span<const CustomField> customQueryFields();

// What a custom SELECT returns, checked against customQueryFields on its first row.
struct CustomQueryCheck {
    bool ok = false;
    bool empty = false;                   // ran, but returned no row: its columns could not be checked
    std::vector<std::string> missing;     // required fields it does not return
    std::vector<std::string> unknown;     // columns that are not fields (ignored when reading)
    std::string error;                    // the database's message when the query fails
};

CustomQueryCheck checkCustomQuery(db::Connection& connection, std::string_view sql);

}  // namespace ps::live
