#include "datasetappend.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "datasetbuilder.h"

namespace ps {
namespace {

constexpr uint32_t kNone = UINT32_MAX;

// One of the two snapshots being merged, with what its ids become in the result.
struct Side {
    const Dataset& data;
    std::vector<StringId> strings;    // string id -> id in the result's pool
    std::vector<uint32_t> sources;    // source index -> index in the result
    std::vector<uint32_t> newRow;     // request row -> row in the result, kNone when dropped
    std::vector<uint32_t> evalBegin;  // evals of request i: evalOrder[evalBegin[i] .. evalBegin[i+1])
    std::vector<uint32_t> evalOrder;
    std::vector<uint32_t> errorBegin;  // same for the error rows, by the request of their span
    std::vector<uint32_t> errorOrder;

    explicit Side(const Dataset& d) : data(d) {}
    [[nodiscard]] StringId str(StringId id) const { return strings[id.value]; }
};

// Rows of a table grouped by request with a counting sort, keeping their order within a request.
template <typename RequestOf>
void groupByRequest(size_t requests, size_t rows, const RequestOf& requestOf, std::vector<uint32_t>* begin,
                    std::vector<uint32_t>* order) {
    begin->assign(requests + 1, 0);
    std::vector<uint32_t> of(rows);
    for (size_t i = 0; i < rows; ++i) {
        of[i] = requestOf(i);
        if (of[i] != kNone) {
            ++(*begin)[of[i] + 1];
        }
    }
    std::partial_sum(begin->begin(), begin->end(), begin->begin());
    order->assign(begin->back(), 0);
    std::vector<uint32_t> cursor(begin->begin(), begin->end() - 1);
    for (size_t i = 0; i < rows; ++i) {
        if (of[i] != kNone) {
            (*order)[cursor[of[i]]++] = static_cast<uint32_t>(i);
        }
    }
}

void prepare(Side& side, StringPool& pool) {
    const Dataset& d = side.data;
    side.strings.resize(d.strings.size());
    for (uint32_t i = 0; i < d.strings.size(); ++i) {
        side.strings[i] = pool.intern(d.strings.view(StringId{i}));
    }
    side.newRow.assign(d.requestCount(), kNone);
    groupByRequest(d.requestCount(), d.evals.size(), [&](size_t i) { return d.evals.request[i]; }, &side.evalBegin,
                   &side.evalOrder);
    groupByRequest(d.requestCount(), d.errors.size(),
                   [&](size_t i) { return d.requestOfSpan(SpanIndex{d.errors.span[i]}).value; }, &side.errorBegin,
                   &side.errorOrder);
}

// Copies request i of a side into row r of the result, with its spans, generations, evals and errors.
class RequestCopier {
public:
    explicit RequestCopier(Dataset& out) : out_(out) {}

    void copy(const Side& side, uint32_t i, uint32_t r) {
        const Dataset& d = side.data;
        const RequestIndex req{i};
        const uint32_t s0 = d.requests.firstSpan[i];
        const uint32_t s1 = d.spanEnd(req);
        const uint32_t base = spanCursor_;
        const auto shift = [&](uint32_t span) { return span == SpanIndex::kInvalid ? span : span - s0 + base; };

        SpanColumns& os = out_.spans;
        const SpanColumns& is = d.spans;
        for (uint32_t s = s0; s < s1; ++s) {
            const uint32_t o = base + (s - s0);
            os.parent[o] = shift(is.parent[s]);
            os.startNs[o] = is.startNs[s];
            os.durationNs[o] = is.durationNs[s];
            os.name[o] = side.str(is.name[s]);
            os.service[o] = side.str(is.service[s]);
            os.kind[o] = is.kind[s];
            os.status[o] = is.status[s];
            const ColdRef cold = is.cold[s];
            os.cold[o] = ColdRef::make(SourceIndex{side.sources[cold.source().value]}, cold.offset());
        }
        spanCursor_ += s1 - s0;

        GenerationColumns& og = out_.generations;
        const GenerationColumns& ig = d.generations;
        const uint32_t g0 = d.requests.firstGeneration[i];
        const uint32_t g1 = d.generationEnd(req);
        const uint32_t gbase = generationCursor_;
        for (uint32_t g = g0; g < g1; ++g) {
            const uint32_t o = gbase + (g - g0);
            og.span[o] = shift(ig.span[g]);
            og.model[o] = side.str(ig.model[g]);
            og.provider[o] = side.str(ig.provider[g]);
            og.promptName[o] = side.str(ig.promptName[g]);
            og.promptVersion[o] = side.str(ig.promptVersion[g]);
            og.finishReason[o] = side.str(ig.finishReason[g]);
            og.inputTokens[o] = ig.inputTokens[g];
            og.outputTokens[o] = ig.outputTokens[g];
            og.cachedTokens[o] = ig.cachedTokens[g];
            og.reasoningTokens[o] = ig.reasoningTokens[g];
            og.costUsd[o] = ig.costUsd[g];
            og.costSource[o] = ig.costSource[g];
            og.ttftUs[o] = ig.ttftUs[g];
        }
        generationCursor_ += g1 - g0;

        RequestColumns& orq = out_.requests;
        const RequestColumns& irq = d.requests;
        orq.traceId[r] = side.str(irq.traceId[i]);
        orq.firstSpan[r] = base;
        orq.firstGeneration[r] = gbase;
        orq.startNs[r] = irq.startNs[i];
        orq.durationNs[r] = irq.durationNs[i];
        orq.flags[r] = irq.flags[i];
        orq.errorClass[r] = irq.errorClass[i];
        orq.feature[r] = side.str(irq.feature[i]);
        orq.promptName[r] = side.str(irq.promptName[i]);
        orq.promptVersion[r] = side.str(irq.promptVersion[i]);
        orq.model[r] = side.str(irq.model[i]);
        orq.provider[r] = side.str(irq.provider[i]);
        orq.environment[r] = side.str(irq.environment[i]);
        orq.user[r] = side.str(irq.user[i]);
        orq.session[r] = side.str(irq.session[i]);
        orq.tenant[r] = side.str(irq.tenant[i]);
        orq.finishReason[r] = side.str(irq.finishReason[i]);
        orq.inputTokens[r] = irq.inputTokens[i];
        orq.outputTokens[r] = irq.outputTokens[i];
        orq.cachedTokens[r] = irq.cachedTokens[i];
        orq.costUsd[r] = irq.costUsd[i];
        orq.toolCalls[r] = irq.toolCalls[i];
        orq.evalPass[r] = irq.evalPass[i];
        orq.evalFail[r] = irq.evalFail[i];

        EvalColumns& oe = out_.evals;
        const EvalColumns& ie = d.evals;
        for (uint32_t k = side.evalBegin[i]; k < side.evalBegin[i + 1]; ++k) {
            const uint32_t e = side.evalOrder[k];
            oe.request.push_back(r);
            oe.span.push_back(shift(ie.span[e]));
            oe.name.push_back(side.str(ie.name[e]));
            oe.score.push_back(ie.score[e]);
            oe.label.push_back(side.str(ie.label[e]));
            oe.outcome.push_back(ie.outcome[e]);
            oe.source.push_back(side.str(ie.source[e]));
            oe.explanation.push_back(side.str(ie.explanation[e]));
        }

        ErrorColumns& oerr = out_.errors;
        const ErrorColumns& ierr = d.errors;
        for (uint32_t k = side.errorBegin[i]; k < side.errorBegin[i + 1]; ++k) {
            const uint32_t e = side.errorOrder[k];
            oerr.span.push_back(shift(ierr.span[e]));
            oerr.type.push_back(side.str(ierr.type[e]));
            oerr.message.push_back(side.str(ierr.message[e]));
            oerr.errorClass.push_back(ierr.errorClass[e]);
        }
    }

private:
    Dataset& out_;
    uint32_t spanCursor_ = 0;
    uint32_t generationCursor_ = 0;
};

void copySignals(const Side& side, SignalColumns& out) {
    const SignalColumns& in = side.data.signals;
    for (size_t i = 0; i < in.size(); ++i) {
        const uint32_t req = in.request[i];
        const uint32_t row = req == RequestIndex::kInvalid ? RequestIndex::kInvalid : side.newRow[req];
        if (req != RequestIndex::kInvalid && row == kNone) {
            continue;  // joined to a trace the delta replaced: the delta brings its signals again
        }
        out.request.push_back(row);
        out.session.push_back(side.str(in.session[i]));
        out.type.push_back(in.type[i]);
        out.timeNs.push_back(in.timeNs[i]);
        out.value.push_back(in.value[i]);
    }
}

// Prompt version, deployment and tenant records of both sides, deduplicated as the builder does: the last
// record of a tenant or of a prompt version wins; deployments in time order, a deployment the delta brings again
// (a live source that re-reads its records) kept once.
void mergeRecords(const Side& old, const Side& delta, Dataset& out) {
    for (const Side* side : {&old, &delta}) {
        for (PromptVersionRecord p : side->data.promptVersions) {
            for (StringId* id : {&p.prompt, &p.version, &p.model, &p.deployedBy, &p.changeNote, &p.evalSuite}) {
                *id = side->str(*id);
            }
            out.promptVersions.push_back(p);
        }
        for (DeploymentRecord dep : side->data.deployments) {
            for (StringId* id : {&dep.prompt, &dep.version, &dep.environment, &dep.by, &dep.note}) {
                *id = side->str(*id);
            }
            out.deployments.push_back(dep);
        }
        for (TenantRecord t : side->data.tenants) {
            t.tenant = side->str(t.tenant);
            t.tier = side->str(t.tier);
            out.tenants.push_back(t);
        }
    }
    std::vector<TenantRecord> tenants;
    std::vector<uint32_t> slot(out.strings.size(), kNone);
    for (const TenantRecord& t : out.tenants) {
        if (slot[t.tenant.value] == kNone) {
            slot[t.tenant.value] = static_cast<uint32_t>(tenants.size());
            tenants.push_back(t);
        } else {
            tenants[slot[t.tenant.value]] = t;
        }
    }
    out.tenants = std::move(tenants);
    std::vector<PromptVersionRecord> versions;
    for (auto it = out.promptVersions.rbegin(); it != out.promptVersions.rend(); ++it) {
        if (std::none_of(versions.begin(), versions.end(), [&](const PromptVersionRecord& v) {
                return v.prompt == it->prompt && v.version == it->version;
            })) {
            versions.push_back(*it);
        }
    }
    std::reverse(versions.begin(), versions.end());
    out.promptVersions = std::move(versions);
    std::stable_sort(out.deployments.begin(), out.deployments.end(),
                     [](const DeploymentRecord& a, const DeploymentRecord& b) { return a.atNs < b.atNs; });
    const auto same = [](const DeploymentRecord& a, const DeploymentRecord& b) {
        return a.prompt == b.prompt && a.version == b.version && a.environment == b.environment && a.by == b.by &&
               a.note == b.note &&
               (a.trafficPercent == b.trafficPercent || (std::isnan(a.trafficPercent) && std::isnan(b.trafficPercent)));
    };
    std::vector<DeploymentRecord> deployments;
    for (const DeploymentRecord& d : out.deployments) {
        // Equal times sit together after the sort: a repeat is among the records kept of its own time.
        bool repeat = false;
        for (size_t k = deployments.size(); k-- > 0 && deployments[k].atNs == d.atNs && !repeat;) {
            repeat = same(deployments[k], d);
        }
        if (!repeat) {
            deployments.push_back(d);
        }
    }
    out.deployments = std::move(deployments);
}

void mergeStats(const Dataset& old, const Dataset& delta, Dataset& out) {
    out.stats = old.stats;
    const DatasetStats& s = delta.stats;
    out.stats.orphanSpans += s.orphanSpans;
    out.stats.cycleBreaks += s.cycleBreaks;
    out.stats.duplicateSpanIds += s.duplicateSpanIds;
    out.stats.unmatchedEvals += s.unmatchedEvals;
    out.stats.unmatchedSignals += s.unmatchedSignals;
    out.stats.costFromPricing += s.costFromPricing;
    out.stats.costUnknown += s.costUnknown;
    out.stats.bytesRead += s.bytesRead;
    out.issueCount = old.issueCount + delta.issueCount;
    out.issues = old.issues;
    for (const ParseIssue& issue : delta.issues) {
        if (out.issues.size() >= DatasetBuilder::kMaxStoredIssues) {
            break;
        }
        out.issues.push_back(issue);
    }
}

}  // namespace

DatasetPtr appendToDataset(const Dataset& old, const Dataset& delta, AppendSummary* summary) {
    auto out = std::make_shared<Dataset>();
    Side o(old);
    Side n(delta);
    prepare(o, out->strings);
    prepare(n, out->strings);

    out->sources = old.sources;
    o.sources.resize(old.sources.size());
    std::iota(o.sources.begin(), o.sources.end(), 0u);
    for (const SourceInfo& info : delta.sources) {
        const auto same = std::find_if(old.sources.begin(), old.sources.end(),
                                       [&](const SourceInfo& s) { return s.path == info.path; });
        if (same != old.sources.end()) {
            n.sources.push_back(static_cast<uint32_t>(same - old.sources.begin()));
        } else {
            n.sources.push_back(static_cast<uint32_t>(out->sources.size()));
            out->sources.push_back(info);
        }
    }

    // Old traces the delta brings again are dropped; the rest keep their order and are merged with the delta's
    // requests by start time. On equal starts a replaced trace keeps its old place and a new one comes after the
    // old ones, as when everything is read at once with the old rows first.
    std::vector<uint8_t> replaced(old.requestCount(), 0);
    std::vector<uint32_t> rank(delta.requestCount(), kNone);  // the old row a delta request replaces
    AppendSummary counts;
    counts.spans = delta.spanCount();
    for (uint32_t i = 0; i < delta.requestCount(); ++i) {
        const RequestIndex before = old.findRequest(delta.str(delta.requests.traceId[i]));
        if (before.isValid()) {
            replaced[before.value] = 1;
            rank[i] = before.value;
            ++counts.replacedRequests;
        } else {
            ++counts.newRequests;
        }
    }
    std::vector<uint32_t> deltaOrder(delta.requestCount());
    std::iota(deltaOrder.begin(), deltaOrder.end(), 0u);
    std::stable_sort(deltaOrder.begin(), deltaOrder.end(), [&](uint32_t x, uint32_t y) {
        const int64_t sx = delta.requests.startNs[x];
        const int64_t sy = delta.requests.startNs[y];
        return sx != sy ? sx < sy : rank[x] < rank[y];
    });
    size_t spans = delta.spanCount();
    size_t generations = delta.generationCount();
    size_t requests = delta.requestCount();
    for (uint32_t i = 0; i < old.requestCount(); ++i) {
        if (!replaced[i]) {
            const RequestIndex r{i};
            spans += old.spanEnd(r) - old.requests.firstSpan[i];
            generations += old.generationEnd(r) - old.requests.firstGeneration[i];
            ++requests;
        }
    }
    out->spans.resize(spans);
    out->generations.resize(generations);
    out->requests.resize(requests);

    RequestCopier copier(*out);
    uint32_t row = 0;
    uint32_t a = 0;
    size_t b = 0;
    const auto oldCount = static_cast<uint32_t>(old.requestCount());
    while (a < oldCount || b < deltaOrder.size()) {
        if (a < oldCount && replaced[a]) {
            ++a;
            continue;
        }
        bool takeOld = a < oldCount;
        if (takeOld && b < deltaOrder.size()) {
            const uint32_t d = deltaOrder[b];
            const int64_t so = old.requests.startNs[a];
            const int64_t sd = delta.requests.startNs[d];
            takeOld = so != sd ? so < sd : a < rank[d];
        }
        Side& side = takeOld ? o : n;
        const uint32_t i = takeOld ? a++ : deltaOrder[b++];
        side.newRow[i] = row;
        copier.copy(side, i, row);
        ++row;
    }

    copySignals(o, out->signals);
    copySignals(n, out->signals);
    mergeRecords(o, n, *out);
    mergeStats(old, delta, *out);

    out->requestsByTraceId.resize(requests);
    std::iota(out->requestsByTraceId.begin(), out->requestsByTraceId.end(), 0u);
    const auto& ids = out->requests.traceId;
    std::sort(out->requestsByTraceId.begin(), out->requestsByTraceId.end(),
              [&ids](uint32_t x, uint32_t y) { return ids[x] < ids[y]; });
    if (summary) {
        *summary = counts;
    }
    return out;
}

}  // namespace ps
