#include "jsontext.h"

#include <charconv>
#include <cmath>

namespace ps {
namespace {

namespace dom = simdjson::dom;

void newline(std::string& out, int indent) {
    out += '\n';
    out.append(static_cast<size_t>(indent) * 2, ' ');
}

}  // namespace

simdjson::dom::object objectOf(simdjson::dom::element value) {
    simdjson::dom::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) {
        return {};
    }
    return object;
}

void appendQuotedJson(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (u < 0x20) {
                    out += "\\u00";
                    out += kHex[u >> 4];
                    out += kHex[u & 15];
                } else {
                    out += c;
                }
        }
    }
    out += '"';
}

std::string doubleText(double v) {
    if (std::isnan(v)) {
        return "NaN";
    }
    if (std::isinf(v)) {
        return v > 0 ? "Infinity" : "-Infinity";
    }
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

void appendJson(std::string& out, dom::element value, bool pretty, int indent) {
    switch (value.type()) {
        case dom::element_type::ARRAY: {
            dom::array array;
            if (value.get_array().get(array) != simdjson::SUCCESS) {
                return;
            }
            if (array.size() == 0) {
                out += "[]";
                return;
            }
            out += '[';
            bool first = true;
            for (dom::element e : array) {
                out += first ? "" : (pretty ? "," : ", ");
                first = false;
                if (pretty) {
                    newline(out, indent + 1);
                }
                appendJson(out, e, pretty, indent + 1);
            }
            if (pretty) {
                newline(out, indent);
            }
            out += ']';
            return;
        }
        case dom::element_type::OBJECT: {
            dom::object object = objectOf(value);
            if (object.size() == 0) {
                out += "{}";
                return;
            }
            out += '{';
            bool first = true;
            for (dom::key_value_pair field : object) {
                out += first ? "" : (pretty ? "," : ", ");
                first = false;
                if (pretty) {
                    newline(out, indent + 1);
                }
                appendQuotedJson(out, field.key);
                out += ": ";
                appendJson(out, field.value, pretty, indent + 1);
            }
            if (pretty) {
                newline(out, indent);
            }
            out += '}';
            return;
        }
        case dom::element_type::STRING:
            appendQuotedJson(out, value.get_string().value_unsafe());
            return;
        case dom::element_type::INT64:
            out += std::to_string(value.get_int64().value_unsafe());
            return;
        case dom::element_type::UINT64:
            out += std::to_string(value.get_uint64().value_unsafe());
            return;
        case dom::element_type::DOUBLE:
            out += doubleText(value.get_double().value_unsafe());
            return;
        case dom::element_type::BOOL:
            out += value.get_bool().value_unsafe() ? "true" : "false";
            return;
        case dom::element_type::NULL_VALUE:
            out += "null";
            return;
    }
}

std::string jsonText(dom::element value, bool pretty) {
    std::string out;
    appendJson(out, value, pretty);
    return out;
}

std::string prettyIfJson(std::string_view text) {
    size_t b = 0;
    while (b < text.size() && (text[b] == ' ' || text[b] == '\n' || text[b] == '\r' || text[b] == '\t')) {
        ++b;
    }
    if (b == text.size() || (text[b] != '{' && text[b] != '[')) {
        return std::string(text);
    }
    dom::parser parser;
    dom::element root;
    if (parser.parse(text.data(), text.size(), true).get(root) != simdjson::SUCCESS) {
        return std::string(text);
    }
    return jsonText(root, true);
}

size_t jsonObjectLength(std::string_view text) {
    int depth = 0;
    bool inString = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                inString = false;
            }
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (--depth == 0) {
                return i + 1;
            }
        }
    }
    return 0;
}

}  // namespace ps
