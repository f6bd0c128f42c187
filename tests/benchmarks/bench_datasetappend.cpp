// Live refresh's append: a snapshot of N requests plus a poll's delta of 1,000 new requests, as a new snapshot
// (every untouched trace copied column-wise with its string ids remapped). Run:
//   build/dev/tests/benchmarks/bench_datasetappend
#include <benchmark/benchmark.h>

#include <numeric>

#include "datasetappend.h"
#include "syntheticrequests.h"

namespace {

ps::DatasetPtr withLookup(ps::DatasetPtr d, int64_t shiftNs) {
    auto out = std::const_pointer_cast<ps::Dataset>(d);
    for (auto& s : out->requests.startNs) {
        s += shiftNs;
    }
    out->requestsByTraceId.resize(out->requestCount());
    std::iota(out->requestsByTraceId.begin(), out->requestsByTraceId.end(), 0u);
    const auto& ids = out->requests.traceId;
    std::sort(out->requestsByTraceId.begin(), out->requestsByTraceId.end(),
              [&ids](uint32_t a, uint32_t b) { return ids[a] < ids[b]; });
    return out;
}

void BM_AppendDelta(benchmark::State& state) {
    const auto n = static_cast<size_t>(state.range(0));
    const ps::DatasetPtr old = withLookup(ps::testing::syntheticRequests(n, 1), 0);
    const ps::DatasetPtr delta = withLookup(ps::testing::syntheticRequests(1000, 2),
                                            old->requests.startNs.back() - old->requests.startNs.front() + 1);
    for (auto _ : state) {
        ps::DatasetPtr next = ps::appendToDataset(*old, *delta);
        benchmark::DoNotOptimize(next.get());
    }
    state.counters["requests"] = static_cast<double>(n + 1000);
}

}  // namespace

BENCHMARK(BM_AppendDelta)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->MinTime(1.0);

BENCHMARK_MAIN();
