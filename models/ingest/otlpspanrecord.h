// One OTLP/JSON span record read in full for the span details: ids, name, kind, times, status, every
// attribute as typed text, events and links; and the resource and instrumentation scope the span was exported
// under, found by walking the export request that holds it. Accepts the same variants as the reader
// (camelCase or snake_case keys, enum names or numbers, 64-bit numbers as strings, hex or base64 ids).
#pragma once

#include <string_view>

#include "spandetails.h"

namespace ps {

// Parses the span object (its JSON text exactly as it is in the source). On failure sets out.error and
// returns false; the text may hold invalid UTF-8 (replaced) and may be cut short (reported).
bool readOtlpSpanRecord(std::string_view spanJson, SpanDetails& out);

// Where a span sits in an export request: the raw JSON of the enclosing resource and scope objects.
struct OtlpEnvelope {
    std::string resourceJson;
    std::string scopeJson;
    bool found = false;  // the span was found at that position inside a resourceSpans entry
};

// Walks `document` (an ExportTraceServiceRequest, or an array of them) for the span object that starts at
// byte `spanPosition` of the document. Never throws; a malformed document gives found = false.
OtlpEnvelope findOtlpEnvelope(std::string_view document, size_t spanPosition);

// Appends the attributes of a resource object to out.attributes, in the Resource group.
void readOtlpResource(std::string_view resourceJson, SpanDetails& out);
// Sets out.scopeName/scopeVersion and appends the scope's attributes (Resource group, as otel.scope.* keys).
void readOtlpScope(std::string_view scopeJson, SpanDetails& out);

}  // namespace ps
