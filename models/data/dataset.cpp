#include "dataset.h"

#include <algorithm>

#include "hugepages.h"

namespace ps {
namespace {

template <typename T>
size_t bytesOf(const std::vector<T>& v) {
    return v.capacity() * sizeof(T);
}

template <typename... Vs>
size_t sumBytes(const Vs&... vs) {
    return (bytesOf(vs) + ...);
}

template <typename V>
void resizeColumn(size_t n, V& v) {
    if (v.empty() && n >= (size_t{1} << 16)) {
        resizeHuge(v, n);  // the first sizing of a big column: written once, right after
    } else {
        v.resize(n);
    }
}

template <typename... Vs>
void resizeAll(size_t n, Vs&... vs) {
    (resizeColumn(n, vs), ...);
}

}  // namespace

void SpanColumns::resize(size_t n) {
    resizeAll(n, parent, startNs, durationNs, name, service, kind, status, cold);
}

size_t SpanColumns::memoryBytes() const {
    return sumBytes(parent, startNs, durationNs, name, service, kind, status);
}

void GenerationColumns::resize(size_t n) {
    resizeAll(n, span, model, provider, promptName, promptVersion, finishReason, inputTokens, outputTokens,
              cachedTokens, reasoningTokens, costUsd, costSource, ttftUs);
}

size_t GenerationColumns::memoryBytes() const {
    return sumBytes(span, model, provider, promptName, promptVersion, finishReason, inputTokens,
                    outputTokens, cachedTokens, reasoningTokens, costUsd, costSource, ttftUs);
}

void RequestColumns::resize(size_t n) {
    resizeAll(n, traceId, firstSpan, firstGeneration, startNs, durationNs, flags, errorClass, feature, promptName,
              promptVersion, model, provider, environment, user, session, tenant, finishReason, inputTokens,
              outputTokens, cachedTokens, costUsd, toolCalls, evalPass, evalFail);
}

size_t RequestColumns::memoryBytes() const {
    return sumBytes(traceId, firstSpan, firstGeneration, startNs, durationNs, flags, errorClass, feature, promptName,
                    promptVersion, model, provider, environment, user, session, tenant, finishReason, inputTokens,
                    outputTokens, cachedTokens, costUsd, toolCalls, evalPass, evalFail);
}

size_t EvalColumns::memoryBytes() const {
    return sumBytes(request, span, name, score, label, outcome, source, explanation);
}

size_t SignalColumns::memoryBytes() const {
    return sumBytes(request, session, type, timeNs, value);
}

uint32_t Dataset::spanEnd(RequestIndex r) const {
    return r.value + 1 < requests.size() ? requests.firstSpan[r.value + 1] : static_cast<uint32_t>(spans.size());
}

uint32_t Dataset::generationEnd(RequestIndex r) const {
    return r.value + 1 < requests.size() ? requests.firstGeneration[r.value + 1]
                                         : static_cast<uint32_t>(generations.size());
}

RequestIndex Dataset::requestOfSpan(SpanIndex s) const {
    const auto& first = requests.firstSpan;
    auto it = std::upper_bound(first.begin(), first.end(), s.value);
    if (it == first.begin()) {
        return RequestIndex{};
    }
    return RequestIndex{static_cast<uint32_t>(it - first.begin() - 1)};
}

RequestIndex Dataset::requestOfGeneration(uint32_t generation) const {
    const auto& first = requests.firstGeneration;
    // Requests without model calls share their firstGeneration with the next one: take the last of equals.
    auto it = std::upper_bound(first.begin(), first.end(), generation);
    if (it == first.begin()) {
        return RequestIndex{};
    }
    return RequestIndex{static_cast<uint32_t>(it - first.begin() - 1)};
}

RequestIndex Dataset::findRequest(std::string_view traceId) const {
    const auto id = strings.find(traceId);
    if (!id || id->isEmpty()) {
        return RequestIndex{};
    }
    auto it = std::lower_bound(requestsByTraceId.begin(), requestsByTraceId.end(), *id,
                               [this](uint32_t row, StringId key) { return requests.traceId[row] < key; });
    if (it == requestsByTraceId.end() || requests.traceId[*it] != *id) {
        return RequestIndex{};
    }
    return RequestIndex{*it};
}

size_t Dataset::hotColumnBytes() const {
    return spans.memoryBytes() + generations.memoryBytes() + requests.memoryBytes();
}

size_t Dataset::coldLocatorBytes() const {
    return bytesOf(spans.cold);
}

size_t Dataset::totalMemoryBytes() const {
    return hotColumnBytes() + coldLocatorBytes() + evals.memoryBytes() + signals.memoryBytes() +
           sumBytes(errors.span, errors.type, errors.message, errors.errorClass) + bytesOf(requestsByTraceId) +
           strings.memoryBytes();
}

}  // namespace ps
