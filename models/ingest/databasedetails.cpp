// readDatabaseSpan (databasereader.h): a span's row read back by its request's trace id and key bits.
#include <algorithm>

#include "conversation.h"
#include "databasereader.h"
#include "fieldrow.h"
#include "jsontext.h"
#include "ownschemareader.h"
#include "timeparse.h"

namespace ps {
namespace {

// Columns that hold the conversation stay whole, for fillConversation; other JSON objects are spread into one
// attribute per key so metadata reads like span attributes.
bool isConversationColumn(std::string_view name) {
    return name == "messages" || name == "response" || name == "input" || name == "output";
}

void addAttribute(SpanDetails& d, std::string key, std::string value, std::string type) {
    const AttributeGroup group = attributeGroupOf(key);
    d.attributes.push_back({std::move(key), std::move(value), std::move(type), group});
}

void addColumn(SpanDetails& d, std::string_view name, const db::Row& row, int c) {
    if (row.isNull(c)) {
        addAttribute(d, std::string(name), {}, "empty");
        return;
    }
    const std::string_view text = row.text(c);
    if (!isConversationColumn(name) && !text.empty() && text.front() == '{') {
        thread_local simdjson::dom::parser parser;
        simdjson::dom::object object;
        if (parser.parse(text.data(), text.size()).get(object) == simdjson::SUCCESS) {
            for (auto field : object) {
                const std::string key = std::string(name) + "." + std::string(field.key);
                if (field.value.type() == simdjson::dom::element_type::STRING) {
                    addAttribute(d, key, std::string(std::string_view(field.value.get_string().value())),
                                 "string");
                } else if (field.value.type() == simdjson::dom::element_type::NULL_VALUE) {
                    addAttribute(d, key, {}, "empty");
                } else {
                    const bool nested = field.value.type() == simdjson::dom::element_type::OBJECT ||
                                        field.value.type() == simdjson::dom::element_type::ARRAY;
                    addAttribute(d, key, jsonText(field.value, false), nested ? "map" : "string");
                }
            }
            return;
        }
    }
    addAttribute(d, std::string(name), std::string(text), "string");
}

// Fills the details from the row: every column an attribute, the header fields from the usual column names.
void fillFromRow(const db::Row& row, std::string_view keyColumn, SpanDetails& d) {
    for (int c = 0; c < row.size(); ++c) {
        const std::string_view name = row.columnName(c);
        addColumn(d, name, row, c);
        if (row.isNull(c)) {
            continue;
        }
        const std::string_view v = row.text(c);
        if (name == keyColumn) {
            d.spanId = std::string(v);
        } else if (name == "trace_id") {
            d.traceId = std::string(v);
        } else if (name == "parent_observation_id" || name == "parent_span_id") {
            d.parentSpanId = std::string(v);
        } else if (name == "name" || name == "call_type") {
            d.name = d.name.empty() || name == "name" ? std::string(v) : d.name;
        } else if (name == "status_message") {
            d.statusMessage = std::string(v);
        } else if (name == "startTime" || name == "start_time" || name == "timestamp") {
            parseTimestamp(v, &d.startNs);
        } else if (name == "endTime" || name == "end_time") {
            parseTimestamp(v, &d.endNs);
        } else if (name == "status" || name == "level") {
            d.statusCode = v == "failure" || v == "ERROR" || v == "error" ? "error"
                           : v == "success"                               ? "ok"
                                                                          : "unset";
        }
    }
    if (d.traceId.empty()) {
        d.traceId = d.spanId;
    }
}

// Runs `sql` with the trace id and keeps the first row whose key column has the span's key bits.
bool findRow(db::Connection& c, const std::string& table, const std::string& sql, const std::string& traceId,
             const std::string& keyColumn, uint64_t keyBits, SpanDetails& d, std::string* error) {
    bool found = false;
    const bool ok = c.query(
        sql, {traceId},
        [&](const db::Row& row) {
            for (int i = 0; i < row.size(); ++i) {
                if (row.columnName(i) == keyColumn && !row.isNull(i) && rowKeyBits(row.text(i)) == keyBits) {
                    fillFromRow(row, keyColumn, d);
                    d.sourceRow = "table " + table + ", " + keyColumn + " " + std::string(row.text(i));
                    found = true;
                    return false;
                }
            }
            return true;
        },
        error);
    return ok && found;
}

}  // namespace

SpanDetails readDatabaseSpan(db::Connection& connection, const DatabaseSchema& schema,
                             const std::string& traceId, uint64_t keyBits) {
    SpanDetails d;
    d.sourcePath = connection.displayName();
    d.offset = keyBits;
    std::string error;
    bool found = false;
    switch (schema.kind) {
        case DatabaseSchemaKind::LiteLlmSpendLogs: {
            const std::string table = db::quoteIdentifier(schema.tables.front().name);
            found = findRow(connection, table, "SELECT * FROM " + table + " WHERE request_id = $1", traceId,
                            "request_id", keyBits, d, &error);
            break;
        }
        case DatabaseSchemaKind::LangfuseV2:
            if (findRow(connection, "observations", "SELECT * FROM observations WHERE trace_id = $1", traceId,
                        "id", keyBits, d, &error)) {
                found = true;
                if (d.parentSpanId.empty()) {
                    d.parentSpanId = traceId;  // top-level observations hang under their trace's span
                }
            } else if (error.empty()) {
                found = findRow(connection, "traces", "SELECT * FROM traces WHERE id = $1", traceId, "id",
                                keyBits, d, &error);
            }
            break;
        case DatabaseSchemaKind::CustomSelect: {
            const auto& names = schema.tables.front().columns;
            const bool hasTrace = std::find(names.begin(), names.end(), "trace_id") != names.end();
            const bool hasSpan = std::find(names.begin(), names.end(), "span_id") != names.end();
            const std::string keyColumn = hasSpan ? "span_id" : "trace_id";
            found = findRow(connection, "(custom SELECT)",
                            "SELECT * FROM (" + schema.customSelect + ") AS promptscope_custom WHERE " +
                                (hasTrace ? "trace_id" : "span_id") + " = $1",
                            traceId, keyColumn, keyBits, d, &error);
            break;
        }
        case DatabaseSchemaKind::PromptScope:
            return readOwnSchemaSpan(connection, schema, traceId, keyBits);
        case DatabaseSchemaKind::Unknown:
            error = "this database's spans have no details to show";
            break;
    }
    if (!found) {
        d = SpanDetails{};
        d.error = !error.empty()
                      ? "cannot read the span's row from " + connection.displayName() + ": " + error
                      : "the span's row is no longer in " + connection.displayName() +
                            "; reload to see the current data";
        return d;
    }
    fillConversation(d);
    return d;
}

}  // namespace ps
