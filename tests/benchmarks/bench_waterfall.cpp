// Layout of one very large trace for the waterfall, the bars of a screenful of it, a whole frame of the
// WaterfallView painted into an offscreen image, and the trace explorer's other per-trace computations (flame
// graph, span tree model, trace diff). The traces are made in memory by the scenario's big-trace generator (the
// one behind `tracegen --traces 1 --spans-per-trace N`), or taken from an OTLP/JSON file given in
// PROMPTSCOPE_BENCH_TRACE_FILE (its largest trace).
#include <benchmark/benchmark.h>

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QScrollBar>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bigtrace.h"
#include "datasetbuilder.h"
#include "flamegraph.h"
#include "sourceloader.h"
#include "spantreemodel.h"
#include "tracediff.h"
#include "waterfall.h"
#include "waterfallview.h"

namespace {

ps::SpanKind kindOf(const ps::scenario::Span& s) {
    for (const auto& a : s.attrs) {
        if (a.key != "openinference.span.kind") {
            continue;
        }
        if (a.s == "LLM") {
            return ps::SpanKind::Llm;
        }
        if (a.s == "TOOL") {
            return ps::SpanKind::Tool;
        }
        if (a.s == "RETRIEVER") {
            return ps::SpanKind::Retrieval;
        }
        if (a.s == "AGENT") {
            return ps::SpanKind::Agent;
        }
        if (a.s == "CHAIN") {
            return ps::SpanKind::Chain;
        }
    }
    return ps::SpanKind::Other;
}

ps::DatasetPtr generated(uint64_t spans) {
    ps::DatasetBuilder builder;
    ps::scenario::generateBigTrace(
        7, 0, spans, 1700000000000000000LL, 5000,
        [&](const std::vector<ps::scenario::Span>& batch, const std::string& traceId) {
            ps::RecordBatch b;
            const ps::StringId trace = b.strings.intern(traceId);
            for (const auto& s : batch) {
                ps::RawSpan r;
                r.traceId = trace;
                r.spanId = s.id;
                r.parentSpanId = s.parent;
                r.startNs = s.startNs;
                r.endNs = s.endNs;
                r.name = b.strings.intern(s.name);
                r.kind = kindOf(s);
                r.status = s.error ? ps::SpanStatus::Error : ps::SpanStatus::Ok;
                b.spans.push_back(r);
            }
            builder.addBatch(std::move(b));
        });
    return builder.build();
}

struct Input {
    ps::DatasetPtr data;
    ps::RequestIndex request;
};

// Arg 0: the file's largest trace; otherwise a generated trace of that many spans. Built once per size.
const Input& input(int64_t spans) {
    static std::map<int64_t, Input> cache;
    auto it = cache.find(spans);
    if (it != cache.end()) {
        return it->second;
    }
    Input in;
    if (spans == 0) {
        const char* file = std::getenv("PROMPTSCOPE_BENCH_TRACE_FILE");
        if (file != nullptr && std::filesystem::exists(file)) {
            in.data = ps::loadSources({file}).dataset;
        }
        if (in.data) {
            uint32_t best = 0;
            for (uint32_t r = 0; r < in.data->requestCount(); ++r) {
                const ps::RequestIndex ri{r};
                const ps::RequestIndex bi{best};
                if (in.data->spanEnd(ri) - in.data->requests.firstSpan[r] >
                    in.data->spanEnd(bi) - in.data->requests.firstSpan[best]) {
                    best = r;
                }
            }
            in.request = ps::RequestIndex{best};
        }
    } else {
        in.data = generated(static_cast<uint64_t>(spans));
        in.request = ps::RequestIndex{0u};
    }
    return cache.emplace(spans, std::move(in)).first->second;
}

bool ready(benchmark::State& state, const Input& in) {
    if (!in.data || in.data->requestCount() == 0) {
        state.SkipWithError("set PROMPTSCOPE_BENCH_TRACE_FILE to a tracegen --traces export for argument 0");
        return false;
    }
    return true;
}

void BM_LayoutTrace(benchmark::State& state) {
    const Input& in = input(state.range(0));
    if (!ready(state, in)) {
        return;
    }
    ps::LayoutOptions options;
    size_t visible = 0;
    for (auto _ : state) {
        const ps::TraceLayout l = ps::layoutTrace(*in.data, in.request, options);
        visible = l.visibleRows.size();
        benchmark::DoNotOptimize(l.visibleRows.data());
    }
    state.counters["spans"] = static_cast<double>(in.data->spanEnd(in.request) - in.data->requests.firstSpan[in.request.value]);
    state.counters["visible"] = static_cast<double>(visible);
}
BENCHMARK(BM_LayoutTrace)->Arg(100000)->Arg(1000000)->Arg(0)->Unit(benchmark::kMillisecond);

// The same with the viewer's rules on: spans under 1 ms and tool calls hidden, a name hidden, a step collapsed.
void BM_LayoutTraceFiltered(benchmark::State& state) {
    const Input& in = input(state.range(0));
    if (!ready(state, in)) {
        return;
    }
    ps::LayoutOptions options;
    options.minDurationNs = 1000000;
    options.kinds = ps::kAllSpanKinds & ~ps::kindBit(ps::SpanKind::Tool);
    options.hideName = "web_search";
    options.collapsed = {in.data->requests.firstSpan[in.request.value] + 1};
    size_t visible = 0;
    for (auto _ : state) {
        const ps::TraceLayout l = ps::layoutTrace(*in.data, in.request, options);
        visible = l.visibleRows.size();
        benchmark::DoNotOptimize(l.visibleRows.data());
    }
    state.counters["visible"] = static_cast<double>(visible);
}
BENCHMARK(BM_LayoutTraceFiltered)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

// One screen: 60 rows in the middle of the display, 1600 px over the whole trace, and the minimap.
void BM_BarsForPixels(benchmark::State& state) {
    const Input& in = input(state.range(0));
    if (!ready(state, in)) {
        return;
    }
    const ps::TraceLayout l = ps::layoutTrace(*in.data, in.request, {});
    const size_t first = l.visibleRows.size() / 2;
    for (auto _ : state) {
        const auto bars = ps::barsForPixels(l, *in.data, l.beginNs, l.endNs, 1600, first, 60);
        benchmark::DoNotOptimize(bars.data());
    }
}
BENCHMARK(BM_BarsForPixels)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMicrosecond);

void BM_Minimap(benchmark::State& state) {
    const Input& in = input(state.range(0));
    if (!ready(state, in)) {
        return;
    }
    const ps::TraceLayout l = ps::layoutTrace(*in.data, in.request, {});
    for (auto _ : state) {
        const auto columns = ps::minimap(l, *in.data, 1600);
        benchmark::DoNotOptimize(columns.data());
    }
}
BENCHMARK(BM_Minimap)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

// One frame of the waterfall widget, 1600 x 900, painted into an image: the span tree, bars, minimap, axis and
// legend of the rows on screen. Arg 1: 0 = the whole trace fitted, 1 = zoomed into a thousandth of it in the
// middle, scrolled to the middle rows. The layout is made once before timing (it is not part of a frame).
void BM_WaterfallFrame(benchmark::State& state) {
    const Input& in = input(state.range(0));
    if (!ready(state, in)) {
        return;
    }
    ps::trace::WaterfallView view;
    view.resize(1600, 900);
    view.show();
    view.setTrace(in.data, in.request);
    while (view.isLayoutPending()) {
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    }
    const auto layout = view.traceLayout();
    if (state.range(1) == 1) {
        const int64_t mid = (layout->beginNs + layout->endNs) / 2;
        const int64_t width = std::max<int64_t>(1000, (layout->endNs - layout->beginNs) / 1000);
        view.zoomTo(mid - width / 2, mid + width / 2);
        view.verticalScrollBar()->setValue(static_cast<int>(layout->visibleRows.size() / 2));
    }
    QImage image(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    for (auto _ : state) {
        view.viewport()->render(&image);
        benchmark::DoNotOptimize(image.constBits());
    }
    state.counters["spans"] = static_cast<double>(layout->spanCount());
}
BENCHMARK(BM_WaterfallFrame)
    ->Args({100000, 0})
    ->Args({100000, 1})
    ->Args({1000000, 0})
    ->Args({1000000, 1})
    ->Unit(benchmark::kMillisecond);

// Arg 1: 1 = numbered names merged ("step 1", "step 2" -> "step #"), as the flame graph view does by default.
void BM_FlameGraph(benchmark::State& state) {
    const Input& in = input(state.range(0));
    if (!ready(state, in)) {
        return;
    }
    const ps::TraceLayout l = ps::layoutTrace(*in.data, in.request, {});
    size_t nodes = 0;
    for (auto _ : state) {
        const ps::FlameGraph g = ps::buildFlameGraph(*in.data, l, ps::FlameOrder::ByTotalTime, state.range(1) == 1);
        nodes = g.nodes.size();
        benchmark::DoNotOptimize(g.nodes.data());
    }
    state.counters["nodes"] = static_cast<double>(nodes);
}
BENCHMARK(BM_FlameGraph)
    ->Args({100000, 0})
    ->Args({100000, 1})
    ->Args({1000000, 0})
    ->Args({1000000, 1})
    ->Unit(benchmark::kMillisecond);

void BM_SpanTreeModel(benchmark::State& state) {
    const Input& in = input(state.range(0));
    if (!ready(state, in)) {
        return;
    }
    const auto l = std::make_shared<const ps::TraceLayout>(ps::layoutTrace(*in.data, in.request, {}));
    ps::SpanTreeModel model;
    for (auto _ : state) {
        model.setTrace(in.data, l);
        benchmark::DoNotOptimize(model.rowCount());
    }
}
BENCHMARK(BM_SpanTreeModel)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

// The trace against itself: every span is matched, the most work an alignment does.
void BM_TraceDiff(benchmark::State& state) {
    const Input& in = input(state.range(0));
    if (!ready(state, in)) {
        return;
    }
    for (auto _ : state) {
        const ps::TraceDiff d = ps::diffTraces(*in.data, in.request, *in.data, in.request);
        benchmark::DoNotOptimize(d.rows.data());
    }
}
BENCHMARK(BM_TraceDiff)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace

// The frame benchmark paints a widget: a QApplication on the offscreen platform unless a display is chosen.
int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
