// The review queue and the workspace at scale: the rules over a million-request selection and the merge with the
// workspace's labels (both run on the thread pool at each filter change while the Review page is shown), and the
// cost of one committed label (an fsync per commit with synchronous=FULL). The data set is synthetic and built in
// memory: per request a failed eval 7% of the time, a thumbs-down 3%, one judge score in three, the canary
// environment 5%, 0..8 tool calls. Arguments: requests.
#include <benchmark/benchmark.h>

#include <QDir>
#include <QTemporaryDir>

#include <map>
#include <numeric>
#include <random>

#include "reviewqueue.h"
#include "reviewrules.h"
#include "workspace.h"

namespace {

struct Prepared {
    ps::DatasetPtr data;
    std::vector<uint32_t> all;
    ps::ReviewRuleSettings settings;
};

const Prepared& prepared(size_t n) {
    static std::map<size_t, Prepared> cache;
    auto it = cache.find(n);
    if (it != cache.end()) {
        return it->second;
    }
    auto d = std::make_shared<ps::Dataset>();
    d->requests.resize(n);
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(0, 1);
    const ps::StringId features[] = {d->strings.intern("support_chatbot"), d->strings.intern("invoice_parser"),
                                     d->strings.intern("sales_email_writer")};
    const ps::StringId production = d->strings.intern("production");
    const ps::StringId canary = d->strings.intern("canary");
    const ps::StringId v42 = d->strings.intern("42");
    const ps::StringId v43 = d->strings.intern("43");
    const ps::StringId correctness = d->strings.intern("correctness");
    for (uint32_t r = 0; r < n; ++r) {
        auto& q = d->requests;
        q.traceId[r] = d->strings.intern("trace-" + std::to_string(r));
        q.startNs[r] = int64_t{r} * 1000000;
        q.feature[r] = features[r % 3];
        const bool isCanary = u(rng) < 0.05;
        q.environment[r] = isCanary ? canary : production;
        q.promptVersion[r] = isCanary ? v43 : v42;
        q.evalFail[r] = u(rng) < 0.07 ? 1 : 0;
        q.flags[r] = u(rng) < 0.03 ? ps::kRequestThumbsDown : 0;
        q.toolCalls[r] = static_cast<uint16_t>(rng() % 9);
        if (r % 3 == 0) {
            d->evals.request.push_back(r);
            d->evals.span.push_back(ps::SpanIndex::kInvalid);
            d->evals.name.push_back(correctness);
            d->evals.score.push_back(static_cast<double>(1 + rng() % 5));
            d->evals.label.push_back({});
            d->evals.outcome.push_back(ps::EvalOutcome::Unknown);
            d->evals.source.push_back({});
            d->evals.explanation.push_back({});
        }
    }
    Prepared p;
    p.data = d;
    p.all.resize(n);
    std::iota(p.all.begin(), p.all.end(), 0u);
    p.settings.judgeEvals = {"correctness"};
    p.settings.highRiskFeatures = {"invoice_parser"};
    p.settings.maxToolCalls = 7;
    return cache.emplace(n, std::move(p)).first->second;
}

void BM_ApplyReviewRules(benchmark::State& state) {
    const Prepared& p = prepared(static_cast<size_t>(state.range(0)));
    size_t queued = 0;
    for (auto _ : state) {
        const auto c = ps::applyReviewRules(*p.data, p.all, p.settings);
        queued = c.size();
        benchmark::DoNotOptimize(c.data());
    }
    state.counters["queued"] = static_cast<double>(queued);
}
BENCHMARK(BM_ApplyReviewRules)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

// The merge with a workspace holding a thousand labels and a hundred items added by hand.
void BM_BuildReviewQueue(benchmark::State& state) {
    const Prepared& p = prepared(static_cast<size_t>(state.range(0)));
    const auto candidates = ps::applyReviewRules(*p.data, p.all, p.settings);
    ps::ReviewQueueSnapshot snapshot;
    for (size_t i = 0; i < 1000 && i < candidates.size(); ++i) {
        snapshot.labels[std::string(p.data->str(p.data->requests.traceId[candidates[i].request.value]))] =
            ps::ReviewLabel::Correct;
    }
    for (uint32_t i = 0; i < 100; ++i) {
        ps::QueueEntry e;
        e.traceId = "trace-" + std::to_string(i * 7);
        e.origin = ps::QueueOrigin::Hand;
        snapshot.stored.push_back(e);
    }
    for (auto _ : state) {
        const auto items = ps::buildReviewQueue(*p.data, candidates, snapshot, false);
        benchmark::DoNotOptimize(items.data());
    }
    state.counters["items"] = static_cast<double>(candidates.size());
}
BENCHMARK(BM_BuildReviewQueue)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

// One label, committed and fsynced, in a workspace file next to the build (the disk a user's would be on).
void BM_SetLabel(benchmark::State& state) {
    QTemporaryDir dir(QDir::currentPath() + QStringLiteral("/bench_review-XXXXXX"));
    std::string error;
    auto ws = ps::Workspace::open(dir.filePath(QStringLiteral("w.sqlite")).toStdString(), &error);
    if (!ws) {
        state.SkipWithError(error.c_str());
        return;
    }
    int64_t i = 0;
    for (auto _ : state) {
        ps::LabelChange c;
        c.traceId = "trace-" + std::to_string(i % 500);
        c.requestId = c.traceId;
        c.label = static_cast<ps::ReviewLabel>(i % ps::kReviewLabelCount);
        c.note = "benchmark";
        c.timeMs = i++;
        c.fromQueue = true;
        if (!ws->setLabel(c)) {
            state.SkipWithError(ws->lastError().c_str());
            return;
        }
    }
}
BENCHMARK(BM_SetLabel)->Unit(benchmark::kMillisecond)->Iterations(300);

}  // namespace

BENCHMARK_MAIN();
