#include "datasetbuilder.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <numeric>

#include "hugepages.h"
#include "traceorder.h"

namespace ps {

struct DatasetBuilder::Batch {
    std::vector<RawSpan> spans;
    std::vector<RawEval> evals;
    std::vector<RawSignal> signals;
};

namespace {

constexpr uint32_t kNone = UINT32_MAX;

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
struct Context {
    std::array<StringId, 8> fields;
};

Context ownContext(const RawSpan& s) {
    return Context{{s.promptName, s.promptVersion, s.feature, s.user, s.session, s.tenant, s.tenantTier,
                    s.environment}};
}

enum ContextField { kPromptName, kPromptVersion, kFeature, kUser, kSession, kTenant, kTenantTier, kEnvironment };

void remap(StringId& id, const std::vector<StringId>& map) {
    id = map[id.value];
}

void remapSpan(RawSpan& s, const std::vector<StringId>& m) {
    for (StringId* id : {&s.traceId, &s.name, &s.service, &s.errorType, &s.statusMessage, &s.model, &s.provider,
                         &s.finishReason, &s.promptName, &s.promptVersion, &s.feature, &s.user, &s.session, &s.tenant,
                         &s.tenantTier, &s.environment}) {
        remap(*id, m);
    }
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

void RecordBatch::addIssue(const std::string& file, uint64_t line, std::string message) {
    ++issueCount;
    if (issues.size() < DatasetBuilder::kMaxStoredIssues) {
        issues.push_back({file, line, std::move(message)});
    }
}

DatasetBuilder::DatasetBuilder(std::shared_ptr<const PricingTable> pricing)
    : pricing_(std::move(pricing)), data_(std::make_unique<Dataset>()) {}

DatasetBuilder::~DatasetBuilder() = default;

SourceIndex DatasetBuilder::addSource(SourceInfo info) {
    std::lock_guard lock(mutex_);
    data_->sources.push_back(std::move(info));
    return SourceIndex{data_->sources.size() - 1};
}

void DatasetBuilder::storeIssue(ParseIssue&& issue) {
    ++data_->issueCount;
    if (data_->issues.size() < kMaxStoredIssues) {
        data_->issues.push_back(std::move(issue));
    }
}

void DatasetBuilder::addIssue(ParseIssue issue) {
    std::lock_guard lock(mutex_);
    storeIssue(std::move(issue));
}

size_t DatasetBuilder::rawSpanCount() const {
    std::lock_guard lock(mutex_);
    size_t n = 0;
    for (const auto& b : batches_) {
        n += b->spans.size();
    }
    return n;
}

void DatasetBuilder::addBatch(RecordBatch&& batch) {
    std::lock_guard lock(mutex_);
    Dataset& ds = *data_;
    std::vector<StringId> map(batch.strings.size());
    for (uint32_t i = 0; i < map.size(); ++i) {
        map[i] = ds.strings.intern(batch.strings.view(StringId{i}));
    }
    auto b = std::make_unique<Batch>();
    b->spans = std::move(batch.spans);
    for (auto& s : b->spans) {
        remapSpan(s, map);
    }
    b->evals = std::move(batch.evals);
    for (auto& e : b->evals) {
        for (StringId* id : {&e.traceId, &e.name, &e.label, &e.source, &e.explanation}) {
            remap(*id, map);
        }
    }
    b->signals = std::move(batch.signals);
    for (auto& s : b->signals) {
        remap(s.requestId, map);
        remap(s.session, map);
    }
    for (auto p : batch.promptVersions) {
        for (StringId* id : {&p.prompt, &p.version, &p.model, &p.deployedBy, &p.changeNote, &p.evalSuite}) {
            remap(*id, map);
        }
        ds.promptVersions.push_back(p);
    }
    for (auto d : batch.deployments) {
        for (StringId* id : {&d.prompt, &d.version, &d.environment, &d.by, &d.note}) {
            remap(*id, map);
        }
        ds.deployments.push_back(d);
    }
    for (auto t : batch.tenants) {
        remap(t.tenant, map);
        remap(t.tier, map);
        ds.tenants.push_back(t);
    }
    ds.issueCount += batch.issueCount - batch.issues.size();
    for (auto& issue : batch.issues) {
        storeIssue(std::move(issue));
    }
    ds.stats.bytesRead += batch.bytesRead;
    batches_.push_back(std::move(b));
}

namespace {

// Everything build() needs to write one trace's rows, so the per-trace step is a plain function.
class TraceWriter {
public:
    TraceWriter(Dataset& ds, const PricingTable* pricing) : ds_(ds), pricing_(pricing) {
        priceCache_.assign(ds.strings.size(), nullptr);
        priceLooked_.assign(ds.strings.size(), 0);
    }

    // spans: the trace's spans in depth-first order; parentPos: each one's parent position in that order.
    void write(RequestIndex req, const RawSpan* const* spans, const uint32_t* parentPos, uint32_t k,
               const std::vector<const RawEval*>& evals);

private:
    const ModelPrice* priceFor(StringId model);

    Dataset& ds_;
    const PricingTable* pricing_;
    std::vector<const ModelPrice*> priceCache_;
    std::vector<uint8_t> priceLooked_;
    std::vector<Context> ctx_;
    uint32_t spanCursor_ = 0;  // span columns are sized up front and filled trace after trace
};

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
                        const std::vector<const RawEval*>& evals) {
    auto& sp = ds_.spans;
    auto& gen = ds_.generations;
    auto& rq = ds_.requests;
    const auto r = req.value;
    const uint32_t base = spanCursor_;
    spanCursor_ += k;
    const auto genBase = static_cast<uint32_t>(gen.size());

    rq.firstSpan[r] = base;
    rq.firstGeneration[r] = genBase;
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

        const Context own = ownContext(s);
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
            ds_.errors.span.push_back(row);
            ds_.errors.type.push_back(s.errorType);
            ds_.errors.message.push_back(s.statusMessage);
            ds_.errors.errorClass.push_back(ec);
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
        gen.request[g] = r;
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
        if (std::isnan(c0)) {
            const ModelPrice* price = priceFor(s.model);
            if (price != nullptr && (s.inputTokens > 0 || s.outputTokens > 0)) {
                c0 = PricingTable::cost(*price, s.inputTokens, s.outputTokens, s.cachedTokens);
                src = CostSource::Pricing;
                flags |= kRequestCostFromPricing;
                ++ds_.stats.costFromPricing;
            } else {
                src = CostSource::None;
                flags |= kRequestCostUnknown;
                ++ds_.stats.costUnknown;
            }
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
        ds_.tenants.push_back({first.fields[kTenant], first.fields[kTenantTier]});
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
    for (const RawEval* e : evals) {
        uint32_t spanRow = SpanIndex::kInvalid;
        if (e->spanId != 0) {
            for (uint32_t j = 0; j < k; ++j) {
                if (spans[j]->spanId == e->spanId) {
                    spanRow = base + j;
                    break;
                }
            }
        }
        auto& ev = ds_.evals;
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

}  // namespace

DatasetPtr DatasetBuilder::build(const ProgressFn& progress) {
    std::lock_guard lock(mutex_);
    Dataset& ds = *data_;
    auto report = [&](double f) { return !progress || progress(f); };

    std::vector<const RawSpan*> raw;
    size_t total = 0;
    for (const auto& b : batches_) {
        total += b->spans.size();
    }
    reserveHuge(raw, total);
    for (const auto& b : batches_) {
        for (const auto& s : b->spans) {
            raw.push_back(&s);
        }
    }

    // Group spans by trace id: slot per distinct trace, counting sort keeps file order within a trace.
    std::vector<uint32_t> slotOfString(ds.strings.size(), kNone);
    std::vector<uint32_t> slotOfSpan;
    resizeHuge(slotOfSpan, raw.size());
    uint32_t slotCount = 0;
    for (size_t i = 0; i < raw.size(); ++i) {
        uint32_t& slot = slotOfString[raw[i]->traceId.value];
        if (slot == kNone) {
            slot = slotCount++;
        }
        slotOfSpan[i] = slot;
    }
    std::vector<uint32_t> slotBegin(slotCount + 1, 0);
    for (uint32_t s : slotOfSpan) {
        ++slotBegin[s + 1];
    }
    std::partial_sum(slotBegin.begin(), slotBegin.end(), slotBegin.begin());
    std::vector<uint32_t> bySlot(raw.size());
    {
        std::vector<uint32_t> cursor(slotBegin.begin(), slotBegin.end() - 1);
        for (size_t i = 0; i < raw.size(); ++i) {
            bySlot[cursor[slotOfSpan[i]]++] = static_cast<uint32_t>(i);
        }
    }
    slotOfSpan = {};

    // Evals grouped by the slot of their trace.
    std::vector<std::vector<const RawEval*>> evalsOfSlot(slotCount);
    for (const auto& b : batches_) {
        for (const auto& e : b->evals) {
            const uint32_t slot = e.traceId.isEmpty() ? kNone : slotOfString[e.traceId.value];
            if (slot == kNone) {
                ++ds.stats.unmatchedEvals;
            } else {
                evalsOfSlot[slot].push_back(&e);
            }
        }
    }

    // Order each trace once (depth-first, root first), keeping the result in two flat arrays aligned with bySlot.
    TraceOrderer orderer;
    std::vector<TraceOrderInput> input;
    std::vector<const RawSpan*> ordered(raw.size());
    std::vector<uint32_t> parentPos(raw.size());
    for (uint32_t slot = 0; slot < slotCount; ++slot) {
        input.clear();
        const uint32_t b = slotBegin[slot];
        for (uint32_t p = b; p < slotBegin[slot + 1]; ++p) {
            const RawSpan& s = *raw[bySlot[p]];
            input.push_back({s.spanId, s.parentSpanId, s.startNs, s.endNs - s.startNs});
        }
        const auto& o = orderer.order(input);
        ds.stats.orphanSpans += o.orphans;
        ds.stats.duplicateSpanIds += o.duplicateIds;
        ds.stats.cycleBreaks += o.cycleBreaks;
        for (uint32_t j = 0; j < o.order.size(); ++j) {
            ordered[b + j] = raw[bySlot[b + o.order[j]]];
            parentPos[b + j] = o.parentPos[j];
        }
        if ((slot & 0xffff) == 0 && !report(0.4 * slot / std::max<uint32_t>(slotCount, 1))) {
            return nullptr;
        }
    }
    bySlot = {};

    // Requests are ordered by the start of their root.
    std::vector<uint32_t> slotsByTime(slotCount);
    std::iota(slotsByTime.begin(), slotsByTime.end(), 0);
    std::stable_sort(slotsByTime.begin(), slotsByTime.end(), [&](uint32_t a, uint32_t b) {
        return ordered[slotBegin[a]]->startNs < ordered[slotBegin[b]]->startNs;
    });

    ds.spans.resize(raw.size());
    ds.requests.resize(slotCount);
    TraceWriter writer(ds, pricing_.get());
    std::vector<uint32_t> requestOfSlot(slotCount);
    for (uint32_t r = 0; r < slotCount; ++r) {
        const uint32_t slot = slotsByTime[r];
        requestOfSlot[slot] = r;
        const uint32_t b = slotBegin[slot];
        writer.write(RequestIndex{r}, ordered.data() + b, parentPos.data() + b, slotBegin[slot + 1] - b,
                     evalsOfSlot[slot]);
        if ((r & 0xffff) == 0 && !report(0.4 + 0.5 * r / std::max<uint32_t>(slotCount, 1))) {
            return nullptr;
        }
    }

    // User signals join by request (trace) id, else by session only.
    auto& sig = ds.signals;
    for (const auto& b : batches_) {
        for (const auto& s : b->signals) {
            const uint32_t slot = s.requestId.isEmpty() ? kNone : slotOfString[s.requestId.value];
            const uint32_t req = slot == kNone ? RequestIndex::kInvalid : requestOfSlot[slot];
            if (req == RequestIndex::kInvalid && s.session.isEmpty()) {
                ++ds.stats.unmatchedSignals;
                continue;
            }
            sig.request.push_back(req);
            sig.session.push_back(s.session.isEmpty() && req != RequestIndex::kInvalid ? ds.requests.session[req]
                                                                                        : s.session);
            sig.type.push_back(s.type);
            sig.timeNs.push_back(s.timeNs);
            sig.value.push_back(s.value);
            if (req != RequestIndex::kInvalid) {
                static constexpr std::array<uint16_t, kSignalTypeCount> kFlag = {
                    kRequestThumbsUp, kRequestThumbsDown, kRequestCorrection, kRequestFollowUp, kRequestAbandoned, 0};
                ds.requests.flags[req] |= kFlag[static_cast<size_t>(s.type)];
            }
        }
    }

    ds.requestsByTraceId.resize(slotCount);
    std::iota(ds.requestsByTraceId.begin(), ds.requestsByTraceId.end(), 0);
    std::sort(ds.requestsByTraceId.begin(), ds.requestsByTraceId.end(),
              [&ds](uint32_t a, uint32_t b) { return ds.requests.traceId[a] < ds.requests.traceId[b]; });

    // One tier per tenant (the last one seen), one record per prompt version (the last one seen).
    auto dedupe = [](auto& records, auto key) {
        std::vector<std::remove_reference_t<decltype(records[0])>> out;
        for (auto it = records.rbegin(); it != records.rend(); ++it) {
            if (std::none_of(out.begin(), out.end(), [&](const auto& o) { return key(o) == key(*it); })) {
                out.push_back(*it);
            }
        }
        std::reverse(out.begin(), out.end());
        records = std::move(out);
    };
    if (ds.tenants.size() > 1) {
        std::vector<TenantRecord> lastPerTenant;
        std::vector<uint32_t> seen(ds.strings.size(), kNone);
        for (const auto& t : ds.tenants) {
            if (seen[t.tenant.value] == kNone) {
                seen[t.tenant.value] = static_cast<uint32_t>(lastPerTenant.size());
                lastPerTenant.push_back(t);
            } else {
                lastPerTenant[seen[t.tenant.value]] = t;
            }
        }
        ds.tenants = std::move(lastPerTenant);
    }
    dedupe(ds.promptVersions, [](const PromptVersionRecord& p) { return std::pair(p.prompt, p.version); });
    std::sort(ds.deployments.begin(), ds.deployments.end(),
              [](const DeploymentRecord& a, const DeploymentRecord& b) { return a.atNs < b.atNs; });

    batches_.clear();
    report(1.0);
    DatasetPtr result = std::move(data_);
    data_ = std::make_unique<Dataset>();
    return result;
}

}  // namespace ps
