// Everything a span's source record says, read on demand when one span is opened (the Dataset keeps only hot
// columns): attributes as typed text grouped by vocabulary, events (exceptions with their stack traces),
// links, and the messages sent to and received from the model as a conversation. Plain values, no Qt.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ps {

enum class AttributeGroup : uint8_t { GenAi, OpenInference, Resource, Other };
inline constexpr int kAttributeGroupCount = 4;
std::string_view attributeGroupName(AttributeGroup group);  // "GenAI", "OpenInference", "Resource", "Other"
// gen_ai.* -> GenAi; llm.*, input.*, output.*, openinference.*, retrieval.*, embedding.*, reranker.*, tool.*,
// metadata and tag.tags -> OpenInference; the rest -> Other (resource attributes are grouped by where they
// are).
AttributeGroup attributeGroupOf(std::string_view key);

struct DetailAttribute {
    std::string key;
    std::string value;  // strings as written, numbers and booleans as text, arrays and maps as compact JSON
    std::string type;   // "string", "int", "double", "bool", "array", "map", "bytes" or "empty"
    AttributeGroup group = AttributeGroup::Other;
};

struct DetailEvent {
    std::string name;
    int64_t timeNs = 0;  // 0 when the record gives none
    std::vector<DetailAttribute> attributes;
    // Set for events named "exception" (OpenTelemetry's exception.* attributes).
    std::string exceptionType;
    std::string exceptionMessage;
    std::string stacktrace;
    [[nodiscard]] bool isException() const { return name == "exception"; }
};

struct DetailLink {
    std::string traceId;
    std::string spanId;
    std::string traceState;
    std::vector<DetailAttribute> attributes;
};

enum class MessageRole : uint8_t { System, User, Assistant, Tool, Other };
MessageRole messageRoleOf(
    std::string_view role);  // "developer" counts as System, "function" and "ipython" as Tool

struct ToolCall {
    std::string id;
    std::string name;
    std::string arguments;  // pretty-printed JSON when the arguments are JSON, else as written
};

struct ChatMessage {
    MessageRole role = MessageRole::Other;
    std::string roleText;  // as written, or "input" / "output" for raw input.value / output.value
    bool output = false;   // part of the model's response rather than its prompt
    std::string content;   // text parts joined by blank lines; JSON content pretty-printed
    std::vector<ToolCall> toolCalls;
    std::string toolCallId;  // a tool result answers this call
    std::string finishReason;
};

struct SpanDetails {
    std::string error;   // why the record could not be read; when set, nothing else is
    std::string notice;  // something that could not be read while the rest was (e.g. the resource)
    std::string sourcePath;
    uint64_t offset = 0;       // of the record in its source
    uint64_t recordBytes = 0;  // size of the span's record
    std::string sourceRow;     // spans from a database: the table and key of their row, instead of an offset
    std::string traceId;
    std::string spanId;
    std::string parentSpanId;
    std::string traceState;
    std::string name;
    std::string
        kind;  // OpenTelemetry span kind in lower case ("server", "client", ...); empty when not given
    std::string statusCode;  // "unset", "ok", "error"
    std::string statusMessage;
    int64_t startNs = 0;
    int64_t endNs = 0;
    std::string scopeName;
    std::string scopeVersion;
    std::vector<DetailAttribute> attributes;  // the span's, in record order, then its resource's and scope's
    std::vector<DetailEvent> events;
    std::vector<DetailLink> links;
    std::vector<ChatMessage> messages;  // input messages, then output messages
    std::string messagesFrom;           // the convention they were read from, e.g. "gen_ai.input.messages"

    [[nodiscard]] bool ok() const { return error.empty(); }
    [[nodiscard]] const DetailAttribute* attribute(std::string_view key) const;
};

// A span's messages as plain text, one block per message ("[user]" then its content, tool calls with their
// arguments), for comparing the input and output of two spans line by line.
std::string messagesAsText(const SpanDetails& details);

}  // namespace ps
