// A Dataset of many requests written straight into its columns (no file, no builder), for the trace list's
// tests and benchmark: one span per request, one to three model calls each, with ties, missing costs, empty
// features, errors, refusals, evals and feedback spread over the rows.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>

#include "dataset.h"

namespace ps::testing {

inline DatasetPtr syntheticRequests(size_t n, uint64_t seed = 1) {
    auto d = std::make_shared<Dataset>();
    uint64_t state = seed * 0x9e3779b97f4a7c15ULL + 1;
    auto next = [&state] {  // splitmix64
        uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    };
    const StringId features[] = {StringId{}, d->strings.intern("support_chatbot"),
                                 d->strings.intern("invoice_parser"), d->strings.intern("sales_email_writer"),
                                 d->strings.intern("Zeta feature")};
    const StringId prompts[] = {d->strings.intern("support_answer"), d->strings.intern("invoice_extract")};
    const StringId versions[] = {d->strings.intern("9"), d->strings.intern("42"), d->strings.intern("43")};
    const StringId models[] = {d->strings.intern("gpt-4.1"), d->strings.intern("gpt-4.1-mini"),
                               d->strings.intern("claude-sonnet-4"), d->strings.intern("o3")};
    RequestColumns& rq = d->requests;
    rq.resize(n);
    d->spans.resize(n);
    size_t calls = 0;
    char id[40];
    for (size_t i = 0; i < n; ++i) {
        const uint64_t r = next();
        std::snprintf(id, sizeof id, "%016llx%016llx", static_cast<unsigned long long>(next()),
                      static_cast<unsigned long long>(i));
        rq.traceId[i] = d->strings.intern(id);
        rq.firstSpan[i] = static_cast<uint32_t>(i);
        rq.firstGeneration[i] = static_cast<uint32_t>(calls);
        // Requests start in pairs: ties for the time column.
        rq.startNs[i] = 1'790'000'000'000'000'000LL + static_cast<int64_t>(i / 2) * 500'000'000LL;
        // Whole milliseconds from a heavy-tailed spread: many ties.
        rq.durationNs[i] = static_cast<int64_t>(std::exp(5.0 + 2.0 * static_cast<double>(r % 1000) / 1000.0) *
                                                static_cast<double>(1 + (r >> 60))) *
                           1'000'000LL;
        rq.feature[i] = features[(r >> 8) % 5];
        rq.promptName[i] = prompts[(r >> 12) % 2];
        rq.promptVersion[i] = versions[(r >> 14) % 3];
        rq.model[i] = models[(r >> 16) % 4];
        rq.inputTokens[i] = static_cast<uint32_t>((r >> 20) % 4000);
        rq.outputTokens[i] = static_cast<uint32_t>((r >> 32) % 700);
        rq.costUsd[i] = (r >> 24) % 17 == 0 ? kNaN : static_cast<double>((r >> 40) % 5000) / 1e5;
        uint16_t flags = 0;
        if ((r >> 44) % 11 == 0) {
            flags |= kRequestError;
            rq.errorClass[i] = static_cast<ErrorClass>(1 + (r >> 48) % (kErrorClassCount - 1));
        }
        if ((r >> 50) % 23 == 0) {
            flags |= kRequestRefusal;
        }
        if ((r >> 52) % 7 == 0) {
            flags |= kRequestThumbsUp;
        }
        if ((r >> 55) % 9 == 0) {
            flags |= kRequestThumbsDown;
        }
        if ((r >> 6) % 37 == 0) {
            flags |= kRequestCostFromPricing;
        }
        rq.flags[i] = flags;
        rq.evalFail[i] = static_cast<uint8_t>((r >> 58) % 3 == 0 ? (r >> 4) % 3 : 0);
        rq.evalPass[i] = static_cast<uint8_t>((r >> 2) % 3);
        d->spans.parent[i] = SpanIndex::kInvalid;
        d->spans.startNs[i] = rq.startNs[i];
        d->spans.durationNs[i] = rq.durationNs[i];
        d->spans.name[i] = rq.feature[i];
        d->spans.kind[i] = SpanKind::Llm;
        d->spans.status[i] = (flags & kRequestError) != 0 ? SpanStatus::Error : SpanStatus::Ok;
        calls += 1 + (r >> 62);  // one to four calls
    }
    GenerationColumns& g = d->generations;
    g.resize(calls);
    for (size_t i = 0; i < n; ++i) {
        const size_t end = i + 1 < n ? rq.firstGeneration[i + 1] : calls;
        for (size_t c = rq.firstGeneration[i]; c < end; ++c) {
            g.span[c] = static_cast<uint32_t>(i);
            // The first call uses the request's model; later ones sometimes another.
            const uint64_t r = next();
            g.model[c] = c == rq.firstGeneration[i] || r % 3 == 0 ? rq.model[i] : models[r % 4];
            g.promptName[c] = rq.promptName[i];
            g.promptVersion[c] = rq.promptVersion[i];
        }
    }
    return d;
}

}  // namespace ps::testing
