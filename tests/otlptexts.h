// OTLP/JSON snippets for the reader tests (kept out of the test file: moc cannot parse raw string literals).
#pragma once

#include <string>

namespace ps::testing {

inline std::string attr(const std::string& key, const std::string& value) {
    return R"J({"key":")J" + key + R"J(","value":)J" + value + "}";
}

inline std::string span(const std::string& trace, const std::string& id, const std::string& parent,
                        const std::string& name, const std::string& start, const std::string& end,
                        const std::string& extra = {}) {
    std::string s = R"J({"traceId":")J" + trace + R"J(","spanId":")J" + id + R"J(",)J";
    if (!parent.empty()) {
        s += R"J("parentSpanId":")J" + parent + R"J(",)J";
    }
    s += R"J("name":")J" + name + R"J(","startTimeUnixNano":)J" + start + R"J(,"endTimeUnixNano":)J" + end;
    if (!extra.empty()) {
        s += "," + extra;
    }
    return s + "}";
}

inline std::string request(const std::string& spans, const std::string& service = "svc") {
    return R"J({"resourceSpans":[{"resource":{"attributes":[)J" +
           attr("service.name", R"J({"stringValue":")J" + service + R"J("})J") +
           R"J(]},"scopeSpans":[{"scope":{},"spans":[)J" + spans + "]}]}]}";
}

inline const std::string kTrace = "5b8efff798038103d269b633813fc60c";

inline std::string typedAttributes() {
    return R"J("kind":"SPAN_KIND_CLIENT","status":{"code":"STATUS_CODE_ERROR","message":"boom"},"attributes":[)J" +
           attr("gen_ai.usage.input_tokens", R"J({"intValue":"13"})J") + "," +
           attr("gen_ai.usage.output_tokens", R"J({"doubleValue":7.0})J") + "," +
           attr("llm.cost.total", R"J({"doubleValue":"NaN"})J") + "," +
           attr("gen_ai.request.model", R"J({"stringValue":"gpt-4.1"})J") + "]";
}

inline std::string legacyRequest() {
    return R"J({"resourceSpans":[{"resource":{"attributes":[]},"instrumentationLibrarySpans":[{"instrumentationLibrary":{"name":"x"},"spans":[)J" +
           span(kTrace, "0000000000000001", "", "legacy", "\"10\"", "\"20\"") + "]}]}]}";
}

inline std::string snakeCaseRequest() {
    return R"J({"resource_spans":[{"resource":{"attributes":[{"key":"service.name","value":{"string_value":"snake-svc"}}]},"scope_spans":[{"spans":[{"trace_id":")J" +
           kTrace +
           R"J(","span_id":"0000000000000002","parent_span_id":"0000000000000001","name":"snake","start_time_unix_nano":"12","end_time_unix_nano":"15"}]}]}]})J";
}

inline std::string truncatedLine() {
    return R"J({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"ab)J"
           "\n";
}

}  // namespace ps::testing
