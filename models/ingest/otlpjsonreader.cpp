#include "otlpjsonreader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <cstring>
#include "simdjsonbuiltin.h"
#include <string>
#include <vector>

#include "attributemapper.h"
#include "jsonlines.h"
#include "traceids.h"
#include "utf8repair.h"

namespace ps {
namespace {

namespace sj = simdjson::ondemand;

constexpr size_t kPadding = 64;
constexpr size_t kMaxEventAttributes = 64;

// OTLP keys come in camelCase (protojson) or snake_case (the Collector's own reader accepts both).
bool is(std::string_view key, std::string_view camel, std::string_view snake) {
    return key == camel || key == snake;
}

// The key of a field without copying it, unless it holds escapes.
std::string_view keyOf(sj::field& f) {
    const char* p = f.key().raw();
    const char* q = p;
    while (*q != '"') {
        if (*q == '\\') {
            return f.unescaped_key().value();
        }
        ++q;
    }
    return {p, static_cast<size_t>(q - p)};
}

bool parseIntText(std::string_view s, int64_t* out) {
    auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
    if (r.ec == std::errc() && r.ptr == s.data() + s.size()) {
        return true;
    }
    uint64_t u = 0;
    auto ru = std::from_chars(s.data(), s.data() + s.size(), u);
    if (ru.ec == std::errc::result_out_of_range || (ru.ec == std::errc() && ru.ptr == s.data() + s.size())) {
        *out = INT64_MAX;
        return ru.ec == std::errc();
    }
    double d = 0;
    auto rd = std::from_chars(s.data(), s.data() + s.size(), d);
    if (rd.ec == std::errc() && rd.ptr == s.data() + s.size() && std::isfinite(d) && std::abs(d) < 9.2e18) {
        *out = static_cast<int64_t>(d);
        return true;
    }
    return false;
}

// 64-bit integers: decimal strings per the spec, JSON numbers from some SDKs, sometimes doubles.
bool readInt64(sj::value v, int64_t* out) {
    switch (v.type()) {
    case sj::json_type::number: {
        sj::number n = v.get_number();
        if (n.is_int64()) {
            *out = n.get_int64();
        } else if (n.is_uint64()) {
            *out = n.get_uint64() > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(n.get_uint64());
        } else {
            const double d = n.get_double();
            if (!std::isfinite(d) || std::abs(d) >= 9.2e18) {
                return false;
            }
            *out = static_cast<int64_t>(d);
        }
        return true;
    }
    case sj::json_type::string:
        return parseIntText(v.get_string(), out);
    default:
        return false;
    }
}

// Doubles: JSON numbers, or the strings "NaN", "Infinity", "-Infinity" (and numbers written as strings).
bool readDouble(sj::value v, double* out) {
    switch (v.type()) {
    case sj::json_type::number:
        *out = v.get_double();
        return true;
    case sj::json_type::string: {
        std::string_view s = v.get_string();
        if (s == "NaN") {
            *out = kNaN;
        } else if (s == "Infinity" || s == "+Infinity") {
            *out = HUGE_VAL;
        } else if (s == "-Infinity") {
            *out = -HUGE_VAL;
        } else {
            auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
            return r.ec == std::errc() && r.ptr == s.data() + s.size();
        }
        return true;
    }
    default:
        return false;
    }
}

// A string value, or empty when the value has another type (wrong types are skipped, not fatal).
std::string_view text(sj::value v) {
    if (v.type() != sj::json_type::string) {
        return {};
    }
    return v.get_string();
}

// OTLP AnyValue. Strings are views into the parser's buffer, valid until the next document.
AttrValue readAnyValue(sj::value v, int depth = 0) {
    AttrValue out;
    if (v.type() != sj::json_type::object) {
        return out;
    }
    for (sj::field field : v.get_object()) {
        const std::string_view key = keyOf(field);
        sj::value value = field.value();
        if (is(key, "stringValue", "string_value")) {
            out = AttrValue::text(text(value));
        } else if (is(key, "intValue", "int_value")) {
            int64_t i = 0;
            if (readInt64(value, &i)) {
                out = AttrValue::integer(i);
            }
        } else if (is(key, "doubleValue", "double_value")) {
            double d = 0;
            if (readDouble(value, &d)) {
                out = AttrValue::real(d);
            }
        } else if (is(key, "boolValue", "bool_value")) {
            if (value.type() == sj::json_type::boolean) {
                out = AttrValue::boolean(value.get_bool());
            }
        } else if (is(key, "arrayValue", "array_value") && depth < 2 && value.type() == sj::json_type::object) {
            for (sj::field inner : value.get_object()) {
                if (keyOf(inner) != "values") {
                    continue;
                }
                for (auto element : inner.value().get_array()) {
                    AttrValue first = readAnyValue(element.value(), depth + 1);
                    if (first.type == AttrValue::Type::String) {
                        out = AttrValue::firstOfArray(first.str);
                    }
                    break;
                }
            }
        }
    }
    return out;
}

// Calls fn(key, value) for each {key, value} of an OTLP attribute list, whatever the order of the two.
template <typename Fn>
void readAttributes(sj::value list, Fn&& fn) {
    if (list.type() != sj::json_type::array) {
        return;
    }
    for (auto element : list.get_array()) {
        sj::value attr = element.value();
        if (attr.type() != sj::json_type::object) {
            continue;
        }
        std::string_view key;
        AttrValue value;
        for (sj::field field : attr.get_object()) {
            const std::string_view k = keyOf(field);
            if (k == "key") {
                key = text(field.value());
            } else if (k == "value") {
                value = readAnyValue(field.value());
            }
        }
        if (!key.empty()) {
            fn(key, value);
        }
    }
}

SpanStatus statusFromCode(sj::value v) {
    if (v.type() == sj::json_type::number) {
        const int64_t code = v.get_int64();
        return code == 2 ? SpanStatus::Error : code == 1 ? SpanStatus::Ok : SpanStatus::Unset;
    }
    if (v.type() == sj::json_type::string) {
        std::string_view s = v.get_string();
        if (s == "STATUS_CODE_ERROR" || s == "ERROR" || s == "Error" || s == "error") {
            return SpanStatus::Error;
        }
        if (s == "STATUS_CODE_OK" || s == "OK" || s == "Ok" || s == "ok") {
            return SpanStatus::Ok;
        }
    }
    return SpanStatus::Unset;
}

class OtlpHandler final : public JsonDocumentHandler {
public:
    OtlpHandler(SourceIndex source, std::string file) : source_(source), file_(std::move(file)) {}

    void handle(const JsonDocument& doc, RecordBatch& batch) override {
        doc_ = &doc;
        batch_ = &batch;
        mapper_.emplace(batch.strings);
        simdjson::padded_string_view input(doc.data, doc.size, doc.size + kPadding);
        auto parsed = parser_.iterate(input);
        std::string repaired;
        if (parsed.error() == simdjson::UTF8_ERROR) {
            repaired.assign(doc.data, doc.size);
            const size_t fixed = repairUtf8(repaired);
            batch.addIssue(file_, doc.line,
                           "invalid UTF-8: " + std::to_string(fixed) + " byte(s) replaced with '?'");
            repaired.append(kPadding, '\0');
            base_ = repaired.data();
            parsed = parser_.iterate(simdjson::padded_string_view(repaired.data(), doc.size, repaired.size()));
        } else {
            base_ = doc.data;
        }
        if (parsed.error() != simdjson::SUCCESS) {
            batch.addIssue(file_, doc.line, std::string("not valid JSON: ") + simdjson::error_message(parsed.error()));
            return;
        }
        sj::document document = std::move(parsed.value_unsafe());
        try {
            readDocument(document);
        } catch (const simdjson::simdjson_error& e) {
            const char* at = nullptr;
            if (document.current_location().get(at) != simdjson::SUCCESS) {
                at = nullptr;
            }
            batch.addIssue(file_, lineOf(at), std::string("malformed OTLP JSON (") + e.what() +
                                                  "); records before this point are kept");
        }
    }

private:
    uint64_t lineOf(const char* at) const {
        if (!at || at < base_ || at > base_ + doc_->size) {
            return doc_->line;
        }
        return lineAt(base_, static_cast<uint64_t>(at - base_), doc_->line);
    }

    uint64_t offsetOf(const char* at) const {
        if (!at || at < base_ || at > base_ + doc_->size) {
            return doc_->fileOffset;
        }
        return doc_->fileOffset + static_cast<uint64_t>(at - base_);
    }

    void readDocument(sj::document& document) {
        if (document.type() == sj::json_type::array) {
            for (auto element : document.get_array()) {
                sj::value v = element.value();
                if (v.type() == sj::json_type::object) {
                    const char* at = v.raw_json_token().data();
                    readObject(v.get_object(), at);
                }
            }
            return;
        }
        if (document.type() != sj::json_type::object) {
            batch_->addIssue(file_, doc_->line, "expected a JSON object (an OTLP export request or a span)");
            return;
        }
        readObject(document.get_object(), base_);
    }

    // A top-level object: an ExportTraceServiceRequest, or a bare Span. Decided by the keys met, in one pass.
    void readObject(sj::object object, const char* at) {
        SpanState span;
        bool request = false;
        for (sj::field field : object) {
            const std::string_view key = keyOf(field);
            if (is(key, "resourceSpans", "resource_spans")) {
                request = true;
                readResourceSpansList(field.value());
            } else {
                readSpanField(span, key, field.value());
            }
        }
        if (span.seen) {
            finishSpan(span, at);
        } else if (!request) {
            batch_->addIssue(file_, lineOf(at), "object has neither resourceSpans nor span fields; skipped");
        }
    }

    void readResourceSpansList(sj::value list) {
        for (auto element : list.get_array()) {
            sj::value resourceSpans = element.value();
            RawSpan resource;
            const size_t firstSpan = batch_->spans.size();
            // Resource attributes apply to the spans read before and after them within this entry, even when
            // parsing stops half-way.
            struct ApplyDefaults {
                RecordBatch* batch;
                const RawSpan* resource;
                size_t first;
                ~ApplyDefaults() {
                    for (size_t i = first; i < batch->spans.size(); ++i) {
                        applyResourceDefaults(*resource, batch->spans[i]);
                    }
                }
            } apply{batch_, &resource, firstSpan};
            for (sj::field field : resourceSpans.get_object()) {
                const std::string_view key = keyOf(field);
                if (key == "resource") {
                    readResource(field.value(), resource);
                } else if (is(key, "scopeSpans", "scope_spans") ||
                           is(key, "instrumentationLibrarySpans", "instrumentation_library_spans")) {
                    for (auto scope : field.value().get_array()) {
                        readScopeSpans(scope.value());
                    }
                }
            }
        }
    }

    void readResource(sj::value value, RawSpan& resource) {
        mapper_->begin(&resource);
        for (sj::field field : value.get_object()) {
            if (keyOf(field) == "attributes") {
                readAttributes(field.value(), [&](std::string_view k, const AttrValue& v) { mapper_->apply(k, v); });
            }
        }
        mapper_->finish();
    }

    void readScopeSpans(sj::value scopeSpans) {
        for (sj::field field : scopeSpans.get_object()) {
            if (keyOf(field) != "spans") {
                continue;
            }
            for (auto element : field.value().get_array()) {
                sj::value v = element.value();
                const char* at = v.raw_json_token().data();
                SpanState span;
                for (sj::field spanField : v.get_object()) {
                    readSpanField(span, keyOf(spanField), spanField.value());
                }
                finishSpan(span, at);
            }
        }
    }

    struct SpanState {
        RawSpan span;
        bool seen = false;
        bool started = false;  // mapper begun on this span
        bool hasStart = false;
        bool hasEnd = false;
        std::vector<RawEval> evals;
    };

    void readSpanField(SpanState& s, std::string_view key, sj::value value) {
        if (!s.started) {
            mapper_->begin(&s.span);
            s.started = true;
        }
        if (is(key, "traceId", "trace_id")) {
            s.seen = true;
            const std::string_view id = text(value);
            if (!id.empty()) {
                // Spans of one trace mostly arrive together: skip canonicalising and interning a repeated id.
                if (id != lastTraceText_ || lastTraceBatch_ != batch_) {
                    lastTraceText_.assign(id);
                    lastTraceBatch_ = batch_;
                    lastTraceId_ = batch_->strings.intern(canonicalTraceId(id, scratch_));
                }
                s.span.traceId = lastTraceId_;
            }
        } else if (is(key, "spanId", "span_id")) {
            s.seen = true;
            s.span.spanId = parseSpanId(text(value));
        } else if (is(key, "parentSpanId", "parent_span_id")) {
            s.span.parentSpanId = parseSpanId(text(value));
        } else if (key == "name") {
            s.seen = true;
            s.span.name = mapper_->intern(text(value));
        } else if (is(key, "startTimeUnixNano", "start_time_unix_nano")) {
            s.seen = true;
            s.hasStart = readInt64(value, &s.span.startNs);
        } else if (is(key, "endTimeUnixNano", "end_time_unix_nano")) {
            s.hasEnd = readInt64(value, &s.span.endNs);
        } else if (key == "attributes") {
            s.seen = true;
            readAttributes(value, [&](std::string_view k, const AttrValue& v) { mapper_->apply(k, v); });
        } else if (key == "events") {
            readEvents(s, value);
        } else if (key == "status") {
            if (value.type() == sj::json_type::object) {
                for (sj::field field : value.get_object()) {
                    const std::string_view k = keyOf(field);
                    if (k == "code") {
                        s.span.status = statusFromCode(field.value());
                    } else if (k == "message") {
                        const std::string_view message = text(field.value());
                        if (!message.empty()) {
                            s.span.statusMessage = mapper_->intern(message);
                        }
                    }
                }
            }
        }
    }

    void readEvents(SpanState& s, sj::value list) {
        if (list.type() != sj::json_type::array) {
            return;
        }
        std::vector<std::pair<std::string_view, AttrValue>> attrs;
        for (auto element : list.get_array()) {
            sj::value event = element.value();
            if (event.type() != sj::json_type::object) {
                continue;
            }
            std::string_view name;
            attrs.clear();
            for (sj::field field : event.get_object()) {
                const std::string_view k = keyOf(field);
                if (k == "name") {
                    name = text(field.value());
                } else if (k == "attributes") {
                    readAttributes(field.value(), [&](std::string_view ak, const AttrValue& av) {
                        if (attrs.size() < kMaxEventAttributes) {
                            attrs.emplace_back(ak, av);
                        }
                    });
                }
            }
            if (name == "exception") {
                std::string_view type;
                std::string_view message;
                for (const auto& [k, v] : attrs) {
                    if (k == "exception.type") {
                        type = v.str;
                    } else if (k == "exception.message") {
                        message = v.str;
                    }
                }
                mapper_->applyException(type, message);
            } else if (name == "gen_ai.evaluation.result") {
                RawEval eval;
                for (const auto& [k, v] : attrs) {
                    if (k == "gen_ai.evaluation.name") {
                        eval.name = mapper_->intern(v.str);
                    } else if (k == "gen_ai.evaluation.score.value") {
                        eval.score = v.asDouble().value_or(kNaN);
                    } else if (k == "gen_ai.evaluation.score.label") {
                        eval.label = mapper_->intern(v.str);
                        eval.outcome = outcomeFromLabel(v.str);
                    } else if (k == "gen_ai.evaluation.explanation") {
                        eval.explanation = mapper_->intern(v.str);
                    }
                }
                s.evals.push_back(eval);
            }
        }
    }

    void finishSpan(SpanState& s, const char* at) {
        if (!s.started) {
            return;
        }
        RawSpan& span = s.span;
        mapper_->finish();
        RawEval own;
        if (mapper_->spanEvaluation(&own)) {
            s.evals.push_back(own);
        }
        if (!s.hasStart) {
            span.startNs = 0;
            span.endNs = s.hasEnd ? std::max<int64_t>(span.endNs, 0) : 0;
            batch_->addIssue(file_, lineOf(at), "span without a valid startTimeUnixNano; placed at time 0");
        } else if (!s.hasEnd) {
            span.endNs = span.startNs;
            batch_->addIssue(file_, lineOf(at), "span without a valid endTimeUnixNano; duration set to 0");
        } else if (span.endNs < span.startNs) {
            batch_->addIssue(file_, lineOf(at), "span ends before it starts (clock skew?); duration set to 0");
            span.endNs = span.startNs;
        }
        const uint64_t offset = offsetOf(at);
        if (span.traceId.value == 0) {
            span.traceId = batch_->strings.intern("no-trace-id@" + std::to_string(offset));
            batch_->addIssue(file_, lineOf(at), "span without traceId; shown as a request of its own");
        }
        if (span.spanId == 0) {
            span.spanId = hashId(std::to_string(offset)) | 1;
        }
        span.cold = ColdRef::make(source_, offset);
        for (RawEval& e : s.evals) {
            e.traceId = span.traceId;
            e.spanId = span.spanId;
            batch_->evals.push_back(e);
        }
        batch_->spans.push_back(span);
    }

    SourceIndex source_;
    std::string file_;
    sj::parser parser_;
    std::optional<SpanAttributeMapper> mapper_;
    const JsonDocument* doc_ = nullptr;
    const char* base_ = nullptr;
    RecordBatch* batch_ = nullptr;
    std::string scratch_;
    std::string lastTraceText_;
    const RecordBatch* lastTraceBatch_ = nullptr;
    StringId lastTraceId_;
};

}  // namespace

ReadOutcome readOtlpJson(const MappedFile& file, const ReadRequest& request, DatasetBuilder& builder) {
    const bool jsonLines = looksLikeJsonLines(file.view());
    const std::string name = request.displayName;
    const SourceIndex source = request.source;
    ReadOutcome outcome = readJsonDocuments(file, request, builder, jsonLines, [&] {
        return std::make_unique<OtlpHandler>(source, name);
    });
    return outcome;
}

}  // namespace ps
