// Reading in parallel chunks and assembling traces on several threads must give exactly the dataset a single
// thread gives: same rows in the same order, same strings, same joins and statistics. Checked on the demo files.
#include <QTest>

#include <string>
#include <vector>

#include "sourceloader.h"

using namespace ps;

namespace {

std::vector<std::string> demoFiles() {
    const std::string dir = PROMPTSCOPE_BINARY_DIR "/demo/";
    return {dir + "demo.otlp.jsonl", dir + "demo.records.jsonl"};
}

DatasetPtr load(unsigned threads, size_t window = 0) {
    LoadOptions options;
    options.threads = threads;
    options.windowBytes = window;
    return loadSources(demoFiles(), options).dataset;
}

template <typename T>
bool sameValues(const std::vector<T>& a, const std::vector<T>& b) {
    return a == b;
}

bool sameStrings(const Dataset& a, const std::vector<StringId>& x, const Dataset& b, const std::vector<StringId>& y) {
    if (x.size() != y.size()) {
        return false;
    }
    for (size_t i = 0; i < x.size(); ++i) {
        if (a.str(x[i]) != b.str(y[i])) {
            return false;
        }
    }
    return true;
}

}  // namespace

class TestParallelLoad : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sameDatasetOnAnyThreadCount() {
        const DatasetPtr one = load(1);
        QVERIFY(one);
        QVERIFY(one->requestCount() > 1000);
        QVERIFY(one->evals.size() > 1000);
        QVERIFY(one->signals.size() > 100);
        QVERIFY(one->errors.size() > 10);
        for (const unsigned threads : {2u, 3u}) {
            for (const size_t window : {size_t{0}, size_t{100000}}) {
                const DatasetPtr many = load(threads, window);
                QVERIFY(many);
                const Dataset& a = *one;
                const Dataset& b = *many;
                QCOMPARE(b.spanCount(), a.spanCount());
                QCOMPARE(b.requestCount(), a.requestCount());
                QVERIFY(sameValues(a.spans.parent, b.spans.parent));
                QVERIFY(sameValues(a.spans.startNs, b.spans.startNs));
                QVERIFY(sameValues(a.spans.durationNs, b.spans.durationNs));
                QVERIFY(sameStrings(a, a.spans.name, b, b.spans.name));
                QVERIFY(sameValues(a.requests.firstSpan, b.requests.firstSpan));
                QVERIFY(sameValues(a.requests.firstGeneration, b.requests.firstGeneration));
                QVERIFY(sameValues(a.requests.flags, b.requests.flags));
                QVERIFY(sameValues(a.requests.costUsd, b.requests.costUsd));
                QVERIFY(sameValues(a.requests.evalPass, b.requests.evalPass));
                QVERIFY(sameStrings(a, a.requests.traceId, b, b.requests.traceId));
                QVERIFY(sameStrings(a, a.requests.promptVersion, b, b.requests.promptVersion));
                QVERIFY(sameStrings(a, a.requests.session, b, b.requests.session));
                QVERIFY(sameValues(a.generations.span, b.generations.span));
                QVERIFY(sameValues(a.generations.outputTokens, b.generations.outputTokens));
                QVERIFY(sameStrings(a, a.generations.model, b, b.generations.model));
                QVERIFY(sameValues(a.evals.request, b.evals.request));
                QVERIFY(sameValues(a.evals.span, b.evals.span));
                QVERIFY(sameStrings(a, a.evals.name, b, b.evals.name));
                QVERIFY(sameValues(a.errors.span, b.errors.span));
                QVERIFY(sameValues(a.errors.errorClass, b.errors.errorClass));
                QVERIFY(sameValues(a.signals.request, b.signals.request));
                QCOMPARE(b.tenants.size(), a.tenants.size());
                QCOMPARE(b.stats.costFromPricing, a.stats.costFromPricing);
                QCOMPARE(b.stats.costUnknown, a.stats.costUnknown);
                QCOMPARE(b.stats.orphanSpans, a.stats.orphanSpans);
                QCOMPARE(b.issueCount, a.issueCount);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestParallelLoad)
#include "tst_parallelload.moc"
