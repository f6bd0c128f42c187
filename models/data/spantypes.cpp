#include "spantypes.h"

namespace ps {

std::string_view spanKindName(SpanKind kind) {
    switch (kind) {
        case SpanKind::Llm: return "llm";
        case SpanKind::Embedding: return "embedding";
        case SpanKind::Retrieval: return "retrieval";
        case SpanKind::Tool: return "tool";
        case SpanKind::Agent: return "agent";
        case SpanKind::Chain: return "chain";
        case SpanKind::Eval: return "eval";
        case SpanKind::Guardrail: return "guardrail";
        case SpanKind::Reranker: return "reranker";
        case SpanKind::Other: break;
    }
    return "other";
}

std::string_view spanStatusName(SpanStatus status) {
    switch (status) {
        case SpanStatus::Ok: return "ok";
        case SpanStatus::Error: return "error";
        case SpanStatus::Unset: break;
    }
    return "unset";
}

std::string_view costSourceName(CostSource source) {
    switch (source) {
        case CostSource::Data: return "data";
        case CostSource::Pricing: return "pricing";
        case CostSource::None: break;
    }
    return "none";
}

std::string_view evalOutcomeName(EvalOutcome outcome) {
    switch (outcome) {
        case EvalOutcome::Pass: return "pass";
        case EvalOutcome::Fail: return "fail";
        case EvalOutcome::Unknown: break;
    }
    return "unknown";
}

std::string_view errorClassName(ErrorClass c) {
    switch (c) {
        case ErrorClass::None: return "none";
        case ErrorClass::RateLimited: return "rate_limited";
        case ErrorClass::ProviderError: return "provider_error";
        case ErrorClass::Timeout: return "timeout";
        case ErrorClass::ToolError: return "tool_error";
        case ErrorClass::Validation: return "validation";
        case ErrorClass::Other: break;
    }
    return "other";
}

std::string_view signalTypeName(SignalType t) {
    switch (t) {
        case SignalType::ThumbsUp: return "thumbs_up";
        case SignalType::ThumbsDown: return "thumbs_down";
        case SignalType::Correction: return "correction";
        case SignalType::FollowUp: return "follow_up";
        case SignalType::Abandoned: return "abandoned";
        case SignalType::Rating: return "rating";
    }
    return "rating";
}

bool parseSignalType(std::string_view text, SignalType* out) {
    for (int i = 0; i < kSignalTypeCount; ++i) {
        const auto t = static_cast<SignalType>(i);
        if (signalTypeName(t) == text) {
            *out = t;
            return true;
        }
    }
    return false;
}

}  // namespace ps
