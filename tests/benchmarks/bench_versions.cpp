// The Versions page's computation at scale: two versions of a prompt compared on every metric (selection of each
// side, reading its columns, the tests, the bootstrap of five percentiles, the overlaid distributions and the
// release timeline), on a synthetic data set built in memory (tests/versionsfixture.h), so no file of gigabytes
// is needed. Arguments: requests in all, split evenly between the two versions.
#include <benchmark/benchmark.h>

#include <chrono>
#include <map>

#include "../versionsfixture.h"
#include "versionsanalysis.h"

namespace {

struct Prepared {
    ps::DatasetPtr data;
    ps::FacetIndex index;
};

const Prepared& prepared(size_t requests) {
    static std::map<size_t, Prepared> cache;
    auto it = cache.find(requests);
    if (it == cache.end()) {
        ps::testing::VersionsFixture f;
        f.requests = requests;
        f.b.latencyMedianMs = 850;
        f.b.costMedianUsd = 0.0045;
        Prepared p;
        p.data = ps::testing::buildVersionsFixture(f);
        p.index = ps::buildFacetIndex(*p.data);
        it = cache.emplace(requests, std::move(p)).first;
    }
    return it->second;
}

ps::ComparisonSpec spec() {
    ps::ComparisonSpec s;
    s.prompt = "chat";
    s.values = {"1", "2"};
    return s;
}

void BM_AnalyseVersions(benchmark::State& state) {
    const Prepared& p = prepared(static_cast<size_t>(state.range(0)));
    for (auto _ : state) {
        ps::VersionsAnalysis a = ps::analyseVersions(*p.data, p.index, spec(), ps::Filter{});
        benchmark::DoNotOptimize(a);
    }
    state.counters["requests"] = static_cast<double>(p.data->requestCount());
}
BENCHMARK(BM_AnalyseVersions)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->Iterations(3);

// The comparison alone (sides already read): where the statistics' time goes.
void BM_CompareSides(benchmark::State& state) {
    const Prepared& p = prepared(static_cast<size_t>(state.range(0)));
    std::vector<ps::ComparisonSide> sides;
    for (const ps::ComparisonArm& arm : ps::comparisonArms(spec(), ps::Filter{})) {
        ps::Selection s = ps::selectRequests(*p.data, p.index, arm.filter, nullptr, false);
        sides.push_back(ps::readComparisonSide(*p.data, arm.label, std::move(s.requests)));
    }
    for (auto _ : state) {
        ps::VersionComparison c = ps::compareSides(sides[0], sides[1]);
        benchmark::DoNotOptimize(c);
    }
}
BENCHMARK(BM_CompareSides)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
