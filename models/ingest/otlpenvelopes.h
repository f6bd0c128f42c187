// Every span of an OTLP/JSON export request with the resource and scope it was exported under, found in one
// walk of the document. Saving a dataset stores each span's record with its envelope; looking the envelope up
// span by span (findOtlpEnvelope) would walk a line holding thousands of spans once per span.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "otlpspanrecord.h"

namespace ps {

struct OtlpSpanPlace {
    size_t spanPosition = 0;  // byte offset of the span object's '{' in the document
    uint32_t envelope = 0;    // index into OtlpEnvelopeList::envelopes
    size_t length = 0;        // bytes of the span object, from '{' to '}'; 0 when the span is not an object
};

struct OtlpEnvelopeList {
    std::vector<OtlpEnvelope> envelopes;  // one per scope entry, in document order
    std::vector<OtlpSpanPlace> spans;     // in document order, so sorted by position
};

// Walks `document` (an ExportTraceServiceRequest or an array of them). Never throws; a malformed document
// gives what was read before the fault.
OtlpEnvelopeList listOtlpEnvelopes(std::string_view document);

}  // namespace ps
