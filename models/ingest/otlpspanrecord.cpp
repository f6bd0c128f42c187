#include "otlpspanrecord.h"

#include <charconv>
#include <cmath>
#include <string>

#include "jsontext.h"
#include "traceids.h"
#include "utf8repair.h"

namespace ps {
namespace {

namespace dom = simdjson::dom;
namespace sj = simdjson::ondemand;

bool is(std::string_view key, std::string_view camel, std::string_view snake) {
    return key == camel || key == snake;
}

std::string_view stringOf(dom::element e) {
    std::string_view s;
    return e.get_string().get(s) == simdjson::SUCCESS ? s : std::string_view{};
}

// 64-bit integers arrive as decimal strings (the spec) or JSON numbers (some SDKs), sometimes as doubles.
bool int64Of(dom::element e, int64_t* out) {
    switch (e.type()) {
        case dom::element_type::INT64:
            *out = e.get_int64().value_unsafe();
            return true;
        case dom::element_type::UINT64: {
            const uint64_t u = e.get_uint64().value_unsafe();
            *out = u > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(u);
            return true;
        }
        case dom::element_type::DOUBLE: {
            const double d = e.get_double().value_unsafe();
            if (!std::isfinite(d) || std::abs(d) >= 9.2e18) {
                return false;
            }
            *out = static_cast<int64_t>(d);
            return true;
        }
        case dom::element_type::STRING: {
            const std::string_view s = e.get_string().value_unsafe();
            const auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
            return r.ec == std::errc() && r.ptr == s.data() + s.size();
        }
        default:
            return false;
    }
}

// Hex span ids in lower case; base64 ones decoded to hex; anything else as written.
std::string spanIdText(std::string_view id) {
    if (id.empty()) {
        return {};
    }
    const bool hex =
        id.size() == 16 && id.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
    if (hex || id.size() == 12) {
        const uint64_t v = parseSpanId(id);
        if (v == 0) {
            return {};
        }
        char buf[17];
        static constexpr char kHex[] = "0123456789abcdef";
        for (int i = 0; i < 16; ++i) {
            buf[i] = kHex[(v >> (60 - 4 * i)) & 15];
        }
        return std::string(buf, 16);
    }
    return std::string(id);
}

std::string traceIdText(std::string_view id) {
    std::string scratch;
    return std::string(canonicalTraceId(id, scratch));
}

// An OTLP AnyValue as JSON (for arrays and maps shown on one line, and for structured message attributes).
void appendAnyValueJson(std::string& out, dom::element v, int depth);

void appendAnyValueList(std::string& out, dom::element list, bool map, int depth) {
    out += map ? '{' : '[';
    dom::array values;
    dom::element inner;
    if (list.type() == dom::element_type::OBJECT && list["values"].get(inner) == simdjson::SUCCESS &&
        inner.get_array().get(values) == simdjson::SUCCESS) {
        bool first = true;
        for (dom::element e : values) {
            out += first ? "" : ", ";
            first = false;
            if (map) {
                dom::element key;
                dom::element value;
                appendQuotedJson(out, e["key"].get(key) == simdjson::SUCCESS ? stringOf(key) : "");
                out += ": ";
                if (e["value"].get(value) == simdjson::SUCCESS) {
                    appendAnyValueJson(out, value, depth + 1);
                } else {
                    out += "null";
                }
            } else {
                appendAnyValueJson(out, e, depth + 1);
            }
        }
    }
    out += map ? '}' : ']';
}

void appendAnyValueJson(std::string& out, dom::element v, int depth) {
    if (v.type() != dom::element_type::OBJECT || depth > 64) {
        appendJson(out, v, false);  // not an AnyValue: shown as the JSON it is
        return;
    }
    for (dom::key_value_pair field : objectOf(v)) {
        const std::string_view k = field.key;
        if (is(k, "stringValue", "string_value") || is(k, "bytesValue", "bytes_value")) {
            appendQuotedJson(out, stringOf(field.value));
            return;
        }
        if (is(k, "intValue", "int_value")) {
            int64_t i = 0;
            out += int64Of(field.value, &i) ? std::to_string(i) : std::string("null");
            return;
        }
        if (is(k, "doubleValue", "double_value") || is(k, "boolValue", "bool_value")) {
            appendJson(out, field.value, false);
            return;
        }
        if (is(k, "arrayValue", "array_value") || is(k, "kvlistValue", "kvlist_value")) {
            appendAnyValueList(out, field.value, k[0] == 'k', depth);
            return;
        }
    }
    out += "null";
}

DetailAttribute attributeOf(std::string_view key, dom::element value, AttributeGroup group) {
    DetailAttribute a;
    a.key = std::string(key);
    a.group = group;
    a.type = "empty";
    if (value.type() != dom::element_type::OBJECT) {
        a.type = "json";
        a.value = jsonText(value, false);
        return a;
    }
    for (dom::key_value_pair field : objectOf(value)) {
        const std::string_view k = field.key;
        if (is(k, "stringValue", "string_value")) {
            a.type = "string";
            a.value = std::string(stringOf(field.value));
        } else if (is(k, "bytesValue", "bytes_value")) {
            a.type = "bytes";
            a.value = std::string(stringOf(field.value));
        } else if (is(k, "intValue", "int_value")) {
            int64_t i = 0;
            a.type = "int";
            a.value = int64Of(field.value, &i) ? std::to_string(i) : std::string(stringOf(field.value));
        } else if (is(k, "doubleValue", "double_value")) {
            a.type = "double";
            double d = 0;
            a.value = field.value.get_double().get(d) == simdjson::SUCCESS
                          ? doubleText(d)
                          : std::string(stringOf(field.value));
        } else if (is(k, "boolValue", "bool_value")) {
            a.type = "bool";
            a.value = jsonText(field.value, false);
        } else if (is(k, "arrayValue", "array_value") || is(k, "kvlistValue", "kvlist_value")) {
            a.type = k[0] == 'a' ? "array" : "map";
            appendAnyValueList(a.value, field.value, k[0] == 'k', 0);
        } else {
            continue;
        }
        break;
    }
    return a;
}

// Calls fn(key, value) for each {key, value} of an attribute list; value is null when the entry has none.
template <typename Fn>
void forEachAttribute(dom::element list, Fn&& fn) {
    dom::array array;
    if (list.get_array().get(array) != simdjson::SUCCESS) {
        return;
    }
    for (dom::element e : array) {
        dom::element key;
        dom::element value;
        if (e.type() != dom::element_type::OBJECT || e["key"].get(key) != simdjson::SUCCESS) {
            continue;
        }
        const bool hasValue = e["value"].get(value) == simdjson::SUCCESS;
        fn(stringOf(key), hasValue ? &value : nullptr);
    }
}

std::vector<DetailAttribute> attributesOf(dom::element list, bool resource) {
    std::vector<DetailAttribute> out;
    forEachAttribute(list, [&](std::string_view key, const dom::element* value) {
        const AttributeGroup group = resource ? AttributeGroup::Resource : attributeGroupOf(key);
        if (value == nullptr) {
            out.push_back({std::string(key), {}, "empty", group});
        } else {
            out.push_back(attributeOf(key, *value, group));
        }
    });
    return out;
}

std::string kindText(dom::element e) {
    static constexpr std::string_view kNames[] = {"", "internal", "server", "client", "producer", "consumer"};
    int64_t code = -1;
    if (e.type() != dom::element_type::STRING && int64Of(e, &code) && code >= 0 && code <= 5) {
        return std::string(kNames[code]);
    }
    std::string_view s = stringOf(e);
    if (s.starts_with("SPAN_KIND_")) {
        s.remove_prefix(10);
    }
    std::string out(s);
    for (char& c : out) {
        c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out == "unspecified" ? std::string() : out;
}

std::string statusCodeText(dom::element e) {
    int64_t code = 0;
    if (e.type() != dom::element_type::STRING && int64Of(e, &code)) {
        return code == 2 ? "error" : code == 1 ? "ok" : "unset";
    }
    const std::string_view s = stringOf(e);
    if (s.ends_with("ERROR") || s == "Error" || s == "error") {
        return "error";
    }
    if (s.ends_with("OK") || s == "Ok" || s == "ok") {
        return "ok";
    }
    return "unset";
}

DetailEvent eventOf(dom::element e) {
    DetailEvent ev;
    if (e.type() != dom::element_type::OBJECT) {
        return ev;
    }
    for (dom::key_value_pair field : objectOf(e)) {
        const std::string_view k = field.key;
        if (k == "name") {
            ev.name = std::string(stringOf(field.value));
        } else if (is(k, "timeUnixNano", "time_unix_nano")) {
            int64Of(field.value, &ev.timeNs);
        } else if (k == "attributes") {
            ev.attributes = attributesOf(field.value, false);
        }
    }
    for (const DetailAttribute& a : ev.attributes) {
        if (a.key == "exception.type") {
            ev.exceptionType = a.value;
        } else if (a.key == "exception.message") {
            ev.exceptionMessage = a.value;
        } else if (a.key == "exception.stacktrace") {
            ev.stacktrace = a.value;
        }
    }
    return ev;
}

DetailLink linkOf(dom::element e) {
    DetailLink link;
    if (e.type() != dom::element_type::OBJECT) {
        return link;
    }
    for (dom::key_value_pair field : objectOf(e)) {
        const std::string_view k = field.key;
        if (is(k, "traceId", "trace_id")) {
            link.traceId = traceIdText(stringOf(field.value));
        } else if (is(k, "spanId", "span_id")) {
            link.spanId = spanIdText(stringOf(field.value));
        } else if (is(k, "traceState", "trace_state")) {
            link.traceState = std::string(stringOf(field.value));
        } else if (k == "attributes") {
            link.attributes = attributesOf(field.value, false);
        }
    }
    return link;
}

void readSpanObject(dom::object span, SpanDetails& out) {
    for (dom::key_value_pair field : span) {
        const std::string_view k = field.key;
        if (is(k, "traceId", "trace_id")) {
            out.traceId = traceIdText(stringOf(field.value));
        } else if (is(k, "spanId", "span_id")) {
            out.spanId = spanIdText(stringOf(field.value));
        } else if (is(k, "parentSpanId", "parent_span_id")) {
            out.parentSpanId = spanIdText(stringOf(field.value));
        } else if (is(k, "traceState", "trace_state")) {
            out.traceState = std::string(stringOf(field.value));
        } else if (k == "name") {
            out.name = std::string(stringOf(field.value));
        } else if (k == "kind") {
            out.kind = kindText(field.value);
        } else if (is(k, "startTimeUnixNano", "start_time_unix_nano")) {
            int64Of(field.value, &out.startNs);
        } else if (is(k, "endTimeUnixNano", "end_time_unix_nano")) {
            int64Of(field.value, &out.endNs);
        } else if (k == "attributes") {
            out.attributes = attributesOf(field.value, false);
        } else if (k == "events") {
            dom::array events;
            if (field.value.get_array().get(events) == simdjson::SUCCESS) {
                for (dom::element e : events) {
                    out.events.push_back(eventOf(e));
                }
            }
        } else if (k == "links") {
            dom::array links;
            if (field.value.get_array().get(links) == simdjson::SUCCESS) {
                for (dom::element e : links) {
                    out.links.push_back(linkOf(e));
                }
            }
        } else if (k == "status" && field.value.type() == dom::element_type::OBJECT) {
            out.statusCode = "unset";
            for (dom::key_value_pair s : objectOf(field.value)) {
                if (s.key == "code") {
                    out.statusCode = statusCodeText(s.value);
                } else if (s.key == "message") {
                    out.statusMessage = std::string(stringOf(s.value));
                }
            }
        }
    }
}

// Parses JSON text that may hold invalid UTF-8 (repaired byte by byte, as the reader does).
simdjson::error_code parseRepaired(dom::parser& parser, std::string_view json, dom::element* root,
                                   std::string* repaired) {
    auto error = parser.parse(json.data(), json.size(), true).get(*root);
    if (error == simdjson::UTF8_ERROR) {
        repaired->assign(json);
        repairUtf8(*repaired);
        error = parser.parse(repaired->data(), repaired->size(), true).get(*root);
    }
    return error;
}

}  // namespace

bool readOtlpSpanRecord(std::string_view spanJson, SpanDetails& out) {
    dom::parser parser;
    dom::element root;
    std::string repaired;
    const auto error = parseRepaired(parser, spanJson, &root, &repaired);
    if (error != simdjson::SUCCESS) {
        out.error =
            std::string("the span's record is not valid JSON (") + simdjson::error_message(error) + ")";
        return false;
    }
    dom::object span;
    if (root.get_object().get(span) != simdjson::SUCCESS) {
        out.error = "the span's record is not a JSON object";
        return false;
    }
    readSpanObject(span, out);
    if (!repaired.empty()) {
        out.notice = "the record holds invalid UTF-8; those bytes are shown as '?'";
    }
    return true;
}

void readOtlpResource(std::string_view resourceJson, SpanDetails& out) {
    dom::parser parser;
    dom::element root;
    std::string repaired;
    if (parseRepaired(parser, resourceJson, &root, &repaired) != simdjson::SUCCESS) {
        return;
    }
    dom::element list;
    if (root.type() == dom::element_type::OBJECT && root["attributes"].get(list) == simdjson::SUCCESS) {
        for (DetailAttribute& a : attributesOf(list, true)) {
            out.attributes.push_back(std::move(a));
        }
    }
}

void readOtlpScope(std::string_view scopeJson, SpanDetails& out) {
    dom::parser parser;
    dom::element root;
    std::string repaired;
    if (parseRepaired(parser, scopeJson, &root, &repaired) != simdjson::SUCCESS ||
        root.type() != dom::element_type::OBJECT) {
        return;
    }
    std::vector<DetailAttribute> attributes;
    for (dom::key_value_pair field : objectOf(root)) {
        if (field.key == "name") {
            out.scopeName = std::string(stringOf(field.value));
        } else if (field.key == "version") {
            out.scopeVersion = std::string(stringOf(field.value));
        } else if (field.key == "attributes") {
            attributes = attributesOf(field.value, true);
        }
    }
    // Named as OpenTelemetry names them when it flattens a scope into attributes (Jaeger, Zipkin exporters).
    if (!out.scopeName.empty()) {
        out.attributes.push_back({"otel.scope.name", out.scopeName, "string", AttributeGroup::Resource});
    }
    if (!out.scopeVersion.empty()) {
        out.attributes.push_back(
            {"otel.scope.version", out.scopeVersion, "string", AttributeGroup::Resource});
    }
    for (DetailAttribute& a : attributes) {
        out.attributes.push_back(std::move(a));
    }
}

namespace {

// The raw text of an object value (consumed); empty for another type.
std::string rawObject(sj::value v) {
    if (v.type() != sj::json_type::object) {
        return {};
    }
    sj::object o = v.get_object();
    const std::string_view raw = o.raw_json();
    return std::string(raw);
}

}  // namespace

OtlpEnvelope findOtlpEnvelope(std::string_view document, size_t spanPosition) {
    OtlpEnvelope out;
    const simdjson::padded_string padded(document);
    sj::parser parser;
    const char* base = padded.data();
    auto visitResourceSpans = [&](sj::value list) {
        for (auto entry : list.get_array()) {
            OtlpEnvelope here;
            for (sj::field field : entry.value().get_object()) {
                const std::string_view key = field.unescaped_key();
                if (key == "resource") {
                    here.resourceJson = rawObject(field.value());
                } else if (is(key, "scopeSpans", "scope_spans") ||
                           is(key, "instrumentationLibrarySpans", "instrumentation_library_spans")) {
                    for (auto scope : field.value().get_array()) {
                        std::string scopeJson;
                        bool inThisScope = false;
                        for (sj::field sf : scope.value().get_object()) {
                            const std::string_view sk = sf.unescaped_key();
                            if (sk == "scope" ||
                                is(sk, "instrumentationLibrary", "instrumentation_library")) {
                                scopeJson = rawObject(sf.value());
                            } else if (sk == "spans") {
                                for (auto span : sf.value().get_array()) {
                                    sj::value v = span.value();
                                    const char* at = v.raw_json_token().data();
                                    inThisScope |= static_cast<size_t>(at - base) == spanPosition;
                                }
                            }
                        }
                        if (inThisScope) {
                            here.found = true;
                            here.scopeJson = std::move(scopeJson);
                        }
                    }
                }
            }
            if (here.found) {
                out = std::move(here);
                return true;
            }
        }
        return false;
    };
    auto visitRequest = [&](sj::object request) {
        for (sj::field field : request) {
            const std::string_view key = field.unescaped_key();
            if (is(key, "resourceSpans", "resource_spans") && visitResourceSpans(field.value())) {
                return true;
            }
        }
        return false;
    };
    try {
        sj::document doc = parser.iterate(padded);
        if (doc.type() == sj::json_type::array) {
            for (auto element : doc.get_array()) {
                if (element.value().type() == sj::json_type::object &&
                    visitRequest(element.value().get_object())) {
                    break;
                }
            }
        } else if (doc.type() == sj::json_type::object) {
            visitRequest(doc.get_object());
        }
    } catch (const simdjson::simdjson_error&) {
        return out;  // malformed after the span's entry was read whole: what was found stands
    }
    return out;
}

}  // namespace ps
