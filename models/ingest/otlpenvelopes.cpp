#include "otlpenvelopes.h"

#include <string>

#include "simdjsonbuiltin.h"

namespace ps {
namespace {

namespace sj = simdjson::ondemand;

bool isSpace(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

bool is(std::string_view key, std::string_view camel, std::string_view snake) {
    return key == camel || key == snake;
}

std::string rawObject(sj::value v) {
    if (v.type() != sj::json_type::object) {
        return {};
    }
    sj::object o = v.get_object();
    return std::string(o.raw_json().value());
}

class EnvelopeWalker {
public:
    EnvelopeWalker(const char* base, OtlpEnvelopeList& out) : base_(base), out_(out) {}

    void request(sj::object request) {
        for (sj::field field : request) {
            if (is(field.unescaped_key().value(), "resourceSpans", "resource_spans")) {
                resourceSpans(field.value());
            }
        }
    }

private:
    void resourceSpans(sj::value list) {
        for (auto entry : list.get_array()) {
            std::string resource;
            const size_t firstEnvelope = out_.envelopes.size();
            for (sj::field field : entry.value().get_object()) {
                const std::string_view key = field.unescaped_key().value();
                if (key == "resource") {
                    resource = rawObject(field.value());
                } else if (is(key, "scopeSpans", "scope_spans") ||
                           is(key, "instrumentationLibrarySpans", "instrumentation_library_spans")) {
                    for (auto scope : field.value().get_array()) {
                        scopeEntry(scope.value());
                    }
                }
            }
            // The resource may come after its scopes in the text; it belongs to all of them.
            for (size_t e = firstEnvelope; e < out_.envelopes.size(); ++e) {
                out_.envelopes[e].resourceJson = resource;
            }
        }
    }

    void scopeEntry(sj::value scope) {
        const auto envelope = static_cast<uint32_t>(out_.envelopes.size());
        out_.envelopes.emplace_back();
        out_.envelopes.back().found = true;
        for (sj::field field : scope.get_object()) {
            const std::string_view key = field.unescaped_key().value();
            if (key == "scope" || is(key, "instrumentationLibrary", "instrumentation_library")) {
                out_.envelopes[envelope].scopeJson = rawObject(field.value());
            } else if (key == "spans") {
                for (auto span : field.value().get_array()) {
                    sj::value v = span.value();
                    const char* at = v.raw_json_token().data();
                    size_t length = 0;
                    if (v.type() == sj::json_type::object) {
                        // Skipping the object by its structural characters is faster than scanning its bytes.
                        sj::object object = v.get_object();
                        std::string_view raw = object.raw_json();
                        while (!raw.empty() && isSpace(raw.back())) {
                            raw.remove_suffix(1);  // raw_json() runs up to the next token
                        }
                        length = raw.size();
                    }
                    out_.spans.push_back({static_cast<size_t>(at - base_), envelope, length});
                }
            }
        }
    }

    const char* base_;
    OtlpEnvelopeList& out_;
};

}  // namespace

OtlpEnvelopeList listOtlpEnvelopes(std::string_view document) {
    OtlpEnvelopeList out;
    const simdjson::padded_string padded(document);
    sj::parser parser;
    EnvelopeWalker walker(padded.data(), out);
    try {
        sj::document doc = parser.iterate(padded);
        if (doc.type() == sj::json_type::array) {
            for (auto element : doc.get_array()) {
                if (element.value().type() == sj::json_type::object) {
                    walker.request(element.value().get_object());
                }
            }
        } else if (doc.type() == sj::json_type::object) {
            walker.request(doc.get_object());
        }
    } catch (const simdjson::simdjson_error&) {
        return out;  // what was read before the fault stands
    }
    return out;
}

}  // namespace ps
