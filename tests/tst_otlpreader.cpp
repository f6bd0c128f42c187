// The OTLP/JSON reader against every trap of FORMATS.md section 1 and against bad input.
#include <QTest>

#include "ingesttesting.h"
#include "otlptexts.h"

using namespace ps;
using namespace ps::testing;

class TestOtlpReader : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void base64IdsMatchHex() {
        // The same ids as the proto example, written as generic protojson does (base64).
        const auto ds = loadText(request(
            span("W47/95gDgQPSabYzgT/GDA==", "7uGbfsPBsXQ=", "", "root", "\"1000\"", "\"3000\"") + "," +
            span(kTrace, "eee19b7ec3c1b175", "EEE19B7EC3C1B174", "child", "\"1500\"", "\"2000\"")));
        QVERIFY(ds);
        QCOMPARE(ds->requestCount(), size_t{1});
        QCOMPARE(ds->str(ds->requests.traceId[0]), std::string_view(kTrace));
        QCOMPARE(ds->spans.parent[1], 0u);
        QCOMPARE(ds->stats.orphanSpans, uint64_t{0});
    }

    void numbersAsStringsOrNumbersAndEnumNames() {
        const std::string extra = typedAttributes();
        const auto ds =
            loadText(request(span(kTrace, "0000000000000001", "", "call", "1000000", "\"4000000\"", extra)));
        QVERIFY(ds);
        QCOMPARE(ds->issueCount, uint64_t{0});
        QCOMPARE(ds->spans.durationNs[0], int64_t{3000000});
        QCOMPARE(ds->spans.status[0], SpanStatus::Error);
        QCOMPARE(ds->generations.inputTokens[0], 13u);
        QCOMPARE(ds->generations.outputTokens[0], 7u);
        // NaN cost is no cost: the pricing table fills in.
        QCOMPARE(ds->generations.costSource[0], CostSource::Pricing);
    }

    void legacyAndSnakeCaseKeys() {
        const std::string legacy = legacyRequest();
        const std::string snake = snakeCaseRequest();
        const auto ds = loadText(legacy + "\n" + snake + "\n");
        QVERIFY(ds);
        QCOMPARE(ds->issueCount, uint64_t{0});
        QCOMPARE(ds->spanCount(), size_t{2});
        QCOMPARE(ds->requestCount(), size_t{1});
        QCOMPARE(ds->str(ds->spans.name[1]), std::string_view("snake"));
        QCOMPARE(ds->spans.parent[1], 0u);
        QCOMPARE(ds->str(ds->spans.service[1]), std::string_view("snake-svc"));
    }

    void traceSplitAcrossLinesIsMerged() {
        // The child arrives on line 1, its parent on line 3, as a Collector flushing in end-time order writes
        // them.
        const std::string text =
            request(span(kTrace, "0000000000000002", "0000000000000001", "child", "\"20\"", "\"30\"")) +
            "\n\n" + request(span(kTrace, "0000000000000001", "", "root", "\"10\"", "\"50\""), "other") +
            "\n";
        const auto ds = loadText(text);
        QVERIFY(ds);
        QCOMPARE(ds->requestCount(), size_t{1});
        QCOMPARE(ds->str(ds->spans.name[0]), std::string_view("root"));
        QCOMPARE(ds->spans.parent[1], 0u);
        QCOMPARE(ds->requests.durationNs[0], int64_t{40});
    }

    void topLevelArrayAndBareSpan() {
        const auto ds =
            loadText("[" + request(span(kTrace, "0000000000000001", "", "a", "1", "2")) + "," +
                         request(span(kTrace, "0000000000000002", "0000000000000001", "b", "1", "2")) + "]",
                     "array.json");
        QVERIFY(ds);
        QCOMPARE(ds->spanCount(), size_t{2});
        const auto bare =
            loadText(span(kTrace, "0000000000000001", "", "bare", "\"5\"", "\"9\""), "span.json");
        QVERIFY(bare);
        QCOMPARE(bare->spanCount(), size_t{1});
        QCOMPARE(bare->spans.durationNs[0], int64_t{4});
    }

    void badLinesAreReportedAndTheRestKept() {
        std::string text;
        text += request(span(kTrace, "0000000000000001", "", "good1", "1", "2")) + "\n";  // line 1
        text += truncatedLine();                                                          // line 2
        text += "not json at all\n";                                                      // line 3
        text += std::string(3000, '[') + "\n";  // line 4: deep nesting
        text += request(span("", "0000000000000003", "", "no-trace", "1", "2")) + "\n";  // line 5
        text += request(span(kTrace, "0000000000000004", "", "skewed", "100", "50")) +
                "\n";  // line 6: clock skew
        text += request(span(kTrace, "0000000000000005", "", "bad\xC3(utf8", "1", "2")) + "\n";  // line 7
        text += request(span(kTrace, "0000000000000006", "", "good2", "1", "2")) + "\n";         // line 8
        const auto ds = loadText(text);
        QVERIFY(ds);
        QCOMPARE(ds->spanCount(), size_t{5});
        QVERIFY(hasIssue(*ds, 2, "JSON"));
        QVERIFY(hasIssue(*ds, 3, "JSON"));
        QVERIFY(hasIssue(*ds, 4, ""));
        QVERIFY(hasIssue(*ds, 5, "traceId"));
        QVERIFY(hasIssue(*ds, 6, "clock skew"));
        QVERIFY(hasIssue(*ds, 7, "UTF-8"));
        QCOMPARE(ds->issueCount, uint64_t{6});
        bool repaired = false;
        for (uint32_t s = 0; s < ds->spanCount(); ++s) {
            repaired |= ds->str(ds->spans.name[s]) == "bad?(utf8";
        }
        QVERIFY(repaired);
    }

    void cyclesAndSelfParentsDoNotHang() {
        const auto ds =
            loadText(request(span(kTrace, "0000000000000001", "0000000000000002", "a", "1", "5") + "," +
                             span(kTrace, "0000000000000002", "0000000000000001", "b", "2", "4") + "," +
                             span(kTrace, "0000000000000003", "0000000000000003", "self", "2", "3")));
        QVERIFY(ds);
        QCOMPARE(ds->spanCount(), size_t{3});
        QVERIFY(ds->stats.cycleBreaks >= 1);
    }

    void linesNumberedAcrossParallelChunks() {
        // Big enough for several chunks: a bad line near the end keeps its true line number.
        std::string text;
        const std::string good =
            request(span(kTrace, "0000000000000001", "", std::string(200, 'x'), "1", "2")) + "\n";
        const int lines = 40000;
        for (int i = 1; i <= lines; ++i) {
            text += i == lines - 1 ? std::string("{broken\n") : good;
        }
        QTemporaryDir dir;
        const LoadResult r = loadFiles({writeFile(dir, "big.jsonl", text)}, 4);
        QVERIFY(r.dataset);
        QCOMPARE(r.dataset->issueCount, uint64_t{1});
        QCOMPARE(r.dataset->issues[0].line, uint64_t(lines - 1));
        QCOMPARE(r.dataset->spanCount(), size_t(lines - 1));
    }

    void tinyReadWindowsGiveTheSameResult() {
        // Lines longer than the read window, blank lines, CRLF, a bad line and no final newline: the window must
        // grow, carry partial lines over and keep file offsets and line numbers exact.
        std::string text;
        for (int i = 1; i <= 300; ++i) {
            const std::string name = std::string(static_cast<size_t>(i % 7 == 0 ? 5000 : 20 + i), 'n');
            const std::string id = QString::asprintf("%016x", i).toStdString();
            text += i == 150 ? std::string("{broken") : request(span(kTrace, id, "", name, "1", "2"));
            text += i % 10 == 0 ? "\r\n\n" : "\n";
        }
        text.pop_back();
        QTemporaryDir dir;
        const std::string path = writeFile(dir, "w.jsonl", text);
        const LoadResult reference = loadFiles({path}, 1);
        QVERIFY(reference.dataset);
        QCOMPARE(reference.dataset->spanCount(), size_t{299});
        QCOMPARE(reference.dataset->issueCount, uint64_t{1});
        QCOMPARE(reference.dataset->issues[0].line, uint64_t{150 + 14});  // 14 blank lines before it
        for (size_t i = 0; i < reference.dataset->spanCount(); ++i) {
            const uint64_t at = reference.dataset->spans.cold[i].offset();  // points at the span object
            QCOMPARE(text[at], '{');
            QVERIFY(text.compare(at + 1, 9, "\"traceId\"") == 0 || text.find("\"name\"", at) < text.find('}', at));
        }
        for (const size_t window : {size_t{64}, size_t{1000}, size_t{4096}}) {
            for (const unsigned threads : {1u, 3u}) {
                LoadOptions options;
                options.threads = threads;
                options.windowBytes = window;
                const LoadResult r = loadSources({path}, options);
                QVERIFY(r.dataset);
                const Dataset& a = *reference.dataset;
                const Dataset& b = *r.dataset;
                QCOMPARE(b.spanCount(), a.spanCount());
                QCOMPARE(b.issueCount, a.issueCount);
                QCOMPARE(b.issues[0].line, a.issues[0].line);
                for (size_t i = 0; i < a.spanCount(); ++i) {
                    QCOMPARE(b.strings.view(b.spans.name[i]), a.strings.view(a.spans.name[i]));
                    QCOMPARE(b.spans.cold[i].offset(), a.spans.cold[i].offset());
                }
            }
        }
    }

    void unreadableInputGivesAClearError() {
        QTemporaryDir dir;
        LoadResult missing = loadFiles({dir.path().toStdString() + "/nope.jsonl"});
        QVERIFY(!missing.dataset);
        QVERIFY(missing.error.find("no such file") != std::string::npos);
        LoadResult empty = loadFiles({writeFile(dir, "empty.json", "")});
        QVERIFY(!empty.dataset);
        QVERIFY(empty.error.find("empty") != std::string::npos);
        LoadResult csv = loadFiles({writeFile(dir, "x.csv", "a,b,c\n1,2,3\n")});
        QVERIFY(!csv.dataset);
        QVERIFY(csv.error.find("not a recognised") != std::string::npos);
    }

    void cancelStopsLoading() {
        QTemporaryDir dir;
        std::string text;
        for (int i = 0; i < 20000; ++i) {
            text += request(span(kTrace, "0000000000000001", "", "x", "1", "2")) + "\n";
        }
        LoadOptions options;
        options.progress = [](double) { return false; };
        const LoadResult r = loadSources({writeFile(dir, "c.jsonl", text)}, options);
        QVERIFY(r.cancelled);
        QVERIFY(!r.dataset);
    }
};

QTEST_GUILESS_MAIN(TestOtlpReader)
#include "tst_otlpreader.moc"
