// Log databases read into a Dataset: LiteLLM spend logs (current and an older table without the newer
// columns) and Langfuse v2 tables, in SQLite and in PostgreSQL, plus a custom SELECT and an unknown schema.
// PromptScope's figures (requests, errors, p50/p95 latency, cost, tokens, per-model counts, evals) are
// compared with SQL run on the same tables (percentile_cont on PostgreSQL) or with the generated values
// sorted by hand; span details are read back from their rows.
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <map>

#include "colddata.h"
#include "databaseschema.h"
#include "dbconnection.h"
#include "logtablefixture.h"
#include "percentile.h"
#include "pgtestserver.h"
#include "sourceloader.h"

using namespace ps;

namespace {

double type7(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    const double h = (static_cast<double>(v.size()) - 1) * p;
    const size_t lo = static_cast<size_t>(std::floor(h));
    return lo + 1 < v.size() ? v[lo] + (h - static_cast<double>(lo)) * (v[lo + 1] - v[lo]) : v[lo];
}

struct Figures {
    int64_t requests = 0, errors = 0, inputTokens = 0, outputTokens = 0;
    double cost = 0, p50 = 0, p95 = 0;
    std::map<std::string, int64_t> perModel;
};

Figures figuresOf(const Dataset& d) {
    Figures f;
    std::vector<double> latency;
    for (size_t r = 0; r < d.requests.size(); ++r) {
        ++f.requests;
        f.errors += (d.requests.flags[r] & kRequestError) != 0;
        f.inputTokens += d.requests.inputTokens[r];
        f.outputTokens += d.requests.outputTokens[r];
        if (std::isfinite(d.requests.costUsd[r])) {
            f.cost += d.requests.costUsd[r];
        }
        latency.push_back(static_cast<double>(d.requests.durationNs[r]) / 1e6);
    }
    for (size_t g = 0; g < d.generations.size(); ++g) {
        ++f.perModel[std::string(d.str(d.generations.model[g]))];
    }
    f.p50 = percentile(latency, 0.5);
    f.p95 = percentile(latency, 0.95);
    return f;
}

int64_t scalar(db::Connection& c, const std::string& sql) {
    int64_t v = -1;
    std::string error;
    if (!c.query(
            sql, {},
            [&](const db::Row& row) {
                v = row.integer(0).value_or(-1);
                return true;
            },
            &error)) {
        qWarning("%s: %s", sql.c_str(), error.c_str());
    }
    return v;
}

double real(db::Connection& c, const std::string& sql) {
    double v = -1;
    std::string error;
    if (!c.query(
            sql, {},
            [&](const db::Row& row) {
                v = row.real(0).value_or(-1);
                return true;
            },
            &error)) {
        qWarning("%s: %s", sql.c_str(), error.c_str());
    }
    return v;
}

std::map<std::string, int64_t> perModel(db::Connection& c, const std::string& sql) {
    std::map<std::string, int64_t> m;
    std::string error;
    c.query(
        sql, {},
        [&](const db::Row& row) {
            m[std::string(row.text(0))] = *row.integer(1);
            return true;
        },
        &error);
    return m;
}

LoadResult load(const std::string& source, const std::string& customSelect = {}, uint64_t splitRows = 0) {
    LoadOptions options;
    options.threads = 2;
    options.customSelect = customSelect;
    options.databaseSplitRows = splitRows;
    return loadSources({source}, options);
}

}  // namespace

class TestDatabaseReader : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    PgTestServer server_;
    bool havePg_ = false;
    std::vector<std::string> schemas_;

    std::string sqlitePath(const char* name) {
        return dir_.filePath(QString::fromLatin1(name)).toStdString();
    }

    std::unique_ptr<db::Connection> writableSqlite(const std::string& path) {
        std::string error;
        auto c = db::openConnection({db::Dialect::Sqlite, path}, {.readOnly = false}, &error);
        if (!c) {
            qWarning("%s", error.c_str());
        }
        return c;
    }

    // A fresh schema on the test server; its URI makes readers find the tables by their plain names.
    std::unique_ptr<db::Connection> pgSchema(std::string* uri) {
        const std::string schema = PgTestServer::uniqueName("dbread");
        std::string error;
        auto c = server_.connect(false, &error);
        if (!c || !c->execute("CREATE SCHEMA " + schema + "; SET search_path TO " + schema, {}, &error)) {
            qWarning("%s", error.c_str());
            return nullptr;
        }
        schemas_.push_back(schema);
        *uri = server_.uriForSchema(schema);
        return c;
    }

    void checkLiteLlm(db::Connection& sql, const LoadResult& loaded, const GeneratedLogs& generated,
                      bool postgres) {
        QVERIFY2(loaded.dataset, loaded.error.c_str());
        const Dataset& d = *loaded.dataset;
        const Figures f = figuresOf(d);
        QCOMPARE(f.requests, scalar(sql, "SELECT count(*) FROM \"LiteLLM_SpendLogs\""));
        QCOMPARE(f.errors,
                 scalar(sql, "SELECT count(*) FROM \"LiteLLM_SpendLogs\" WHERE status = 'failure'"));
        QCOMPARE(f.inputTokens, scalar(sql, "SELECT sum(prompt_tokens) FROM \"LiteLLM_SpendLogs\""));
        QCOMPARE(f.outputTokens, scalar(sql, "SELECT sum(completion_tokens) FROM \"LiteLLM_SpendLogs\""));
        // Rows without spend get a price from the table, so the data's own sum is compared on the other rows.
        double dataCost = 0;
        for (size_t g = 0; g < d.generations.size(); ++g) {
            if (d.generations.costSource[g] == CostSource::Data) {
                dataCost += d.generations.costUsd[g];
            }
        }
        QVERIFY(std::fabs(dataCost - real(sql, "SELECT sum(spend) FROM \"LiteLLM_SpendLogs\"")) < 1e-9);
        QCOMPARE(f.perModel,
                 perModel(sql, "SELECT model, count(*) FROM \"LiteLLM_SpendLogs\" GROUP BY model"));
        if (postgres) {
            const std::string latency = "greatest(0, extract(epoch FROM \"endTime\" - \"startTime\") * 1000)";
            QVERIFY(std::fabs(f.p50 - real(sql, "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY " +
                                                    latency + ") FROM \"LiteLLM_SpendLogs\"")) < 1e-6);
            QVERIFY(std::fabs(f.p95 - real(sql, "SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY " +
                                                    latency + ") FROM \"LiteLLM_SpendLogs\"")) < 1e-6);
        } else {
            QVERIFY(std::fabs(f.p50 - type7(generated.latencyMs, 0.5)) < 1e-6);
            QVERIFY(std::fabs(f.p95 - type7(generated.latencyMs, 0.95)) < 1e-6);
        }
        // Issues: the row that ends before it starts and every bad metadata, located by table and request id.
        QCOMPARE(d.issueCount, static_cast<uint64_t>(generated.endBeforeStart + generated.badJson));
        const auto skew = std::find_if(d.issues.begin(), d.issues.end(), [](const ParseIssue& i) {
            return i.message.find("req-17: ends before it starts") != std::string::npos;
        });
        QVERIFY(skew != d.issues.end());
        QVERIFY2(skew->file.find("LiteLLM_SpendLogs") != std::string::npos, skew->file.c_str());
        QCOMPARE(d.sources.front().format, SourceFormat::Database);
        QVERIFY(d.sources.front().path.find(server_.password().empty() ? "\x01" : server_.password()) ==
                std::string::npos);
    }

    void checkLiteLlmDimensions(const Dataset& d, bool newColumns) {
        // Team alias from metadata, feature and prompt version from requester metadata, errors classified.
        std::map<std::string, int> tenants, features, versions;
        for (size_t r = 0; r < d.requests.size(); ++r) {
            ++tenants[std::string(d.str(d.requests.tenant[r]))];
            ++features[std::string(d.str(d.requests.feature[r]))];
            ++versions[std::string(d.str(d.requests.promptVersion[r]))];
        }
        QVERIFY(tenants.count("acme") && tenants.count("globex") && tenants.count("initech"));
        QVERIFY(features.count("support_chat") && features.count("summarize"));
        QVERIFY(versions.count("v1") && versions.count("v3"));
        QVERIFY(d.errors.size() > 0);
        QCOMPARE(d.str(d.errors.type[0]), std::string_view("RateLimitError"));
        if (newColumns) {
            QCOMPARE(d.str(d.requests.environment[0]),
                     std::string_view("prod"));  // from request_tags env:prod
        }
    }

    void checkDetails(const DatasetPtr& data, const std::string& traceId, const char* expectInput,
                      const char* expectOutput) {
        const Dataset& d = *data;
        size_t request = d.requests.size();
        for (size_t r = 0; r < d.requests.size(); ++r) {
            if (d.str(d.requests.traceId[r]) == traceId) {
                request = r;
            }
        }
        QVERIFY(request < d.requests.size());
        ColdDataReader reader(data);
        const uint32_t last = (request + 1 < d.requests.size() ? d.requests.firstSpan[request + 1]
                                                               : static_cast<uint32_t>(d.spanCount())) -
                              1;
        const SpanDetails details = reader.readSpan(last);
        QVERIFY2(details.ok(), details.error.c_str());
        QVERIFY(details.messages.size() >= 2);
        QCOMPARE(details.messages.front().content, std::string(expectInput));
        QCOMPARE(details.messages.back().content, std::string(expectOutput));
        QVERIFY(!details.attributes.empty());
        QVERIFY2(details.sourceRow.rfind("table ", 0) == 0, details.sourceRow.c_str());
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        havePg_ = server_.start();
    }

    void cleanupTestCase() {
        std::string error;
        if (auto c = havePg_ ? server_.connect(false, &error) : nullptr) {
            for (const auto& s : schemas_) {
                c->execute("DROP SCHEMA " + s + " CASCADE", {}, &error);
            }
        }
    }

    void liteLlmSqlite() {
        const std::string path = sqlitePath("litellm.sqlite");
        GeneratedLogs generated;
        std::string error;
        {
            auto w = writableSqlite(path);
            QVERIFY(w);
            QVERIFY2(createLiteLlmTable(*w, false, false, 300, &generated, &error), error.c_str());
        }
        auto sql = db::openConnection({db::Dialect::Sqlite, path}, {}, &error);
        // Read on one connection, then in two rowid ranges on two: the same figures either way.
        for (const uint64_t splitRows : {uint64_t{0}, uint64_t{50}}) {
            const LoadResult loaded = load("sqlite:" + path, {}, splitRows);
            checkLiteLlm(*sql, loaded, generated, false);
            checkLiteLlmDimensions(*loaded.dataset, true);
            checkDetails(loaded.dataset, "req-42", "question 42", "answer 42");
        }

        // Progress follows the rows and a false from it cancels the load.
        std::vector<double> fractions;
        LoadOptions options;
        options.progress = [&](double f) {
            fractions.push_back(f);
            return true;
        };
        QVERIFY(loadSources({path}, options).dataset);
        QVERIFY(!fractions.empty());
        QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
        QCOMPARE(fractions.back(), 1.0);
        options.progress = [](double) { return false; };
        const LoadResult cancelled = loadSources({path}, options);
        QVERIFY(cancelled.cancelled);
        QVERIFY(!cancelled.dataset);
    }

    void liteLlmSqliteOlderTable() {
        const std::string path = sqlitePath("litellm-old.db");
        GeneratedLogs generated;
        std::string error;
        {
            auto w = writableSqlite(path);
            QVERIFY(w);
            QVERIFY2(createLiteLlmTable(*w, false, true, 120, &generated, &error), error.c_str());
        }
        const LoadResult loaded = load(path);  // recognised by its extension
        auto sql = db::openConnection({db::Dialect::Sqlite, path}, {}, &error);
        checkLiteLlm(*sql, loaded, generated, false);
        checkLiteLlmDimensions(*loaded.dataset, false);
    }

    void liteLlmPostgres() {
        if (!havePg_) {
            PGTEST_SKIP_OR_FAIL(server_);
        }
        std::string uri;
        auto w = pgSchema(&uri);
        QVERIFY(w);
        GeneratedLogs generated;
        std::string error;
        QVERIFY2(createLiteLlmTable(*w, true, false, 300, &generated, &error), error.c_str());
        // One connection, then two reading block ranges (TID range scans) at once: the same figures.
        for (const uint64_t splitRows : {uint64_t{0}, uint64_t{50}}) {
            const LoadResult loaded = load(uri, {}, splitRows);
            checkLiteLlm(*w, loaded, generated, true);
            checkLiteLlmDimensions(*loaded.dataset, true);
            checkDetails(loaded.dataset, "req-42", "question 42", "answer 42");
        }
    }

    void langfuse() {
        for (const bool postgres : {false, true}) {
            if (postgres && !havePg_) {
                PGTEST_SKIP_OR_FAIL(server_);
            }
            std::string uri = sqlitePath("langfuse.sqlite");
            std::unique_ptr<db::Connection> w = postgres ? pgSchema(&uri) : writableSqlite(uri);
            QVERIFY(w);
            std::string error;
            QVERIFY2(createLangfuseTables(*w, postgres, 150, &error), error.c_str());
            const LoadResult loaded = load(uri);
            QVERIFY2(loaded.dataset, loaded.error.c_str());
            const Dataset& d = *loaded.dataset;
            const Figures f = figuresOf(d);
            QCOMPARE(f.requests, scalar(*w, "SELECT count(*) FROM traces"));
            QCOMPARE(f.errors,
                     scalar(*w, "SELECT count(DISTINCT trace_id) FROM observations WHERE level = 'ERROR'"));
            QCOMPARE(f.inputTokens,
                     scalar(*w, "SELECT sum(prompt_tokens) FROM observations WHERE type = 'GENERATION'"));
            QCOMPARE(f.outputTokens,
                     scalar(*w, "SELECT sum(completion_tokens) FROM observations WHERE type = 'GENERATION'"));
            QVERIFY(std::fabs(f.cost - real(*w,
                                            "SELECT sum(COALESCE(calculated_total_cost, total_cost)) "
                                            "FROM observations")) < 1e-9);
            QCOMPARE(f.perModel,
                     perModel(*w,
                              "SELECT model, count(*) FROM observations WHERE type = 'GENERATION' "
                              "GROUP BY model"));
            QCOMPARE(static_cast<int64_t>(d.evals.size()), scalar(*w, "SELECT count(*) FROM scores"));
            int64_t failedEvals = 0;
            for (size_t e = 0; e < d.evals.size(); ++e) {
                failedEvals += d.evals.outcome[e] == EvalOutcome::Fail;
            }
            QCOMPARE(failedEvals, scalar(*w, "SELECT count(*) FROM scores WHERE string_value = 'incorrect'"));
            // Latency of a trace = its observations' extent, as Langfuse computes it.
            const std::string extent =
                postgres ? "SELECT percentile_cont(%1) WITHIN GROUP (ORDER BY extract(epoch FROM "
                           "max(COALESCE(end_time, start_time)) - min(start_time)) * 1000) "
                           "FROM observations GROUP BY trace_id"
                         : "";
            if (postgres) {
                for (const double p : {0.5, 0.95}) {
                    const std::string q =
                        "SELECT percentile_cont(" + std::to_string(p) +
                        ") WITHIN GROUP (ORDER BY ms) FROM (SELECT extract(epoch FROM "
                        "max(COALESCE(end_time, start_time)) - min(start_time)) * 1000 AS ms "
                        "FROM observations GROUP BY trace_id) x";
                    QVERIFY(std::fabs((p == 0.5 ? f.p50 : f.p95) - real(*w, q)) < 1e-6);
                }
            } else {
                std::vector<double> ms;
                std::string why;
                w->query(
                    "SELECT max(COALESCE(end_time, start_time)), min(start_time) FROM observations "
                    "GROUP BY trace_id",
                    {},
                    [&](const db::Row& row) {
                        int64_t a = 0, b = 0;
                        const std::string end(row.text(0)), start(row.text(1));
                        // Same day, so the seconds of the day are enough.
                        auto secs = [](const std::string& t) {
                            return std::stod(t.substr(11, 2)) * 3600 + std::stod(t.substr(14, 2)) * 60 +
                                   std::stod(t.substr(17)) + std::stod(t.substr(8, 2)) * 86400;
                        };
                        (void)a;
                        (void)b;
                        ms.push_back(std::round((secs(end) - secs(start)) * 1e6) / 1e3);
                        return true;
                    },
                    &why);
                QVERIFY(std::fabs(f.p50 - type7(ms, 0.5)) < 1e-6);
                QVERIFY(std::fabs(f.p95 - type7(ms, 0.95)) < 1e-6);
            }
            // Trace-level dimensions reach the request; prompts come from the prompts table.
            std::map<std::string, int> versions, envs;
            for (size_t g = 0; g < d.generations.size(); ++g) {
                ++versions[std::string(d.str(d.generations.promptVersion[g]))];
            }
            for (size_t r = 0; r < d.requests.size(); ++r) {
                ++envs[std::string(d.str(d.requests.environment[r]))];
            }
            QVERIFY(versions.count("3") && versions.count("4"));
            QVERIFY(envs.count("production") && envs.count("staging"));
            QCOMPARE(d.str(d.requests.feature[0]), std::string_view("support_chat"));
            checkDetails(loaded.dataset, "trace-7", "hello trace-7", "hi");
            // The request's first span is the trace's row, the next its top observation below it.
            ColdDataReader reader(loaded.dataset);
            const uint32_t first = d.requests.firstSpan[0];
            const SpanDetails traceRow = reader.readSpan(first);
            QVERIFY2(traceRow.ok(), traceRow.error.c_str());
            QVERIFY2(traceRow.sourceRow.rfind("table traces, id ", 0) == 0, traceRow.sourceRow.c_str());
            const DetailAttribute* env = traceRow.attribute("metadata.environment");
            QVERIFY(env != nullptr);
            QVERIFY(env->value == "production" || env->value == "staging");
            const SpanDetails top = reader.readSpan(first + 1);
            QVERIFY2(top.ok(), top.error.c_str());
            QCOMPARE(top.parentSpanId, traceRow.spanId);
            QCOMPARE(top.spanId, top.traceId + "-root");
        }
    }

    void customSelectAndUnknownTables() {
        const std::string path = sqlitePath("custom.sqlite");
        std::string error;
        {
            auto w = writableSqlite(path);
            QVERIFY(w);
            QVERIFY2(w->execute("CREATE TABLE calls (id TEXT, at TEXT, ms REAL, llm TEXT, ok INTEGER);"
                                "INSERT INTO calls VALUES ('a', '2025-02-01T10:00:00Z', 120, 'gpt-4o', 1), "
                                "('b', '2025-02-01T10:01:00Z', 80, 'gpt-4o', 0), ('c', NULL, 10, 'x', 1)",
                                {}, &error),
                     error.c_str());
        }
        const LoadResult unknown = load(path);
        QVERIFY(!unknown.dataset);
        QVERIFY2(unknown.error.find("no table PromptScope knows") != std::string::npos &&
                     unknown.error.find("calls") != std::string::npos,
                 unknown.error.c_str());
        const LoadResult custom =
            load("sqlite:" + path,
                 "SELECT id AS trace_id, at AS start_time, ms AS duration_ms, llm AS model, "
                 "CASE ok WHEN 1 THEN 'ok' ELSE 'error' END AS status FROM calls");
        QVERIFY2(custom.dataset, custom.error.c_str());
        QCOMPARE(custom.dataset->requests.size(), size_t{2});
        QCOMPARE(custom.dataset->issueCount, uint64_t{1});  // 'c' has no start time
        QCOMPARE(custom.dataset->requests.durationNs[0], int64_t{120'000'000});
        QCOMPARE(custom.dataset->requests.flags[1] & kRequestError, int(kRequestError));

        // PromptScope's own tables are told apart from the others (their reader is the import side's).
        const std::string own = sqlitePath("own.promptscope");
        {
            auto w = writableSqlite(own);
            QVERIFY(w);
            QVERIFY(w->execute("CREATE TABLE ps_spans (trace_id TEXT); CREATE TABLE observations (id TEXT)",
                               {}, &error));
        }
        auto c = db::openConnection({db::Dialect::Sqlite, own}, {}, &error);
        QVERIFY(c);
        QCOMPARE(detectSchema(*c).kind, DatabaseSchemaKind::PromptScope);
        auto litellm = db::openConnection({db::Dialect::Sqlite, sqlitePath("litellm.sqlite")}, {}, &error);
        QVERIFY(litellm);
        const DatabaseSchema liteSchema = detectSchema(*litellm);
        QCOMPARE(liteSchema.kind, DatabaseSchemaKind::LiteLlmSpendLogs);
        QVERIFY(liteSchema.tables.front().has("completionStartTime"));
    }
};

QTEST_GUILESS_MAIN(TestDatabaseReader)
#include "tst_databasereader.moc"
