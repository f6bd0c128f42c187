#include "tracewriter.h"

#include "traceorder.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <span>

namespace ps {
namespace {

bool containsNoCase(std::string_view hay, std::string_view needle) {
    if (needle.size() > hay.size()) {
        return false;
    }
    auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
    return it != hay.end();
}

bool isRefusal(std::string_view finish) {
    return finish == "refusal" || finish == "content_filter" || finish == "refused";
}

bool isTruncation(std::string_view finish) {
    return finish == "length" || finish == "max_tokens" || finish == "max_output_tokens";
}

uint32_t clampU32(int64_t v) {
    if (v <= 0) {
        return 0;
    }
    return v > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(v);
}

// The context a span passes to its descendants.
std::array<StringId, 8> ownContext(const RawSpan& s) {
    return {s.promptName, s.promptVersion, s.feature, s.user, s.session, s.tenant, s.tenantTier, s.environment};
}

enum ContextField { kPromptName, kPromptVersion, kFeature, kUser, kSession, kTenant, kTenantTier, kEnvironment };

template <typename T>
void appendColumn(std::vector<T>& to, const std::vector<T>& from) {
    to.insert(to.end(), from.begin(), from.end());
}

}  // namespace

ErrorClass classifyError(std::string_view errorType, std::string_view message, uint16_t httpStatus, SpanKind kind) {
    auto says = [&](std::string_view word) { return containsNoCase(errorType, word) || containsNoCase(message, word); };
    if (httpStatus == 429 || says("429") || says("rate limit") || says("ratelimit") || says("rate_limit") ||
        says("too many requests")) {
        return ErrorClass::RateLimited;
    }
    if (says("timeout") || says("timed out") || says("deadline")) {
        return ErrorClass::Timeout;
    }
    if (kind == SpanKind::Tool) {
        return ErrorClass::ToolError;
    }
    if (httpStatus >= 500 || says("internalservererror") || says("internal server error") || says("overloaded") ||
        says("service unavailable") || says("serviceunavailable") || says("bad gateway") || says("500") ||
        says("502") || says("503") || says("apierror") || says("api_error")) {
        return ErrorClass::ProviderError;
    }
    if (says("validation") || says("schema") || says("jsondecode") || says("parse") || says("invalid output")) {
        return ErrorClass::Validation;
    }
    return ErrorClass::Other;
}

TraceWriter::TraceWriter(Dataset& ds, const PricingTable* pricing, Part& part, uint32_t firstSpanRow)
    : ds_(ds), pricing_(pricing), part_(part), spanCursor_(firstSpanRow) {
    priceCache_.assign(ds.strings.size(), nullptr);
    priceLooked_.assign(ds.strings.size(), 0);
}

const ModelPrice* TraceWriter::priceFor(StringId model) {
    if (pricing_ == nullptr || model.isEmpty()) {
        return nullptr;
    }
    if (!priceLooked_[model.value]) {
        priceLooked_[model.value] = 1;
        priceCache_[model.value] = pricing_->lookup(ds_.str(model));
    }
    return priceCache_[model.value];
}

void TraceWriter::write(RequestIndex req, const RawSpan* const* spans, const uint32_t* parentPos, uint32_t k,
                        const RawEval* const* evals, uint32_t evalCount) {
    auto& sp = ds_.spans;
    auto& gen = part_.generations;
    auto& rq = ds_.requests;
    const auto r = req.value;
    const uint32_t base = spanCursor_;
    spanCursor_ += k;
    const auto genBase = static_cast<uint32_t>(gen.size());

    rq.firstSpan[r] = base;
    rq.firstGeneration[r] = genBase;  // within this part; shifted when the parts are joined
    const RawSpan& root = *spans[0];
    rq.traceId[r] = root.traceId;
    rq.startNs[r] = root.startNs;
    rq.durationNs[r] = std::max<int64_t>(0, root.endNs - root.startNs);

    uint16_t flags = root.status == SpanStatus::Error ? kRequestError : 0;
    Context first{};  // first value of each field in depth-first order, for the request's dimensions
    StringId model;
    StringId provider;
    StringId finish;
    uint64_t in = 0;
    uint64_t out = 0;
    uint64_t cached = 0;
    double cost = 0;
    uint32_t tools = 0;
    ErrorClass errClass = ErrorClass::None;
    int64_t errEnd = INT64_MIN;

    ctx_.resize(k);
    for (uint32_t j = 0; j < k; ++j) {
        const RawSpan& s = *spans[j];
        const uint32_t row = base + j;
        const uint32_t pp = parentPos[j];
        sp.parent[row] = pp == kNoParent ? SpanIndex::kInvalid : base + pp;
        sp.startNs[row] = s.startNs;
        sp.durationNs[row] = std::max<int64_t>(0, s.endNs - s.startNs);
        sp.name[row] = s.name;
        sp.service[row] = s.service;
        sp.kind[row] = s.kind;
        sp.status[row] = s.status;
        sp.cold[row] = s.cold;

        const Context own{ownContext(s)};
        Context c = own;
        for (size_t f = 0; f < c.fields.size(); ++f) {
            if (first.fields[f].isEmpty()) {
                first.fields[f] = own.fields[f];
            }
            if (c.fields[f].isEmpty() && pp != kNoParent) {
                c.fields[f] = ctx_[pp].fields[f];
            }
        }
        ctx_[j] = c;
        if (model.isEmpty()) {
            model = s.model;
        }
        if (provider.isEmpty()) {
            provider = s.provider;
        }

        if (s.kind == SpanKind::Tool) {
            ++tools;
            if (s.status == SpanStatus::Error) {
                flags |= kRequestToolError;
            }
        }
        if (s.status == SpanStatus::Error) {
            const ErrorClass ec =
                classifyError(ds_.str(s.errorType), ds_.str(s.statusMessage), s.httpStatus, s.kind);
            part_.errors.span.push_back(row);
            part_.errors.type.push_back(s.errorType);
            part_.errors.message.push_back(s.statusMessage);
            part_.errors.errorClass.push_back(ec);
            // The request fails because of its latest-ending failure that says why.
            if (ec != ErrorClass::Other && s.endNs >= errEnd) {
                errClass = ec;
                errEnd = s.endNs;
            } else if (errClass == ErrorClass::None) {
                errClass = ec;
            }
        }
        if (s.kind != SpanKind::Llm) {
            continue;
        }
        const auto g = static_cast<uint32_t>(gen.size());
        gen.resize(g + 1);
        gen.span[g] = row;
        gen.model[g] = s.model;
        gen.provider[g] = s.provider;
        gen.promptName[g] = c.fields[kPromptName];
        gen.promptVersion[g] = c.fields[kPromptVersion];
        gen.finishReason[g] = s.finishReason;
        gen.inputTokens[g] = clampU32(s.inputTokens);
        gen.outputTokens[g] = clampU32(s.outputTokens);
        gen.cachedTokens[g] = clampU32(s.cachedTokens);
        gen.reasoningTokens[g] = clampU32(s.reasoningTokens);
        gen.ttftUs[g] = s.ttftNs > 0 ? clampU32(s.ttftNs / 1000) : 0;
        double c0 = s.costUsd;
        CostSource src = CostSource::Data;
        if (s.costDecided) {
            src = s.costSource;
        } else if (std::isnan(c0)) {
            const ModelPrice* price = priceFor(s.model);
            if (price != nullptr && (s.inputTokens > 0 || s.outputTokens > 0)) {
                c0 = PricingTable::cost(*price, s.inputTokens, s.outputTokens, s.cachedTokens);
                src = CostSource::Pricing;
            } else {
                src = CostSource::None;
            }
        }
        if (src == CostSource::Pricing) {
            flags |= kRequestCostFromPricing;
            ++part_.costFromPricing;
        } else if (src == CostSource::None) {
            flags |= kRequestCostUnknown;
            ++part_.costUnknown;
        }
        gen.costUsd[g] = c0;
        gen.costSource[g] = src;
        in += gen.inputTokens[g];
        out += gen.outputTokens[g];
        cached += gen.cachedTokens[g];
        if (!std::isnan(c0)) {
            cost += c0;
        }
        const std::string_view fr = ds_.str(s.finishReason);
        if (isRefusal(fr)) {
            flags |= kRequestRefusal;
        }
        if (isTruncation(fr)) {
            flags |= kRequestTruncated;
        }
        if (!s.finishReason.isEmpty()) {
            finish = s.finishReason;
        }
    }

    rq.feature[r] = first.fields[kFeature];
    rq.promptName[r] = first.fields[kPromptName];
    rq.promptVersion[r] = first.fields[kPromptVersion];
    rq.user[r] = first.fields[kUser];
    rq.session[r] = first.fields[kSession];
    rq.tenant[r] = first.fields[kTenant];
    rq.environment[r] = first.fields[kEnvironment];
    if (!first.fields[kTenant].isEmpty() && !first.fields[kTenantTier].isEmpty()) {
        part_.tenants.push_back({first.fields[kTenant], first.fields[kTenantTier]});
    }
    rq.model[r] = model;
    rq.provider[r] = provider;
    rq.finishReason[r] = finish;
    rq.inputTokens[r] = clampU32(static_cast<int64_t>(in));
    rq.outputTokens[r] = clampU32(static_cast<int64_t>(out));
    rq.cachedTokens[r] = clampU32(static_cast<int64_t>(cached));
    rq.costUsd[r] = cost;
    rq.toolCalls[r] = static_cast<uint16_t>(std::min<uint32_t>(tools, UINT16_MAX));
    rq.errorClass[r] = (flags & kRequestError) ? (errClass == ErrorClass::None ? ErrorClass::Other : errClass)
                                               : ErrorClass::None;

    uint32_t pass = 0;
    uint32_t fail = 0;
    for (const RawEval* e : std::span(evals, evalCount)) {
        uint32_t spanRow = SpanIndex::kInvalid;
        if (e->spanId != 0) {
            for (uint32_t j = 0; j < k; ++j) {
                if (spans[j]->spanId == e->spanId) {
                    spanRow = base + j;
                    break;
                }
            }
        }
        auto& ev = part_.evals;
        ev.request.push_back(r);
        ev.span.push_back(spanRow);
        ev.name.push_back(e->name);
        ev.score.push_back(e->score);
        ev.label.push_back(e->label);
        ev.outcome.push_back(e->outcome);
        ev.source.push_back(e->source);
        ev.explanation.push_back(e->explanation);
        pass += e->outcome == EvalOutcome::Pass;
        fail += e->outcome == EvalOutcome::Fail;
    }
    rq.evalPass[r] = static_cast<uint8_t>(std::min<uint32_t>(pass, 255));
    rq.evalFail[r] = static_cast<uint8_t>(std::min<uint32_t>(fail, 255));
    rq.flags[r] = flags;
}

void joinParts(Dataset& ds, std::vector<TraceWriter::Part>& parts, const std::vector<uint32_t>& requestBegin) {
    for (size_t p = 0; p < parts.size(); ++p) {
        TraceWriter::Part& part = parts[p];
        const auto shift = static_cast<uint32_t>(ds.generations.size());
        const uint32_t end = p + 1 < parts.size() ? requestBegin[p + 1] : static_cast<uint32_t>(ds.requests.size());
        for (uint32_t r = requestBegin[p]; r < end; ++r) {
            ds.requests.firstGeneration[r] += shift;
        }
        auto& g = ds.generations;
        const auto& pg = part.generations;
        appendColumn(g.span, pg.span);
        appendColumn(g.model, pg.model);
        appendColumn(g.provider, pg.provider);
        appendColumn(g.promptName, pg.promptName);
        appendColumn(g.promptVersion, pg.promptVersion);
        appendColumn(g.finishReason, pg.finishReason);
        appendColumn(g.inputTokens, pg.inputTokens);
        appendColumn(g.outputTokens, pg.outputTokens);
        appendColumn(g.cachedTokens, pg.cachedTokens);
        appendColumn(g.reasoningTokens, pg.reasoningTokens);
        appendColumn(g.costUsd, pg.costUsd);
        appendColumn(g.costSource, pg.costSource);
        appendColumn(g.ttftUs, pg.ttftUs);
        auto& e = ds.evals;
        const auto& pe = part.evals;
        appendColumn(e.request, pe.request);
        appendColumn(e.span, pe.span);
        appendColumn(e.name, pe.name);
        appendColumn(e.score, pe.score);
        appendColumn(e.label, pe.label);
        appendColumn(e.outcome, pe.outcome);
        appendColumn(e.source, pe.source);
        appendColumn(e.explanation, pe.explanation);
        appendColumn(ds.errors.span, part.errors.span);
        appendColumn(ds.errors.type, part.errors.type);
        appendColumn(ds.errors.message, part.errors.message);
        appendColumn(ds.errors.errorClass, part.errors.errorClass);
        appendColumn(ds.tenants, part.tenants);
        ds.stats.costFromPricing += part.costFromPricing;
        ds.stats.costUnknown += part.costUnknown;
        part = TraceWriter::Part{};
    }
}

}  // namespace ps
