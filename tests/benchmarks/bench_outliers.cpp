// The Outliers and Quality pages' jobs on a large export: each outlier table alone (bounded-heap top 50 and the
// ranks within each feature), every table with the tails, similar failures, the quality figures and the judge
// queue. Input: PROMPTSCOPE_BENCH_ANALYSIS_FILE (scripts/bench.sh makes a 1,000,000-request export; a request-log
// export of the same size is a quarter of the bytes: tracegen --format jsonl).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>

#include "failuregroups.h"
#include "judgesampling.h"
#include "outliers.h"
#include "quality.h"
#include "sourceloader.h"

namespace {

struct Loaded {
    ps::DatasetPtr dataset;
    ps::FacetIndex index;
    ps::Selection all;
    ps::Selection oneFeature;
};

const Loaded& loaded() {
    static const Loaded data = [] {
        Loaded l;
        const char* file = std::getenv("PROMPTSCOPE_BENCH_ANALYSIS_FILE");
        if (file == nullptr || !std::filesystem::exists(file)) {
            return l;
        }
        l.dataset = ps::loadSources({file}).dataset;
        if (l.dataset) {
            l.index = ps::buildFacetIndex(*l.dataset);
            l.all = ps::selectRequests(*l.dataset, l.index, ps::Filter{}, nullptr, false);
            ps::Filter f;
            f.of(ps::Dimension::Feature) = {"invoice_parser"};
            l.oneFeature = ps::selectRequests(*l.dataset, l.index, f, nullptr, false);
        }
        return l;
    }();
    return data;
}

bool ready(benchmark::State& state) {
    if (!loaded().dataset) {
        state.SkipWithError("set PROMPTSCOPE_BENCH_ANALYSIS_FILE to a large export");
        return false;
    }
    state.counters["requests"] = static_cast<double>(loaded().all.requests.size());
    return true;
}

void BM_OutlierTable(benchmark::State& state) {
    if (!ready(state)) {
        return;
    }
    const auto kind = static_cast<ps::OutlierKind>(state.range(0));
    state.SetLabel(std::string(ps::outlierMetricName(kind)));
    ps::OutlierOptions options;
    for (auto _ : state) {
        benchmark::DoNotOptimize(
            ps::computeOutlierTable(*loaded().dataset, loaded().index, loaded().all, kind, options));
    }
}
BENCHMARK(BM_OutlierTable)->DenseRange(0, ps::kOutlierKindCount - 1)->Unit(benchmark::kMillisecond);

// The Outliers page's job: every table, the tails and the failure groups.
void BM_OutliersPageJob(benchmark::State& state) {
    if (!ready(state)) {
        return;
    }
    const ps::Selection& s = state.range(0) ? loaded().oneFeature : loaded().all;
    state.SetLabel(state.range(0) ? "feature:invoice_parser" : "all requests");
    for (auto _ : state) {
        benchmark::DoNotOptimize(ps::computeOutliers(*loaded().dataset, loaded().index, s, {}));
        benchmark::DoNotOptimize(ps::groupFailures(*loaded().dataset, s));
    }
}
BENCHMARK(BM_OutliersPageJob)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_FailureGroups(benchmark::State& state) {
    if (!ready(state)) {
        return;
    }
    for (auto _ : state) {
        benchmark::DoNotOptimize(ps::groupFailures(*loaded().dataset, loaded().all));
    }
}
BENCHMARK(BM_FailureGroups)->Unit(benchmark::kMillisecond);

// The Quality page's job: the quality figures and the judge queue at 5%.
void BM_QualityPageJob(benchmark::State& state) {
    if (!ready(state)) {
        return;
    }
    for (auto _ : state) {
        benchmark::DoNotOptimize(ps::computeQuality(*loaded().dataset, loaded().index, loaded().all));
        benchmark::DoNotOptimize(ps::buildJudgeQueue(*loaded().dataset, loaded().all, 0.05, 2000));
    }
}
BENCHMARK(BM_QualityPageJob)->Unit(benchmark::kMillisecond);

void BM_JudgeQueue(benchmark::State& state) {
    if (!ready(state)) {
        return;
    }
    for (auto _ : state) {
        benchmark::DoNotOptimize(ps::buildJudgeQueue(*loaded().dataset, loaded().all, 0.05, 2000));
    }
}
BENCHMARK(BM_JudgeQueue)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
