// Aggregation in the database against the in-memory figures: the same generated LiteLLM SpendLogs rows go into a
// SQLite file (and a PostgreSQL schema when a test server is there) and, as one LLM span per request, into a
// Dataset; computeDatabaseOverview and buildDatabaseReport must give computeOverview's and buildReport's figures
// for several filters (counts and sums exactly, type-7 percentiles to 1e-9), and plain SQL written here must agree.
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <map>
#include <optional>
#include <random>

#include "aggregationmode.h"
#include "databaseoverview.h"
#include "databasereport.h"
#include "datasetbuilder.h"
#include "dbaggregatecompare.h"
#include "groupedstats.h"
#include "percentile.h"
#include "selection.h"
#include "sqldistribution.h"

using namespace ps;

namespace {

struct SpendRow {
    std::string id, callType, model, provider, team, user, session, alias, errorCode, errorClass, errorMessage;
    int64_t startMs = 0, latencyMs = 0;
    bool failed = false;
    int64_t promptTokens = 0, completionTokens = 0;
    double spend = 0;
};

std::string isoTime(int64_t ms) {
    const time_t seconds = static_cast<time_t>(ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[40];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &utc);
    char fraction[8];
    std::snprintf(fraction, sizeof fraction, ".%03d", static_cast<int>(ms % 1000));
    return std::string(text) + fraction;
}

// Three days of traffic: log-normal latencies with a slow tail, 6% failures of four kinds, a few models, users,
// sessions and teams, some of them missing.
std::vector<SpendRow> generateRows(size_t n, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::lognormal_distribution<double> latency(6.6, 0.7);
    std::uniform_real_distribution<double> unit(0, 1);
    const int64_t begin = 1737676800000;  // 2025-01-24 00:00:00 UTC
    const std::vector<std::pair<std::string, std::string>> models = {
        {"gpt-4o", "openai"}, {"gpt-4o-mini", "openai"}, {"claude-3-5-sonnet", "anthropic"}, {"gemini-1.5-pro", "vertex_ai"}};
    const std::vector<std::array<std::string, 3>> failures = {{"429", "RateLimitError", "Rate limit reached for requests"},
                                                              {"408", "Timeout", "Request timed out"},
                                                              {"500", "InternalServerError", "upstream failed"},
                                                              {"400", "BadRequestError", "invalid request body"}};
    std::vector<SpendRow> rows(n);
    for (size_t i = 0; i < n; ++i) {
        SpendRow& r = rows[i];
        r.id = "chatcmpl-" + std::to_string(100000 + i);
        r.callType = unit(rng) < 0.9 ? "acompletion" : "aembedding";
        r.startMs = begin + static_cast<int64_t>(unit(rng) * 3 * 86400000.0);
        const auto& [model, provider] = models[static_cast<size_t>(unit(rng) * unit(rng) * 4) % 4];
        r.model = model;
        r.provider = provider;
        r.latencyMs = static_cast<int64_t>(latency(rng) * (unit(rng) < 0.03 ? 12 : 1));
        r.promptTokens = static_cast<int64_t>(50 + unit(rng) * 4000);
        r.completionTokens = static_cast<int64_t>(unit(rng) * 900);
        r.spend = unit(rng) < 0.05 ? 0.0 : (r.promptTokens * 2.5e-6 + r.completionTokens * 1e-5);
        r.team = unit(rng) < 0.2 ? "" : "team-" + std::to_string(static_cast<int>(unit(rng) * 5));
        r.user = unit(rng) < 0.1 ? "" : "user-" + std::to_string(static_cast<int>(unit(rng) * 60));
        r.session = unit(rng) < 0.15 ? "" : "session-" + std::to_string(static_cast<int>(unit(rng) * 400));
        const double feature = unit(rng);
        r.alias = feature < 0.1 ? "" : feature < 0.55 ? "support-bot" : feature < 0.85 ? "sql-agent" : "summarizer";
        if (unit(rng) < 0.06) {
            r.failed = true;
            const auto& f = failures[static_cast<size_t>(unit(rng) * 4) % 4];
            r.errorCode = f[0];
            r.errorClass = f[1];
            r.errorMessage = f[2];
            r.completionTokens = 0;
        }
    }
    return rows;
}

std::string metadataJson(const SpendRow& r) {
    std::string out = "{\"user_api_key_alias\": ";
    out += r.alias.empty() ? "null" : "\"" + r.alias + "\"";
    if (r.failed) {
        out += ", \"error_information\": {\"error_code\": \"" + r.errorCode + "\", \"error_class\": \"" + r.errorClass +
               "\", \"error_message\": \"" + r.errorMessage + "\"}";
    }
    return out + ", \"requester_ip_address\": null}";
}

// The rows as one LLM span per request, built by the same DatasetBuilder the readers use.
DatasetPtr datasetOf(const std::vector<SpendRow>& rows) {
    DatasetBuilder builder;
    builder.addSource(SourceInfo{"spendlogs", SourceFormat::Database, 0, 0});
    RecordBatch batch;
    auto id = [&](const std::string& s) { return s.empty() ? StringId{} : batch.strings.intern(s); };
    for (size_t i = 0; i < rows.size(); ++i) {
        const SpendRow& r = rows[i];
        RawSpan s;
        s.traceId = id(r.id);
        s.spanId = i + 1;
        s.startNs = r.startMs * 1000000;
        s.endNs = (r.startMs + r.latencyMs) * 1000000;
        s.name = id(r.callType);
        s.kind = SpanKind::Llm;
        s.status = r.failed ? SpanStatus::Error : SpanStatus::Ok;
        if (r.failed) {
            s.httpStatus = static_cast<uint16_t>(std::stoi(r.errorCode));
            s.errorType = id(r.errorClass);
            s.statusMessage = id(r.errorMessage);
        }
        s.model = id(r.model);
        s.provider = id(r.provider);
        s.inputTokens = r.promptTokens;
        s.outputTokens = r.completionTokens;
        s.costUsd = r.spend;
        s.feature = id(r.alias);
        s.user = id(r.user);
        s.session = id(r.session);
        s.tenant = id(r.team);
        batch.spans.push_back(s);
    }
    builder.addBatch(std::move(batch));
    return builder.build();
}

// Fills a SpendLogs table through the Connection interface (bound parameters), times as the dialect stores them.
void insertRows(db::Connection& c, const std::vector<SpendRow>& rows) {
    const bool pg = c.dialect() == db::Dialect::Postgres;
    const std::string ddl =
        pg ? "CREATE TABLE \"LiteLLM_SpendLogs\" (request_id text PRIMARY KEY, call_type text NOT NULL, "
             "api_key text NOT NULL DEFAULT '', spend double precision NOT NULL DEFAULT 0, total_tokens integer NOT "
             "NULL DEFAULT 0, prompt_tokens integer NOT NULL DEFAULT 0, completion_tokens integer NOT NULL DEFAULT 0, "
             "\"startTime\" timestamp(3) NOT NULL, \"endTime\" timestamp(3) NOT NULL, model text NOT NULL DEFAULT '', "
             "custom_llm_provider text DEFAULT '', \"user\" text DEFAULT '', metadata jsonb DEFAULT '{}', team_id "
             "text, end_user text, session_id text, status text)"
           : "CREATE TABLE \"LiteLLM_SpendLogs\" (request_id TEXT PRIMARY KEY, call_type TEXT NOT NULL, api_key TEXT "
             "NOT NULL DEFAULT '', spend REAL NOT NULL DEFAULT 0, total_tokens INTEGER NOT NULL DEFAULT 0, "
             "prompt_tokens INTEGER NOT NULL DEFAULT 0, completion_tokens INTEGER NOT NULL DEFAULT 0, \"startTime\" "
             "TEXT NOT NULL, \"endTime\" TEXT NOT NULL, model TEXT NOT NULL DEFAULT '', custom_llm_provider TEXT "
             "DEFAULT '', \"user\" TEXT DEFAULT '', metadata TEXT DEFAULT '{}', team_id TEXT, end_user TEXT, "
             "session_id TEXT, status TEXT)";
    std::string error;
    QVERIFY2(c.execute(ddl, {}, &error), error.c_str());
    QVERIFY2(c.execute("CREATE INDEX spendlogs_start ON \"LiteLLM_SpendLogs\" (\"startTime\")", {}, &error),
             error.c_str());
    QVERIFY2(c.execute("BEGIN", {}, &error), error.c_str());
    const std::string insert =
        std::string("INSERT INTO \"LiteLLM_SpendLogs\" (request_id, call_type, spend, total_tokens, prompt_tokens, "
                    "completion_tokens, \"startTime\", \"endTime\", model, custom_llm_provider, \"user\", metadata, "
                    "team_id, session_id, status) VALUES ($1, $2, $3, $4, $5, $6, ") +
        (pg ? "CAST($7 AS timestamp), CAST($8 AS timestamp), $9, $10, $11, CAST($12 AS jsonb)"
            : "$7, $8, $9, $10, $11, $12") +
        ", $13, $14, $15)";
    for (const SpendRow& r : rows) {
        const std::vector<db::Value> values = {
            r.id, r.callType, r.spend, r.promptTokens + r.completionTokens, r.promptTokens, r.completionTokens,
            isoTime(r.startMs), isoTime(r.startMs + r.latencyMs), r.model, r.provider, r.user, metadataJson(r),
            r.team.empty() ? db::Value{} : db::Value{r.team}, r.session.empty() ? db::Value{} : db::Value{r.session},
            std::string(r.failed ? "failure" : "success")};
        QVERIFY2(c.execute(insert, values, &error), error.c_str());
    }
    QVERIFY2(c.execute("COMMIT", {}, &error), error.c_str());
}

std::vector<Filter> filters() {
    std::vector<Filter> out(9);
    out[1].of(Dimension::Model) = {"gpt-4o"};
    out[2].status = StatusFilter::Error;
    out[3].beginNs = 1737763200000LL * 1000000;  // the second day
    out[3].endNs = out[3].beginNs + 86400000000000LL;
    out[4].text = "chatcmpl-1001";
    out[5].minLatencyMs = 500;
    out[5].maxLatencyMs = 2000;
    out[6].of(Dimension::Tenant) = {"(none)", "team-1"};
    out[6].of(Dimension::Feature) = {"sql-agent"};
    out[7].status = StatusFilter::Ok;
    out[7].of(Dimension::Provider) = {"openai"};
    out[7].minCostUsd = 0.005;
    out[8].text = "rate limit";
    return out;
}

}  // namespace

class TestDbAggregate : public QObject {
    Q_OBJECT

private:
    std::vector<SpendRow> rows_ = generateRows(3000, 7);
    DatasetPtr data_;
    std::unique_ptr<FacetIndex> index_;
    QTemporaryDir dir_;
    std::string sqlitePath_;

    void compareEverything(db::Connection& c) {
        std::string error;
        const auto m = db::detectRequestMapping(c, &error);
        QVERIFY2(m, error.c_str());
        QVERIFY(prepareForAggregation(c, &error));
        for (const Filter& f : filters()) {
            dbaggregate::compareOverview(*data_, *index_, c, *m, f, Grain::Request);
            if (QTest::currentTestFailed()) {
                return;
            }
        }
        for (GroupField field : {GroupField::Model, GroupField::Tenant, GroupField::User, GroupField::PromptVersion}) {
            dbaggregate::compareReport(*data_, c, *m, field, Grain::Request);
            if (QTest::currentTestFailed()) {
                return;
            }
        }
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        data_ = datasetOf(rows_);
        QCOMPARE(data_->requestCount(), rows_.size());
        index_ = std::make_unique<FacetIndex>(buildFacetIndex(*data_));
        sqlitePath_ = dir_.filePath(QStringLiteral("spendlogs.db")).toStdString();
        db::ConnectOptions writable;
        writable.readOnly = false;
        std::string error;
        auto c = db::openConnection({db::Dialect::Sqlite, sqlitePath_}, writable, &error);
        QVERIFY2(c, error.c_str());
        insertRows(*c, rows_);
    }

    void sqliteMatchesMemory() {
        std::string error;
        auto c = db::openConnection({db::Dialect::Sqlite, sqlitePath_}, {}, &error);
        QVERIFY2(c, error.c_str());
        compareEverything(*c);
    }

    // Plain SQL written here, with the filter pasted by hand: counts, and the type-7 p95 from the sorted latencies.
    void sqliteMatchesHandWrittenSql() {
        std::string error;
        auto c = db::openConnection({db::Dialect::Sqlite, sqlitePath_}, {}, &error);
        QVERIFY2(c, error.c_str());
        const auto m = db::detectRequestMapping(*c, &error);
        QVERIFY(m);
        Filter f;
        f.of(Dimension::Model) = {"gpt-4o"};
        f.status = StatusFilter::Ok;
        const DatabaseOverview o = computeDatabaseOverview(*c, *m, f, Grain::Request);
        QVERIFY2(o.error.empty(), o.error.c_str());
        std::vector<double> latencies;
        QVERIFY(c->query("SELECT (julianday(\"endTime\") - julianday(\"startTime\")) * 86400000.0 FROM "
                         "\"LiteLLM_SpendLogs\" WHERE model = 'gpt-4o' AND status <> 'failure' ORDER BY 1",
                         {},
                         [&](const db::Row& row) {
                             latencies.push_back(std::round(*row.real(0)));
                             return true;
                         },
                         &error));
        QCOMPARE(o.overview.rows, uint64_t{latencies.size()});
        const double h = 0.95 * static_cast<double>(latencies.size() - 1);
        const auto lo = static_cast<size_t>(h);
        const double p95 = latencies[lo] + (h - static_cast<double>(lo)) * (latencies[lo + 1] - latencies[lo]);
        COMPARE_NUM(o.overview.kpis[static_cast<size_t>(Kpi::P95Latency)].current, p95);
        double spend = 0;
        QVERIFY(c->query("SELECT sum(spend) FROM \"LiteLLM_SpendLogs\" WHERE model = 'gpt-4o' AND status = 'success'",
                         {}, [&](const db::Row& row) { spend = *row.real(0); return false; }, &error));
        double shown = 0;
        for (double v : o.overview.series.costUsd) {
            shown += v;
        }
        COMPARE_NUM(shown, spend);
    }

    // ps_epoch_ns reads ISO text to the nanosecond (SQLite's own functions round to milliseconds, so .9996 s would
    // carry into the next second), with zones; anything else is NULL.
    void sqliteReadsIsoTimesExactly() {
        std::string error;
        db::ConnectOptions scratch;
        scratch.readOnly = false;
        auto c = db::openConnection({db::Dialect::Sqlite, ":memory:"}, scratch, &error);
        QVERIFY2(c, error.c_str());
        QVERIFY(prepareForAggregation(*c, &error));
        const int64_t tenOClock = (1737676800LL + 10 * 3600) * 1000000000;  // 2025-01-24 10:00:00 UTC
        const std::vector<std::pair<std::string, std::optional<int64_t>>> cases = {
            {"2025-01-24 10:00:00", tenOClock},
            {"2025-01-24T10:00:00.123456789Z", tenOClock + 123456789},
            {"2025-01-24 09:59:59.9996", tenOClock - 400000},
            {"2025-01-24T12:00:00+02:00", tenOClock},
            {"2025-01-24T05:30:00.5-0430", tenOClock + 500000000},
            {" 2025-01-24 ", tenOClock - 10 * 3600 * 1000000000LL},
            {"2025-01-24 10:00", tenOClock},
            {"2025-13-01 00:00:00", std::nullopt},
            {"yesterday", std::nullopt},
        };
        for (const auto& [text, expected] : cases) {
            std::optional<int64_t> got;
            QVERIFY(c->query("SELECT ps_epoch_ns($1)", {text}, [&](const db::Row& row) {
                got = row.integer(0);
                return false;
            }, &error));
            QVERIFY2(got == expected, text.c_str());
        }
        std::optional<int64_t> number = 1;
        QVERIFY(c->query("SELECT ps_epoch_ns(1737712800)", {}, [&](const db::Row& row) {
            number = row.integer(0);
            return false;
        }, &error));
        QVERIFY(!number);
    }

    // ps_stats against a plain loop: counts, sums and type-7 quantiles per key, the groups with the most rows
    // first (ties by key), at most the limit, and how many groups there are; NULL values left out.
    void sqliteGroupsRowsInOneAggregate() {
        std::string error;
        db::ConnectOptions scratch;
        scratch.readOnly = false;
        auto c = db::openConnection({db::Dialect::Sqlite, ":memory:"}, scratch, &error);
        QVERIFY2(c, error.c_str());
        QVERIFY(prepareForAggregation(*c, &error));
        std::map<std::string, std::vector<double>> values;
        std::map<std::string, double> sums;
        std::string rows;
        for (int i = 0; i < 500; ++i) {
            const std::string key = i % 7 == 0 ? "b" : i % 3 == 0 ? "a" : "k" + std::to_string(i % 5);
            const double v = (i * 37 % 101) / 4.0;
            rows += (rows.empty() ? "" : ", ") + std::string("('") + key + "', " + (i % 11 == 0 ? "NULL" : std::to_string(v)) + ", " + std::to_string(i) + ")";
            if (i % 11 != 0) {
                values[key].push_back(v);
            }
            sums[key] += i;
        }
        QVERIFY2(c->execute("CREATE TEMP TABLE t (k TEXT, v REAL, w INTEGER); INSERT INTO t VALUES " + rows, {}, &error),
                 error.c_str());
        Grouping g{{"k"}, {{"w", {}}, {"v", {0.5, 0.95}}}, 4};
        SqlParams params(db::Dialect::Sqlite);
        const RunStatement run = [&](const std::string& sql, const SqlParams& p, const db::RowFn& onRow) {
            return c->query(sql, p.values(), onRow, &error);
        };
        QVERIFY2(runGroupings(run, db::Dialect::Sqlite, "t", "", params, {&g}), error.c_str());
        std::vector<std::pair<uint64_t, std::string>> order;
        std::map<std::string, uint64_t> counts;
        for (int i = 0; i < 500; ++i) {
            ++counts[i % 7 == 0 ? "b" : i % 3 == 0 ? "a" : "k" + std::to_string(i % 5)];
        }
        for (const auto& [key, n] : counts) {
            order.emplace_back(n, key);
        }
        std::sort(order.begin(), order.end(), [](const auto& x, const auto& y) {
            return x.first != y.first ? x.first > y.first : x.second < y.second;
        });
        QCOMPARE(g.groupCount, uint64_t{counts.size()});
        QCOMPARE(g.groups.size(), size_t{4});
        for (size_t i = 0; i < g.groups.size(); ++i) {
            const GroupStats& s = g.groups[i];
            QCOMPARE(s.key.front(), order[i].second);
            QCOMPARE(s.count, order[i].first);
            COMPARE_NUM(s.sums[0], sums[s.key.front()]);
            std::vector<double> v = values[s.key.front()];
            QCOMPARE(s.distributions[1].count, uint64_t{v.size()});
            COMPARE_NUM(s.distributions[1].quantiles[0], percentile(v, 0.5));
            COMPARE_NUM(s.distributions[1].quantiles[1], percentile(v, 0.95));
        }
    }

    void modeFollowsThreshold() {
        QCOMPARE(chooseDatabaseMode(5000000, kDefaultAggregateAboveRows), DatabaseMode::LoadRows);
        QCOMPARE(chooseDatabaseMode(5000001, kDefaultAggregateAboveRows), DatabaseMode::Aggregate);
        QCOMPARE(chooseDatabaseMode(10, kDefaultAggregateAboveRows, true), DatabaseMode::Aggregate);
        DatabaseSource source;
        std::string error;
        QVERIFY2(openDatabaseSource("sqlite:" + sqlitePath_, {}, &source, &error), error.c_str());
        QCOMPARE(source.extent.rows, uint64_t{3000});
        QCOMPARE(source.extent.firstNs, data_->requests.startNs.front());
        QCOMPARE(source.extent.lastNs, data_->requests.startNs.back());
        QCOMPARE(chooseDatabaseMode(source.extent.rows, 2999), DatabaseMode::Aggregate);
        QCOMPARE(chooseDatabaseMode(source.extent.rows, 3000), DatabaseMode::LoadRows);
        QVERIFY(describeMode(source, DatabaseMode::Aggregate, 2999).find("3,000 rows of LiteLLM SpendLogs") !=
                std::string::npos);
    }

    void postgresMatchesMemory() {
        const QByteArray uri = qgetenv("PROMPTSCOPE_TEST_PG_URI");
        const bool ci = qgetenv("CI") == "true";
        if (uri.isEmpty()) {
            if (ci) {
                QFAIL("PROMPTSCOPE_TEST_PG_URI is not set (scripts/pgcluster.sh start)");
            }
            QSKIP("no PostgreSQL test server: PROMPTSCOPE_TEST_PG_URI is not set");
        }
        db::ConnectOptions writable;
        writable.readOnly = false;
        std::string error;
        auto c = db::openConnection({db::Dialect::Postgres, uri.toStdString()}, writable, &error);
        if (!c && error.find("not available in this build") != std::string::npos) {
            QSKIP("this build has no PostgreSQL connection yet");
        }
        if (!c) {
            if (ci) {
                QFAIL(("the PostgreSQL test server is unreachable: " + error).c_str());
            }
            QSKIP(("the PostgreSQL test server is unreachable: " + error).c_str());
        }
        const std::string schema = "dbagg_" + std::to_string(QCoreApplication::applicationPid()) + "_" +
                                   std::to_string(QDateTime::currentMSecsSinceEpoch());
        QVERIFY2(c->execute("CREATE SCHEMA " + schema + "; SET search_path TO " + schema, {}, &error), error.c_str());
        insertRows(*c, rows_);
        if (!QTest::currentTestFailed()) {
            compareEverything(*c);
        }
        QVERIFY2(c->execute("DROP SCHEMA " + schema + " CASCADE", {}, &error), error.c_str());
    }
};

QTEST_GUILESS_MAIN(TestDbAggregate)
#include "tst_dbaggregate.moc"
