// The trace list at 5,000,000 requests (a synthetic Dataset written straight into its columns, no file):
// sorting by a numeric and a string column as the sort job does it, the ranking of every string that string
// columns need once per Dataset, a sort end to end through the model (thread pool, hand-back, layout change),
// the id search, the data() calls that paint one screen of rows, and a search inside messages of a real
// export.
#include <benchmark/benchmark.h>

#include <QGuiApplication>
#include <cstdlib>
#include <numeric>

#include "contentsearch.h"
#include "sourceloader.h"
#include "syntheticrequests.h"
#include "tracelistmodel.h"
#include "tracelistorder.h"
#include "tracesearch.h"

namespace {

constexpr size_t kRequests = 5'000'000;
constexpr int kScreenRows = 40;

struct Input {
    ps::DatasetPtr data;
    std::vector<uint32_t> rows;
    std::vector<uint32_t> ranks;
};

const Input& input() {
    static const Input in = [] {
        Input i;
        i.data = ps::testing::syntheticRequests(kRequests, 11);
        i.rows.resize(kRequests);
        std::iota(i.rows.begin(), i.rows.end(), 0u);
        i.ranks = ps::rankStrings(i.data->strings);
        return i;
    }();
    return in;
}

void BM_SortRows(benchmark::State& state) {
    const Input& in = input();
    const auto column = static_cast<ps::TraceColumn>(state.range(0));
    const bool descending = state.range(1) != 0;
    for (auto _ : state) {
        ps::TraceOrder order = ps::sortTraceRows(*in.data, in.rows, column, descending, in.ranks);
        benchmark::DoNotOptimize(order.rows.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kRequests));
}
BENCHMARK(BM_SortRows)
    ->ArgNames({"column", "desc"})
    ->Args({static_cast<int>(ps::TraceColumn::Duration), 0})
    ->Args({static_cast<int>(ps::TraceColumn::Duration), 1})
    ->Args({static_cast<int>(ps::TraceColumn::Feature), 0})
    ->Args({static_cast<int>(ps::TraceColumn::Cost), 1})
    ->Args({static_cast<int>(ps::TraceColumn::Time), 1})
    ->Args({static_cast<int>(ps::TraceColumn::TraceId), 0})
    ->Unit(benchmark::kMillisecond);

void BM_RankStrings(benchmark::State& state) {
    const Input& in = input();
    for (auto _ : state) {
        auto ranks = ps::rankStrings(in.data->strings);
        benchmark::DoNotOptimize(ranks.data());
    }
    state.counters["strings"] = static_cast<double>(in.data->strings.size());
}
BENCHMARK(BM_RankStrings)->Unit(benchmark::kMillisecond);

// From model.sort() to the new order shown: the job on the pool (keys, radix sort, the position of every
// request), the queued hand-back and the layout change. The first string sort of a model also ranks strings.
void BM_ModelSortEndToEnd(benchmark::State& state) {
    const Input& in = input();
    ps::TraceListModel model;
    model.setRows(in.data, in.rows);
    const int column = static_cast<int>(state.range(0));
    model.sort(column, Qt::AscendingOrder);  // warms the string ranks for string columns
    while (model.isSorting()) {
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    bool descending = true;
    for (auto _ : state) {
        model.sort(column, descending ? Qt::DescendingOrder : Qt::AscendingOrder);
        while (model.isSorting()) {
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        }
        descending = !descending;
    }
}
BENCHMARK(BM_ModelSortEndToEnd)
    ->ArgName("column")
    ->Arg(ps::TraceListModel::Duration)
    ->Arg(ps::TraceListModel::Feature)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// What the GUI thread does when new rows arrive: copy 5,000,000 row numbers and reset the model.
void BM_ModelSetRows(benchmark::State& state) {
    const Input& in = input();
    ps::TraceListModel model;
    for (auto _ : state) {
        model.setRows(in.data, in.rows);
    }
}
BENCHMARK(BM_ModelSetRows)->Unit(benchmark::kMillisecond);

// One screen of rows: every column's text, alignment, colour and font, as a table view asks when it paints.
void BM_ScreenOfRows(benchmark::State& state) {
    const Input& in = input();
    ps::TraceListModel model;
    model.setRows(in.data, in.rows);
    if (state.range(0) != 0) {
        model.sort(ps::TraceListModel::Duration, Qt::DescendingOrder);
        while (model.isSorting()) {
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        }
    }
    const int first = static_cast<int>(kRequests / 2);
    for (auto _ : state) {
        for (int r = first; r < first + kScreenRows; ++r) {
            for (int c = 0; c < ps::TraceListModel::ColumnCount; ++c) {
                const QModelIndex index = model.index(r, c);
                for (int role : {int(Qt::DisplayRole), int(Qt::TextAlignmentRole), int(Qt::ForegroundRole),
                                 int(Qt::FontRole)}) {
                    benchmark::DoNotOptimize(model.data(index, role));
                }
            }
        }
    }
    state.counters["rows"] = kScreenRows;
}
BENCHMARK(BM_ScreenOfRows)->ArgName("sorted")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_IdSearch(benchmark::State& state) {
    const Input& in = input();
    const std::string prefix(in.data->str(in.data->requests.traceId[kRequests / 3]).substr(0, 5));
    for (auto _ : state) {
        auto found = ps::findTracesById(*in.data, in.rows, prefix);
        benchmark::DoNotOptimize(found.data());
    }
}
BENCHMARK(BM_IdSearch)->Unit(benchmark::kMillisecond);

// Search inside the messages of an export's requests (read back from the file), for a word that some hold:
// PROMPTSCOPE_BENCH_CONTENT_FILE (scripts/bench.sh passes the demo). Reports requests searched per second.
void BM_ContentSearch(benchmark::State& state) {
    static const ps::DatasetPtr data = [] {
        const char* file = std::getenv("PROMPTSCOPE_BENCH_CONTENT_FILE");
        return file != nullptr ? ps::loadSources({file}).dataset : nullptr;
    }();
    if (!data) {
        state.SkipWithError("set PROMPTSCOPE_BENCH_CONTENT_FILE to an OTLP export");
        return;
    }
    std::vector<uint32_t> rows(data->requestCount());
    std::iota(rows.begin(), rows.end(), 0u);
    size_t hits = 0;
    for (auto _ : state) {
        hits = ps::searchRequestContent(data, rows, "refund", 1000000).rows.size();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(rows.size()));
    state.counters["requests"] = static_cast<double>(rows.size());
    state.counters["hits"] = static_cast<double>(hits);
}
BENCHMARK(BM_ContentSearch)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
