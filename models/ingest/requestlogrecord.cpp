#include "requestlogrecord.h"

#include <string>

#include "jsontext.h"
#include "utf8repair.h"

namespace ps {
namespace {

namespace dom = simdjson::dom;

constexpr int kMaxFlattenDepth = 8;

void flatten(const std::string& prefix, dom::element value, int depth, std::vector<DetailAttribute>& out) {
    DetailAttribute a;
    a.key = prefix;
    switch (value.type()) {
        case dom::element_type::OBJECT:
            if (depth < kMaxFlattenDepth) {
                for (dom::key_value_pair field : objectOf(value)) {
                    flatten(prefix.empty() ? std::string(field.key) : prefix + "." + std::string(field.key),
                            field.value, depth + 1, out);
                }
                return;
            }
            a.type = "map";
            a.value = jsonText(value, false);
            break;
        case dom::element_type::ARRAY:
            a.type = "array";
            a.value = jsonText(value, false);
            break;
        case dom::element_type::STRING:
            a.type = "string";
            a.value = std::string(value.get_string().value_unsafe());
            break;
        case dom::element_type::INT64:
        case dom::element_type::UINT64:
            a.type = "int";
            a.value = jsonText(value, false);
            break;
        case dom::element_type::DOUBLE:
            a.type = "double";
            a.value = jsonText(value, false);
            break;
        case dom::element_type::BOOL:
            a.type = "bool";
            a.value = jsonText(value, false);
            break;
        case dom::element_type::NULL_VALUE:
            a.type = "empty";
            break;
    }
    a.group = attributeGroupOf(a.key);
    out.push_back(std::move(a));
}

}  // namespace

bool readRequestLogRecord(std::string_view json, SpanDetails& out) {
    dom::parser parser;
    dom::element root;
    std::string repaired;
    auto error = parser.parse(json.data(), json.size(), true).get(root);
    if (error == simdjson::UTF8_ERROR) {
        repaired.assign(json);
        repairUtf8(repaired);
        error = parser.parse(repaired.data(), repaired.size(), true).get(root);
        out.notice = "the record holds invalid UTF-8; those bytes are shown as '?'";
    }
    if (error != simdjson::SUCCESS) {
        out.error = std::string("the record is not valid JSON (") + simdjson::error_message(error) + ")";
        return false;
    }
    if (root.type() != dom::element_type::OBJECT) {
        out.error = "the record is not a JSON object";
        return false;
    }
    flatten({}, root, 0, out.attributes);
    out.statusCode = "ok";
    for (const DetailAttribute& a : out.attributes) {
        if ((a.key == "request_id" || (a.key == "trace_id" && out.traceId.empty())) && !a.value.empty()) {
            out.traceId = a.value;
        } else if ((a.key == "feature_id" || a.key == "feature") && out.name.empty()) {
            out.name = a.value;
        } else if (a.key == "error" && a.type != "empty" && a.value != "false") {
            out.statusCode = "error";
            out.statusMessage = a.value;
        } else if (a.key == "error.message") {
            out.statusCode = "error";
            out.statusMessage = a.value;
        } else if (a.key == "error.type" && out.statusMessage.empty()) {
            out.statusCode = "error";
            out.statusMessage = a.value;
        }
    }
    if (out.name.empty()) {
        out.name = "request";
    }
    return true;
}

}  // namespace ps
