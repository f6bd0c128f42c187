// Hand-made OTLP/JSON for the cold-data tests, kept out of the test's source file because moc cannot read
// past some raw string literals.
#pragma once

#include <string>
#include <vector>

namespace ps::testing {

// One request line with snake_case keys, base64 ids, every AnyValue type, structured GenAI messages, the
// deprecated message events and a link.
inline std::string handMadeRequest() {
    return R"J({"resource_spans":[{"resource":{"attributes":[{"key":"service.name","value":{"string_value":"hand-svc"}}]},)J"
           R"J("scope_spans":[{"scope":{"name":"hand","version":"2"},"spans":[)J"
           R"J({"trace_id":"W47/95gDgQPSabYzgT/GDA==","span_id":"7uGbfsPBsXQ=","name":"chat","kind":"SPAN_KIND_CLIENT",)J"
           R"J("start_time_unix_nano":1000,"end_time_unix_nano":"5000","attributes":[)J"
           R"J({"key":"gen_ai.request.model","value":{"string_value":"gpt-4.1"}},)J"
           R"J({"key":"gen_ai.system_instructions","value":{"string_value":"[{\"type\":\"text\",\"content\":\"Be brief.\"}]"}},)J"
           R"J({"key":"gen_ai.input.messages","value":{"array_value":{"values":[{"kvlist_value":{"values":[)J"
           R"J({"key":"role","value":{"string_value":"user"}},{"key":"parts","value":{"array_value":{"values":[)J"
           R"J({"kvlist_value":{"values":[{"key":"type","value":{"string_value":"text"}},)J"
           R"J({"key":"content","value":{"string_value":"Where is my order?"}}]}}]}}}]}}]}}},)J"
           R"J({"key":"gen_ai.usage.input_tokens","value":{"double_value":12}},)J"
           R"J({"key":"score","value":{"double_value":"NaN"}},{"key":"flag","value":{"bool_value":true}},)J"
           R"J({"key":"blob","value":{"bytes_value":"AAEC"}},)J"
           R"J({"key":"meta","value":{"kvlist_value":{"values":[{"key":"a","value":{"int_value":"1"}}]}}}],)J"
           R"J("events":[{"name":"gen_ai.choice","time_unix_nano":"3000","attributes":[)J"
           R"J({"key":"finish_reason","value":{"string_value":"stop"}},)J"
           R"J({"key":"message","value":{"string_value":"{\"role\":\"assistant\",\"content\":\"It ships today.\"}"}}]}],)J"
           R"J("links":[{"trace_id":"00000000000000000000000000000011","span_id":"0000000000000004","trace_state":"k=v",)J"
           R"J("attributes":[{"key":"link.kind","value":{"string_value":"follows"}}]}],)J"
           R"J("status":{"code":"STATUS_CODE_ERROR","message":"boom"}},)J"
           R"J({"trace_id":"W47/95gDgQPSabYzgT/GDA==","span_id":"0000000000000002","parent_span_id":"7uGbfsPBsXQ=",)J"
           R"J("name":"agent step","start_time_unix_nano":"2000","end_time_unix_nano":"4000","events":[)J"
           R"J({"name":"gen_ai.system.message","attributes":[{"key":"content","value":{"string_value":"S"}}]},)J"
           R"J({"name":"gen_ai.user.message","attributes":[{"key":"content","value":{"string_value":"U"}}]},)J"
           R"J({"name":"gen_ai.tool.message","attributes":[{"key":"content","value":{"string_value":"T"}},)J"
           R"J({"key":"id","value":{"string_value":"call_1"}}]},)J"
           R"J({"name":"gen_ai.choice","attributes":[{"key":"gen_ai.event.content","value":{"string_value":)J"
           R"J("{\"index\":0,\"finish_reason\":\"tool_calls\",\"message\":{\"role\":\"assistant\",)J"
           R"J(\"tool_calls\":[{\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"lookup\",)J"
           R"J(\"arguments\":\"{\\\"q\\\":1}\"}}]}}"}}]}]}]}]}]})J"
           "\n";
}

// Span records a reader may meet after a crash or a bad export; the last one holds invalid UTF-8.
inline std::vector<std::string> malformedSpanTexts() {
    return {
        "",
        "\xff\xfe{",
        "[1,2,3]",
        "{\"attributes\":5,\"events\":\"x\",\"links\":{},\"status\":3,\"kind\":[1],\"name\":7}",
        "{\"attributes\":[{\"key\":\"gen_ai.input.messages\",\"value\":{\"stringValue\":\"[{\"}}]}",
        "{\"attributes\":[{\"key\":\"gen_ai.input.messages\",\"value\":{\"stringValue\":"
        "\"[1,{\\\"role\\\":5,\\\"parts\\\":7}]\"}}]}",
        "{\"attributes\":[{\"key\":\"llm.input_messages.x.message.role\",\"value\":{\"stringValue\":\"user\"}"
        "},"
        "{\"key\":\"llm.input_messages.99999999999.message.content\",\"value\":{\"intValue\":\"nope\"}}]}",
        std::string(5000, '[') + std::string(5000, ']'),
        "{\"name\":\"\xc3\x28 bad utf8\",\"attributes\":[{\"key\":\"k\"}]}",
    };
}

}  // namespace ps::testing
