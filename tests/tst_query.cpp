// The query line: parsing every kind of term, the error for each kind of mistake and where it points, the
// canonical text and its round trip, completion, and that long queries take linear time.
#include <QElapsedTimer>
#include <QTest>

#include <chrono>
#include <random>

#include "query.h"

using namespace ps;

namespace {

constexpr int64_t kNsPerSecond = 1'000'000'000;
constexpr int64_t kNov1 = 1'793'491'200 * kNsPerSecond;  // 2026-11-01T00:00:00Z

const Filter* filterOf(const std::variant<Filter, QueryError>& result) {
    if (const auto* error = std::get_if<QueryError>(&result)) {
        qWarning("unexpected error at %zu+%zu: %s", error->position, error->length, error->message.c_str());
        return nullptr;
    }
    return &std::get<Filter>(result);
}

std::string str(const QByteArray& bytes) {
    return bytes.toStdString();
}

// A filter from a seeded generator, drawing on values and texts that need quoting, escaping or care.
Filter randomFilter(std::mt19937_64& rng) {
    static const std::vector<std::string> values = {
        "gpt-4o", "a b", "", " lead", "trail ", "x,y", "k:v", "say \"hi\"", "back\\slash", "\\", "\"",
        "Zo\xc3\xab", "\xe6\x97\xa5\xe6\x9c\xac \xe8\xaa\x9e", "error", "ok", "tab\there", "new\nline",
        "\xf0\x9f\x99\x82", "a\\\"b", "latency>2s", "-x", "$1",
    };
    static const std::vector<std::string> texts = {
        "", "timeout", "rate limit", " leading", "double  space", "error", "error budget", "a:b",
        "quote \" in", "\xc3\xbcn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9", "x<y", "trailing ", "refusal", "OK then",
        "back\\slash", "tab\tin", "\"", " ",
    };
    static const std::vector<double> latencies = {-1, 0, 250, 1500, 2000, 120'000, 0.1, 1234.5678, 1e-300,
                                                   1e12, 59'999.999, 60'000.5, 7'200'000};
    static const std::vector<double> costs = {-1, 0, 0.01, 0.5, 1e-9, 123.456, 0.1 + 0.2, 1e15};
    static const std::vector<int64_t> times = {Filter::kNoLimit,
                                               0,
                                               -1,
                                               kNov1,
                                               kNov1 + 12 * 3600 * kNsPerSecond,
                                               kNov1 + 1,
                                               kNov1 + 30 * kNsPerSecond + 250'000'000,
                                               std::numeric_limits<int64_t>::min() + 1,
                                               std::numeric_limits<int64_t>::max()};
    const auto pick = [&](const auto& pool) { return pool[rng() % pool.size()]; };
    Filter f;
    for (auto& list : f.values) {
        const size_t count = rng() % 4 == 0 ? 1 + rng() % 3 : 0;
        for (size_t i = 0; i < count; ++i) {
            list.push_back(pick(values));
        }
    }
    f.status = static_cast<StatusFilter>(rng() % 3);
    f.refusalsOnly = rng() % 2 == 0;
    f.minLatencyMs = rng() % 3 == 0 ? std::uniform_real_distribution<double>(0, 1e6)(rng) : pick(latencies);
    f.maxLatencyMs = pick(latencies);
    f.minCostUsd = pick(costs);
    f.maxCostUsd = rng() % 3 == 0 ? std::uniform_real_distribution<double>(0, 10)(rng) : pick(costs);
    f.beginNs = rng() % 3 == 0 ? kNov1 + static_cast<int64_t>(rng() % (400LL * 86400 * kNsPerSecond)) : pick(times);
    f.endNs = pick(times);
    f.text = pick(texts);
    return f;
}

}  // namespace

class TestQuery : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void emptyAndBlankQueriesAreTheEmptyFilter() {
        for (const char* text : {"", "   ", "\t\n "}) {
            const auto result = parseQuery(text);
            const Filter* f = filterOf(result);
            QVERIFY(f);
            QVERIFY(f->isEmpty());
        }
    }

    void everyDimensionKey_data() {
        QTest::addColumn<int>("dimension");
        for (size_t d = 0; d < kDimensionCount; ++d) {
            QTest::newRow(dimensionKey(static_cast<Dimension>(d)).data()) << static_cast<int>(d);
        }
    }
    void everyDimensionKey() {
        QFETCH(int, dimension);
        const auto d = static_cast<Dimension>(dimension);
        const auto result = parseQuery(std::string(dimensionKey(d)) + ":v1");
        const Filter* f = filterOf(result);
        QVERIFY(f);
        Filter expected;
        expected.of(d) = {"v1"};
        QVERIFY(*f == expected);
    }

    void listsRepeatsCaseAndAliases() {
        const auto result = parseQuery("model:a,b MODEL:c environment:prod prompt_version:42 Tier:Gold");
        const Filter* f = filterOf(result);
        QVERIFY(f);
        QCOMPARE(f->of(Dimension::Model), (std::vector<std::string>{"a", "b", "c"}));
        QCOMPARE(f->of(Dimension::Environment), std::vector<std::string>{"prod"});
        QCOMPARE(f->of(Dimension::PromptVersion), std::vector<std::string>{"42"});
        QCOMPARE(f->of(Dimension::TenantTier), std::vector<std::string>{"Gold"});  // values keep their case
    }

    void quotedValues() {
        const auto result = parseQuery(
            "user:\"a b\" tenant:\"x,y:z\",plain finish:\"say \\\"hi\\\" \\\\ \\n\" session:\"\" model:v:1");
        const Filter* f = filterOf(result);
        QVERIFY(f);
        QCOMPARE(f->of(Dimension::User), std::vector<std::string>{"a b"});
        QCOMPARE(f->of(Dimension::Tenant), (std::vector<std::string>{"x,y:z", "plain"}));
        QCOMPARE(f->of(Dimension::FinishReason), std::vector<std::string>{"say \"hi\" \\ \\n"});
        QCOMPARE(f->of(Dimension::Session), std::vector<std::string>{""});
        QCOMPARE(f->of(Dimension::Model), std::vector<std::string>{"v:1"});  // a colon in a bare value is kept
    }

    void unicodeValues() {
        const auto result = parseQuery(
            "user:Zo\xc3\xab model:\"\xe6\x97\xa5\xe6\x9c\xac \xe8\xaa\x9e\" caf\xc3\xa9 \xf0\x9f\x99\x82");
        const Filter* f = filterOf(result);
        QVERIFY(f);
        QCOMPARE(f->of(Dimension::User), std::vector<std::string>{"Zo\xc3\xab"});
        QCOMPARE(f->of(Dimension::Model), std::vector<std::string>{"\xe6\x97\xa5\xe6\x9c\xac \xe8\xaa\x9e"});
        QCOMPARE(f->text, std::string("caf\xc3\xa9 \xf0\x9f\x99\x82"));
    }

    void statusAndRefusal() {
        const auto a = parseQuery("error refusal");
        QVERIFY(filterOf(a));
        QCOMPARE(filterOf(a)->status, StatusFilter::Error);
        QVERIFY(filterOf(a)->refusalsOnly);
        const auto b = parseQuery("OK ok");
        QVERIFY(filterOf(b));
        QCOMPARE(filterOf(b)->status, StatusFilter::Ok);
        QVERIFY(!filterOf(b)->refusalsOnly);
    }

    void latencyBounds_data() {
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<double>("min");
        QTest::addColumn<double>("max");
        QTest::newRow("> s") << QByteArray("latency>2s") << 2000.0 << -1.0;
        QTest::newRow("< ms") << QByteArray("latency<500ms") << -1.0 << 500.0;
        QTest::newRow(">= decimal") << QByteArray("latency>=1.5s") << 1500.0 << -1.0;
        QTest::newRow("<= minutes") << QByteArray("latency<=2m") << -1.0 << 120000.0;
        QTest::newRow("bare ms") << QByteArray("latency>250") << 250.0 << -1.0;
        QTest::newRow("upper case") << QByteArray("LATENCY>3S") << 3000.0 << -1.0;
        QTest::newRow("leading dot") << QByteArray("latency<.5s") << -1.0 << 500.0;
        QTest::newRow("both") << QByteArray("latency>1s latency<10s") << 1000.0 << 10000.0;
        QTest::newRow("intersect") << QByteArray("latency>1s latency>3s latency>2s latency<9s latency<8s")
                                   << 3000.0 << 8000.0;
    }
    void latencyBounds() {
        QFETCH(QByteArray, query);
        QFETCH(double, min);
        QFETCH(double, max);
        const auto result = parseQuery(str(query));
        const Filter* f = filterOf(result);
        QVERIFY(f);
        QCOMPARE(f->minLatencyMs, min);
        QCOMPARE(f->maxLatencyMs, max);
    }

    void costBounds() {
        const auto result = parseQuery("cost>0.01 cost<$0.5");
        const Filter* f = filterOf(result);
        QVERIFY(f);
        QCOMPARE(f->minCostUsd, 0.01);
        QCOMPARE(f->maxCostUsd, 0.5);
        const auto zero = parseQuery("cost>=$0 cost<=3");
        QVERIFY(filterOf(zero));
        QCOMPARE(filterOf(zero)->minCostUsd, 0.0);
        QCOMPARE(filterOf(zero)->maxCostUsd, 3.0);
    }

    void sinceAndUntil_data() {
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<qint64>("begin");
        QTest::addColumn<qint64>("end");
        const qint64 none = Filter::kNoLimit;
        QTest::newRow("date") << QByteArray("since:2026-11-01") << qint64(kNov1) << none;
        QTest::newRow("date-time") << QByteArray("until:2026-11-03T12:00") << none
                                   << qint64(1'793'707'200 * kNsPerSecond);
        QTest::newRow("seconds Z") << QByteArray("since:2026-11-01T00:00:30Z") << qint64(kNov1 + 30 * kNsPerSecond)
                                   << none;
        QTest::newRow("fraction") << QByteArray("since:2026-11-01T00:00:00.25") << qint64(kNov1 + 250'000'000)
                                  << none;
        QTest::newRow("quoted space") << QByteArray("since:\"2026-11-01 00:01\"") << qint64(kNov1 + 60 * kNsPerSecond)
                                      << none;
        QTest::newRow("before 1970") << QByteArray("until:1969-12-31T23:59:59") << none << qint64(-kNsPerSecond);
        QTest::newRow("latest wins") << QByteArray("since:2026-10-01 since:2026-11-01 until:2026-12-01 until:2026-11-02")
                                     << qint64(kNov1) << qint64(kNov1 + 86'400 * kNsPerSecond);
    }
    void sinceAndUntil() {
        QFETCH(QByteArray, query);
        QFETCH(qint64, begin);
        QFETCH(qint64, end);
        const auto result = parseQuery(str(query));
        const Filter* f = filterOf(result);
        QVERIFY(f);
        QCOMPARE(qint64(f->beginNs), begin);
        QCOMPARE(qint64(f->endNs), end);
    }

    void lastIsRelativeToNow() {
        const int64_t now = kNov1 + 86'400 * kNsPerSecond;
        const int64_t hour = 3600 * kNsPerSecond;
        const std::vector<std::pair<std::string, int64_t>> cases = {
            {"last:24h", now - 24 * hour}, {"last:7d", now - 7 * 24 * hour}, {"last:30m", now - hour / 2},
            {"last:1.5h", now - 3 * hour / 2}, {"last:2w", now - 14 * 24 * hour}, {"last:90s", now - 90 * kNsPerSecond},
            {"since:2026-11-01T20:00 last:24h", now - 4 * hour}};
        for (const auto& [query, begin] : cases) {
            const auto result = parseQuery(query, now);
            const Filter* f = filterOf(result);
            QVERIFY2(f, query.c_str());
            QCOMPARE(f->beginNs, begin);
            QCOMPARE(f->endNs, Filter::kNoLimit);
        }
    }

    void freeText() {
        const auto colon = parseQuery("rate  limit \"tool call\" model:a \"error\" \"\" 12:30x");
        QVERIFY(std::get_if<QueryError>(&colon));  // 12:30x has a colon: it is a (wrong) filter
        const auto less = parseQuery("rate  limit \"tool call\" model:a \"error\" \"\" \"12:30\" x<y");
        QVERIFY(std::get_if<QueryError>(&less));  // x<y is a comparison
        const auto text = parseQuery("rate  limit \"tool call\" model:a \"error\" \"\" \"12:30\" \" x \"");
        const Filter* f = filterOf(text);
        QVERIFY(f);
        QCOMPARE(f->text, std::string("rate limit tool call error 12:30  x "));
        QCOMPARE(f->status, StatusFilter::Any);  // a quoted keyword is text
        QCOMPARE(f->of(Dimension::Model), std::vector<std::string>{"a"});
    }

    void termsSplitOnAnyWhitespace() {
        const auto result = parseQuery("model:a\tenv:b\n error\r\nrefusal");
        const Filter* f = filterOf(result);
        QVERIFY(f);
        QCOMPARE(f->of(Dimension::Model), std::vector<std::string>{"a"});
        QCOMPARE(f->of(Dimension::Environment), std::vector<std::string>{"b"});
        QCOMPARE(f->status, StatusFilter::Error);
        QVERIFY(f->refusalsOnly);
        QVERIFY(f->text.empty());
    }

    void errors_data() {
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<qint64>("now");
        QTest::addColumn<int>("position");
        QTest::addColumn<int>("length");
        QTest::addColumn<QByteArray>("message");
        const qint64 now = kNov1;
        QTest::newRow("misspelt key") << QByteArray("modle:gpt-4o") << 0LL << 0 << 5
                                      << QByteArray("unknown filter 'modle' (did you mean 'model'?)");
        QTest::newRow("misspelt comparison") << QByteArray("latncy>2s") << 0LL << 0 << 6
                                             << QByteArray("unknown filter 'latncy' (did you mean 'latency'?)");
        QTest::newRow("short misspelt key") << QByteArray("usr:x") << 0LL << 0 << 3
                                            << QByteArray("unknown filter 'usr' (did you mean 'user'?)");
        QTest::newRow("unknown key") << QByteArray("foo:bar") << 0LL << 0 << 3
                                     << QByteArray("unknown filter 'foo' (filters: feature, prompt, version, model, "
                                                   "provider, env, tenant, tier, user, session, finish, since, until, "
                                                   "last, latency, cost; put text with a ':' in quotes)");
        QTest::newRow("bad duration") << QByteArray("latency>abc") << 0LL << 8 << 3
                                      << QByteArray("latency needs a duration like 2s or 500ms");
        QTest::newRow("bad unit") << QByteArray("latency<2h") << 0LL << 8 << 2
                                  << QByteArray("latency needs a duration like 2s or 500ms");
        QTest::newRow("negative") << QByteArray("latency>-1s") << 0LL << 8 << 3
                                  << QByteArray("latency needs a duration like 2s or 500ms");
        QTest::newRow("missing duration") << QByteArray("latency>=") << 0LL << 0 << 9
                                          << QByteArray("latency needs a duration like 2s or 500ms");
        QTest::newRow("two dots") << QByteArray("latency>1.2.3s") << 0LL << 8 << 6
                                  << QByteArray("latency needs a duration like 2s or 500ms");
        QTest::newRow("bad cost") << QByteArray("cost>x") << 0LL << 5 << 1
                                  << QByteArray("cost needs an amount in USD like 0.01 or $0.5");
        QTest::newRow("dollar only") << QByteArray("cost<$") << 0LL << 5 << 1
                                     << QByteArray("cost needs an amount in USD like 0.01 or $0.5");
        QTest::newRow("latency colon") << QByteArray("latency:2s") << 0LL << 0 << 10
                                       << QByteArray("latency needs a comparison, like latency>2s or latency<500ms");
        QTest::newRow("latency equals") << QByteArray("latency=2s") << 0LL << 0 << 10
                                        << QByteArray("latency needs a comparison, like latency>2s or latency<500ms");
        QTest::newRow("cost colon") << QByteArray("cost:1") << 0LL << 0 << 6
                                    << QByteArray("cost needs a comparison, like cost>0.01 or cost<$0.5");
        QTest::newRow("unterminated") << QByteArray("user:\"a b") << 0LL << 5 << 4 << QByteArray("unterminated quote");
        QTest::newRow("unterminated escape") << QByteArray("\"a\\\"") << 0LL << 0 << 4
                                             << QByteArray("unterminated quote");
        QTest::newRow("empty value") << QByteArray("model:") << 0LL << 0 << 6
                                     << QByteArray("model: needs a value, like model:NAME");
        QTest::newRow("empty value mid") << QByteArray("env:prod model: error") << 0LL << 9 << 6
                                         << QByteArray("model: needs a value, like model:NAME");
        QTest::newRow("leading comma") << QByteArray("model:,a") << 0LL << 0 << 6
                                       << QByteArray("model: needs a value, like model:NAME");
        QTest::newRow("trailing comma") << QByteArray("model:a,") << 0LL << 7 << 1
                                        << QByteArray("empty value after ','");
        QTest::newRow("double comma") << QByteArray("model:a,,b") << 0LL << 7 << 1
                                      << QByteArray("empty value after ','");
        QTest::newRow("after quoted value") << QByteArray("user:\"a\"b") << 0LL << 8 << 1
                                            << QByteArray("put a ',' or a space after the closing quote");
        QTest::newRow("after phrase") << QByteArray("\"abc\"def") << 0LL << 5 << 1
                                      << QByteArray("put a space after the closing quote");
        QTest::newRow("quote in word") << QByteArray("ab\"c d\"") << 0LL << 2 << 1
                                       << QByteArray("a quote can only start a word or a value; quote the whole phrase");
        QTest::newRow("quote in value") << QByteArray("model:a\"b\"") << 0LL << 7 << 1
                                        << QByteArray("a quote can only start a word or a value; quote the whole value");
        QTest::newRow("no key") << QByteArray(":x") << 0LL << 0 << 1
                                << QByteArray("missing filter name before ':'");
        QTest::newRow("keyword value") << QByteArray("error:yes") << 0LL << 0 << 6
                                       << QByteArray("'error' takes no value");
        QTest::newRow("keyword compare") << QByteArray("refusal>1") << 0LL << 0 << 9
                                         << QByteArray("'refusal' takes no value");
        QTest::newRow("dimension compare") << QByteArray("model>3") << 0LL << 0 << 7
                                           << QByteArray("model takes a value after ':', like model:NAME");
        QTest::newRow("since compare") << QByteArray("since>2026-11-01") << 0LL << 0 << 16
                                       << QByteArray("since takes a value after ':', like since:2026-11-01");
        QTest::newRow("status conflict") << QByteArray("error ok") << 0LL << 6 << 2
                                         << QByteArray("'ok' contradicts 'error'");
        QTest::newRow("bad date") << QByteArray("since:yesterday") << 0LL << 0 << 15
                                  << QByteArray("since needs a date like 2026-11-01 or 2026-11-01T12:00 (UTC)");
        QTest::newRow("empty date") << QByteArray("until:") << 0LL << 0 << 6
                                    << QByteArray("until needs a date like 2026-11-01 or 2026-11-01T12:00 (UTC)");
        QTest::newRow("no such day") << QByteArray("since:2026-02-30") << 0LL << 0 << 16
                                     << QByteArray("no such date or time '2026-02-30'");
        QTest::newRow("no such hour") << QByteArray("until:2026-11-01T24:00") << 0LL << 0 << 22
                                      << QByteArray("no such date or time '2026-11-01T24:00'");
        QTest::newRow("too early") << QByteArray("since:1500-01-01") << 0LL << 0 << 16
                                   << QByteArray("date out of range (years 1678 to 2261)");
        QTest::newRow("last without now") << QByteArray("last:24h") << 0LL << 0 << 8
                                          << QByteArray("last: needs the current time, which was not given");
        QTest::newRow("bad span") << QByteArray("last:5x") << now << 0 << 7
                                  << QByteArray("last needs a span like 30m, 24h or 7d");
        QTest::newRow("bare span") << QByteArray("last:5") << now << 0 << 6
                                   << QByteArray("last needs a span like 30m, 24h or 7d");
    }
    void errors() {
        QFETCH(QByteArray, query);
        QFETCH(qint64, now);
        QFETCH(int, position);
        QFETCH(int, length);
        QFETCH(QByteArray, message);
        const auto result = parseQuery(str(query), now);
        const auto* error = std::get_if<QueryError>(&result);
        QVERIFY(error);
        QCOMPARE(error->message, str(message));
        QCOMPARE(error->position, size_t(position));
        QCOMPARE(error->length, size_t(length));
    }

    void errorPointsAtTheBadTermInBytes() {
        const std::string before = "model:Zo\xc3\xab \"\xe6\x97\xa5\xe6\x9c\xac \xe8\xaa\x9e\" env:prod ";
        const std::string query = before + "latency>fast cost<1";
        const auto result = parseQuery(query);
        const auto* error = std::get_if<QueryError>(&result);
        QVERIFY(error);
        QCOMPARE(error->position, before.size() + 8);
        QCOMPARE(query.substr(error->position, error->length), std::string("fast"));
        // The first error from the left wins.
        const auto two = parseQuery("ok modle:x latency>y");
        QVERIFY(std::get_if<QueryError>(&two));
        QCOMPARE(std::get<QueryError>(two).position, size_t(3));
    }

    void canonicalText() {
        Filter f;
        f.of(Dimension::Model) = {"a", "b c"};
        f.of(Dimension::Environment) = {"prod"};
        f.of(Dimension::User) = {"", "k:v", "say \"hi\"\\"};
        f.status = StatusFilter::Error;
        f.refusalsOnly = true;
        f.minLatencyMs = 2000;
        f.maxLatencyMs = 120'000;
        f.minCostUsd = 0;
        f.maxCostUsd = 0.5;
        f.beginNs = kNov1;
        f.endNs = kNov1 + 12 * 3600 * kNsPerSecond + 30 * kNsPerSecond + 5'000'000;
        f.text = "timeout retry";
        QCOMPARE(formatQuery(f),
                 std::string("model:a,\"b c\" env:prod user:\"\",\"k:v\",\"say \\\"hi\\\"\\\\\" error refusal "
                             "latency>=2s latency<=2m cost>=0 cost<=0.5 since:2026-11-01 "
                             "until:2026-11-01T12:00:30.005 timeout retry"));
        QCOMPARE(formatQuery(Filter{}), std::string());
        Filter text;
        text.text = "error budget";
        QCOMPARE(formatQuery(text), std::string("\"error budget\""));
        text.text = "a  b";
        QCOMPARE(formatQuery(text), std::string("\"a  b\""));
        Filter latency;
        latency.minLatencyMs = 1500;
        latency.maxLatencyMs = 0.25;
        QCOMPARE(formatQuery(latency), std::string("latency>=1.5s latency<=0.25ms"));
        Filter tiny;
        tiny.minCostUsd = 1e-9;
        QCOMPARE(formatQuery(tiny), std::string("cost>=0.000000001"));
        Filter negativeZero;
        negativeZero.minLatencyMs = -0.0;
        negativeZero.maxCostUsd = -0.0;
        QCOMPARE(formatQuery(negativeZero), std::string("latency>=0ms cost<=0"));
    }

    void roundTripHandPicked() {
        std::vector<Filter> filters(6);
        filters[0].of(Dimension::Feature) = {"support chatbot", "invoice_parser"};
        filters[1].of(Dimension::Tenant) = {"acme \"quoted\" co", "x\\y", ","};
        filters[1].text = "\"";
        filters[2].of(Dimension::User) = {"Zo\xc3\xab", "\xe6\x97\xa5\xe6\x9c\xac \xe8\xaa\x9e"};
        filters[2].text = "caf\xc3\xa9 ok";
        filters[3].minLatencyMs = 1234.5678;
        filters[3].maxCostUsd = 0.1 + 0.2;
        filters[4].beginNs = -1;
        filters[4].endNs = std::numeric_limits<int64_t>::max();
        filters[5].beginNs = std::numeric_limits<int64_t>::min() + 1;
        filters[5].text = " ";
        for (const Filter& f : filters) {
            const std::string text = formatQuery(f);
            const auto result = parseQuery(text);
            const Filter* back = filterOf(result);
            QVERIFY2(back, text.c_str());
            QVERIFY2(*back == f, text.c_str());
        }
    }

    void roundTripRandom() {
        std::mt19937_64 rng(20261101);
        for (int i = 0; i < 3000; ++i) {
            const Filter f = randomFilter(rng);
            const std::string text = formatQuery(f);
            const auto result = parseQuery(text);
            const Filter* back = filterOf(result);
            QVERIFY2(back, text.c_str());
            QVERIFY2(*back == f, text.c_str());
            QCOMPARE(formatQuery(*back), text);  // canonical text is a fixed point
        }
    }

    // Random text over the syntax's characters: an error always points inside the text, anything accepted
    // survives formatting, and completion answers at every cursor position.
    void randomTextIsHandled() {
        static const std::vector<std::string> pieces = {
            "model", "user", "env", "last", "since", "latency", "cost", "error", "ok", "refusal", ":", ",",
            "\"", "\\", " ", "\t", ">", "<", "=", "$", ".", "5", "2s", "ms", "h", "-", "2026-11-01", "T12:00",
            "x", "Zo\xc3\xab", "modle", "\xe6\x97\xa5",
        };
        std::mt19937_64 rng(7);
        const auto valuesOf = [](Dimension) { return std::vector<std::string>{"a", "b c", "x\"y"}; };
        int accepted = 0;
        for (int i = 0; i < 4000; ++i) {
            std::string text;
            const size_t count = rng() % 12;
            for (size_t k = 0; k < count; ++k) {
                text += pieces[rng() % pieces.size()];
            }
            const auto result = parseQuery(text, kNov1);
            if (const auto* error = std::get_if<QueryError>(&result)) {
                QVERIFY2(error->position + error->length <= text.size() && !error->message.empty(), text.c_str());
                QVERIFY2(error->length > 0 || text.empty(), text.c_str());
            } else {
                ++accepted;
                const Filter& f = std::get<Filter>(result);
                const auto back = parseQuery(formatQuery(f));
                QVERIFY2(filterOf(back) && *filterOf(back) == f, text.c_str());
            }
            for (size_t cursor = 0; cursor <= text.size(); ++cursor) {
                QVERIFY(completionStart(text, cursor) <= cursor);
                QVERIFY(completeQuery(text, cursor, valuesOf).size() <= 50);
            }
        }
        QVERIFY(accepted > 100);
    }

    void longQueriesTakeLinearTime() {
        std::string query;
        size_t terms = 0;
        while (query.size() < 10'000) {
            const std::string n = std::to_string(terms++);
            query += "model:m" + n + " user:\"u " + n + "\",v" + n + " word" + n + " latency>" + n + "ms ";
        }
        QElapsedTimer timer;
        timer.start();
        const auto result = parseQuery(query);
        const Filter* f = filterOf(result);
        QVERIFY(f);
        QCOMPARE(f->of(Dimension::Model).size(), terms);
        QCOMPARE(f->of(Dimension::User).size(), 2 * terms);
        QCOMPARE(f->minLatencyMs, double(terms - 1));
        // A single 10 kB value, a 10 kB key and an unterminated 10 kB phrase.
        const std::string big(10'000, 'x');
        const auto value = parseQuery("user:\"" + big + "\"");
        QVERIFY(filterOf(value));
        QCOMPARE(filterOf(value)->of(Dimension::User).front(), big);
        const auto key = parseQuery(big + ":1");
        QVERIFY(std::get_if<QueryError>(&key));
        QCOMPARE(std::get<QueryError>(key).length, big.size());
        const auto open = parseQuery(query + "\"" + big);
        QVERIFY(std::get_if<QueryError>(&open));
        QCOMPARE(std::get<QueryError>(open).position, query.size());
        // 1 MB of terms: a quadratic parser would take minutes.
        std::string huge;
        while (huge.size() < 1'000'000) {
            huge += query;
        }
        const auto hugeResult = parseQuery(huge);
        QVERIFY(filterOf(hugeResult));
        QCOMPARE(filterOf(hugeResult)->of(Dimension::Model).size(), terms * (huge.size() / query.size()));
        const auto again = parseQuery(formatQuery(*filterOf(hugeResult)));
        QVERIFY(filterOf(again));
        QVERIFY(*filterOf(again) == *filterOf(hugeResult));
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    }

    void completesNames() {
        const auto none = [](Dimension) { return std::vector<std::string>{}; };
        const std::vector<std::string> all = completeQuery("", 0, none);
        QCOMPARE(all.size(), kDimensionCount + 10);
        QCOMPARE(all.front(), std::string("feature:"));
        QCOMPARE(all.back(), std::string("last:"));
        QCOMPARE(completeQuery("mo", 2, none), std::vector<std::string>{"model:"});
        QCOMPARE(completeQuery("MO", 2, none), std::vector<std::string>{"model:"});
        QCOMPARE(completeQuery("e", 1, none), (std::vector<std::string>{"env:", "error"}));
        QCOMPARE(completeQuery("lat", 3, none), (std::vector<std::string>{"latency>", "latency<"}));
        QCOMPARE(completeQuery("s", 1, none), (std::vector<std::string>{"session:", "since:"}));
        QCOMPARE(completeQuery("env:prod re", 11, none), std::vector<std::string>{"refusal"});
        QCOMPARE(completionStart("env:prod re", 11), size_t(9));
        QCOMPARE(completeQuery("env:prod ", 9, none).size(), all.size());  // a new term after a space
        QCOMPARE(completeQuery("mo env:prod", 2, none), std::vector<std::string>{"model:"});  // cursor mid-text
        QCOMPARE(completeQuery("mo", 99, none), std::vector<std::string>{"model:"});         // clamped
        QVERIFY(completeQuery("zzz", 3, none).empty());
    }

    void completesValues() {
        std::vector<Dimension> asked;
        const auto valuesOf = [&](Dimension d) {
            asked.push_back(d);
            if (d == Dimension::User) {
                return std::vector<std::string>{"a b", "Zo\xc3\xab", "zoe", "\xc3\x9cnal", ""};
            }
            return std::vector<std::string>{"gpt-4o", "GPT-5", "claude", "k:v"};
        };
        QCOMPARE(completeQuery("model:", 6, valuesOf), (std::vector<std::string>{"gpt-4o", "GPT-5", "claude",
                                                                                  "\"k:v\""}));
        QCOMPARE(asked, std::vector<Dimension>{Dimension::Model});
        QCOMPARE(completionStart("model:", 6), size_t(6));
        QCOMPARE(completeQuery("model:gP", 8, valuesOf), (std::vector<std::string>{"gpt-4o", "GPT-5"}));
        QCOMPARE(completeQuery("model:gpt-4o,", 13, valuesOf), (std::vector<std::string>{"GPT-5", "claude",
                                                                                          "\"k:v\""}));
        QCOMPARE(completeQuery("model:\"k:v\",g", 13, valuesOf), (std::vector<std::string>{"gpt-4o", "GPT-5"}));
        QCOMPARE(completionStart("model:\"k:v\",g", 13), size_t(12));
        QCOMPARE(completeQuery("user:\"a", 7, valuesOf), std::vector<std::string>{"\"a b\""});
        QCOMPARE(completionStart("user:\"a", 7), size_t(5));
        QCOMPARE(completeQuery("user:zo", 7, valuesOf), (std::vector<std::string>{"Zo\xc3\xab", "zoe"}));
        QCOMPARE(completeQuery("user:\xc3\x9c", 7, valuesOf), std::vector<std::string>{"\xc3\x9cnal"});
        QCOMPARE(completeQuery("env:prod model:cl error", 17, valuesOf), std::vector<std::string>{"claude"});
        QCOMPARE(completeQuery("environment:", 12, valuesOf).size(), size_t(4));
        QCOMPARE(asked.back(), Dimension::Environment);
        QCOMPARE(completeQuery("last:", 5, valuesOf), (std::vector<std::string>{"15m", "1h", "24h", "7d", "30d"}));
        QCOMPARE(completeQuery("last:2", 6, valuesOf), std::vector<std::string>{"24h"});
        QVERIFY(completeQuery("model:x", 7, nullptr).empty());
    }

    void completesNothingWhereNothingFits() {
        const auto valuesOf = [](Dimension) { return std::vector<std::string>{"a"}; };
        QVERIFY(completeQuery("\"mod", 4, valuesOf).empty());       // inside a quoted phrase
        QVERIFY(completeQuery("\"a b\" \"m", 8, valuesOf).empty());  // a second phrase
        QVERIFY(completeQuery("latency>2", 9, valuesOf).empty());   // a comparison's amount
        QVERIFY(completeQuery("foo:", 4, valuesOf).empty());        // unknown key
        QVERIFY(completeQuery("since:2026", 10, valuesOf).empty());
        // After a closed quoted phrase and a space, names again.
        QCOMPARE(completeQuery("\"a b\" mo", 8, valuesOf), std::vector<std::string>{"model:"});
    }

    void valueCompletionIsCapped() {
        std::vector<std::string> many;
        for (int i = 0; i < 500; ++i) {
            many.push_back("user" + std::to_string(i));
        }
        const auto valuesOf = [&](Dimension) { return many; };
        const auto candidates = completeQuery("user:user", 9, valuesOf);
        QCOMPARE(candidates.size(), size_t(50));
        QCOMPARE(candidates.front(), std::string("user0"));
        QCOMPARE(completeQuery("user:user49", 11, valuesOf).size(), size_t(11));  // user49, user490..499
    }
};

QTEST_GUILESS_MAIN(TestQuery)
#include "tst_query.moc"
