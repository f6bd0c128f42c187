#include "requesttexts.h"

namespace ps {
namespace {

// One message as text: its content, then its tool calls as name(arguments).
std::string messageText(const ChatMessage& m) {
    std::string text = m.content;
    for (const ToolCall& call : m.toolCalls) {
        text += (text.empty() ? "" : "\n") + call.name + "(" + call.arguments + ")";
    }
    return text;
}

// Several messages as "[role]" blocks; a single one as its text alone.
std::string joined(const std::vector<const ChatMessage*>& messages) {
    if (messages.size() == 1) {
        return messageText(*messages.front());
    }
    std::string out;
    for (const ChatMessage* m : messages) {
        out += (out.empty() ? "[" : "\n\n[") + m->roleText + "]\n" + messageText(*m);
    }
    return out;
}

}  // namespace

std::pair<std::string, std::string> requestInputOutput(ColdDataReader& reader, RequestIndex request) {
    const Dataset& d = *reader.dataset();
    if (!request.isValid() || request.value >= d.requestCount()) {
        return {};
    }
    std::pair<std::string, std::string> out;
    for (uint32_t g = d.requests.firstGeneration[request.value]; g < d.generationEnd(request); ++g) {
        const SpanDetails span = reader.readSpan(d.generations.span[g], false);
        std::vector<const ChatMessage*> input;
        std::vector<const ChatMessage*> output;
        for (const ChatMessage& m : span.messages) {
            if (m.output) {
                output.push_back(&m);
            } else if (m.role != MessageRole::System) {
                input.push_back(&m);
            }
        }
        // Later calls win: an agent's last call holds the whole conversation and the final answer.
        if (!input.empty()) {
            out.first = joined(input);
        }
        if (!output.empty()) {
            out.second = joined(output);
        }
    }
    return out;
}

std::string requestUserInput(ColdDataReader& reader, RequestIndex request) {
    const Dataset& d = *reader.dataset();
    if (!request.isValid() || request.value >= d.requestCount()) {
        return {};
    }
    for (uint32_t g = d.requests.firstGeneration[request.value]; g < d.generationEnd(request); ++g) {
        const SpanDetails span = reader.readSpan(d.generations.span[g], false);
        std::vector<const ChatMessage*> user;
        for (const ChatMessage& m : span.messages) {
            if (!m.output && m.role == MessageRole::User) {
                user.push_back(&m);
            }
        }
        if (!user.empty()) {
            return joined(user);
        }
    }
    return {};
}

}  // namespace ps
