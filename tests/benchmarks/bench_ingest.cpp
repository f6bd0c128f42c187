// Ingest and report throughput on one file: PROMPTSCOPE_BENCH_FILE (scripts/bench.sh generates a 1 GB tracegen
// export). Counters: MB/s and spans/s of the whole load (read + assembly), hot-column bytes per span, peak RSS.
#include <array>
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "groupsummary.h"
#include "sourceloader.h"

namespace {

std::string benchFile() {
    const char* path = std::getenv("PROMPTSCOPE_BENCH_FILE");
    return path ? path : "";
}

double peakRssMb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

void BM_LoadOtlp(benchmark::State& state) {
    const std::string file = benchFile();
    if (file.empty() || !std::filesystem::exists(file)) {
        state.SkipWithError("set PROMPTSCOPE_BENCH_FILE to an OTLP/JSON file (scripts/bench.sh makes one)");
        return;
    }
    const auto bytes = static_cast<int64_t>(std::filesystem::file_size(file));
    ps::LoadOptions options;
    options.threads = static_cast<unsigned>(state.range(0));
    size_t spans = 0;
    size_t hot = 0;
    std::array<size_t, 6> tables{};
    for (auto _ : state) {
        ps::LoadResult r = ps::loadSources({file}, options);
        if (!r.dataset) {
            state.SkipWithError(r.error.c_str());
            return;
        }
        spans = r.dataset->spanCount();
        hot = r.dataset->hotColumnBytes();
        const ps::Dataset& d = *r.dataset;
        tables = {d.spans.memoryBytes(), d.generations.memoryBytes(), d.requests.memoryBytes(), d.coldLocatorBytes(),
                  d.evals.memoryBytes(), d.totalMemoryBytes()};
        benchmark::DoNotOptimize(r.dataset.get());
    }
    state.SetBytesProcessed(bytes * state.iterations());
    state.counters["spans/s"] = benchmark::Counter(static_cast<double>(spans * state.iterations()),
                                                   benchmark::Counter::kIsRate);
    state.counters["spans"] = static_cast<double>(spans);
    state.counters["hot_bytes/span"] = spans ? static_cast<double>(hot) / static_cast<double>(spans) : 0;
    state.counters["peak_rss_MB"] = peakRssMb();
    const char* names[] = {"B/span:spans", "B/span:calls", "B/span:requests", "B/span:cold", "B/span:evals",
                           "B/span:all"};
    for (size_t i = 0; i < tables.size(); ++i) {
        state.counters[names[i]] = spans ? static_cast<double>(tables[i]) / static_cast<double>(spans) : 0;
    }
}
BENCHMARK(BM_LoadOtlp)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void BM_ReportByVersion(benchmark::State& state) {
    const std::string file = benchFile();
    if (file.empty() || !std::filesystem::exists(file)) {
        state.SkipWithError("set PROMPTSCOPE_BENCH_FILE");
        return;
    }
    ps::LoadResult r = ps::loadSources({file});
    if (!r.dataset) {
        state.SkipWithError(r.error.c_str());
        return;
    }
    for (auto _ : state) {
        ps::Report report = ps::buildReport(*r.dataset, ps::GroupField::PromptVersion, ps::Grain::Request);
        benchmark::DoNotOptimize(report.total.count);
    }
    state.counters["requests"] = static_cast<double>(r.dataset->requestCount());
}
BENCHMARK(BM_ReportByVersion)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
