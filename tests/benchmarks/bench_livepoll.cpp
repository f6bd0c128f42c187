// What a live-refresh poll costs against reading everything again: a LiteLLM spend-log table of
// PROMPTSCOPE_BENCH_LIVE_ROWS rows (default 200,000) in SQLite, a snapshot of all but the newest K rows, and one
// poll that brings those K (scan past the mark, read the new requests by id, append to the snapshot); a poll
// that finds nothing new; and a whole load of the table for comparison. Each poll starts from the snapshot's own
// mark, so every iteration does the same work.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "litellmfixture.h"
#include "livepoll.h"
#include "sourceloader.h"

namespace {

int rowCount() {
    const char* n = std::getenv("PROMPTSCOPE_BENCH_LIVE_ROWS");
    return n ? std::atoi(n) : 200'000;
}

// A table of `rows` rows, made once per size (rows 0 .. rows-1 of the test fixture, 1.5 s apart).
std::string table(int rows) {
    const std::string path = "build/bench/livepoll-" + std::to_string(rows) + ".sqlite";
    if (!std::filesystem::exists(path)) {
        std::filesystem::create_directories("build/bench");
        std::string error;
        auto c = ps::db::openConnection({ps::db::Dialect::Sqlite, path + ".part"}, {.readOnly = false}, &error);
        bool ok = c && c->execute(ps::testing::liteLlmDdl(ps::db::Dialect::Sqlite), {}, &error) &&
                  c->execute("BEGIN", {}, &error);
        for (int i = 0; ok && i < rows; ++i) {
            ok = ps::testing::insertLiteLlmRow(*c, i, &error);
        }
        if (!ok || !c->execute("COMMIT", {}, &error)) {
            std::fprintf(stderr, "cannot create the table: %s\n", error.c_str());
            return {};
        }
        c.reset();
        std::filesystem::rename(path + ".part", path);
    }
    return "sqlite:" + path;
}

void BM_Poll(benchmark::State& state) {
    const int fresh = static_cast<int>(state.range(0));
    const std::string source = table(rowCount());
    // The snapshot: the table before its newest `fresh` rows were written, read by the load path.
    const std::string before = table(rowCount() - fresh);
    const ps::LoadResult loaded = ps::loadSources({before});
    if (source.empty() || before.empty() || !loaded.dataset) {
        state.SkipWithError("no table");
        return;
    }
    const ps::DatasetPtr snapshot = loaded.dataset;
    // Named as the snapshot names its source, polling the whole table.
    std::vector<ps::live::LiveSource> watched = ps::live::liveSourcesOf({before});
    watched.front().source = source;
    uint64_t rows = 0;
    for (auto _ : state) {
        const ps::live::PollResult r = ps::live::pollSources(snapshot, watched, {});
        if (!r.error.empty()) {
            state.SkipWithError(r.error.c_str());
            return;
        }
        rows = r.rows;
        benchmark::DoNotOptimize(r.dataset);
    }
    state.counters["new rows"] = static_cast<double>(rows);
    state.counters["snapshot requests"] = static_cast<double>(snapshot->requestCount());
}
BENCHMARK(BM_Poll)->ArgName("new")->Arg(0)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_LoadWhole(benchmark::State& state) {
    const std::string source = table(rowCount());
    for (auto _ : state) {
        const ps::LoadResult r = ps::loadSources({source});
        if (!r.dataset) {
            state.SkipWithError(r.error.c_str());
            return;
        }
        benchmark::DoNotOptimize(r.dataset);
    }
}
BENCHMARK(BM_LoadWhole)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
