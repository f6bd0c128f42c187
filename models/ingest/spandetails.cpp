#include "spandetails.h"

namespace ps {

std::string_view attributeGroupName(AttributeGroup group) {
    switch (group) {
        case AttributeGroup::GenAi:
            return "GenAI";
        case AttributeGroup::OpenInference:
            return "OpenInference";
        case AttributeGroup::Resource:
            return "Resource";
        case AttributeGroup::Other:
            break;
    }
    return "Other";
}

AttributeGroup attributeGroupOf(std::string_view key) {
    if (key.starts_with("gen_ai.")) {
        return AttributeGroup::GenAi;
    }
    static constexpr std::string_view kOpenInference[] = {
        "llm.", "input.", "output.", "openinference.", "retrieval.", "embedding.", "reranker.", "tool."};
    for (std::string_view prefix : kOpenInference) {
        if (key.starts_with(prefix)) {
            return AttributeGroup::OpenInference;
        }
    }
    if (key == "metadata" || key == "tag.tags") {
        return AttributeGroup::OpenInference;
    }
    return AttributeGroup::Other;
}

MessageRole messageRoleOf(std::string_view role) {
    if (role == "system" || role == "developer") {
        return MessageRole::System;
    }
    if (role == "user" || role == "human") {
        return MessageRole::User;
    }
    if (role == "assistant" || role == "model" || role == "ai") {
        return MessageRole::Assistant;
    }
    if (role == "tool" || role == "function" || role == "ipython") {
        return MessageRole::Tool;
    }
    return MessageRole::Other;
}

const DetailAttribute* SpanDetails::attribute(std::string_view key) const {
    for (const DetailAttribute& a : attributes) {
        if (a.key == key) {
            return &a;
        }
    }
    return nullptr;
}

std::string messagesAsText(const SpanDetails& details) {
    std::string out;
    for (const ChatMessage& m : details.messages) {
        if (!out.empty()) {
            out += '\n';
        }
        out += '[' + (m.roleText.empty() ? std::string("message") : m.roleText) + (m.output ? ", output]\n" : "]\n");
        out += m.content;
        if (!m.content.empty() && m.content.back() != '\n') {
            out += '\n';
        }
        for (const ToolCall& call : m.toolCalls) {
            out += "tool call " + call.name + (call.id.empty() ? std::string() : " (" + call.id + ")") + ":\n";
            out += call.arguments;
            if (!call.arguments.empty() && call.arguments.back() != '\n') {
                out += '\n';
            }
        }
    }
    return out;
}

}  // namespace ps
