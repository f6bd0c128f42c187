#include "conversation.h"

#include <charconv>
#include <map>

#include "jsontext.h"

namespace ps {
namespace {

namespace dom = simdjson::dom;

struct Side {
    std::vector<ChatMessage> messages;
    std::string from;
    [[nodiscard]] bool empty() const { return messages.empty(); }
};

void appendContent(std::string& content, std::string_view text) {
    if (text.empty()) {
        return;
    }
    if (!content.empty()) {
        content += "\n\n";
    }
    content += text;
}

std::string_view stringOf(dom::element e) {
    std::string_view s;
    return e.get_string().get(s) == simdjson::SUCCESS ? s : std::string_view{};
}

bool member(dom::element e, std::string_view key, dom::element* out) {
    return e.type() == dom::element_type::OBJECT && e[key].get(*out) == simdjson::SUCCESS;
}

// Tool arguments are a JSON string (OpenAI) or a JSON value (GenAI parts): pretty-printed either way.
std::string argumentsText(dom::element e) {
    return e.type() == dom::element_type::STRING ? prettyIfJson(stringOf(e)) : jsonText(e, true);
}

// A value shown as message text: strings as they are, anything else as readable JSON.
std::string displayText(dom::element e) {
    if (e.type() == dom::element_type::STRING) {
        return std::string(stringOf(e));
    }
    return e.type() == dom::element_type::NULL_VALUE ? std::string() : jsonText(e, true);
}

ToolCall toolCallOf(dom::element e) {
    ToolCall call;
    dom::element v;
    dom::element function;
    const bool hasFunction = member(e, "function", &function);
    if (member(e, "id", &v)) {
        call.id = std::string(stringOf(v));
    }
    if (member(e, "name", &v) || (hasFunction && member(function, "name", &v))) {
        call.name = std::string(stringOf(v));
    }
    if (member(e, "arguments", &v) || (hasFunction && member(function, "arguments", &v))) {
        call.arguments = argumentsText(v);
    }
    return call;
}

void readPart(dom::element part, ChatMessage& m) {
    if (part.type() != dom::element_type::OBJECT) {
        appendContent(m.content, displayText(part));
        return;
    }
    dom::element v;
    const std::string_view type = member(part, "type", &v) ? stringOf(v) : std::string_view{};
    if (type == "tool_call" || type == "function_call") {
        m.toolCalls.push_back(toolCallOf(part));
    } else if (type == "tool_call_response" || type == "function_call_response") {
        if (member(part, "id", &v)) {
            m.toolCallId = std::string(stringOf(v));
        }
        if (member(part, "response", &v) || member(part, "result", &v)) {
            appendContent(m.content, displayText(v));
        }
    } else if (member(part, "content", &v) || member(part, "text", &v)) {
        const std::string text = displayText(v);
        appendContent(m.content, type == "reasoning" || type == "thinking" ? "(reasoning) " + text : text);
    } else {
        appendContent(m.content, jsonText(part, false));  // blobs, URIs, files: shown as recorded
    }
}

void readContent(dom::element c, ChatMessage& m) {
    dom::array parts;
    if (c.get_array().get(parts) == simdjson::SUCCESS) {
        for (dom::element part : parts) {
            readPart(part, m);
        }
        return;
    }
    appendContent(m.content, displayText(c));
}

ChatMessage messageOf(dom::element e, bool output) {
    ChatMessage m;
    m.output = output;
    if (e.type() != dom::element_type::OBJECT) {
        m.content = displayText(e);
        return m;
    }
    for (dom::key_value_pair field : objectOf(e)) {
        const std::string_view k = field.key;
        if (k == "role") {
            m.roleText = std::string(stringOf(field.value));
        } else if (k == "parts" || k == "content" || k == "contents") {
            readContent(field.value, m);
        } else if (k == "tool_calls") {
            dom::array calls;
            if (field.value.get_array().get(calls) == simdjson::SUCCESS) {
                for (dom::element call : calls) {
                    m.toolCalls.push_back(toolCallOf(call));
                }
            }
        } else if (k == "tool_call_id") {
            m.toolCallId = std::string(stringOf(field.value));
        } else if (k == "finish_reason") {
            m.finishReason = std::string(stringOf(field.value));
        } else if (k == "message" && field.value.type() == dom::element_type::OBJECT) {
            ChatMessage inner = messageOf(field.value, output);  // a choice: {index, finish_reason, message}
            m.roleText = inner.roleText;
            appendContent(m.content, inner.content);
            m.toolCalls = std::move(inner.toolCalls);
            if (m.toolCallId.empty()) {
                m.toolCallId = inner.toolCallId;
            }
        }
    }
    m.role = messageRoleOf(m.roleText);
    return m;
}

// Messages in a JSON text: an array of messages, a request body {messages: [...]}, a response body
// {choices: [{message}]}, or one message. parsed = false when the text is none of these.
std::vector<ChatMessage> messagesOfJson(std::string_view text, bool output, bool* parsed) {
    std::vector<ChatMessage> out;
    *parsed = false;
    dom::parser parser;
    dom::element root;
    if (parser.parse(text.data(), text.size(), true).get(root) != simdjson::SUCCESS) {
        return out;
    }
    dom::array list;
    dom::element v;
    if (root.get_array().get(list) == simdjson::SUCCESS ||
        (member(root, "messages", &v) && v.get_array().get(list) == simdjson::SUCCESS)) {
        for (dom::element e : list) {
            out.push_back(messageOf(e, output));
        }
    } else if (member(root, "choices", &v) && v.get_array().get(list) == simdjson::SUCCESS) {
        for (dom::element e : list) {
            out.push_back(messageOf(e, true));
        }
    } else if (member(root, "role", &v) || member(root, "parts", &v) || member(root, "message", &v)) {
        out.push_back(messageOf(root, output));
    } else {
        return out;
    }
    *parsed = true;
    return out;
}

const DetailAttribute* find(const SpanDetails& d, std::string_view key) {
    return d.attribute(key);
}

// Index N and the rest of keys "<prefix>N.<rest>", in index order.
using Indexed = std::map<uint32_t, std::vector<std::pair<std::string_view, const DetailAttribute*>>>;
Indexed collectIndexed(const std::vector<DetailAttribute>& attributes, std::string_view prefix) {
    Indexed out;
    for (const DetailAttribute& a : attributes) {
        std::string_view key = a.key;
        if (!key.starts_with(prefix)) {
            continue;
        }
        key.remove_prefix(prefix.size());
        uint32_t n = 0;
        const auto r = std::from_chars(key.data(), key.data() + key.size(), n);
        if (r.ec != std::errc() || r.ptr == key.data() || r.ptr == key.data() + key.size() || *r.ptr != '.') {
            continue;  // gen_ai.prompt.name and the like are not messages
        }
        out[n].emplace_back(key.substr(static_cast<size_t>(r.ptr - key.data()) + 1), &a);
    }
    return out;
}

// One message from flattened keys: role, content, tool_call_id, finish_reason, tool_calls.K.{id, name,
// arguments} (GenAI), or with OpenInference's message. / tool_call.function. / contents.K.message_content.
// steps.
ChatMessage flattenedMessage(const std::vector<std::pair<std::string_view, const DetailAttribute*>>& fields,
                             bool output) {
    ChatMessage m;
    m.output = output;
    std::map<uint32_t, ToolCall> calls;
    for (auto [field, attribute] : fields) {
        if (field.starts_with("message.")) {
            field.remove_prefix(8);
        }
        const std::string& value = attribute->value;
        if (field == "role") {
            m.roleText = value;
        } else if (field == "content" || (field.starts_with("contents.") && field.ends_with(".text"))) {
            appendContent(m.content, value);
        } else if (field == "tool_call_id") {
            m.toolCallId = value;
        } else if (field == "finish_reason") {
            m.finishReason = value;
        } else if (field.starts_with("tool_calls.")) {
            field.remove_prefix(11);
            uint32_t k = 0;
            const auto r = std::from_chars(field.data(), field.data() + field.size(), k);
            if (r.ec != std::errc() || r.ptr == field.data() + field.size()) {
                continue;
            }
            std::string_view sub = field.substr(static_cast<size_t>(r.ptr - field.data()) + 1);
            for (std::string_view step : {std::string_view("tool_call."), std::string_view("function.")}) {
                if (sub.starts_with(step)) {
                    sub.remove_prefix(step.size());
                }
            }
            ToolCall& call = calls[k];
            if (sub == "id") {
                call.id = value;
            } else if (sub == "name") {
                call.name = value;
            } else if (sub == "arguments") {
                call.arguments = prettyIfJson(value);
            }
        }
    }
    for (auto& [k, call] : calls) {
        m.toolCalls.push_back(std::move(call));
    }
    m.role = messageRoleOf(m.roleText);
    return m;
}

Side flattenedSide(const SpanDetails& d, std::string_view prefix, bool output) {
    Side side;
    for (const auto& [n, fields] : collectIndexed(d.attributes, prefix)) {
        side.messages.push_back(flattenedMessage(fields, output));
    }
    if (!side.empty()) {
        side.from = std::string(prefix) + "N.*";
    }
    return side;
}

// A JSON attribute holding messages, or (when it is not JSON) a single message of the given role.
Side jsonSide(const SpanDetails& d, std::string_view key, bool output, std::string_view fallbackRole) {
    Side side;
    const DetailAttribute* a = find(d, key);
    if (a == nullptr || a->value.empty()) {
        return side;
    }
    bool parsed = false;
    side.messages = messagesOfJson(a->value, output, &parsed);
    if (!parsed && !fallbackRole.empty()) {
        ChatMessage m;
        m.output = output;
        m.roleText = std::string(fallbackRole);
        m.role = messageRoleOf(m.roleText);
        m.content = prettyIfJson(a->value);
        side.messages.push_back(std::move(m));
    }
    if (!side.empty()) {
        side.from = std::string(key);
    }
    return side;
}

Side eventSide(const SpanDetails& d, bool output) {
    Side side;
    for (const DetailEvent& e : d.events) {
        const std::string_view name = e.name;
        const bool isChoice = name == "gen_ai.choice" || name == "gen_ai.content.completion";
        const bool isPrompt =
            name == "gen_ai.content.prompt" || (name.starts_with("gen_ai.") && name.ends_with(".message"));
        if ((output && !isChoice) || (!output && !isPrompt)) {
            continue;
        }
        if (name == "gen_ai.content.prompt" || name == "gen_ai.content.completion") {
            for (const DetailAttribute& a : e.attributes) {
                if (a.key == "gen_ai.prompt" || a.key == "gen_ai.completion") {
                    bool parsed = false;
                    auto messages = messagesOfJson(a.value, output, &parsed);
                    if (!parsed) {
                        ChatMessage m;
                        m.output = output;
                        m.roleText = output ? "assistant" : "user";
                        m.role = messageRoleOf(m.roleText);
                        m.content = a.value;
                        messages.push_back(std::move(m));
                    }
                    side.messages.insert(side.messages.end(), messages.begin(), messages.end());
                }
            }
            continue;
        }
        ChatMessage m;
        m.output = output;
        if (!isChoice) {  // gen_ai.user.message -> "user"
            m.roleText = std::string(name.substr(7, name.size() - 7 - 8));
        }
        for (const DetailAttribute& a : e.attributes) {
            bool parsed = false;
            if (a.key == "gen_ai.event.content" || a.key == "message" || a.key == "body") {
                auto messages = messagesOfJson(a.value, output, &parsed);
                if (parsed && !messages.empty()) {
                    ChatMessage& inner = messages.front();
                    appendContent(m.content, inner.content);
                    m.toolCalls = std::move(inner.toolCalls);
                    m.roleText = inner.roleText.empty() ? m.roleText : inner.roleText;
                    m.toolCallId = inner.toolCallId.empty() ? m.toolCallId : inner.toolCallId;
                    m.finishReason = inner.finishReason.empty() ? m.finishReason : inner.finishReason;
                } else {
                    appendContent(m.content, a.value);
                }
            } else if (a.key == "content") {
                appendContent(m.content, a.value);
            } else if (a.key == "role") {
                m.roleText = a.value;
            } else if (a.key == "id" || a.key == "tool_call_id") {
                m.toolCallId = a.value;
            } else if (a.key == "finish_reason") {
                m.finishReason = a.value;
            } else if (a.key == "tool_calls") {
                auto messages = messagesOfJson("{\"tool_calls\":" + a.value + "}", output, &parsed);
                for (ChatMessage& inner : messages) {
                    for (ToolCall& call : inner.toolCalls) {
                        m.toolCalls.push_back(std::move(call));
                    }
                }
            }
        }
        if (isChoice && m.roleText.empty()) {
            m.roleText = "assistant";
        }
        m.role = messageRoleOf(m.roleText);
        side.messages.push_back(std::move(m));
    }
    if (!side.empty()) {
        side.from = "span events";
    }
    return side;
}

// GenAI's current convention, with the system instructions (kept apart from the messages) first.
Side genAiSide(const SpanDetails& d, bool output) {
    Side side = jsonSide(d, output ? "gen_ai.output.messages" : "gen_ai.input.messages", output, {});
    const DetailAttribute* system = output ? nullptr : find(d, "gen_ai.system_instructions");
    if (system != nullptr && !system->value.empty()) {
        ChatMessage m;
        m.roleText = "system";
        m.role = MessageRole::System;
        bool parsed = false;
        auto parts = messagesOfJson("{\"role\":\"system\",\"parts\":" + system->value + "}", false, &parsed);
        m.content = parsed && !parts.empty() ? parts.front().content : system->value;
        side.messages.insert(side.messages.begin(), std::move(m));
        side.from =
            side.from.empty() ? "gen_ai.system_instructions" : "gen_ai.system_instructions, " + side.from;
    }
    return side;
}

Side pickSide(const SpanDetails& d, bool output) {
    Side side = genAiSide(d, output);
    if (side.empty()) {
        side = flattenedSide(d, output ? "gen_ai.completion." : "gen_ai.prompt.", output);
    }
    if (side.empty()) {
        side = eventSide(d, output);
    }
    if (side.empty()) {
        side = flattenedSide(d, output ? "llm.output_messages." : "llm.input_messages.", output);
    }
    static constexpr std::string_view kInputKeys[] = {"input.value", "traceloop.entity.input", "messages",
                                                      "input", "prompt"};
    static constexpr std::string_view kOutputKeys[] = {"output.value", "traceloop.entity.output", "output",
                                                       "response", "completion"};
    for (std::string_view key : output ? std::span<const std::string_view>(kOutputKeys)
                                       : std::span<const std::string_view>(kInputKeys)) {
        if (!side.empty()) {
            break;
        }
        side = jsonSide(d, key, output, output ? "output" : "input");
    }
    return side;
}

}  // namespace

void fillConversation(SpanDetails& details) {
    Side input = pickSide(details, false);
    Side output = pickSide(details, true);
    details.messages = std::move(input.messages);
    details.messages.insert(details.messages.end(), std::make_move_iterator(output.messages.begin()),
                            std::make_move_iterator(output.messages.end()));
    details.messagesFrom = input.from;
    if (!output.from.empty()) {
        details.messagesFrom += (details.messagesFrom.empty() ? "" : "; ") + output.from;
    }
}

std::vector<std::string_view> conversationTexts(const SpanDetails& details) {
    std::vector<std::string_view> out;
    for (const ChatMessage& m : details.messages) {
        out.emplace_back(m.content);
        for (const ToolCall& call : m.toolCalls) {
            out.emplace_back(call.arguments);
        }
    }
    return out;
}

}  // namespace ps
