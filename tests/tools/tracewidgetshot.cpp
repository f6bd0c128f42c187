// Renders the trace explorer's widgets for one trace of a real export into PNGs, to look at them and to check
// them against the data: the waterfall (fitted, and with the slowest span selected), the flame graph, and a
// diff against a trace of the same feature under another prompt version.
//
//   tracewidgetshot --out DIR [--trace ID] [--size WxH] SOURCE...
//
// Without --trace it picks the support_chatbot trace whose crm_account_lookup call is the slowest (the demo's
// "slow CRM lookup" story), or else the largest trace. It prints what it picked and the figures it shows.
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QSignalSpy>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "flamegraphview.h"
#include "format.h"
#include "sourceloader.h"
#include "tracediffview.h"
#include "waterfallview.h"

using namespace ps;
using namespace ps::trace;

namespace {

struct Args {
    std::string out = ".";
    std::string trace;
    int width = 1600;
    int height = 900;
    std::vector<std::string> sources;
};

bool parse(int argc, char** argv, Args* a) {
    for (int i = 1; i < argc; ++i) {
        const std::string s = argv[i];
        auto next = [&](std::string* v) {
            if (i + 1 >= argc) {
                return false;
            }
            *v = argv[++i];
            return true;
        };
        std::string v;
        if (s == "--out") {
            if (!next(&a->out)) {
                return false;
            }
        } else if (s == "--trace") {
            if (!next(&a->trace)) {
                return false;
            }
        } else if (s == "--size") {
            if (!next(&v) || std::sscanf(v.c_str(), "%dx%d", &a->width, &a->height) != 2) {
                return false;
            }
        } else if (!s.empty() && s[0] == '-') {
            return false;
        } else {
            a->sources.push_back(s);
        }
    }
    return !a->sources.empty();
}

// The support_chatbot request whose span named like crm_account_lookup ("execute_tool crm_account_lookup" in
// the GenAI vocabulary) lasts longest, or kInvalid.
RequestIndex slowestCrmLookup(const Dataset& d) {
    RequestIndex best;
    int64_t longest = -1;
    for (uint32_t r = 0; r < d.requestCount(); ++r) {
        if (d.str(d.requests.feature[r]) != "support_chatbot") {
            continue;
        }
        for (uint32_t row = d.requests.firstSpan[r]; row < d.spanEnd(RequestIndex{r}); ++row) {
            if (d.str(d.spans.name[row]).find("crm_account_lookup") != std::string_view::npos &&
                d.spans.durationNs[row] > longest) {
                longest = d.spans.durationNs[row];
                best = RequestIndex{r};
            }
        }
    }
    return best;
}

RequestIndex largest(const Dataset& d) {
    RequestIndex best;
    size_t most = 0;
    for (uint32_t r = 0; r < d.requestCount(); ++r) {
        const size_t n = d.spanEnd(RequestIndex{r}) - d.requests.firstSpan[r];
        if (n > most) {
            most = n;
            best = RequestIndex{r};
        }
    }
    return best;
}

// A request of the same feature and root name under another prompt version with a crm_account_lookup too
// (else any), the closest in time: the "same input under v42 and v43" comparison.
RequestIndex counterpart(const Dataset& d, RequestIndex of) {
    const auto& rq = d.requests;
    RequestIndex best;
    int64_t bestGap = INT64_MAX;
    bool bestHasLookup = false;
    for (uint32_t r = 0; r < d.requestCount(); ++r) {
        if (r == of.value || rq.feature[r] != rq.feature[of.value] || rq.promptVersion[r] == rq.promptVersion[of.value]) {
            continue;
        }
        bool hasLookup = false;
        for (uint32_t row = rq.firstSpan[r]; row < d.spanEnd(RequestIndex{r}) && !hasLookup; ++row) {
            hasLookup = d.str(d.spans.name[row]).find("crm_account_lookup") != std::string_view::npos;
        }
        const int64_t gap = std::abs(rq.startNs[r] - rq.startNs[of.value]);
        if ((hasLookup && !bestHasLookup) || (hasLookup == bestHasLookup && gap < bestGap)) {
            best = RequestIndex{r};
            bestGap = gap;
            bestHasLookup = hasLookup;
        }
    }
    return best;
}

template <typename View, typename Signal>
void waitFor(View* view, Signal signal, bool pending) {
    if (pending) {
        QSignalSpy spy(view, signal);
        spy.wait(600000);
    }
    QApplication::processEvents();
}

bool save(QWidget& w, const QString& path) {
    const bool ok = w.grab().save(path);
    std::cout << (ok ? "wrote " : "could not write ") << path.toStdString() << "\n";
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    Args args;
    if (!parse(argc, argv, &args)) {
        std::cerr << "usage: tracewidgetshot --out DIR [--trace ID] [--size WxH] SOURCE...\n";
        return 2;
    }
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    const LoadResult loaded = loadSources(args.sources);
    if (!loaded.dataset) {
        std::cerr << "could not load: " << loaded.error << "\n";
        return 1;
    }
    const DatasetPtr data = loaded.dataset;
    RequestIndex request = args.trace.empty() ? slowestCrmLookup(*data) : data->findRequest(args.trace);
    if (!request.isValid() && args.trace.empty()) {
        request = largest(*data);
    }
    if (!request.isValid()) {
        std::cerr << "no such trace\n";
        return 1;
    }
    const std::string id(data->str(data->requests.traceId[request.value]));
    const size_t spans = data->spanEnd(request) - data->requests.firstSpan[request.value];
    std::cout << "trace " << id << ": " << spans << " spans, "
              << fmt::durationNs(data->requests.durationNs[request.value]).toStdString() << ", feature "
              << data->str(data->requests.feature[request.value]) << ", prompt version "
              << data->str(data->requests.promptVersion[request.value]) << "\n";
    QDir().mkpath(QString::fromStdString(args.out));
    const QString base = QString::fromStdString(args.out) + QStringLiteral("/");
    const QString tag = QString::fromStdString(id.substr(0, 8));

    WaterfallView waterfall;
    waterfall.resize(args.width, args.height);
    waterfall.show();
    QElapsedTimer clock;
    clock.start();
    waterfall.setTrace(data, request);
    waitFor(&waterfall, &WaterfallView::layoutChanged, waterfall.isLayoutPending());
    std::cout << "layout ready after " << clock.elapsed() << " ms\n";
    save(waterfall, base + QStringLiteral("waterfall-") + tag + QStringLiteral(".png"));
    waterfall.selectSlowestSpan();
    waitFor(&waterfall, &WaterfallView::layoutChanged, waterfall.isLayoutPending());
    const uint32_t slowest = waterfall.selectedSpan();
    if (slowest != SpanIndex::kInvalid) {
        std::cout << "slowest span: " << data->str(data->spans.name[slowest]) << " "
                  << fmt::durationNs(data->spans.durationNs[slowest]).toStdString() << "\n";
        std::cout << "tooltip: " << waterfall.spanToolTip(slowest).toStdString() << "\n";
    }
    save(waterfall, base + QStringLiteral("waterfall-") + tag + QStringLiteral("-slowest.png"));
    if (spans > 1000) {
        // A big trace: also a window in the middle, zoomed to a thousandth of it.
        const auto layout = waterfall.traceLayout();
        const int64_t mid = (layout->beginNs + layout->endNs) / 2;
        const int64_t width = std::max<int64_t>(1000, (layout->endNs - layout->beginNs) / 1000);
        waterfall.zoomTo(mid - width / 2, mid + width / 2);
        waterfall.selectSpan(layout->visibleRows[layout->visibleRows.size() / 2]);
        save(waterfall, base + QStringLiteral("waterfall-") + tag + QStringLiteral("-zoomed.png"));
    }

    FlameGraphView flame;
    flame.resize(args.width, std::min(args.height, 420));
    flame.show();
    flame.setTrace(data, request);
    waitFor(&flame, &FlameGraphView::graphChanged, flame.isPending());
    save(flame, base + QStringLiteral("flamegraph-") + tag + QStringLiteral(".png"));

    const RequestIndex other = counterpart(*data, request);
    if (other.isValid()) {
        TraceDiffView diff;
        diff.resize(args.width, std::min(args.height, 420));
        diff.show();
        // The older version on the left: "v42 against v43" reads in release order.
        const std::string_view mine = data->str(data->requests.promptVersion[request.value]);
        const std::string_view theirs = data->str(data->requests.promptVersion[other.value]);
        const bool mineFirst = mine.size() != theirs.size() ? mine.size() < theirs.size() : mine < theirs;
        const RequestIndex a = mineFirst ? request : other;
        const RequestIndex b = mineFirst ? other : request;
        diff.setTraces(data, a, data, b);
        waitFor(&diff, &TraceDiffView::diffChanged, diff.isPending());
        std::cout << "diff with " << data->str(data->requests.traceId[other.value]) << " (prompt version "
                  << theirs << "), older version as A: " << diff.diff()->matched
                  << " matched, " << diff.diff()->onlyA << " only in A, " << diff.diff()->onlyB << " only in B\n";
        save(diff, base + QStringLiteral("diff-") + tag + QStringLiteral(".png"));
    }
    return 0;
}
