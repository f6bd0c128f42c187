#include "logschema.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace ps::live {
namespace {

bool has(const std::vector<std::string>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

constexpr std::array kFields = {
    CustomField{"trace_id", "the request (trace) a row belongs to", true},
    CustomField{"span_id", "the row's own id (a request of one row may leave it out)", false},
    CustomField{"parent_span_id", "the span it is a child of; empty or NULL for the root", false},
    CustomField{"start_time", "when it started: ISO 8601 text or epoch seconds, ms, µs or ns", true},
    CustomField{"end_time", "when it ended (or give duration_ms)", false},
    CustomField{"duration_ms", "how long it took, in milliseconds", false},
    CustomField{"name", "span name", false},
    CustomField{"kind", "llm, tool, retrieval, agent, chain, embedding, other", false},
    CustomField{"status", "ok or error (also success / failure)", false},
    CustomField{"model", "model name", false},
    CustomField{"provider", "openai, anthropic, ...", false},
    CustomField{"prompt_name", "prompt name", false},
    CustomField{"prompt_version", "prompt version", false},
    CustomField{"feature", "product feature", false},
    CustomField{"user_id", "end user", false},
    CustomField{"session_id", "conversation or session", false},
    CustomField{"tenant", "customer or team", false},
    CustomField{"environment", "production, staging, canary, ...", false},
    CustomField{"input_tokens", "prompt tokens", false},
    CustomField{"output_tokens", "completion tokens", false},
    CustomField{"cost_usd", "cost in US dollars", false},
    CustomField{"finish_reason", "stop, length, content_filter, ...", false},
    CustomField{"error_type", "error class or exception name", false},
    CustomField{"input", "the messages sent (read when a span is opened)", false},
    CustomField{"output", "the answer (read when a span is opened)", false},
};

// A statement as a subquery: trailing semicolons and blanks would end the outer statement early.
std::string_view trimmedStatement(std::string_view sql) {
    while (!sql.empty() && (sql.back() == ';' || std::isspace(static_cast<unsigned char>(sql.back())))) {
        sql.remove_suffix(1);
    }
    return sql;
}

}  // namespace

std::string_view logSchemaName(LogSchema schema) {
    switch (schema) {
    case LogSchema::PromptScope:
        return "PromptScope";
    case LogSchema::LiteLlmSpendLogs:
        return "LiteLLM SpendLogs";
    case LogSchema::LangfuseV2:
        return "Langfuse v2";
    case LogSchema::Custom:
        return "custom SELECT";
    case LogSchema::Unknown:
        break;
    }
    return "unknown";
}

bool detectLogSchema(db::Connection& connection, LogSchema* schema, std::vector<std::string>* tables,
                     std::string* error) {
    std::string why;
    std::vector<std::string> names = connection.tables(&why);
    if (!why.empty()) {
        *error = why;
        return false;
    }
    if (has(names, kOwnSpansTable)) {
        *schema = LogSchema::PromptScope;
    } else if (has(names, kLiteLlmSpendLogsTable)) {
        *schema = LogSchema::LiteLlmSpendLogs;
    } else if (has(names, "observations") && has(names, "traces")) {
        *schema = LogSchema::LangfuseV2;
    } else {
        *schema = LogSchema::Unknown;
    }
    if (tables) {
        *tables = std::move(names);
    }
    return true;
}

std::span<const CustomField> customQueryFields() {
    return kFields;
}

CustomQueryCheck checkCustomQuery(db::Connection& connection, std::string_view sql) {
    CustomQueryCheck check;
    const std::string_view statement = trimmedStatement(sql);
    if (statement.empty()) {
        check.error = "the query is empty";
        return check;
    }
    std::vector<std::string> columns;
    const std::string wrapped = "SELECT * FROM (" + std::string(statement) + ") AS custom_query LIMIT 1";
    bool sawRow = false;
    const bool ran = connection.query(
        wrapped, {},
        [&](const db::Row& row) {
            sawRow = true;
            for (int c = 0; c < row.size(); ++c) {
                columns.emplace_back(row.columnName(c));
            }
            return false;
        },
        &check.error);
    if (!ran) {
        return check;
    }
    check.error.clear();
    if (!sawRow) {
        check.empty = true;
        check.ok = true;
        return check;
    }
    for (const CustomField& f : kFields) {
        if (f.required && !has(columns, f.name)) {
            check.missing.emplace_back(f.name);
        }
    }
    for (const std::string& c : columns) {
        if (std::none_of(kFields.begin(), kFields.end(), [&](const CustomField& f) { return f.name == c; })) {
            check.unknown.push_back(c);
        }
    }
    // A row needs an end: end_time or duration_ms.
    if (!has(columns, "end_time") && !has(columns, "duration_ms")) {
        check.missing.emplace_back("end_time or duration_ms");
    }
    check.ok = check.missing.empty();
    return check;
}

}  // namespace ps::live
