// Aggregation in the database for the table shapes beyond LiteLLM's: PromptScope's own tables (the demo imported
// with importDataset) and a custom SELECT over a log table of one row per request, in SQLite and in PostgreSQL
// (the throwaway server of scripts/pgcluster.sh). The reference is the in-memory computation on the dataset
// that was imported, or on the custom SELECT's rows loaded by the row loader (no price table, since SQL does not
// price): the overview at both grains for a dozen filters, the sidebar's counts and the report must be the same
// (dbaggregatecompare.h). Also: which SELECTs map, and what the status line says.
#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <random>

#include "aggregationmode.h"
#include "customselectmapping.h"
#include "datasetimport.h"
#include "dbaggregatecompare.h"
#include "pgtestserver.h"
#include "sourceloader.h"
#include "sqldistribution.h"

using namespace ps;

namespace {

std::vector<std::string> demoFiles() {
    const std::string dir = PROMPTSCOPE_BINARY_DIR "/demo/";
    return {dir + "demo.otlp.jsonl", dir + "demo.records.jsonl"};
}

// The rank-th most frequent non-empty value of a request column (a value the data surely has).
std::string frequent(const Dataset& d, const std::vector<StringId>& column, size_t rank) {
    std::map<uint32_t, size_t> counts;
    for (const StringId id : column) {
        if (!id.isEmpty()) {
            ++counts[id.value];
        }
    }
    std::vector<std::pair<size_t, uint32_t>> order;
    for (const auto& [id, n] : counts) {
        order.emplace_back(n, id);
    }
    std::sort(order.rbegin(), order.rend());
    return order.size() > rank ? std::string(d.str(StringId{order[rank].second})) : std::string();
}

// Filters over the demo's values: dimensions (tier from ps_tenants; "(none)"), status, refusals, latency and
// cost bounds, texts found in trace ids, root span names and error messages of spans that failed inside
// requests that recovered, and the second half of the time range.
std::vector<Filter> demoFilters(const Dataset& d) {
    std::vector<Filter> out(13);
    out[1].of(Dimension::Model) = {frequent(d, d.requests.model, 1)};
    out[2].status = StatusFilter::Error;
    out[3].beginNs = d.requests.startNs.front() + (d.requests.startNs.back() - d.requests.startNs.front()) / 2;
    out[4].text = "timeout";
    out[5].minLatencyMs = 800;
    out[5].maxLatencyMs = 4000;
    out[6].of(Dimension::TenantTier) = {"enterprise"};
    out[6].of(Dimension::Feature) = {"support_chatbot", "invoice_parser"};
    out[7].status = StatusFilter::Ok;
    out[7].of(Dimension::Provider) = {frequent(d, d.requests.provider, 0)};
    out[7].minCostUsd = 0.002;
    out[8].text = "tool";
    out[9].of(Dimension::PromptVersion) = {frequent(d, d.requests.promptVersion, 0), "(none)"};
    out[9].endNs = out[3].beginNs;
    out[10].refusalsOnly = true;
    out[11].of(Dimension::FinishReason) = {"(none)", "stop"};
    out[11].maxCostUsd = 0.01;
    out[12].of(Dimension::Environment) = {frequent(d, d.requests.environment, 0)};
    size_t withUser = d.requestCount() / 2;
    while (withUser + 1 < d.requestCount() && d.requests.user[withUser].isEmpty()) {
        ++withUser;
    }
    out[12].of(Dimension::User) = {std::string(d.str(d.requests.user[withUser]))};
    return out;
}

// A log table of one row per request, in the shapes the row loader accepts: status texts in any case, HTTP
// statuses alone, kinds and models deciding what is a model call, end times or durations or neither, costs
// missing or negative, dimensions in columns, in metadata (nested too), in tags and the team, metadata that is
// not JSON (SQLite), tiers given with every tenant.
struct LogRow {
    std::string id, label, kind, status, errorType, errorMessage, model, provider, prompt, version, feature, user,
        session, tenant, tier, team, finish, metadata, tags;
    int64_t startUs = 0, endUs = 0, http = 0, in = -1, out = -1, cached = -1;
    bool hasEnd = true, hasDuration = false;
    double durationMs = 0, cost = 0;
    bool hasCost = true;
};

std::string isoMicros(int64_t us) {
    const auto seconds = static_cast<time_t>(us / 1000000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[48];
    const size_t n = std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &utc);
    std::snprintf(text + n, sizeof text - n, ".%06d", static_cast<int>(us % 1000000));
    return text;
}

std::vector<LogRow> logRows(size_t n, uint64_t seed, bool invalidJson) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0, 1);
    std::lognormal_distribution<double> latency(6.5, 0.8);
    auto pick = [&](std::initializer_list<const char*> options) {
        return std::string(options.begin()[static_cast<size_t>(unit(rng) * options.size()) % options.size()]);
    };
    const int64_t begin = 1737676800000000;  // 2025-01-24 00:00:00 UTC, in µs
    std::vector<LogRow> rows(n);
    for (size_t i = 0; i < n; ++i) {
        LogRow& r = rows[i];
        r.id = "req-" + std::to_string(100000 + i);
        r.label = pick({"chat", "summarize", "extract"});
        r.startUs = begin + static_cast<int64_t>(unit(rng) * 3 * 86400e6);
        r.endUs = r.startUs + static_cast<int64_t>(latency(rng) * 1000 * (unit(rng) < 0.03 ? 15 : 1));
        const double shape = unit(rng);
        r.hasEnd = shape < 0.85;
        r.hasDuration = shape >= 0.85 && shape < 0.95;
        r.durationMs = static_cast<double>(r.endUs - r.startUs) / 1000.0 + 0.0004;
        if (unit(rng) < 0.01) {
            r.endUs = r.startUs - 5000;  // ends before it starts: latency 0
        }
        const double k = unit(rng);
        r.kind = k < 0.65 ? "" : k < 0.75 ? "llm" : k < 0.8 ? "LLM" : k < 0.88 ? "tool" : k < 0.93 ? "embedding" : "chat";
        r.model = unit(rng) < 0.9 ? pick({"gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet", "gemini-1.5-pro"}) : "";
        r.provider = r.model.empty() ? "" : r.model.rfind("gpt", 0) == 0 ? "openai" : r.model[0] == 'c' ? "anthropic" : "vertex_ai";
        const double st = unit(rng);
        r.status = st < 0.55 ? "success" : st < 0.65 ? "OK" : st < 0.85 ? "" : st < 0.9 ? "FAILED" : st < 0.93 ? "error" : st < 0.95 ? "exception" : "unset";
        r.http = unit(rng) < 0.3 ? 0 : 200;
        if (r.status.empty() && unit(rng) < 0.4) {
            r.http = std::stoi(pick({"429", "503", "404", "500"}));
        }
        const bool failed = r.status == "FAILED" || r.status == "error" || r.status == "exception" ||
                            (r.status.empty() && r.http >= 400);
        std::string metaError;
        if (failed || unit(rng) < 0.02) {
            const std::string what = pick({"rate", "timeout", "server", "schema", "plain"});
            const std::string type = what == "rate" ? "RateLimitError" : what == "timeout" ? "Timeout" : what == "server" ? "InternalServerError" : what == "schema" ? "ValidationError" : "RuntimeError";
            const std::string message = what == "rate" ? "Rate limit reached for requests" : what == "timeout" ? "Request timed out after 30s" : what == "server" ? "upstream returned 502" : what == "schema" ? "output does not match the schema" : "tool crashed";
            if (unit(rng) < 0.6) {
                r.errorType = type;
                r.errorMessage = message;
            } else {
                metaError = ", \"error_information\": {\"error_class\": \"" + type + "\", \"error_message\": \"" + message +
                            "\", \"error_code\": \"" + (what == "rate" ? "429" : what == "server" ? "502" : "400") + "\"}";
            }
        }
        r.prompt = unit(rng) < 0.8 ? pick({"answer", "summary"}) : "";
        const std::string version = pick({"1", "2", "3"});
        const bool versionInMetadata = unit(rng) < 0.3;
        r.version = versionInMetadata ? "" : version;
        r.user = unit(rng) < 0.1 ? "" : "user-" + std::to_string(static_cast<int>(unit(rng) * 40));
        r.session = unit(rng) < 0.2 ? "" : "s-" + std::to_string(static_cast<int>(unit(rng) * 300));
        const int tenantNumber = static_cast<int>(unit(rng) * 6);
        const std::string tenant = "tenant-" + std::to_string(tenantNumber);
        const std::string tier = tenantNumber < 2 ? "enterprise" : tenantNumber < 4 ? "business" : "free";
        // Metadata that is not JSON says nothing: the tenant and tier of such a row are in its columns.
        const bool badJson = invalidJson && unit(rng) < 0.03;
        const double where = badJson ? 0 : unit(rng);
        std::string metaDims;
        std::vector<std::string> tags;
        if (where < 0.55) {
            r.tenant = tenant;
        } else if (where < 0.7) {
            metaDims += ", \"tenant_id\": \"" + tenant + "\"";
        } else if (where < 0.8) {
            r.team = tenant;
        } else if (where < 0.85) {
            tags.push_back("tenant:" + tenant);
        }
        if (where < 0.85) {
            const double t = badJson ? 0 : unit(rng);
            if (t < 0.6) {
                r.tier = tier;
            } else if (t < 0.85) {
                metaDims += ", \"tier\": \"" + tier + "\"";
            } else {
                tags.push_back("Tier=" + tier);
            }
        }
        const std::string feature = pick({"support", "search", "billing"});
        const double f = unit(rng);
        if (f < 0.5) {
            r.feature = feature;
        } else if (f < 0.7) {
            metaDims += ", \"feature_name\": \"" + feature + "\"";
        } else if (f < 0.85) {
            tags.push_back("feature:" + feature);
        }
        if (unit(rng) < 0.7) {
            metaDims += ", \"env\": \"" + pick({"prod", "staging"}) + "\"";
        }
        if (versionInMetadata) {
            metaDims += ", \"requester_metadata\": {\"prompt_version\": \"" + version + "\"}";
        }
        if (unit(rng) < 0.3) {
            tags.emplace_back("note:keep");
        }
        r.metadata = badJson ? "{not json" : "{\"source\": \"proxy\"" + metaDims + metaError + "}";
        if (!tags.empty()) {
            r.tags = "[";
            for (size_t t = 0; t < tags.size(); ++t) {
                r.tags += (t ? ", \"" : "\"") + tags[t] + "\"";
            }
            r.tags += "]";
        }
        r.in = unit(rng) < 0.05 ? -1 : static_cast<int64_t>(20 + unit(rng) * 3000);
        r.out = unit(rng) < 0.05 ? -1 : static_cast<int64_t>(unit(rng) * 800);
        r.cached = unit(rng) < 0.5 ? -1 : static_cast<int64_t>(unit(rng) * 500);
        const double c = unit(rng);
        r.hasCost = c < 0.85;
        r.cost = c < 0.02 ? -1 : static_cast<double>(std::max<int64_t>(r.in, 0)) * 2.5e-6 + unit(rng) * 1e-3;
        const double fin = unit(rng);
        r.finish = fin < 0.7 ? "stop" : fin < 0.75 ? "content_filter" : fin < 0.78 ? "refusal" : fin < 0.82 ? "length" : "";
    }
    return rows;
}

// The table in SQLite (ISO text times) or PostgreSQL (timestamptz start, timestamp end, jsonb), with epoch
// milliseconds beside the times for the second SELECT.
void createLogTable(db::Connection& c, const std::vector<LogRow>& rows) {
    const bool pg = c.dialect() == db::Dialect::Postgres;
    std::string error;
    QVERIFY2(c.execute(std::string("CREATE TABLE llm_requests (request_id TEXT, label TEXT, started ") +
                           (pg ? "TIMESTAMPTZ" : "TEXT") + ", ended " + (pg ? "TIMESTAMP" : "TEXT") +
                           ", started_ms BIGINT, ended_ms BIGINT, duration DOUBLE PRECISION, kind TEXT, outcome TEXT, "
                           "http INTEGER, err_type TEXT, err_msg TEXT, model TEXT, provider TEXT, prompt TEXT, "
                           "version TEXT, feature TEXT, user_id TEXT, session TEXT, tenant TEXT, tier TEXT, team TEXT, "
                           "tokens_in BIGINT, tokens_out BIGINT, tokens_cached BIGINT, cost DOUBLE PRECISION, finish "
                           "TEXT, meta " + (pg ? "JSONB" : "TEXT") + ", tags " + (pg ? "JSONB" : "TEXT") + ")",
                       {}, &error),
             error.c_str());
    QVERIFY2(c.execute("BEGIN", {}, &error), error.c_str());
    std::string insert = "INSERT INTO llm_requests VALUES (";
    for (int p = 1; p <= 29; ++p) {
        insert += (p > 1 ? ", $" : "$") + std::to_string(p);
        if (pg && (p == 28 || p == 29)) {
            insert += "::jsonb";
        } else if (pg && p == 3) {
            insert += "::timestamptz";
        } else if (pg && p == 4) {
            insert += "::timestamp";
        }
    }
    insert += ")";
    auto text = [](const std::string& s) { return s.empty() ? db::Value{} : db::Value{s}; };
    auto count = [](int64_t v) { return v < 0 ? db::Value{} : db::Value{v}; };
    for (const LogRow& r : rows) {
        const std::vector<db::Value> values = {
            r.id, r.label, isoMicros(r.startUs), r.hasEnd ? db::Value{isoMicros(r.endUs)} : db::Value{},
            r.startUs / 1000, r.hasEnd ? db::Value{r.endUs / 1000} : db::Value{},
            r.hasDuration ? db::Value{r.durationMs} : db::Value{}, text(r.kind), text(r.status),
            r.http ? db::Value{r.http} : db::Value{}, text(r.errorType), text(r.errorMessage), text(r.model),
            text(r.provider), text(r.prompt), text(r.version), text(r.feature), text(r.user), text(r.session),
            text(r.tenant), text(r.tier), text(r.team), count(r.in), count(r.out), count(r.cached),
            r.hasCost ? db::Value{r.cost} : db::Value{}, text(r.finish), text(r.metadata), text(r.tags)};
        QVERIFY2(c.execute(insert, values, &error), error.c_str());
    }
    QVERIFY2(c.execute("COMMIT", {}, &error), error.c_str());
}

std::string customSelect(bool epochMillis) {
    return std::string("SELECT request_id AS trace_id, label AS name, ") +
           (epochMillis ? "started_ms AS start_time, ended_ms AS end_time" : "started AS start_time, ended AS end_time") +
           ", duration AS duration_ms, kind, outcome AS status, http AS http_status, err_type AS error_type, err_msg "
           "AS status_message, model, provider, prompt AS prompt_name, version AS prompt_version, feature, user_id, "
           "session AS session_id, tenant, tier AS tenant_tier, team, tokens_in AS input_tokens, tokens_out AS "
           "output_tokens, tokens_cached AS cached_tokens, cost AS cost_usd, finish AS finish_reason, meta AS "
           "metadata, tags FROM llm_requests";
}

std::vector<Filter> logFilters() {
    std::vector<Filter> out(12);
    out[1].of(Dimension::Model) = {"gpt-4o", "(none)"};
    out[2].status = StatusFilter::Error;
    out[3].beginNs = 1737763200000000000;  // the second day
    out[3].endNs = out[3].beginNs + 86400000000000;
    out[4].text = "req-1001";
    out[5].minLatencyMs = 400;
    out[5].maxLatencyMs = 3000;
    out[6].of(Dimension::Tenant) = {"(none)", "tenant-1"};
    out[6].of(Dimension::TenantTier) = {"enterprise", "(none)"};
    out[7].status = StatusFilter::Ok;
    out[7].of(Dimension::Feature) = {"search"};
    out[7].minCostUsd = 0.002;
    out[8].text = "rate limit";
    out[9].of(Dimension::Environment) = {"prod"};
    out[9].of(Dimension::PromptVersion) = {"2"};
    out[10].refusalsOnly = true;
    out[11].of(Dimension::FinishReason) = {"(none)"};
    out[11].of(Dimension::User) = {"user-7", "user-8"};
    return out;
}

// callFilters: how many of the filters to also check at the LLM-call grain (where the custom SELECT's calls are
// its own rows, so a few suffice; PromptScope's tables join their calls, so all of them).
void compareAll(const Dataset& d, db::Connection& c, const db::RequestMapping& m,
                const std::vector<Filter>& filters, size_t callFilters) {
    const FacetIndex index = buildFacetIndex(d);
    std::string error;
    QVERIFY2(prepareForAggregation(c, &error), error.c_str());
    for (const Grain grain : {Grain::Request, Grain::Generation}) {
        const size_t n = grain == Grain::Request ? filters.size() : std::min(callFilters, filters.size());
        for (size_t i = 0; i < n; ++i) {
            dbaggregate::compareOverview(d, index, c, m, filters[i], grain);
            if (QTest::currentTestFailed()) {
                qWarning("filter %zu, grain %s", i, std::string(grainName(grain)).c_str());
                return;
            }
        }
        for (const GroupField field : {GroupField::PromptVersion, GroupField::Prompt, GroupField::Model,
                                       GroupField::Feature, GroupField::Environment, GroupField::Tenant,
                                       GroupField::User, GroupField::Provider}) {
            dbaggregate::compareReport(d, c, m, field, grain);
            if (QTest::currentTestFailed()) {
                qWarning("report by %s, grain %s", std::string(groupFieldName(field)).c_str(),
                         std::string(grainName(grain)).c_str());
                return;
            }
        }
    }
}

// The custom SELECT's rows as the row loader reads them, without a price table.
DatasetPtr loadSelect(const std::string& source, const std::string& select) {
    LoadOptions options;
    options.customSelect = select;
    options.pricing = std::make_shared<PricingTable>();
    const LoadResult loaded = loadSources({source}, options);
    if (!loaded.dataset) {
        qWarning("%s", loaded.error.c_str());
    }
    return loaded.dataset;
}

}  // namespace

class TestDbAggregateShapes : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    DatasetPtr demo_;
    std::string ownPath_, logPath_;

    void compareOwn(db::Connection& c) {
        std::string error;
        const auto m = db::detectRequestMapping(c, &error);
        QVERIFY2(m, error.c_str());
        QCOMPARE(QString::fromStdString(m->label), QStringLiteral("PromptScope's own tables"));
        const std::vector<Filter> filters = demoFilters(*demo_);
        compareAll(*demo_, c, *m, filters, filters.size());
    }

    void compareCustom(db::Connection& c, const std::string& source) {
        for (const bool epoch : {false, true}) {
            const std::string select = customSelect(epoch);
            const DatasetPtr loaded = loadSelect(source, select);
            QVERIFY(loaded);
            QCOMPARE(loaded->requestCount(), size_t{2500});
            std::string error;
            const auto m = db::customSelectRequestMapping(c, select, &error);
            QVERIFY2(m, error.c_str());
            compareAll(*loaded, c, *m, logFilters(), 4);
            if (QTest::currentTestFailed()) {
                qWarning("%s", epoch ? "epoch milliseconds" : "timestamps");
                return;
            }
        }
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        const LoadResult loaded = loadSources(demoFiles());
        QVERIFY2(loaded.dataset, loaded.error.c_str());
        demo_ = loaded.dataset;
        ownPath_ = dir_.filePath(QStringLiteral("own.sqlite")).toStdString();
        DatasetImportOptions options;
        options.withRecords = false;
        const DatasetWriteResult written = importDataset(demo_, ownPath_, options);
        QVERIFY2(written.ok(), written.error.c_str());

        logPath_ = dir_.filePath(QStringLiteral("logs.sqlite")).toStdString();
        db::ConnectOptions writable;
        writable.readOnly = false;
        std::string error;
        auto c = db::openConnection({db::Dialect::Sqlite, logPath_}, writable, &error);
        QVERIFY2(c, error.c_str());
        createLogTable(*c, logRows(2500, 17, true));
    }

    void ownTablesInSqliteMatchMemory() {
        std::string error;
        auto c = db::openConnection({db::Dialect::Sqlite, ownPath_}, {}, &error);
        QVERIFY2(c, error.c_str());
        compareOwn(*c);
    }

    // The threshold counts what loading would read: the spans, which the import wrote into ps_schema.
    void ownTablesAreCountedBySpans() {
        DatabaseSource source;
        std::string error;
        QVERIFY2(openDatabaseSource("sqlite:" + ownPath_, {}, &source, &error), error.c_str());
        QCOMPARE(source.extent.rows, uint64_t{demo_->requestCount()});
        QCOMPARE(source.extent.spans, uint64_t{demo_->spanCount()});
        QCOMPARE(source.extent.firstNs, demo_->requests.startNs.front());
        QCOMPARE(source.extent.lastNs, demo_->requests.startNs.back());
        QCOMPARE(chooseDatabaseMode(source.extent.rowsToLoad(), demo_->spanCount() - 1), DatabaseMode::Aggregate);
        QCOMPARE(chooseDatabaseMode(source.extent.rowsToLoad(), demo_->spanCount()), DatabaseMode::LoadRows);
        const std::string line = describeMode(source, DatabaseMode::Aggregate, 1000);
        QVERIFY2(line.find("2,000 requests (") != std::string::npos &&
                     line.find(" spans) of PromptScope's own tables (above 1,000)") != std::string::npos,
                 line.c_str());
    }

    void customSelectInSqliteMatchesLoadedRows() {
        std::string error;
        auto c = db::openConnection({db::Dialect::Sqlite, logPath_}, {}, &error);
        QVERIFY2(c, error.c_str());
        compareCustom(*c, "sqlite:" + logPath_);
    }

    // Spans (several rows per request) are loaded, not aggregated; a SELECT without a start is refused.
    void onlySelectsOfRequestsMap() {
        std::string error;
        auto c = db::openConnection({db::Dialect::Sqlite, logPath_}, {}, &error);
        QVERIFY2(c, error.c_str());
        QVERIFY(!db::customSelectRequestMapping(
            *c, "SELECT request_id AS trace_id, label AS span_id, started AS start_time FROM llm_requests", &error));
        QVERIFY2(error.find("one row per request") != std::string::npos, error.c_str());
        QVERIFY(!db::customSelectRequestMapping(*c, "SELECT request_id AS trace_id FROM llm_requests", &error));
        QVERIFY2(error.find("no start_time") != std::string::npos, error.c_str());
        QVERIFY(!db::customSelectRequestMapping(*c, "SELECT * FROM llm_requests WHERE 1 = 0", &error));
        QVERIFY2(error.find("no rows") != std::string::npos, error.c_str());
        const auto m = db::customSelectRequestMapping(
            *c, "SELECT request_id AS span_id, started AS start_time FROM llm_requests", &error);
        QVERIFY2(m, error.c_str());
        DatabaseSource source;
        QVERIFY2(openDatabaseSource("sqlite:" + logPath_, {}, &source, &error, customSelect(false)), error.c_str());
        QCOMPARE(source.extent.rows, uint64_t{2500});
        QVERIFY(describeMode(source, DatabaseMode::Aggregate, 5000000).find("2,500 requests of the custom SELECT") !=
                std::string::npos);
    }

    void postgresMatchesMemory() {
        PgTestServer server;
        if (!server.start()) {
            PGTEST_SKIP_OR_FAIL(server);
        }
        const std::string schema = PgTestServer::uniqueName("dbshapes");
        std::string error;
        auto admin = server.connect(false, &error);
        QVERIFY2(admin, error.c_str());
        QVERIFY2(admin->execute("CREATE SCHEMA " + schema, {}, &error), error.c_str());
        const std::string uri = server.uriForSchema(schema);
        DatasetImportOptions options;
        options.withRecords = false;
        const DatasetWriteResult written = importDataset(demo_, uri, options);
        QVERIFY2(written.ok(), written.error.c_str());
        auto writer = server.connect(false, &error, schema);
        QVERIFY2(writer, error.c_str());
        createLogTable(*writer, logRows(2500, 17, false));
        if (!QTest::currentTestFailed()) {
            auto c = server.connect(true, &error, schema);
            QVERIFY2(c, error.c_str());
            compareOwn(*c);
            if (!QTest::currentTestFailed()) {
                compareCustom(*c, uri);
            }
        }
        QVERIFY2(admin->execute("DROP SCHEMA " + schema + " CASCADE", {}, &error), error.c_str());
    }
};

QTEST_GUILESS_MAIN(TestDbAggregateShapes)
#include "tst_dbaggregateshapes.moc"
