#include "datasetbuilder.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <numeric>
#include <thread>

#include "hugepages.h"
#include "traceorder.h"
#include "tracewriter.h"

namespace ps {

struct DatasetBuilder::Batch {
    std::vector<RawSpan> spans;
    std::vector<RawEval> evals;
    std::vector<RawSignal> signals;
};

namespace {

constexpr uint32_t kNone = UINT32_MAX;

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

DatasetPtr DatasetBuilder::build(const ProgressFn& progress, unsigned threads) {
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

    // Evals grouped by the slot of their trace (a counting sort into one flat array).
    std::vector<uint32_t> evalBegin(slotCount + 1, 0);
    for (const auto& b : batches_) {
        for (const auto& e : b->evals) {
            const uint32_t slot = e.traceId.isEmpty() ? kNone : slotOfString[e.traceId.value];
            if (slot == kNone) {
                ++ds.stats.unmatchedEvals;
            } else {
                ++evalBegin[slot + 1];
            }
        }
    }
    std::partial_sum(evalBegin.begin(), evalBegin.end(), evalBegin.begin());
    std::vector<const RawEval*> evalsBySlot(evalBegin.back());
    {
        std::vector<uint32_t> cursor(evalBegin.begin(), evalBegin.end() - 1);
        for (const auto& b : batches_) {
            for (const auto& e : b->evals) {
                const uint32_t slot = e.traceId.isEmpty() ? kNone : slotOfString[e.traceId.value];
                if (slot != kNone) {
                    evalsBySlot[cursor[slot]++] = &e;
                }
            }
        }
    }

    threads = std::max(1u, std::min(threads, slotCount / 16 + 1));
    std::atomic<bool> stop{false};
    // Part p of n covers items [n*p/parts, n*(p+1)/parts); part 0 runs on this thread and reports progress.
    auto runParts = [&](uint32_t n, const auto& fn) {
        std::vector<std::thread> workers;
        for (unsigned p = 1; p < threads; ++p) {
            workers.emplace_back([&, p] { fn(p, uint32_t(uint64_t(n) * p / threads), uint32_t(uint64_t(n) * (p + 1) / threads)); });
        }
        fn(0u, 0u, uint32_t(uint64_t(n) / threads));
        for (auto& w : workers) {
            w.join();
        }
    };

    // Order each trace once (depth-first, root first), keeping the result in two flat arrays aligned with bySlot.
    std::vector<const RawSpan*> ordered(raw.size());
    std::vector<uint32_t> parentPos(raw.size());
    std::vector<DatasetStats> orderStats(threads);
    runParts(slotCount, [&](unsigned part, uint32_t first, uint32_t last) {
        TraceOrderer orderer;
        std::vector<TraceOrderInput> input;
        DatasetStats& st = orderStats[part];
        for (uint32_t slot = first; slot < last && !stop.load(std::memory_order_relaxed); ++slot) {
            input.clear();
            const uint32_t b = slotBegin[slot];
            for (uint32_t p = b; p < slotBegin[slot + 1]; ++p) {
                const RawSpan& s = *raw[bySlot[p]];
                input.push_back({s.spanId, s.parentSpanId, s.startNs, s.endNs - s.startNs});
            }
            const auto& o = orderer.order(input);
            st.orphanSpans += o.orphans;
            st.duplicateSpanIds += o.duplicateIds;
            st.cycleBreaks += o.cycleBreaks;
            for (uint32_t j = 0; j < o.order.size(); ++j) {
                ordered[b + j] = raw[bySlot[b + o.order[j]]];
                parentPos[b + j] = o.parentPos[j];
            }
            if (part == 0 && (slot & 0x3fff) == 0 && !report(0.4 * slot / std::max<uint32_t>(last, 1))) {
                stop = true;
            }
        }
    });
    if (stop) {
        return nullptr;
    }
    for (const DatasetStats& st : orderStats) {
        ds.stats.orphanSpans += st.orphanSpans;
        ds.stats.duplicateSpanIds += st.duplicateSpanIds;
        ds.stats.cycleBreaks += st.cycleBreaks;
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
    std::vector<uint32_t> requestOfSlot(slotCount);
    std::vector<uint32_t> firstRowOf(slotCount + 1, 0);  // span row of each request, in request order
    for (uint32_t r = 0; r < slotCount; ++r) {
        const uint32_t slot = slotsByTime[r];
        requestOfSlot[slot] = r;
        firstRowOf[r + 1] = firstRowOf[r] + (slotBegin[slot + 1] - slotBegin[slot]);
    }
    std::vector<TraceWriter::Part> parts(threads);
    std::vector<uint32_t> requestBegin(threads);
    runParts(slotCount, [&](unsigned part, uint32_t first, uint32_t last) {
        requestBegin[part] = first;
        TraceWriter writer(ds, pricing_.get(), parts[part], firstRowOf[first]);
        for (uint32_t r = first; r < last && !stop.load(std::memory_order_relaxed); ++r) {
            const uint32_t slot = slotsByTime[r];
            const uint32_t b = slotBegin[slot];
            writer.write(RequestIndex{r}, ordered.data() + b, parentPos.data() + b, slotBegin[slot + 1] - b,
                         evalsBySlot.data() + evalBegin[slot], evalBegin[slot + 1] - evalBegin[slot]);
            if (part == 0 && (r & 0x3fff) == 0 && !report(0.4 + 0.5 * r / std::max<uint32_t>(last, 1))) {
                stop = true;
            }
        }
    });
    if (stop) {
        return nullptr;
    }
    joinParts(ds, parts, requestBegin);

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
    // Stable: deployments at the same time keep the order they were read in, so a dataset saved and read back
    // lists them as before.
    std::stable_sort(ds.deployments.begin(), ds.deployments.end(),
              [](const DeploymentRecord& a, const DeploymentRecord& b) { return a.atNs < b.atNs; });

    batches_.clear();
    report(1.0);
    DatasetPtr result = std::move(data_);
    data_ = std::make_unique<Dataset>();
    return result;
}

}  // namespace ps
