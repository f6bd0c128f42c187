// Live refresh of every schema it reads, without widgets, in SQLite and in PostgreSQL: a snapshot read by the load
// path, rows written after it, a poll, and the appended snapshot compared with one fresh load of the final tables
// (every request, span, model call, eval and signal, whatever the row order) and with counts SQL computes on the
// tables. Custom SELECTs (a trace's spans arriving over several polls; ISO text, epoch and timestamptz times),
// Langfuse v2 (new traces, new observations and scores of old ones, updated rows where the tables keep
// updated_at), PromptScope's own tables (requests appended with their spans, evals and signals). And the time
// bounds the readers bind, checked against SQLite's own comparisons.
#include <QTemporaryDir>
#include <QtTest>

#include <ctime>
#include <filesystem>
#include <random>

#include "colddata.h"
#include "datasetimport.h"
#include "livepoll.h"
#include "logtablefixture.h"
#include "ownschema.h"
#include "pgtestserver.h"
#include "requeststext.h"
#include "sourceloader.h"
#include "timeshape.h"

using namespace ps;
using namespace ps::live;

namespace {

constexpr int64_t kBaseSeconds = 1'772'359'200;  // 2026-03-01 10:00:00 UTC

// Costs only from the data: what SQL can sum.
std::shared_ptr<const PricingTable> noPrices() {
    static const auto table = std::make_shared<PricingTable>();
    return table;
}

DatasetPtr loadWhole(const std::string& source, const std::string& select = {}) {
    LoadOptions options;
    options.pricing = noPrices();
    options.customSelect = select;
    const LoadResult r = loadSources({source}, options);
    if (!r.dataset) {
        qWarning("%s", r.error.c_str());
    }
    return r.dataset;
}

PollResult poll(const DatasetPtr& shown, std::vector<LiveSource> sources) {
    PollOptions options;
    options.pricing = noPrices();
    return pollSources(shown, std::move(sources), options);
}

double sqlNumber(db::Connection& c, const std::string& sql) {
    double v = -1;
    std::string error;
    if (!c.query(sql, {}, [&](const db::Row& row) {
            v = row.real(0).value_or(0);
            return false;
        }, &error)) {
        qWarning("%s: %s", sql.c_str(), error.c_str());
    }
    return v;
}

// "YYYY-MM-DD<sep>HH:MM:SS[.ffffff]<suffix>" for microseconds after kBaseSeconds.
std::string timeText(int64_t micros, char separator, bool fraction, const char* suffix) {
    const auto seconds = static_cast<std::time_t>(kBaseSeconds + micros / 1000000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[96];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d%c%02d:%02d:%02d", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, separator, utc.tm_hour, utc.tm_min, utc.tm_sec);
    std::string out = text;
    if (fraction) {
        std::snprintf(text, sizeof text, ".%06lld", static_cast<long long>(micros % 1000000));
        out += text;
    }
    return out + suffix;
}

// The appended snapshot holds what one read of the final tables holds.
void compareWithWholeLoad(const Dataset& appended, const std::string& source, const std::string& select = {}) {
    const DatasetPtr whole = loadWhole(source, select);
    QVERIFY(whole);
    QCOMPARE(appended.requestCount(), whole->requestCount());
    QCOMPARE(appended.spanCount(), whole->spanCount());
    QCOMPARE(appended.evals.size(), whole->evals.size());
    const std::string a = testing::requestsText(appended);
    const std::string b = testing::requestsText(*whole);
    QVERIFY2(a == b, testing::firstDifference(a, b).c_str());
}

// A table of agent traces whose spans a custom SELECT maps: a root and model calls below it. `started` is
// written as the shape says: ISO text with 'T' and 'Z', epoch milliseconds, or a PostgreSQL timestamptz.
enum class StartShape { IsoText, EpochMillis, TimestampTz };

struct CallsTable {
    db::Connection& c;
    StartShape shape;

    bool create(std::string* error) {
        const char* started = shape == StartShape::IsoText ? "TEXT" : shape == StartShape::EpochMillis ? "INTEGER"
                                                                                                        : "timestamptz";
        return c.execute(std::string("CREATE TABLE calls (call_id TEXT PRIMARY KEY, trace TEXT, parent TEXT, "
                                     "started ") + started + ", ms DOUBLE PRECISION, model TEXT, tokens_in INTEGER, "
                                     "tokens_out INTEGER, cost DOUBLE PRECISION, outcome TEXT)",
                         {}, error);
    }
    db::Value start(int64_t micros) const {
        switch (shape) {
        case StartShape::IsoText: return timeText(micros, 'T', true, "Z");
        case StartShape::EpochMillis: return kBaseSeconds * 1000 + micros / 1000;
        case StartShape::TimestampTz: break;
        }
        return timeText(micros, ' ', true, "+00");
    }
    bool add(const std::string& id, const std::string& trace, const std::string& parent, int64_t startMicros,
             double ms, const std::string& model, int64_t in, int64_t out, std::string* error) {
        const bool failed = trace == "trace-7" && !model.empty();
        return c.execute("INSERT INTO calls VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                         {id, trace, parent.empty() ? db::Value{} : db::Value{parent}, start(startMicros), ms,
                          model.empty() ? db::Value{} : db::Value{model}, in, out,
                          model.empty() ? db::Value{} : db::Value{static_cast<double>(in) * 1e-6 + out * 4e-6},
                          std::string(failed ? "error" : "ok")},
                         error);
    }
    // Trace k at k * 40 s: a root of 5 s and two model calls; every fifth trace's second call is an internal test
    // call the custom SELECT leaves out.
    bool addTrace(int k, std::string* error) {
        const std::string trace = "trace-" + std::to_string(k);
        const int64_t t0 = k * 40'000'000LL + k * 1237;
        return add(trace + "-root", trace, "", t0, 5000.0, "", 0, 0, error) &&
               add(trace + "-llm-0", trace, trace + "-root", t0 + 1'000'000, 1200.5, "gpt-4o", 100 + k, 20 + k, error) &&
               add(trace + "-llm-1", trace, trace + "-root", t0 + 3'000'000, 800.25,
                   k % 5 == 0 ? "internal-test" : "gpt-4o-mini", 300 + k, 40, error);
    }
};

const char* kCustomSelect =
    "SELECT trace AS trace_id, call_id AS span_id, parent AS parent_span_id, started AS start_time, "
    "ms AS duration_ms, CASE WHEN model IS NULL THEN 'agent' ELSE 'llm' END AS kind, model, "
    "tokens_in AS input_tokens, tokens_out AS output_tokens, cost AS cost_usd, outcome AS status "
    "FROM calls WHERE model IS NULL OR model <> 'internal-test';";

// Langfuse rows written after a snapshot (the tables of logtablefixture.h).
bool addLangfuseTrace(db::Connection& c, const std::string& id, int64_t startMicros, std::string* error) {
    return c.execute("INSERT INTO traces (id, timestamp, name, user_id, project_id, session_id) VALUES ($1, $2, "
                     "'chat', 'user-late', 'proj', 's-late')",
                     {id, fixtureTime(startMicros)}, error);
}

bool addObservation(db::Connection& c, const std::string& id, const std::string& trace, const std::string& parent,
                    int64_t startMicros, int64_t endMicros, const std::string& model, std::string* error) {
    const bool generation = !model.empty();
    return c.execute("INSERT INTO observations (id, trace_id, project_id, type, start_time, end_time, name, "
                     "parent_observation_id, level, model, prompt_tokens, completion_tokens, calculated_total_cost) "
                     "VALUES ($1, $2, 'proj', $3, $4, $5, $6, $7, 'DEFAULT', $8, $9, $10, $11)",
                     {id, trace, std::string(generation ? "GENERATION" : "SPAN"), fixtureTime(startMicros),
                      fixtureTime(endMicros), std::string(generation ? "llm-call" : "handle"),
                      parent.empty() ? db::Value{} : db::Value{parent}, generation ? db::Value{model} : db::Value{},
                      int64_t{generation ? 120 : 0}, int64_t{generation ? 30 : 0},
                      generation ? db::Value{0.00042} : db::Value{}},
                     error);
}

bool addScore(db::Connection& c, const std::string& id, const std::string& trace, double value, int64_t atMicros,
              std::string* error) {
    return c.execute("INSERT INTO scores (id, timestamp, name, value, source, trace_id, data_type) VALUES ($1, $2, "
                     "'helpfulness', $3, 'EVAL', $4, 'NUMERIC')",
                     {id, fixtureTime(atMicros), value, trace}, error);
}

// A PostgreSQL schema of the test's own (tests run in parallel), dropped at the end.
struct PgSchema {
    PgTestServer& server;
    std::string name;
    std::unique_ptr<db::Connection> admin;

    bool create(const std::string& prefix, std::string* error) {
        name = PgTestServer::uniqueName(prefix);
        admin = server.connect(false, error);
        return admin && admin->execute("CREATE SCHEMA " + name, {}, error);
    }
    ~PgSchema() {
        std::string ignored;
        if (admin) {
            admin->execute("DROP SCHEMA IF EXISTS " + name + " CASCADE", {}, &ignored);
        }
    }
    [[nodiscard]] std::string uri() const { return server.uriForSchema(name); }
    std::unique_ptr<db::Connection> writer(std::string* error) const { return server.connect(false, error, name); }
};

}  // namespace

class TestLiveReaders : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;

    std::string path(const char* name) const { return dir_.filePath(QString::fromLatin1(name)).toStdString(); }

    static std::unique_ptr<db::Connection> writable(const std::string& source, std::string* error) {
        return db::openConnection(*db::parseTarget(source), {.readOnly = false}, error);
    }

    // Custom SELECT: 30 traces read, then 3 new traces, a late trace that started before the newest row read,
    // and a third model call of trace 28; one poll reads exactly those.
    void checkCustomSelect(const std::string& source, CallsTable& table) {
        std::string error;
        for (int k = 0; k < 30; ++k) {
            QVERIFY2(table.addTrace(k, &error), error.c_str());
        }
        const DatasetPtr snapshot = loadWhole(source, kCustomSelect);
        QVERIFY(snapshot);
        QCOMPARE(snapshot->requestCount(), size_t{30});
        QCOMPARE(static_cast<double>(snapshot->spanCount()),
                 sqlNumber(table.c, "SELECT count(*) FROM calls WHERE model IS NULL OR model <> 'internal-test'"));
        std::vector<LiveSource> sources = liveSourcesOf({source}, kCustomSelect);
        QCOMPARE(sources.size(), size_t{1});
        QCOMPARE(sources[0].schema.kind, DatabaseSchemaKind::CustomSelect);  // as the load found it
        QVERIFY(sources[0].refreshable());

        for (int k = 30; k < 33; ++k) {
            QVERIFY2(table.addTrace(k, &error), error.c_str());
        }
        QVERIFY(table.add("late-root", "late", "", 29 * 40'000'000LL - 300'000'000, 900.0, "", 0, 0, &error));
        QVERIFY(table.add("trace-28-llm-2", "trace-28", "trace-28-root", 28 * 40'000'000LL + 4'000'000, 300.0,
                          "gpt-4o", 50, 5, &error));
        const PollResult first = poll(snapshot, sources);
        QVERIFY2(first.error.empty(), first.error.c_str());
        QVERIFY(first.dataset);
        QCOMPARE(first.rows, uint64_t{3 * 3 + 2 - 1});  // trace 30's internal call is not selected
        QCOMPARE(first.appended.newRequests, uint64_t{4});
        QCOMPARE(first.appended.replacedRequests, uint64_t{1});  // trace 28, read again whole
        compareWithWholeLoad(*first.dataset, source, kCustomSelect);
        const RequestIndex t28 = first.dataset->findRequest("trace-28");
        QVERIFY(t28.isValid());
        QCOMPARE(first.dataset->spanEnd(t28) - first.dataset->requests.firstSpan[t28.value], 4u);

        const PollResult second = poll(first.dataset, first.sources);
        QVERIFY2(second.error.empty(), second.error.c_str());
        QCOMPARE(second.rows, uint64_t{0});
        QVERIFY(!second.dataset);
    }

    // Langfuse: 20 traces read; then two new traces, a late generation of trace 3 and a score of trace 5. Then
    // one more change of trace 7: `change` writes it.
    void checkLangfuse(const std::string& source, db::Connection& writer,
                       const std::function<bool(db::Connection&, std::string*)>& change) {
        std::string error;
        const DatasetPtr snapshot = loadWhole(source);
        QVERIFY(snapshot);
        QCOMPARE(snapshot->requestCount(), size_t{20});
        std::vector<LiveSource> sources = liveSourcesOf({source});
        QCOMPARE(sources[0].schema.kind, DatabaseSchemaKind::LangfuseV2);
        const int64_t after = 20 * 61'000'000LL;  // after every row of the fixture's 20 traces
        for (int t = 20; t < 22; ++t) {
            const std::string id = "trace-" + std::to_string(t);
            const int64_t start = after + (t - 20) * 5'000'000LL;
            QVERIFY2(addLangfuseTrace(writer, id, start, &error), error.c_str());
            QVERIFY2(addObservation(writer, id + "-root", id, "", start, start + 2'000'000, "", &error), error.c_str());
            QVERIFY2(addObservation(writer, id + "-gen-0", id, id + "-root", start + 10'000, start + 900'000, "gpt-4o",
                                    &error),
                     error.c_str());
            QVERIFY2(addScore(writer, "s-" + id, id, 0.5, start + 2'000'000, &error), error.c_str());
        }
        QVERIFY(addObservation(writer, "trace-3-gen-late", "trace-3", "trace-3-root", after + 20'000'000,
                               after + 21'000'000, "gpt-4o-mini", &error));
        QVERIFY(addScore(writer, "s-late-5", "trace-5", 0.25, after + 22'000'000, &error));

        const PollResult first = poll(snapshot, sources);
        QVERIFY2(first.error.empty(), first.error.c_str());
        QVERIFY(first.dataset);
        QCOMPARE(first.appended.newRequests, uint64_t{2});
        // Traces 3 and 5, and those whose rows lie within the overlap before the snapshot's newest time (a
        // snapshot does not say which of them were read).
        QVERIFY(first.appended.replacedRequests >= 2);
        compareWithWholeLoad(*first.dataset, source);
        QCOMPARE(static_cast<double>(first.dataset->requestCount()), sqlNumber(writer, "SELECT count(*) FROM traces"));
        QCOMPARE(static_cast<double>(first.dataset->spanCount()),
                 sqlNumber(writer, "SELECT (SELECT count(*) FROM traces) + (SELECT count(*) FROM observations)"));
        QCOMPARE(static_cast<double>(first.dataset->evals.size()), sqlNumber(writer, "SELECT count(*) FROM scores"));

        const PollResult quiet = poll(first.dataset, first.sources);
        QVERIFY2(quiet.error.empty(), quiet.error.c_str());
        QCOMPARE(quiet.rows, uint64_t{0});
        QVERIFY(!quiet.dataset);

        QVERIFY2(change(writer, &error), error.c_str());
        const PollResult third = poll(first.dataset, quiet.sources);
        QVERIFY2(third.error.empty(), third.error.c_str());
        QVERIFY(third.dataset);
        QCOMPARE(third.rows, uint64_t{1});
        QCOMPARE(third.appended.newRequests, uint64_t{0});
        QCOMPARE(third.appended.replacedRequests, uint64_t{1});
        compareWithWholeLoad(*third.dataset, source);
    }

    // PromptScope's own tables: `part` holds the first requests of the demo; `append` writes the others; one
    // poll reads them with their spans, evals and signals.
    void checkOwnTables(const std::string& part, db::Connection& writer, int firstAppended,
                        const std::function<bool(std::string*)>& append) {
        const DatasetPtr snapshot = loadWhole(part);
        QVERIFY(snapshot);
        QCOMPARE(snapshot->requestCount(), size_t(firstAppended));
        std::vector<LiveSource> sources = liveSourcesOf({part});
        QCOMPARE(sources[0].schema.kind, DatabaseSchemaKind::PromptScope);
        std::string error;
        QVERIFY2(append(&error), error.c_str());
        const std::string appended = " WHERE request_row >= " + std::to_string(firstAppended);
        const PollResult first = poll(snapshot, sources);
        QVERIFY2(first.error.empty(), first.error.c_str());
        QVERIFY(first.dataset);
        QCOMPARE(static_cast<double>(first.appended.newRequests),
                 sqlNumber(writer, "SELECT count(*) FROM ps_requests" + appended));
        QCOMPARE(first.appended.replacedRequests, uint64_t{0});
        QCOMPARE(static_cast<double>(first.rows), sqlNumber(writer, "SELECT count(*) FROM ps_spans" + appended));
        QCOMPARE(static_cast<double>(first.dataset->evals.size()), sqlNumber(writer, "SELECT count(*) FROM ps_evals"));
        QVERIFY(sqlNumber(writer, "SELECT count(*) FROM ps_evals" + appended) > 0);
        QVERIFY(sqlNumber(writer, "SELECT count(*) FROM ps_signals" + appended) > 0);
        compareWithWholeLoad(*first.dataset, part);
        const Dataset& d = *first.dataset;
        QCOMPARE(d.deployments.size(), snapshot->deployments.size());  // read again, kept once
        QCOMPARE(d.promptVersions.size(), snapshot->promptVersions.size());
        // An appended span's details come from its stored record.
        ColdDataReader details(first.dataset);
        const RequestIndex last = d.findRequest(d.str(d.requests.traceId[d.requestCount() - 1]));
        const SpanDetails span = details.readSpan(d.requests.firstSpan[last.value]);
        QVERIFY2(span.ok(), span.error.c_str());

        const PollResult second = poll(first.dataset, first.sources);
        QVERIFY2(second.error.empty(), second.error.c_str());
        QCOMPARE(second.rows, uint64_t{0});
    }

    static DatasetPtr demo() {
        const std::string dir = PROMPTSCOPE_BINARY_DIR "/demo/";
        const LoadResult r = loadSources({dir + "demo.otlp.jsonl", dir + "demo.records.jsonl"});
        return r.dataset;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void timeBoundsCompareAsTheColumn_data() {
        QTest::addColumn<int>("shape");
        QTest::addColumn<bool>("exact");  // false: may over-read rows of the bound's second, never miss one
        QTest::newRow("naive text, microseconds") << 0 << true;
        QTest::newRow("naive text, whole seconds") << 1 << true;
        QTest::newRow("ISO T and Z, microseconds") << 2 << true;
        QTest::newRow("ISO T and Z, whole seconds") << 3 << false;
        QTest::newRow("ISO with +00:00") << 4 << true;
        QTest::newRow("epoch seconds (real)") << 5 << true;
        QTest::newRow("epoch milliseconds") << 6 << true;
        QTest::newRow("epoch microseconds") << 7 << true;
        QTest::newRow("epoch nanoseconds") << 8 << true;
    }

    // For stored times of every shape and bounds between them, SQLite's `v >= bound` agrees with the times
    // themselves (computed here from the numbers the values were written from).
    void timeBoundsCompareAsTheColumn() {
        QFETCH(int, shape);
        QFETCH(bool, exact);
        std::string error;
        auto c = db::openConnection({db::Dialect::Sqlite, ":memory:"}, {.readOnly = false}, &error);
        QVERIFY2(c && c->execute("CREATE TABLE t (v)", {}, &error), error.c_str());
        std::mt19937_64 random(shape + 1);
        std::vector<int64_t> micros;
        for (int i = 0; i < 300; ++i) {
            int64_t m = static_cast<int64_t>(random() % 86'400'000'000ULL);
            if (shape == 1 || shape == 3 || shape == 5) {
                m -= m % 1'000'000;  // whole seconds
            }
            micros.push_back(m);
            db::Value v;
            switch (shape) {
            case 0: v = timeText(m, ' ', true, ""); break;
            case 1: v = timeText(m, ' ', false, ""); break;
            case 2: v = timeText(m, 'T', true, "Z"); break;
            case 3: v = timeText(m, 'T', false, "Z"); break;
            case 4: v = timeText(m, 'T', true, "+00:00"); break;
            case 5: v = static_cast<double>(kBaseSeconds) + static_cast<double>(m) / 1e6; break;
            case 6: v = kBaseSeconds * 1000 + m / 1000; break;
            case 7: v = kBaseSeconds * 1000000 + m; break;
            default: v = (kBaseSeconds * 1000000 + m) * 1000; break;
            }
            QVERIFY2(c->execute("INSERT INTO t VALUES ($1)", {v}, &error), error.c_str());
        }
        if (shape == 6 || shape == 7) {
            for (int64_t& m : micros) {
                m -= shape == 6 ? m % 1000 : 0;  // as stored
            }
        }
        TimeShape found;
        QVERIFY2(sampleTimeShape(*c, "v", "t", &found, &error), error.c_str());
        QVERIFY(found.known());
        for (int i = 0; i < 200; ++i) {
            const int64_t boundMicros = static_cast<int64_t>(random() % 86'400'000'000ULL) -
                                        (i % 3 == 0 ? 0 : static_cast<int64_t>(random() % 1000));
            const int64_t boundNs = (kBaseSeconds * 1000000 + boundMicros) * 1000;
            const double inSql = [&] {
                double n = -1;
                c->query("SELECT count(*) FROM t WHERE v >= $1", {found.bound(boundNs)}, [&](const db::Row& row) {
                    n = row.real(0).value_or(-1);
                    return false;
                }, &error);
                return n;
            }();
            const auto atOrAfter = std::count_if(micros.begin(), micros.end(), [&](int64_t m) { return m >= boundMicros; });
            if (exact) {
                QCOMPARE(inSql, static_cast<double>(atOrAfter));
            } else {
                const auto withinSecond = std::count_if(micros.begin(), micros.end(), [&](int64_t m) {
                    return m < boundMicros && m > boundMicros - 1'000'000;
                });
                QVERIFY(inSql >= static_cast<double>(atOrAfter));
                QVERIFY(inSql <= static_cast<double>(atOrAfter + withinSecond));
            }
        }
    }

    void customSelectSqlite_data() {
        QTest::addColumn<int>("shape");
        QTest::newRow("ISO text") << int(StartShape::IsoText);
        QTest::newRow("epoch milliseconds") << int(StartShape::EpochMillis);
    }

    void customSelectSqlite() {
        QFETCH(int, shape);
        const std::string file = path(shape == 0 ? "calls-iso.db" : "calls-ms.db");
        std::string error;
        auto writer = writable("sqlite:" + file, &error);
        QVERIFY2(writer, error.c_str());
        CallsTable table{*writer, static_cast<StartShape>(shape)};
        QVERIFY2(table.create(&error), error.c_str());
        checkCustomSelect("sqlite:" + file, table);
    }

    void customSelectWithoutStartTimeIsNotRefreshed() {
        DatabaseSchema schema;
        schema.kind = DatabaseSchemaKind::CustomSelect;
        schema.customSelect = "SELECT id AS trace_id FROM calls";
        schema.tables.push_back({"custom SELECT", {"trace_id", "model"}});
        std::string why;
        QVERIFY(!makeIncrementalReader(schema, &why));
        QVERIFY2(why.find("start_time") != std::string::npos, why.c_str());
        schema.tables.front().columns.push_back("Start_Time");  // named case-blind, as the reader binds it
        why.clear();
        QVERIFY(makeIncrementalReader(schema, &why));
    }

    void langfuseSqlite() {
        const std::string source = "sqlite:" + path("langfuse.db");
        std::string error;
        auto writer = writable(source, &error);
        QVERIFY2(writer && createLangfuseTables(*writer, false, 20, &error), error.c_str());
        // Without updated_at a change is a row with a newer time of its own: an observation of trace 7.
        checkLangfuse(source, *writer, [](db::Connection& c, std::string* e) {
            return addObservation(c, "trace-7-gen-late", "trace-7", "trace-7-root", 20 * 61'000'000LL + 40'000'000,
                                  20 * 61'000'000LL + 41'000'000, "gpt-4o", e);
        });
    }

    void ownTablesSqlite() {
        const DatasetPtr data = demo();
        QVERIFY(data);
        const std::string full = path("own-full.sqlite");
        const std::string part = path("own-part.sqlite");
        QVERIFY(importDataset(data, full, {}).ok());
        std::filesystem::copy_file(full, part);
        const int firstAppended = static_cast<int>(data->requestCount() * 3 / 4);
        std::string error;
        auto writer = writable("sqlite:" + part, &error);
        QVERIFY2(writer, error.c_str());
        const std::string cut = std::to_string(firstAppended);
        QVERIFY2(writer->execute("DELETE FROM ps_span_records WHERE span_row >= (SELECT first_span_row FROM ps_requests "
                                 "WHERE request_row = " + cut + "); DELETE FROM ps_spans WHERE request_row >= " + cut +
                                 "; DELETE FROM ps_evals WHERE request_row >= " + cut +
                                 "; DELETE FROM ps_signals WHERE request_row >= " + cut +
                                 "; DELETE FROM ps_requests WHERE request_row >= " + cut,
                                 {}, &error),
                 error.c_str());
        checkOwnTables("sqlite:" + part, *writer, firstAppended, [&](std::string* e) {
            return writer->execute("ATTACH DATABASE '" + full + "' AS whole; "
                                   "INSERT INTO ps_requests SELECT * FROM whole.ps_requests WHERE request_row >= " + cut +
                                   "; INSERT INTO ps_spans SELECT * FROM whole.ps_spans WHERE request_row >= " + cut +
                                   "; INSERT INTO ps_span_records SELECT * FROM whole.ps_span_records WHERE span_row "
                                   "NOT IN (SELECT span_row FROM ps_span_records); INSERT INTO ps_evals SELECT * FROM "
                                   "whole.ps_evals WHERE request_row >= " + cut + "; INSERT INTO ps_signals SELECT * "
                                   "FROM whole.ps_signals WHERE request_row >= " + cut + "; DETACH DATABASE whole",
                                   {}, e);
        });
    }

    void customSelectPostgres() {
        PgTestServer server;
        if (!server.start()) {
            PGTEST_SKIP_OR_FAIL(server);
        }
        std::string error;
        PgSchema schema{server, {}, {}};
        QVERIFY2(schema.create("livecustom", &error), error.c_str());
        auto writer = schema.writer(&error);
        QVERIFY2(writer, error.c_str());
        CallsTable table{*writer, StartShape::TimestampTz};
        QVERIFY2(table.create(&error), error.c_str());
        checkCustomSelect(schema.uri(), table);
    }

    void langfusePostgresByUpdatedAt() {
        PgTestServer server;
        if (!server.start()) {
            PGTEST_SKIP_OR_FAIL(server);
        }
        std::string error;
        PgSchema schema{server, {}, {}};
        QVERIFY2(schema.create("livelangfuse", &error), error.c_str());
        auto writer = schema.writer(&error);
        QVERIFY2(writer && createLangfuseTables(*writer, true, 20, &error), error.c_str());
        // As Langfuse's own tables: every row says when it was last written.
        for (const char* table : {"traces", "observations", "scores"}) {
            QVERIFY2(writer->execute(std::string("ALTER TABLE ") + table +
                                         " ADD COLUMN updated_at timestamp(3) NOT NULL DEFAULT now()",
                                     {}, &error),
                     error.c_str());
        }
        // A change that keeps every time of the row's own: only updated_at tells it.
        checkLangfuse(schema.uri(), *writer, [](db::Connection& c, std::string* e) {
            return c.execute("UPDATE observations SET level = 'ERROR', status_message = 'late failure', "
                             "updated_at = now() + interval '1 second' WHERE id = 'trace-7-root'",
                             {}, e);
        });
    }

    void ownTablesPostgres() {
        PgTestServer server;
        if (!server.start()) {
            PGTEST_SKIP_OR_FAIL(server);
        }
        const DatasetPtr data = demo();
        QVERIFY(data);
        std::string error;
        PgSchema whole{server, {}, {}};
        PgSchema part{server, {}, {}};
        QVERIFY2(whole.create("liveownfull", &error) && part.create("liveownpart", &error), error.c_str());
        const DatasetWriteResult written = importDataset(data, whole.uri(), {});
        QVERIFY2(written.ok(), written.error.c_str());
        const int firstAppended = static_cast<int>(data->requestCount() * 3 / 4);
        const std::string cut = std::to_string(firstAppended);
        const auto byRequest = [](std::string_view t) {
            return t == "ps_requests" || t == "ps_spans" || t == "ps_evals" || t == "ps_signals";
        };
        for (const std::string_view t : db::ownTables()) {
            const std::string name(t);
            QVERIFY2(part.admin->execute("CREATE TABLE " + part.name + "." + name + " AS SELECT * FROM " + whole.name +
                                             "." + name + (byRequest(t) ? " WHERE request_row < " + cut : std::string()),
                                         {}, &error),
                     error.c_str());
        }
        auto writer = part.writer(&error);
        QVERIFY2(writer, error.c_str());
        checkOwnTables(part.uri(), *writer, firstAppended, [&](std::string* e) {
            bool ok = writer->execute("BEGIN", {}, e);
            for (const char* t : {"ps_requests", "ps_spans", "ps_evals", "ps_signals"}) {
                ok = ok && writer->execute(std::string("INSERT INTO ") + t + " SELECT * FROM " + whole.name + "." + t +
                                               " WHERE request_row >= " + cut,
                                           {}, e);
            }
            return ok && writer->execute("COMMIT", {}, e);
        });
    }
};

QTEST_GUILESS_MAIN(TestLiveReaders)
#include "tst_livereaders.moc"
