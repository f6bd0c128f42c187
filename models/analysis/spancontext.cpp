#include "spancontext.h"

#include <algorithm>

#include "spantiming.h"

namespace ps {

SpanContext spanContext(const Dataset& d, SpanIndex span) {
    SpanContext c;
    if (span.value >= d.spanCount()) {
        return c;
    }
    c.span = span;
    c.request = d.requestOfSpan(span);
    if (!c.request.isValid()) {
        return c;
    }
    const uint32_t r = c.request.value;
    // A request's model calls are stored in span order.
    const auto& calls = d.generations.span;
    const auto first = calls.begin() + d.requests.firstGeneration[r];
    const auto last = calls.begin() + d.generationEnd(c.request);
    const auto it = std::lower_bound(first, last, span.value);
    if (it != last && *it == span.value) {
        c.generation = static_cast<uint32_t>(it - calls.begin());
        c.promptName = d.generations.promptName[c.generation];
        c.promptVersion = d.generations.promptVersion[c.generation];
    } else {
        c.promptName = d.requests.promptName[r];
        c.promptVersion = d.requests.promptVersion[r];
    }
    // The last record of a version wins, as the builder keeps one per version.
    for (const PromptVersionRecord& p : d.promptVersions) {
        if (!c.promptVersion.isEmpty() && p.version == c.promptVersion &&
            (p.prompt == c.promptName || c.promptName.isEmpty())) {
            c.promptRecord = &p;
        }
    }
    for (size_t i = 0; i < d.evals.size(); ++i) {
        if (d.evals.request[i] == r) {
            c.evals.push_back(static_cast<uint32_t>(i));
        }
    }
    for (size_t i = 0; i < d.signals.size(); ++i) {
        if (d.signals.request[i] == r) {
            c.signals.push_back(static_cast<uint32_t>(i));
        }
    }
    for (size_t i = 0; i < d.errors.size(); ++i) {
        if (d.errors.span[i] == span.value) {
            c.errorType = d.errors.type[i];
            c.errorMessage = d.errors.message[i];
            break;
        }
    }
    c.selfNs = selfTimeNs(d, span);
    c.children = childCount(d, span);
    return c;
}

}  // namespace ps
