// Saving a loaded dataset into PromptScope's own tables: spans per second into a new SQLite file and into
// PostgreSQL (when PROMPTSCOPE_TEST_PG_URI names a server), with the span records (cold data) and without. The
// dataset is PROMPTSCOPE_IMPORT_BENCH_FILE (e.g. `tracegen --requests 50000 --format otlp --out F`), loaded
// once; only the write is timed. The target is written next to the file and removed after each run.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "datasetimport.h"
#include "dbconnection.h"
#include "sourceloader.h"
#include "sqliteconnection.h"

namespace {

const ps::DatasetPtr& dataset() {
    static const ps::DatasetPtr data = [] {
        ps::db::SqliteConnection::disableMemoryStatistics();  // as `promptscope import` does
        const char* path = std::getenv("PROMPTSCOPE_IMPORT_BENCH_FILE");
        return path ? ps::loadSources({path}).dataset : nullptr;
    }();
    return data;
}

void report(benchmark::State& state, const ps::DatasetWriteResult& result) {
    state.counters["spans/s"] = benchmark::Counter(static_cast<double>(result.spans * state.iterations()),
                                                   benchmark::Counter::kIsRate);
    state.counters["spans"] = static_cast<double>(result.spans);
    state.counters["record_MB"] = static_cast<double>(result.recordBytes) / 1e6;
}

void BM_ImportSqlite(benchmark::State& state) {
    const ps::DatasetPtr& data = dataset();
    if (!data) {
        state.SkipWithError("set PROMPTSCOPE_IMPORT_BENCH_FILE to a trace export (tracegen makes one)");
        return;
    }
    const std::string target = std::string(std::getenv("PROMPTSCOPE_IMPORT_BENCH_FILE")) + ".bench.sqlite";
    ps::DatasetImportOptions options;
    options.replace = true;
    options.withRecords = state.range(0) != 0;
    ps::DatasetWriteResult result;
    for (auto _ : state) {
        result = ps::importDataset(data, target, options);
        if (!result.ok()) {
            state.SkipWithError(result.error.c_str());
            return;
        }
    }
    state.counters["file_MB"] = static_cast<double>(std::filesystem::file_size(target)) / 1e6;
    std::filesystem::remove(target);
    report(state, result);
}
BENCHMARK(BM_ImportSqlite)->Arg(1)->Arg(0)->ArgName("records")->Unit(benchmark::kMillisecond)->UseRealTime();

// Into a schema of its own on the server PROMPTSCOPE_TEST_PG_URI names (scripts/pgcluster.sh start), dropped
// afterwards.
void BM_ImportPostgres(benchmark::State& state) {
    const ps::DatasetPtr& data = dataset();
    const char* uri = std::getenv("PROMPTSCOPE_TEST_PG_URI");
    if (!data || uri == nullptr) {
        state.SkipWithError("set PROMPTSCOPE_IMPORT_BENCH_FILE and PROMPTSCOPE_TEST_PG_URI");
        return;
    }
    std::string error;
    ps::db::ConnectOptions writable;
    writable.readOnly = false;
    auto admin = ps::db::openConnection({ps::db::Dialect::Postgres, uri}, writable, &error);
    if (!admin || !admin->execute("DROP SCHEMA IF EXISTS bench_import CASCADE; CREATE SCHEMA bench_import", {},
                                  &error)) {
        state.SkipWithError(error.c_str());
        return;
    }
    ps::DatasetImportOptions options;
    options.replace = true;
    options.withRecords = state.range(0) != 0;
    ps::DatasetWriteResult result;
    for (auto _ : state) {
        result = ps::importDataset(data, std::string(uri) + "?options=-csearch_path%3Dbench_import", options);
        if (!result.ok()) {
            state.SkipWithError(result.error.c_str());
            return;
        }
    }
    admin->execute("DROP SCHEMA bench_import CASCADE", {}, &error);
    report(state, result);
}
BENCHMARK(BM_ImportPostgres)->Arg(1)->Arg(0)->ArgName("records")->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
