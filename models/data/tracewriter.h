// Writes one trace's rows into a Dataset under assembly: its span rows and request row in place (sized up front),
// its generations, evals and errors into a Part of its own, so that several writers can fill disjoint ranges of
// requests on several threads; the parts are then joined in order.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "dataset.h"
#include "pricingtable.h"
#include "rawrecords.h"

namespace ps {

class TraceWriter {
public:
    struct Part {
        GenerationColumns generations;
        EvalColumns evals;
        ErrorColumns errors;
        std::vector<TenantRecord> tenants;
        uint64_t costFromPricing = 0;
        uint64_t costUnknown = 0;
    };

    // Span rows are written from firstSpanRow on, trace after trace.
    TraceWriter(Dataset& ds, const PricingTable* pricing, Part& part, uint32_t firstSpanRow);

    // spans: the trace's spans in depth-first order; parentPos: each one's parent position in that order.
    void write(RequestIndex req, const RawSpan* const* spans, const uint32_t* parentPos, uint32_t k,
               const RawEval* const* evals, uint32_t evalCount);

private:
    struct Context {
        std::array<StringId, 8> fields;
    };

    const ModelPrice* priceFor(StringId model);

    Dataset& ds_;
    const PricingTable* pricing_;
    Part& part_;
    std::vector<const ModelPrice*> priceCache_;
    std::vector<uint8_t> priceLooked_;
    std::vector<Context> ctx_;
    uint32_t spanCursor_;
};

// Appends the parts' rows to the dataset in order, shifting each request's firstGeneration by the generations
// of the parts before it. requestBegin[p] is the first request row part p wrote.
void joinParts(Dataset& ds, std::vector<TraceWriter::Part>& parts, const std::vector<uint32_t>& requestBegin);

// Error class from what a failing span says about itself.
ErrorClass classifyError(std::string_view errorType, std::string_view message, uint16_t httpStatus, SpanKind kind);

}  // namespace ps
