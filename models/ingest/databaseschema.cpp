#include "databaseschema.h"

#include <algorithm>
#include <cctype>

#include "fieldrow.h"

namespace ps {

bool DatabaseTable::has(std::string_view column) const {
    return std::find(columns.begin(), columns.end(), column) != columns.end();
}

const DatabaseTable* DatabaseSchema::table(std::string_view name) const {
    for (const auto& t : tables) {
        if (t.name == name) {
            return &t;
        }
    }
    return nullptr;
}

std::string_view schemaKindName(DatabaseSchemaKind kind) {
    switch (kind) {
        case DatabaseSchemaKind::PromptScope:
            return "PromptScope";
        case DatabaseSchemaKind::LiteLlmSpendLogs:
            return "LiteLLM SpendLogs";
        case DatabaseSchemaKind::LangfuseV2:
            return "Langfuse v2";
        case DatabaseSchemaKind::CustomSelect:
            return "custom SELECT";
        case DatabaseSchemaKind::Unknown:
            break;
    }
    return "unknown";
}

std::string trimmedSelect(std::string_view sql) {
    while (!sql.empty() && (sql.back() == ';' || std::isspace(static_cast<unsigned char>(sql.back())))) {
        sql.remove_suffix(1);
    }
    while (!sql.empty() && std::isspace(static_cast<unsigned char>(sql.front()))) {
        sql.remove_prefix(1);
    }
    return std::string(sql);
}

namespace {

bool contains(const std::vector<std::string>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// Loads a table's columns into the schema; false (with schema.error) when it cannot be described.
bool addTable(db::Connection& c, const std::string& name, DatabaseSchema& schema) {
    std::string error;
    DatabaseTable t{name, c.columns(name, &error)};
    if (t.columns.empty()) {
        schema.error = "cannot read the columns of " + name + ": " + error;
        return false;
    }
    schema.tables.push_back(std::move(t));
    return true;
}

bool hasField(const std::vector<std::string>& columns, Field field) {
    return std::any_of(columns.begin(), columns.end(), [&](const std::string& c) { return isField(c, field); });
}

}  // namespace

DatabaseSchema detectSchema(db::Connection& connection, const std::string& customSelect) {
    DatabaseSchema schema;
    if (!customSelect.empty()) {
        schema.kind = DatabaseSchemaKind::CustomSelect;
        schema.customSelect = trimmedSelect(customSelect);
        std::string error;
        DatabaseTable result{"custom SELECT", {}};
        // Wrapped so a LIMIT inside the user's SELECT still works; one row tells the column names.
        if (schema.customSelect.empty() ||  // nothing but semicolons and blanks
            !connection.query(
                "SELECT * FROM (" + schema.customSelect + ") AS promptscope_custom LIMIT 1", {},
                [&](const db::Row& row) {
                    for (int c = 0; c < row.size(); ++c) {
                        result.columns.emplace_back(row.columnName(c));
                    }
                    return false;
                },
                &error)) {
            schema.kind = DatabaseSchemaKind::Unknown;
            schema.unreadable = true;
            schema.queryError = schema.customSelect.empty() ? std::string("the query is empty") : error;
            schema.error = "the custom SELECT fails: " + schema.queryError;
            return schema;
        }
        schema.tables.push_back(std::move(result));
        return schema;
    }
    std::string error;
    const std::vector<std::string> names = connection.tables(&error);
    if (!error.empty() && names.empty()) {
        schema.unreadable = true;
        schema.error = "cannot list the tables of " + connection.displayName() + ": " + error;
        return schema;
    }
    schema.tablesFound = names;
    if (contains(names, "ps_spans")) {
        schema.kind = DatabaseSchemaKind::PromptScope;
        addTable(connection, "ps_spans", schema);
        return schema;
    }
    // LiteLLM's Prisma schema names the table in camel case; PostgreSQL keeps it quoted, SQLite as written.
    for (const char* name : {"LiteLLM_SpendLogs", "litellm_spendlogs"}) {
        if (contains(names, name)) {
            schema.kind = addTable(connection, name, schema) ? DatabaseSchemaKind::LiteLlmSpendLogs
                                                             : DatabaseSchemaKind::Unknown;
            return schema;
        }
    }
    if (contains(names, "traces") && contains(names, "observations")) {
        schema.kind = DatabaseSchemaKind::LangfuseV2;
        for (const char* name : {"traces", "observations", "scores", "prompts"}) {
            if (contains(names, name) && !addTable(connection, name, schema)) {
                schema.kind = DatabaseSchemaKind::Unknown;
                return schema;
            }
        }
        const DatabaseTable* observations = schema.table("observations");
        if (!observations->has("trace_id") || !observations->has("start_time")) {
            schema.kind = DatabaseSchemaKind::Unknown;
            schema.error =
                "the observations table has no trace_id or start_time column: it is not Langfuse's";
        }
        return schema;
    }
    std::string found;
    for (size_t i = 0; i < names.size() && i < 20; ++i) {
        found += (i ? ", " : "") + names[i];
    }
    if (names.size() > 20) {
        found += " and " + std::to_string(names.size() - 20) + " more";
    }
    schema.error =
        "no table PromptScope knows in " + connection.displayName() +
        " (it reads ps_spans, \"LiteLLM_SpendLogs\" and Langfuse's traces/observations/scores); found " +
        (names.empty() ? std::string("no tables") : "tables " + found) +
        ". Write a SELECT whose columns are named after PromptScope's fields (trace_id, start_time, "
        "end_time, model, ...) and load it as a custom query";
    return schema;
}

CustomSelectCheck checkCustomSelect(db::Connection& connection, std::string_view sql) {
    CustomSelectCheck check;
    const std::string select = trimmedSelect(sql);
    if (select.empty()) {
        check.error = "the query is empty";
        return check;
    }
    const DatabaseSchema schema = detectSchema(connection, select);
    if (schema.kind != DatabaseSchemaKind::CustomSelect) {
        check.error = schema.queryError;
        return check;
    }
    if (!schema.columnsKnown()) {
        check.empty = true;
        check.ok = true;
        return check;
    }
    const std::vector<std::string>& columns = schema.tables.front().columns;
    // What FieldRowMapper::read cannot do without: a start, and an id to group rows into requests.
    if (!hasField(columns, Field::StartTime)) {
        check.missing.emplace_back(fieldName(Field::StartTime));
    }
    if (!hasField(columns, Field::TraceId) && !hasField(columns, Field::SpanId)) {
        check.missing.emplace_back("trace_id or span_id");
    }
    check.noDuration = !hasField(columns, Field::EndTime) && !hasField(columns, Field::DurationMs);
    for (const std::string& c : columns) {
        if (!isFieldName(c)) {
            check.unknown.push_back(c);
        }
    }
    check.ok = check.missing.empty();
    return check;
}

}  // namespace ps
