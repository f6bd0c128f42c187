// The messages of a model call as a conversation, from whichever convention the span records them in. Input
// and output are each taken from the newest convention that has them:
//   1. GenAI JSON: gen_ai.input.messages / gen_ai.output.messages (a JSON string or a structured value, parts
//   of
//      type text, tool_call, tool_call_response), with gen_ai.system_instructions first;
//   2. deprecated GenAI flattened keys: gen_ai.prompt.N.* / gen_ai.completion.N.*;
//   3. deprecated GenAI events: gen_ai.{system,user,assistant,tool}.message, gen_ai.choice,
//      gen_ai.content.prompt / gen_ai.content.completion;
//   4. OpenInference: llm.input_messages.N.message.* / llm.output_messages.N.message.*;
//   5. raw bodies: input.value / output.value (OpenAI request and response bodies are read as messages),
//      traceloop.entity.input / output, and a request log's messages / input / prompt / output / response.
#pragma once

#include "spandetails.h"

namespace ps {

// Fills details.messages and details.messagesFrom from details.attributes and details.events.
void fillConversation(SpanDetails& details);

// The texts a content search looks in: every message's content and tool-call arguments.
std::vector<std::string_view> conversationTexts(const SpanDetails& details);

}  // namespace ps
