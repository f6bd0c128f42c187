// Small enumerations stored per span or per request: what a span does, whether it failed, and why.
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>

namespace ps {

// "No value" for doubles (cost, score). A constant, unlike std::nan(""), which parses a string on every call.
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

enum class SpanKind : uint8_t { Other, Llm, Embedding, Retrieval, Tool, Agent, Chain, Eval, Guardrail, Reranker };
constexpr int kSpanKindCount = 10;

enum class SpanStatus : uint8_t { Unset, Ok, Error };

// Why a request failed, from the error type, HTTP status and message of its failing spans.
enum class ErrorClass : uint8_t { None, RateLimited, ProviderError, Timeout, ToolError, Validation, Other };
constexpr int kErrorClassCount = 7;

enum class CostSource : uint8_t { None, Data, Pricing };

enum class SignalType : uint8_t { ThumbsUp, ThumbsDown, Correction, FollowUp, Abandoned, Rating };
constexpr int kSignalTypeCount = 6;

enum class EvalOutcome : uint8_t { Unknown, Pass, Fail };

// Per-request flags, a bit set in RequestColumns::flags.
enum RequestFlag : uint16_t {
    kRequestError = 1u << 0,
    kRequestRefusal = 1u << 1,
    kRequestTruncated = 1u << 2,
    kRequestThumbsUp = 1u << 3,
    kRequestThumbsDown = 1u << 4,
    kRequestCorrection = 1u << 5,
    kRequestFollowUp = 1u << 6,
    kRequestAbandoned = 1u << 7,
    kRequestToolError = 1u << 8,
    kRequestCostFromPricing = 1u << 9,
    kRequestCostUnknown = 1u << 10,
};

std::string_view spanKindName(SpanKind kind);
std::string_view spanStatusName(SpanStatus status);  // "unset", "ok", "error"
std::string_view errorClassName(ErrorClass c);
std::string_view costSourceName(CostSource source);  // "none", "data", "pricing"
std::string_view evalOutcomeName(EvalOutcome outcome);  // "unknown", "pass", "fail"
std::string_view signalTypeName(SignalType t);
bool parseSignalType(std::string_view text, SignalType* out);

}  // namespace ps
