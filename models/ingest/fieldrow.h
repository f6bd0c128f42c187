// One row whose columns are named after PromptScope's fields, turned into a RawSpan. Every database reader
// goes through it: LiteLLM's and Langfuse's readers write SELECTs that rename their columns to these names,
// and a user's custom SELECT does the same (the README lists the names). Columns are matched by name,
// case-blind; any may be missing. `metadata` (a JSON object) and `tags` (a JSON or PostgreSQL array of
// "key:value" texts) fill dimensions the row's own columns leave empty.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "dbconnection.h"
#include "rawrecords.h"

namespace ps {

enum class Field : uint8_t {
    TraceId,
    SpanId,
    ParentSpanId,
    StartTime,
    EndTime,
    DurationMs,
    Name,
    Service,
    Kind,
    Status,
    StatusMessage,
    ErrorType,
    HttpStatus,
    Model,
    Provider,
    PromptName,
    PromptVersion,
    Feature,
    UserId,
    SessionId,
    Tenant,
    TenantTier,
    Environment,
    InputTokens,
    OutputTokens,
    CachedTokens,
    CostUsd,
    FinishReason,
    CompletionStartTime,
    TtftMs,
    Metadata,
    Tags,
    Input,
    Output,
    Team,  // the tenant when neither a tenant column nor metadata names one (LiteLLM's team_id)
    Count
};
inline constexpr size_t kFieldCount = static_cast<size_t>(Field::Count);

std::string_view fieldName(Field field);     // "trace_id", "span_id", ...
std::string_view fieldMeaning(Field field);  // what the field holds, for the help of a custom SELECT
bool isFieldName(std::string_view column);   // case-blind, as rows are bound
bool isField(std::string_view column, Field field);

// The 48 bits of a row key that locate the row again (ColdRef offset): the database reader finds the row by
// its request's trace id and picks the one whose key has these bits.
uint64_t rowKeyBits(std::string_view key);

SpanKind spanKindFromText(std::string_view text);

// A time column's value in nanoseconds since 1970: ISO 8601 text or an epoch number (unit by magnitude). False
// for NULL and for what is no time.
bool readRowTime(const db::Row& row, int column, int64_t* ns);

class FieldRowMapper {
public:
    // Binds the columns of a result by their names. Unknown columns are ignored (they show in the details).
    void bind(const db::Row& row);
    [[nodiscard]] bool has(Field field) const { return column_[static_cast<size_t>(field)] >= 0; }
    [[nodiscard]] bool bound() const { return bound_; }

    // Fills *span (trace id, ids, times, dimensions; cold = source + rowKeyBits of the span's key). False
    // with *problem when the row cannot be used; true with *warning when part of it was dropped (bad metadata
    // JSON, end before start). *key is the span's key (span_id, else trace_id) for messages.
    bool read(const db::Row& row, SourceIndex source, StringPool& strings, RawSpan* span, std::string* key,
              std::string* problem, std::string* warning);

private:
    [[nodiscard]] std::string_view text(const db::Row& row, Field field) const;

    std::array<int, kFieldCount> column_{};
    bool bound_ = false;
    std::string traceBuffer_;
};

}  // namespace ps
