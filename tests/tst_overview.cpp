// computeOverview's figures, every one of them, against a second computation written here over the Dataset's own
// columns: plain loops, a map per breakdown, and type-7 percentiles on sorted copies. At both grains, for filters
// with and without a time range (a time range gives a previous period with rows), on the bundled demo and on a
// synthetic data set built to be awkward: ties, zero latencies, unknown costs, model calls that fail on their
// own, thousands of tenants, calls that start before their request's bucket ends.
#include <QTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <string>

#include "datasetbuilder.h"
#include "overview.h"
#include "selection.h"
#include "sourceloader.h"

using namespace ps;

namespace {

constexpr int64_t kMs = 1000000;

// Type 7 on a sorted copy.
double pct(std::vector<double> v, double q) {
    if (v.empty()) {
        return NAN;
    }
    std::sort(v.begin(), v.end());
    const double h = (static_cast<double>(v.size()) - 1) * q;
    const auto lo = static_cast<size_t>(std::floor(h));
    const size_t hi = std::min(lo + 1, v.size() - 1);
    const double frac = h - static_cast<double>(lo);
    return frac > 0 ? v[lo] + frac * (v[hi] - v[lo]) : v[lo];
}

bool same(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

bool close(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
}

QString label(const char* what) {
    return QString::fromUtf8(what);
}
QString label(const QString& what) {
    return what;
}

#define CHECK_SAME(a, b, what)                                                                                    \
    QVERIFY2(same((a), (b)), qPrintable(QStringLiteral("%1: %2 instead of %3").arg(label(what))                  \
                                            .arg((a), 0, 'g', 17).arg((b), 0, 'g', 17)))
#define CHECK_CLOSE(a, b, what)                                                                                   \
    QVERIFY2(close((a), (b)), qPrintable(QStringLiteral("%1: %2 instead of %3").arg(label(what))                 \
                                             .arg((a), 0, 'g', 17).arg((b), 0, 'g', 17)))

// One row of a grain, read straight from the columns.
struct Row {
    int64_t time = 0;
    double ms = 0;
    double cost = NAN;
    bool error = false, refusal = false, up = false, down = false;
    ErrorClass errorClass = ErrorClass::None;
    uint32_t pass = 0, fail = 0, in = 0, out = 0, cached = 0;
    std::string group[5];  // model, feature, prompt version, tenant, environment
    std::string prompt, version;
};

std::string text(const Dataset& d, StringId id) {
    return id.isEmpty() ? std::string("(none)") : std::string(d.str(id));
}

std::vector<Row> rowsOf(const Dataset& d, const std::vector<uint32_t>& requests, Grain grain) {
    std::map<uint32_t, ErrorClass> classOfSpan;
    for (size_t e = 0; e < d.errors.size(); ++e) {
        classOfSpan.emplace(d.errors.span[e], d.errors.errorClass[e]);
    }
    std::map<uint32_t, std::pair<uint32_t, uint32_t>> evalsOfSpan;
    for (size_t e = 0; e < d.evals.size(); ++e) {
        auto& [pass, fail] = evalsOfSpan[d.evals.span[e]];
        pass += d.evals.outcome[e] == EvalOutcome::Pass;
        fail += d.evals.outcome[e] == EvalOutcome::Fail;
    }
    const RequestColumns& q = d.requests;
    const GenerationColumns& g = d.generations;
    std::vector<Row> out;
    for (uint32_t r : requests) {
        Row base;
        base.up = q.flags[r] & kRequestThumbsUp;
        base.down = q.flags[r] & kRequestThumbsDown;
        base.group[1] = text(d, q.feature[r]);
        base.group[3] = text(d, q.tenant[r]);
        base.group[4] = text(d, q.environment[r]);
        if (grain == Grain::Request) {
            Row row = base;
            row.time = q.startNs[r];
            row.ms = static_cast<double>(q.durationNs[r]) / 1e6;
            const bool unknown = (q.flags[r] & kRequestCostUnknown) && q.costUsd[r] == 0;
            row.cost = unknown ? NAN : q.costUsd[r];
            row.error = q.flags[r] & kRequestError;
            row.refusal = q.flags[r] & kRequestRefusal;
            row.errorClass = q.errorClass[r];
            row.pass = q.evalPass[r];
            row.fail = q.evalFail[r];
            row.in = q.inputTokens[r];
            row.out = q.outputTokens[r];
            row.cached = q.cachedTokens[r];
            row.group[0] = text(d, q.model[r]);
            row.group[2] = text(d, q.promptVersion[r]);
            row.prompt = text(d, q.promptName[r]);
            row.version = text(d, q.promptVersion[r]);
            out.push_back(row);
            continue;
        }
        for (uint32_t k = q.firstGeneration[r]; k < d.generationEnd(RequestIndex{r}); ++k) {
            Row row = base;
            const uint32_t span = g.span[k];
            row.time = d.spans.startNs[span];
            row.ms = static_cast<double>(d.spans.durationNs[span]) / 1e6;
            row.cost = g.costSource[k] == CostSource::None ? NAN : g.costUsd[k];
            row.error = d.spans.status[span] == SpanStatus::Error;
            const std::string finish(d.str(g.finishReason[k]));
            row.refusal = finish == "refusal" || finish == "content_filter" || finish == "refused";
            if (row.error) {
                auto it = classOfSpan.find(span);
                row.errorClass = it == classOfSpan.end() ? ErrorClass::Other : it->second;
            }
            if (auto it = evalsOfSpan.find(span); it != evalsOfSpan.end() && d.spans.kind[span] == SpanKind::Llm) {
                row.pass = it->second.first;
                row.fail = it->second.second;
            }
            row.in = g.inputTokens[k];
            row.out = g.outputTokens[k];
            row.cached = g.cachedTokens[k];
            row.group[0] = text(d, g.model[k]);
            row.group[2] = text(d, g.promptVersion[k]);
            row.prompt = text(d, g.promptName[k]);
            row.version = text(d, g.promptVersion[k]);
            out.push_back(row);
        }
    }
    return out;
}

std::vector<double> msOf(const std::vector<const Row*>& rows) {
    std::vector<double> v;
    for (const Row* r : rows) {
        v.push_back(r->ms);
    }
    return v;
}

std::vector<double> costsOf(const std::vector<const Row*>& rows) {
    std::vector<double> v;
    for (const Row* r : rows) {
        if (!std::isnan(r->cost)) {
            v.push_back(r->cost);
        }
    }
    return v;
}

std::array<double, kKpiCount> kpisOf(const std::vector<const Row*>& rows) {
    double errors = 0, refusals = 0, pass = 0, fail = 0, up = 0, down = 0;
    for (const Row* r : rows) {
        errors += r->error;
        refusals += r->refusal;
        pass += r->pass;
        fail += r->fail;
        up += r->up;
        down += r->down;
    }
    const auto n = static_cast<double>(rows.size());
    return {n,
            rows.empty() ? NAN : errors / n,
            rows.empty() ? NAN : refusals / n,
            pct(msOf(rows), 0.95),
            pct(costsOf(rows), 0.95),
            pass + fail > 0 ? pass / (pass + fail) : NAN,
            up + down > 0 ? down / (up + down) : NAN};
}

void checkHistogram(const Histogram& h, const std::vector<double>& values, const char* what) {
    QCOMPARE(h.total, uint64_t(values.size()));
    CHECK_SAME(h.p50, pct(values, 0.50), what);
    CHECK_SAME(h.p95, pct(values, 0.95), what);
    CHECK_SAME(h.p99, pct(values, 0.99), what);
    if (values.empty()) {
        return;
    }
    double lo = INFINITY;
    double hi = -INFINITY;
    for (double v : values) {
        hi = std::max(hi, v);
        if (v > 0) {
            lo = std::min(lo, v);
        }
    }
    QCOMPARE(h.edges, logHistogramEdges(lo, hi, 40));
    std::vector<uint64_t> counts(h.edges.size() - 1, 0);
    for (double v : values) {
        size_t bin = 0;  // the number of inner edges at or below v
        for (size_t b = 1; b + 1 < h.edges.size(); ++b) {
            bin += h.edges[b] <= v;
        }
        ++counts[bin];
    }
    if (!(hi > 0)) {
        counts = {values.size()};
    }
    QCOMPARE(h.counts, counts);
}

// The whole overview of the requests that keep() accepts within [begin, end) against the plain computation.
void checkOverview(const Dataset& d, const FacetIndex& index, const Filter& f,
                   const std::function<bool(uint32_t)>& keep, Grain grain) {
    auto inRange = [&](uint32_t r, int64_t from, int64_t to) {
        const int64_t s = d.requests.startNs[r];
        return (from == Filter::kNoLimit || s >= from) && (to == Filter::kNoLimit || s < to);
    };
    std::vector<uint32_t> requests;
    for (uint32_t r = 0; r < d.requestCount(); ++r) {
        if (keep(r) && inRange(r, f.beginNs, f.endNs)) {
            requests.push_back(r);
        }
    }
    const Selection sel = selectRequests(d, index, f);
    QCOMPARE(sel.requests, requests);
    const OverviewResult o = computeOverview(d, index, f, sel, grain);
    const std::vector<Row> rows = rowsOf(d, requests, grain);
    QCOMPARE(o.rows, uint64_t(rows.size()));

    int64_t begin = f.beginNs != Filter::kNoLimit ? f.beginNs
                    : requests.empty()            ? d.requests.startNs.front()
                                                  : d.requests.startNs[requests.front()];
    int64_t end = f.endNs != Filter::kNoLimit ? f.endNs
                  : requests.empty()          ? d.requests.startNs.back() + 1
                                              : d.requests.startNs[requests.back()] + 1;
    end = std::max(end, begin + 1);
    QCOMPARE(o.beginNs, begin);
    QCOMPARE(o.endNs, end);

    // Time buckets.
    const TimeSeries& ts = o.series;
    QCOMPARE(ts.bucketNs, bucketFor(end - begin));
    const int64_t first = begin - ((begin % ts.bucketNs) + ts.bucketNs) % ts.bucketNs;
    QCOMPARE(ts.firstBucketNs, first);
    const auto buckets = static_cast<size_t>((end - first + ts.bucketNs - 1) / ts.bucketNs);
    QCOMPARE(ts.size(), buckets);
    std::vector<std::vector<const Row*>> byBucket(buckets);
    for (const Row& r : rows) {
        const int64_t offset = r.time - first;
        const int64_t b = offset < 0 ? 0 : std::min<int64_t>(offset / ts.bucketNs, int64_t(buckets) - 1);
        byBucket[static_cast<size_t>(b)].push_back(&r);
    }
    for (size_t b = 0; b < buckets; ++b) {
        const std::vector<const Row*>& in = byBucket[b];
        const QString where = QStringLiteral("bucket %1").arg(b);
        QCOMPARE(ts.count[b], double(in.size()));
        std::array<double, kErrorClassCount> errors{};
        double cost = 0, input = 0, output = 0;
        for (const Row* r : in) {
            errors[static_cast<size_t>(r->errorClass)] += r->error;
            cost += std::isnan(r->cost) ? 0 : r->cost;
            input += r->in;
            output += r->out;
        }
        for (size_t c = 0; c < kErrorClassCount; ++c) {
            CHECK_CLOSE(ts.errorRate[c][b], in.empty() ? 0.0 : errors[c] / double(in.size()), where);
        }
        CHECK_CLOSE(ts.costUsd[b], cost, where);
        QCOMPARE(ts.inputTokens[b], input);
        QCOMPARE(ts.outputTokens[b], output);
        CHECK_SAME(ts.p50[b], pct(msOf(in), 0.50), where);
        CHECK_SAME(ts.p95[b], pct(msOf(in), 0.95), where);
        CHECK_SAME(ts.p99[b], pct(msOf(in), 0.99), where);
        const std::array<double, kKpiCount> spark = kpisOf(in);
        for (size_t k = 0; k < kKpiCount; ++k) {
            CHECK_SAME(o.kpis[k].spark[b], in.empty() && k != 0 ? NAN : spark[k],
                       QStringLiteral("spark %1 of %2").arg(k).arg(where));
        }
    }

    // KPIs against the previous period of equal length (same filter, time shifted).
    std::vector<const Row*> all;
    for (const Row& r : rows) {
        all.push_back(&r);
    }
    const std::array<double, kKpiCount> now = kpisOf(all);
    std::vector<uint32_t> previousRequests;
    for (uint32_t r = 0; r < d.requestCount(); ++r) {
        if (keep(r) && inRange(r, begin - (end - begin), begin)) {
            previousRequests.push_back(r);
        }
    }
    const std::vector<Row> previousRows = rowsOf(d, previousRequests, grain);
    std::vector<const Row*> previous;
    for (const Row& r : previousRows) {
        previous.push_back(&r);
    }
    const std::array<double, kKpiCount> before = kpisOf(previous);
    for (size_t k = 0; k < kKpiCount; ++k) {
        CHECK_SAME(o.kpis[k].current, now[k], QStringLiteral("KPI %1").arg(k));
        CHECK_SAME(o.kpis[k].previous, previous.empty() ? NAN : before[k], QStringLiteral("previous KPI %1").arg(k));
    }

    checkHistogram(o.latencyMs, msOf(all), "latency histogram");
    checkHistogram(o.costUsd, costsOf(all), "cost histogram");

    // Tokens, and the top prompts by tokens.
    uint64_t input = 0, output = 0, cached = 0;
    std::map<std::string, uint64_t> byPrompt;
    for (const Row& r : rows) {
        input += r.in;
        output += r.out;
        cached += r.cached;
        const std::string name = r.prompt == "(none)" ? std::string("(no prompt)") : r.prompt;
        byPrompt[r.version == "(none)" ? name : name + " v" + r.version] += r.in + r.out;
    }
    QCOMPARE(o.tokens.input, input);
    QCOMPARE(o.tokens.output, output);
    QCOMPARE(o.tokens.cached, cached);
    CHECK_SAME(o.tokens.efficiency, input > 0 ? double(output) / double(input) : NAN, "token efficiency");
    std::vector<std::pair<std::string, uint64_t>> top;
    for (const auto& [prompt, tokens] : byPrompt) {
        if (tokens > 0) {  // a prompt without tokens is not a top prompt
            top.emplace_back(prompt, tokens);
        }
    }
    std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    top.resize(std::min<size_t>(top.size(), 10));
    QCOMPARE(o.tokens.topPrompts, top);

    // Breakdowns: model, feature, prompt version, tenant, environment.
    QCOMPARE(o.breakdowns.size(), size_t{5});
    for (size_t k = 0; k < 5; ++k) {
        std::map<std::string, std::vector<const Row*>> groups;
        for (const Row& r : rows) {
            groups[r.group[k]].push_back(&r);
        }
        std::vector<BreakdownRow> want;
        for (const auto& [key, members] : groups) {
            BreakdownRow w;
            w.key = key;
            w.count = members.size();
            double errors = 0;
            for (const Row* r : members) {
                errors += r->error;
                w.costUsd += std::isnan(r->cost) ? 0 : r->cost;
            }
            w.errorRate = errors / double(members.size());
            w.p95LatencyMs = pct(msOf(members), 0.95);
            want.push_back(w);
        }
        std::sort(want.begin(), want.end(), [](const BreakdownRow& a, const BreakdownRow& b) {
            return a.count != b.count ? a.count > b.count : a.key < b.key;
        });
        want.resize(std::min(want.size(), kMaxBreakdownRows));
        const std::vector<BreakdownRow>& got = o.breakdowns[k].rows;
        QCOMPARE(got.size(), want.size());
        for (size_t i = 0; i < got.size(); ++i) {
            const QString where = QStringLiteral("breakdown %1 row %2 (%3)").arg(k).arg(i).arg(QString::fromStdString(want[i].key));
            QCOMPARE(got[i].key, want[i].key);
            QCOMPARE(got[i].count, want[i].count);
            CHECK_SAME(got[i].errorRate, want[i].errorRate, where);
            CHECK_SAME(got[i].p95LatencyMs, want[i].p95LatencyMs, where);
            CHECK_CLOSE(got[i].costUsd, want[i].costUsd, where);
        }
    }
}

// Requests of one root and zero to three model calls (some failing on their own, some refused, some without a
// cost), spread over two days with ties in time and latency; 6,000 tenants, so that the tenant breakdown has
// more groups than small per-group histograms allow.
DatasetPtr awkward(uint32_t n) {
    DatasetBuilder builder;
    RecordBatch b;
    uint64_t state = 12345;
    auto next = [&state] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return state >> 33;
    };
    const char* features[] = {"chat", "search", "invoice", ""};
    const char* models[] = {"gpt-4.1", "claude", "o3"};
    const char* versions[] = {"1", "2", "3", "4"};
    const char* finishes[] = {"stop", "stop", "length", "content_filter", "refusal"};
    const char* messages[] = {"429 rate limit", "upstream 503", "timeout after 30s", "bad json"};
    uint64_t id = 1;
    for (uint32_t i = 0; i < n; ++i) {
        RawSpan root;
        root.traceId = b.strings.intern("t" + std::to_string(i));
        root.spanId = id++;
        root.startNs = int64_t{i / 3} * 5000 * kMs;  // ties in time
        const uint64_t r = next();
        root.endNs = root.startNs + int64_t(r % 7 == 0 ? 0 : (r % 2000) * (1 + r % 5)) * kMs;  // ties and zeros
        root.name = b.strings.intern("handle");
        root.feature = b.strings.intern(features[r % 4]);
        root.tenant = b.strings.intern("tenant" + std::to_string(next() % 6000));
        root.environment = b.strings.intern(r % 9 == 0 ? "staging" : "production");
        root.promptName = b.strings.intern(r % 5 == 0 ? "draft" : "answer");
        root.promptVersion = b.strings.intern(versions[(r >> 3) % 4]);
        root.status = r % 13 == 0 ? SpanStatus::Error : SpanStatus::Ok;
        if (root.status == SpanStatus::Error) {
            root.statusMessage = b.strings.intern(messages[(r >> 5) % 4]);
        }
        b.spans.push_back(root);
        const uint64_t calls = next() % 4;
        for (uint64_t c = 0; c < calls; ++c) {
            const uint64_t s = next();
            RawSpan call;
            call.traceId = root.traceId;
            call.spanId = id++;
            call.parentSpanId = root.spanId;
            call.kind = SpanKind::Llm;
            // Some calls start up to a minute after their request, crossing into the next time bucket.
            call.startNs = root.startNs + int64_t(s % 60000) * kMs;
            call.endNs = call.startNs + int64_t(s % 3 == 0 ? 250 : s % 4000) * kMs;
            call.name = b.strings.intern("chat");
            call.model = b.strings.intern(models[s % 3]);
            call.finishReason = b.strings.intern(finishes[(s >> 4) % 5]);
            call.inputTokens = int64_t(s % 3000);
            call.outputTokens = int64_t((s >> 8) % 500);
            call.cachedTokens = int64_t((s >> 12) % 200);
            call.costUsd = (s >> 16) % 6 == 0 ? NAN : double((s >> 20) % 400) / 1e4;  // NaN: no cost
            call.status = (s >> 24) % 11 == 0 ? SpanStatus::Error : SpanStatus::Ok;
            if (call.status == SpanStatus::Error) {
                call.statusMessage = b.strings.intern(messages[(s >> 28) % 4]);
            }
            if (c == 1) {
                call.promptVersion = b.strings.intern("5");  // a call's own version, not its request's
            }
            b.spans.push_back(call);
            if ((s >> 30) % 3 != 0) {
                RawEval e;
                e.traceId = root.traceId;
                e.spanId = (s >> 32) % 2 == 0 ? call.spanId : 0;
                e.name = b.strings.intern("judge");
                e.outcome = (s >> 34) % 4 == 0 ? EvalOutcome::Fail : EvalOutcome::Pass;
                b.evals.push_back(e);
            }
        }
        if (r % 6 == 1) {
            RawSignal sig;
            sig.requestId = root.traceId;
            sig.type = (r >> 7) % 3 == 0 ? SignalType::ThumbsDown : SignalType::ThumbsUp;
            sig.timeNs = root.startNs;
            b.signals.push_back(sig);
        }
    }
    builder.addBatch(std::move(b));
    return builder.build();
}

}  // namespace

class TestOverview : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        const std::string dir = PROMPTSCOPE_BINARY_DIR "/demo/";
        demo_ = loadSources({dir + "demo.otlp.jsonl", dir + "demo.records.jsonl"}).dataset;
        QVERIFY2(demo_ && demo_->requestCount() > 1000, "the demo files are built with the project (target promptscope_demo)");
        demoIndex_ = buildFacetIndex(*demo_);
        awkward_ = awkward(40000);
        awkwardIndex_ = buildFacetIndex(*awkward_);
    }

    void demoAtBothGrains_data() {
        QTest::addColumn<int>("grain");
        QTest::newRow("requests") << 0;
        QTest::newRow("model calls") << 1;
    }
    void demoAtBothGrains() {
        QFETCH(int, grain);
        const Dataset& d = *demo_;
        const Grain g = grain == 0 ? Grain::Request : Grain::Generation;
        checkOverview(d, demoIndex_, Filter{}, [](uint32_t) { return true; }, g);
        Filter feature;
        feature.of(Dimension::Feature) = {"support_chatbot"};
        auto isSupport = [&](uint32_t r) { return d.str(d.requests.feature[r]) == "support_chatbot"; };
        checkOverview(d, demoIndex_, feature, isSupport, g);
        // The second half of the data: the first half is the previous period.
        const int64_t from = d.requests.startNs.front();
        const int64_t to = d.requests.startNs.back() + 1;
        Filter later = feature;
        later.beginNs = from + (to - from) / 2;
        checkOverview(d, demoIndex_, later, isSupport, g);
        Filter errors;
        errors.status = StatusFilter::Error;
        errors.beginNs = from + (to - from) * 3 / 4;
        errors.endNs = to - (to - from) / 10;
        checkOverview(d, demoIndex_, errors, [&](uint32_t r) { return (d.requests.flags[r] & kRequestError) != 0; }, g);
        Filter nothing;
        nothing.of(Dimension::Model) = {"no such model"};
        checkOverview(d, demoIndex_, nothing, [](uint32_t) { return false; }, g);
    }

    void awkwardDataAtBothGrains_data() { demoAtBothGrains_data(); }
    void awkwardDataAtBothGrains() {
        QFETCH(int, grain);
        const Dataset& d = *awkward_;
        const Grain g = grain == 0 ? Grain::Request : Grain::Generation;
        checkOverview(d, awkwardIndex_, Filter{}, [](uint32_t) { return true; }, g);
        const int64_t from = d.requests.startNs.front();
        const int64_t to = d.requests.startNs.back() + 1;
        Filter chat;
        chat.of(Dimension::Feature) = {"chat", "(none)"};
        chat.beginNs = from + (to - from) / 3;
        auto isChat = [&](uint32_t r) {
            return d.requests.feature[r].isEmpty() || d.str(d.requests.feature[r]) == "chat";
        };
        checkOverview(d, awkwardIndex_, chat, isChat, g);
        Filter short_;
        short_.beginNs = from + (to - from) / 2;
        short_.endNs = short_.beginNs + 20 * 60 * 1000 * kMs;  // minute buckets
        checkOverview(d, awkwardIndex_, short_, [](uint32_t) { return true; }, g);
        Filter one;
        one.of(Dimension::Tenant) = {std::string(d.str(d.requests.tenant[7]))};
        auto isTenant = [&](uint32_t r) { return d.requests.tenant[r] == d.requests.tenant[7]; };
        checkOverview(d, awkwardIndex_, one, isTenant, g);
    }

private:
    DatasetPtr demo_;
    FacetIndex demoIndex_;
    DatasetPtr awkward_;
    FacetIndex awkwardIndex_;
};

QTEST_GUILESS_MAIN(TestOverview)
#include "tst_overview.moc"
