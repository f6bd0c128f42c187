#include <array>

#include "sourceloader.h"

namespace ps {
namespace {

bool has(std::string_view head, std::string_view key) {
    return head.find(key) != std::string_view::npos;
}

}  // namespace

SourceFormat detectFormat(std::string_view head) {
    if (head.substr(0, 3) == "\xEF\xBB\xBF") {
        head.remove_prefix(3);
    }
    const size_t first = head.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || (head[first] != '{' && head[first] != '[')) {
        return SourceFormat::Unknown;
    }
    if (has(head, "\"resourceSpans\"") || has(head, "\"resource_spans\"")) {
        return SourceFormat::OtlpJson;
    }
    if (has(head, "\"traceID\"") && (has(head, "\"spanID\"") || has(head, "\"operationName\""))) {
        return SourceFormat::Jaeger;
    }
    if (has(head, "\"observations\"") || has(head, "\"parentObservationId\"")) {
        return SourceFormat::Langfuse;
    }
    if (has(head, "\"startTimeUnixNano\"") || has(head, "\"start_time_unix_nano\"") ||
        (has(head, "\"attributes\"") && (has(head, "\"spanId\"") || has(head, "\"SPAN_KIND_")))) {
        return SourceFormat::OtlpJson;
    }
    if (has(head, "\"spend\"") && has(head, "\"call_type\"")) {
        return SourceFormat::LiteLlmJson;
    }
    static constexpr std::array<std::string_view, 6> kRequestLogKeys = {
        "\"request_id\"", "\"signal_type\"", "\"latency_ms\"", "\"quality_score\"", "\"deployed_at\"", "\"prompt_version\""};
    for (auto key : kRequestLogKeys) {
        if (has(head, key)) {
            return SourceFormat::RequestLog;
        }
    }
    return SourceFormat::Unknown;
}

std::string_view formatName(SourceFormat format) {
    switch (format) {
    case SourceFormat::OtlpJson: return "OTLP/JSON";
    case SourceFormat::RequestLog: return "request-log JSON Lines";
    case SourceFormat::Langfuse: return "Langfuse export";
    case SourceFormat::Jaeger: return "Jaeger JSON";
    case SourceFormat::LiteLlmJson: return "LiteLLM spend log JSON";
    case SourceFormat::Database: return "database";
    case SourceFormat::Unknown: break;
    }
    return "unknown";
}

}  // namespace ps
