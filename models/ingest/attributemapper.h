// Maps span attributes from every vocabulary LLM instrumentation uses (OpenTelemetry GenAI conventions current
// and deprecated, OpenInference, OpenLLMetry/Traceloop, Langfuse's OTel attributes, plain application keys)
// onto PromptScope's span fields. When several vocabularies set one field on a span, the newest wins:
// GenAI current > GenAI deprecated > OpenInference > Traceloop > Langfuse > plain keys.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rawrecords.h"

namespace ps {

// One attribute value as decoded from any format (OTLP AnyValue, Jaeger tag, Langfuse metadata).
struct AttrValue {
    enum class Type : uint8_t { None, String, Int, Double, Bool, StringArray };
    Type type = Type::None;
    std::string_view str;  // String; for StringArray the first element
    int64_t i = 0;
    double d = 0;
    bool b = false;

    static AttrValue text(std::string_view s) { return {Type::String, s, 0, 0, false}; }
    static AttrValue integer(int64_t v) { return {Type::Int, {}, v, 0, false}; }
    static AttrValue real(double v) { return {Type::Double, {}, 0, v, false}; }
    static AttrValue boolean(bool v) { return {Type::Bool, {}, 0, 0, v}; }
    static AttrValue firstOfArray(std::string_view s) { return {Type::StringArray, s, 0, 0, false}; }

    // Numbers also come as strings ("13") or doubles (13.0) in real exports.
    [[nodiscard]] std::optional<int64_t> asInt() const;
    [[nodiscard]] std::optional<double> asDouble() const;
};

class SpanAttributeMapper {
public:
    enum Field : uint8_t;  // what an attribute sets (defined in the .cpp)
    static constexpr size_t kMaxInternedLength = 512;

    explicit SpanAttributeMapper(StringPool& strings) : strings_(strings) {}

    // Starts a span. Fields already set on it (e.g. from the span's own name or status) are kept.
    void begin(RawSpan* span);
    void apply(std::string_view key, const AttrValue& value);
    // An exception event's attributes: fill the error type and message when the span has none yet.
    void applyException(std::string_view type, std::string_view message);
    // Settles what the attributes implied: kind inferred from model/tokens, costs summed from parts.
    void finish();

    // Evaluation carried as attributes on the span itself (gen_ai.evaluation.*); false when there is none.
    [[nodiscard]] bool spanEvaluation(RawEval* out) const;

    // Interns a dimension value, cutting it at kMaxInternedLength bytes (on a UTF-8 boundary).
    StringId intern(std::string_view text);

private:
    bool claim(Field field, uint8_t priority);
    void applyUsageJson(std::string_view json, bool cost);

    StringPool& strings_;
    RawSpan* span_ = nullptr;
    std::array<uint8_t, 32> priority_{};
    double costPrompt_ = kNaN;
    double costCompletion_ = kNaN;
    StringId evalName_;
    StringId evalLabel_;
    StringId evalExplanation_;
    double evalScore_ = kNaN;
};

// Evaluation outcome from a label such as "pass", "fail", "true", "incorrect".
EvalOutcome outcomeFromLabel(std::string_view label);

// Copies what a resource (or a trace-level record) says onto a span that does not say it itself.
void applyResourceDefaults(const RawSpan& resource, RawSpan& span);

}  // namespace ps
