// The dashboard's recompute after a filter change: selection (with sidebar counts) plus the whole overview,
// on a large export. Input: PROMPTSCOPE_BENCH_ANALYSIS_FILE (scripts/bench.sh makes a 1,000,000-request
// export). Reports the median and p95 over 20 different filter changes, as the budget is stated (50 ms).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/resource.h>

#include "overview.h"
#include "sourceloader.h"

namespace {

struct Loaded {
    ps::DatasetPtr dataset;
    ps::FacetIndex index;
    double indexMs = 0;
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
            const auto t0 = std::chrono::steady_clock::now();
            l.index = ps::buildFacetIndex(*l.dataset);
            l.indexMs =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        }
        return l;
    }();
    return data;
}

// Twenty filter changes an engineer might make in a row: dimensions, status, thresholds, time ranges, text,
// with values taken from the sidebar's most frequent ones.
std::vector<ps::Filter> filterChanges(const ps::Dataset& d, const ps::FacetIndex& index) {
    const ps::Selection all = ps::selectRequests(d, index, ps::Filter{});
    auto top = [&](ps::Dimension dim, size_t k) {
        const auto& values = all.facets[static_cast<size_t>(dim)];
        const ps::StringId id = values[std::min(k, values.size() - 1)].value;
        return id.isEmpty() ? std::string("(none)") : std::string(d.str(id));
    };
    using D = ps::Dimension;
    const int64_t begin = d.requests.startNs.front();
    const int64_t end = d.requests.startNs.back() + 1;
    std::vector<ps::Filter> out;
    ps::Filter f;
    auto push = [&] { out.push_back(f); };
    push();  // 0: everything
    f.of(D::Feature) = {top(D::Feature, 0)};
    push();  // 1: one feature
    f.status = ps::StatusFilter::Error;
    push();  // 2: its errors
    f.status = ps::StatusFilter::Any;
    f.beginNs = begin + (end - begin) / 2;
    push();  // 3: second half
    f.of(D::Feature) = {top(D::Feature, 1)};
    push();  // 4: another feature
    f = ps::Filter{};
    f.of(D::Model) = {top(D::Model, 0)};
    push();  // 5: one model
    f.of(D::Tenant) = {top(D::Tenant, 0), top(D::Tenant, 1)};
    push();  // 6: two tenants
    f = ps::Filter{};
    f.of(D::PromptVersion) = {top(D::PromptVersion, 0)};
    push();  // 7: one version
    f.minLatencyMs = 2000;
    push();  // 8: slow ones
    f = ps::Filter{};
    f.endNs = begin + (end - begin) / 4;
    push();  // 9: first quarter
    f.of(D::Environment) = {top(D::Environment, 0)};
    push();  // 10: production
    f.of(D::Feature) = {top(D::Feature, 2)};
    push();  // 11: a third feature
    f = ps::Filter{};
    f.refusalsOnly = true;
    push();  // 12: refusals
    f = ps::Filter{};
    push();  // 13: reset
    f.of(D::TenantTier) = {top(D::TenantTier, 0)};
    push();  // 14: a tier
    f = ps::Filter{};
    f.of(D::Provider) = {top(D::Provider, 0)};
    push();  // 15: a provider
    f.of(D::FinishReason) = {top(D::FinishReason, 0)};
    push();  // 16: a finish reason
    f = ps::Filter{};
    f.of(D::User) = {top(D::User, 0)};
    push();  // 17: one user
    f = ps::Filter{};
    f.text = "rate limit";
    push();  // 18: free text
    f = ps::Filter{};
    f.of(D::Feature) = {top(D::Feature, 0)};
    f.of(D::PromptVersion) = {top(D::PromptVersion, 1)};
    push();  // 19: feature and version
    return out;
}

void BM_FilterChange(benchmark::State& state) {
    const Loaded& l = loaded();
    if (!l.dataset) {
        state.SkipWithError(
            "set PROMPTSCOPE_BENCH_ANALYSIS_FILE to an OTLP/JSON export (scripts/bench.sh makes one)");
        return;
    }
    const auto grain = state.range(0) == 0 ? ps::Grain::Request : ps::Grain::Generation;
    const std::vector<ps::Filter> filters = filterChanges(*l.dataset, l.index);
    std::vector<double> ms;
    std::vector<double> selectMs;
    std::vector<size_t> rowsOf;
    // The overview computed once as the window does right after loading: buffers are allocated then, and the
    // timed filter changes below are the ones a user makes afterwards.
    {
        const ps::Selection sel = ps::selectRequests(*l.dataset, l.index, ps::Filter{});
        benchmark::DoNotOptimize(ps::computeOverview(*l.dataset, l.index, ps::Filter{}, sel, grain).rows);
    }
    // PROMPTSCOPE_BENCH_ROUNDS repeats the twenty changes, so that a profiler sees them rather than the load;
    // the figures come from the last round.
    const char* roundsText = std::getenv("PROMPTSCOPE_BENCH_ROUNDS");
    const int rounds = roundsText != nullptr ? std::max(1, std::atoi(roundsText)) : 1;
    auto minorFaults = [] {
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        return static_cast<double>(usage.ru_minflt);
    };
    double faults = 0;
    for (auto _ : state) {
        for (int round = 0; round < rounds; ++round) {
            ms.clear();
            selectMs.clear();
            rowsOf.clear();
            const double faultsBefore = minorFaults();
            for (const ps::Filter& f : filters) {
                const auto t0 = std::chrono::steady_clock::now();
                const ps::Selection sel = ps::selectRequests(*l.dataset, l.index, f);
                selectMs.push_back(
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
                rowsOf.push_back(sel.requests.size());
                const ps::OverviewResult r = ps::computeOverview(*l.dataset, l.index, f, sel, grain);
                benchmark::DoNotOptimize(r.rows);
                ms.push_back(
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
            }
            faults = (minorFaults() - faultsBefore) / static_cast<double>(filters.size());
        }
    }
    // The window answers a filter it computed moments ago (the initial everything, a reset, back) from its recent
    // results (recentresults.h) without recomputing: those changes are timed here all the same, and reported apart.
    std::vector<bool> seenBefore(filters.size());
    double maxNew = 0;
    for (size_t i = 0; i < filters.size(); ++i) {
        seenBefore[i] = filters[i].isEmpty() ||
                        std::find(filters.begin(), filters.begin() + static_cast<std::ptrdiff_t>(i), filters[i]) !=
                            filters.begin() + static_cast<std::ptrdiff_t>(i);
        if (!seenBefore[i]) {
            maxNew = std::max(maxNew, ms[i]);
        }
    }
    if (std::getenv("PROMPTSCOPE_BENCH_VERBOSE")) {
        for (size_t i = 0; i < ms.size(); ++i) {
            std::fprintf(stderr, "filter change %zu: %zu requests, %.1f ms (selection %.1f ms)%s\n", i, rowsOf[i],
                         ms[i], selectMs[i], seenBefore[i] ? " (seen before: the window shows its recent result)" : "");
        }
    }
    std::sort(ms.begin(), ms.end());
    state.counters["requests"] = static_cast<double>(l.dataset->requestCount());
    state.counters["median_ms"] = ms[ms.size() / 2];
    state.counters["p95_ms"] = ms[std::min(ms.size() - 1, ms.size() * 95 / 100)];
    state.counters["max_ms"] = ms.back();
    state.counters["max_new_ms"] = maxNew;  // the slowest change whose filter was not computed before
    state.counters["facet_index_ms"] = l.indexMs;
    state.counters["faults/change"] = faults;  // page faults: fresh memory is slow to touch on virtual machines
}
BENCHMARK(BM_FilterChange)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
