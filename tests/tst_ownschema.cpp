// PromptScope's own tables: a dataset saved with importDataset and read back (readPromptScopeTables, or
// loadSources on the database) is the same dataset (every column, join and record compared), gives the same
// report, and opens the same span details from the database alone; in SQLite and in PostgreSQL (the
// throwaway server of scripts/pgcluster.sh), and through `promptscope import` and `promptscope report`. Also:
// existing data is refused without replace, a cancel leaves nothing, a second import into a file another one
// is writing is refused, and counts and sums computed in SQL on the tables match plain loops over the original
// dataset.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

#include "colddata.h"
#include "datasetbuilder.h"
#include "datasetequality.h"
#include "datasetimport.h"
#include "pgtestserver.h"
#include "groupsummary.h"
#include "pricingjson.h"
#include "promptscopetables.h"
#include "reportformat.h"
#include "sourceloader.h"
#include "sqliteconnection.h"

using namespace ps;

namespace {

std::vector<std::string> demoFiles() {
    const std::string dir = PROMPTSCOPE_BINARY_DIR "/demo/";
    return {dir + "demo.otlp.jsonl", dir + "demo.records.jsonl"};
}

// Reads the own tables of a SQLite file back into a dataset, the way opening the file does.
DatasetPtr readBack(const std::string& path, std::string* error) {
    auto connection = db::SqliteConnection::open(path, db::ConnectOptions{}, error);
    if (!connection) {
        return nullptr;
    }
    DatasetBuilder builder(bundledPricing());
    const SourceIndex source = builder.addSource({path, SourceFormat::Database, 0, 0});
    ReadRequest request{source, path};
    const ReadOutcome outcome = readPromptScopeTables(*connection, request, builder);
    if (!outcome.error.empty()) {
        *error = outcome.error;
        return nullptr;
    }
    return builder.build();
}

// The details of a spread of spans, and of every span of the first requests, read from the sources and from
// the database (where the saved records are).
void compareDetails(const DatasetPtr& original, const DatasetPtr& back, const std::string& shownAs) {
    const Dataset& o = *original;
    ColdDataReader fromFiles(original);
    ColdDataReader fromDatabase(back);
    int withMessages = 0;
    int withResource = 0;
    const uint32_t firstRequestsEnd = o.requests.firstSpan[std::min<size_t>(40, o.requestCount() - 1)];
    for (uint32_t row = 0; row < o.spanCount(); row += row < firstRequestsEnd ? 1 : 97) {
        const SpanDetails a = fromFiles.readSpan(row);
        const SpanDetails b = fromDatabase.readSpan(row);
        QVERIFY2(a.ok(), a.error.c_str());
        QCOMPARE(b.sourcePath, shownAs);
        QCOMPARE(b.offset, uint64_t{row});
        QCOMPARE(QString::fromStdString(testing::detailsText(b)), QString::fromStdString(testing::detailsText(a)));
        withMessages += a.messages.empty() ? 0 : 1;
        withResource += a.attribute("service.name") != nullptr ? 1 : 0;
    }
    QVERIFY(withMessages > 0);
    QVERIFY(withResource > 0);
}

QByteArray runPromptScope(const QStringList& arguments, int* exitCode) {
    QProcess process;
    process.start(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/app/promptscope"), arguments);
    process.waitForFinished(300000);
    *exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return process.readAllStandardOutput() + process.readAllStandardError();
}

std::string allReports(const Dataset& data) {
    std::string out;
    for (const GroupField field : {GroupField::PromptVersion, GroupField::Prompt, GroupField::Model,
                                   GroupField::Feature, GroupField::Environment, GroupField::Tenant,
                                   GroupField::User, GroupField::Provider}) {
        for (const Grain grain : {Grain::Request, Grain::Generation}) {
            out += formatReportJson(buildReport(data, field, grain)) + "\n";
        }
    }
    return out;
}

double sqlNumber(db::Connection& connection, const char* sql) {
    double value = -1;
    std::string error;
    connection.query(sql, {}, [&](const db::Row& row) {
        value = row.real(0).value_or(-1);
        return false;
    }, &error);
    return value;
}

RawSpan span(RecordBatch& b, const char* trace, uint64_t id, uint64_t parent, int64_t start, int64_t end,
             SpanKind kind) {
    RawSpan s;
    s.traceId = b.strings.intern(trace);
    s.spanId = id;
    s.parentSpanId = parent;
    s.startNs = start;
    s.endNs = end;
    s.kind = kind;
    s.name = b.strings.intern(std::string("span ") + std::to_string(id));
    return s;
}

// A dataset whose derived values a naive save would get wrong: a request's prompt and model set on spans that
// are not model calls, a model call that inherits no prompt beside one that does, failures classified by HTTP
// status alone, costs from the data, from prices and unknown, an orphan, two roots, deployments at one time.
DatasetPtr trickyDataset() {
    RecordBatch b;
    auto id = [&b](const char* text) { return b.strings.intern(text); };
    RawSpan root = span(b, "t1", 1, 0, 1000, 9000, SpanKind::Chain);
    root.model = id("router-model");
    root.tenant = id("acme");
    root.tenantTier = id("enterprise");
    RawSpan noPrompt = span(b, "t1", 2, 1, 1100, 1200, SpanKind::Llm);
    noPrompt.model = id("gpt-4o");
    noPrompt.inputTokens = 1000;
    noPrompt.outputTokens = 200;
    RawSpan agent = span(b, "t1", 3, 1, 2000, 3000, SpanKind::Agent);
    agent.promptName = id("support_answer");
    agent.promptVersion = id("42");
    agent.feature = id("support");
    agent.user = id("ana");
    RawSpan ownPrompt = span(b, "t1", 4, 1, 4000, 5000, SpanKind::Llm);
    ownPrompt.promptName = id("router");
    ownPrompt.promptVersion = id("7");
    ownPrompt.model = id("no-such-model");
    ownPrompt.provider = id("acme-ai");
    ownPrompt.inputTokens = 10;
    ownPrompt.finishReason = id("refusal");
    RawSpan limited = span(b, "t1", 5, 1, 6000, 6100, SpanKind::Llm);
    limited.status = SpanStatus::Error;
    limited.httpStatus = 429;
    limited.errorType = id("HTTPError");
    limited.costUsd = 0.5;
    limited.ttftNs = 40'000;
    RawSpan failedTool = span(b, "t1", 6, 1, 7000, 7100, SpanKind::Tool);
    failedTool.status = SpanStatus::Error;
    failedTool.statusMessage = id("no rows");
    for (const RawSpan& s : {root, noPrompt, agent, ownPrompt, limited, failedTool}) {
        b.spans.push_back(s);
    }
    RawSpan second = span(b, "t2", 10, 0, 500, 800, SpanKind::Llm);
    second.status = SpanStatus::Error;
    second.httpStatus = 503;
    second.errorType = id("Unavailable");
    second.session = id("s1");
    b.spans.push_back(second);
    b.spans.push_back(span(b, "t2", 11, 99, 600, 500, SpanKind::Retrieval));  // orphan, ends before it starts
    b.spans.push_back(span(b, "t2", 12, 0, 600, 700, SpanKind::Other));
    b.evals.push_back({id("t1"), 0, id("policy"), 0.25, id("fail"), EvalOutcome::Fail, id("judge"), id("leaked")});
    b.evals.push_back({id("t1"), 4, id("format"), kNaN, id("ok"), EvalOutcome::Pass, {}, {}});
    b.evals.push_back({id("t2"), 0, id("vibes"), 3.0, {}, EvalOutcome::Unknown, {}, {}});
    b.evals.push_back({id("nowhere"), 0, id("lost"), 1.0, {}, EvalOutcome::Pass, {}, {}});
    b.signals.push_back({id("t1"), {}, SignalType::ThumbsDown, 9000, kNaN});
    b.signals.push_back({id("unknown"), id("s1"), SignalType::Abandoned, 9500, kNaN});
    b.signals.push_back({id("t2"), {}, SignalType::Rating, 9600, 4.0});
    b.promptVersions.push_back({id("support_answer"), id("42"), id("gpt-4o"), 0.2, id("lee"), 100, id("n"), {}});
    b.deployments.push_back({id("support_answer"), id("42"), id("prod"), 5.0, 100, id("lee"), id("canary")});
    b.deployments.push_back({id("support_answer"), id("42"), id("prod"), 25.0, 100, id("lee"), id("same time")});
    b.deployments.push_back({id("support_answer"), id("41"), id("prod"), 100.0, 50, {}, {}});
    b.addIssue("f.jsonl", 3, "not JSON");
    DatasetBuilder builder(bundledPricing());
    builder.addBatch(std::move(b));
    return builder.build();
}

}  // namespace

class TestOwnSchema : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void trickyDatasetReadsBackTheSame() {
        const DatasetPtr original = trickyDataset();
        QVERIFY(original);
        const Dataset& o = *original;
        // The cases this test is about are really in the fixture.
        QCOMPARE(o.requestCount(), size_t{2});
        const uint32_t r1 = o.findRequest("t1").value;
        QCOMPARE(o.str(o.requests.promptName[r1]), std::string_view("support_answer"));
        QCOMPARE(o.str(o.requests.model[r1]), std::string_view("router-model"));
        QCOMPARE(o.str(o.generations.promptName[o.requests.firstGeneration[r1]]), std::string_view());
        QVERIFY(o.stats.costFromPricing >= 1);
        QVERIFY(o.stats.costUnknown >= 1);
        const uint32_t r2 = o.findRequest("t2").value;
        QVERIFY(o.requests.errorClass[r2] == ErrorClass::ProviderError);  // by the 503 alone
        QVERIFY(std::count(o.errors.errorClass.begin(), o.errors.errorClass.end(), ErrorClass::RateLimited) == 1);
        QCOMPARE(o.stats.orphanSpans, uint64_t{1});

        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("tricky.sqlite")).toStdString();
        DatasetImportOptions options;
        options.withRecords = false;
        const DatasetWriteResult written = importDataset(original, path, options);
        QVERIFY2(written.ok(), written.error.c_str());
        std::string error;
        const DatasetPtr back = readBack(path, &error);
        QVERIFY2(back, error.c_str());
        const std::string difference = testing::datasetDifference(o, *back);
        QVERIFY2(difference.empty(), difference.c_str());
        QCOMPARE(allReports(*back), allReports(o));
    }

    void demoReadsBackTheSameWithItsSpanDetails() {
        const LoadResult loaded = loadSources(demoFiles());
        QVERIFY(loaded.dataset);
        const Dataset& o = *loaded.dataset;
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("demo.sqlite")).toStdString();
        const DatasetWriteResult written = importDataset(loaded.dataset, path, {});
        QVERIFY2(written.ok(), written.error.c_str());
        QCOMPARE(written.spans, uint64_t{o.spanCount()});
        QCOMPARE(written.records, uint64_t{o.spanCount()});
        QVERIFY(!std::filesystem::exists(path + ".partial"));

        std::string error;
        const DatasetPtr back = readBack(path, &error);
        QVERIFY2(back, error.c_str());
        const std::string difference = testing::datasetDifference(o, *back);
        QVERIFY2(difference.empty(), difference.c_str());
        QCOMPARE(allReports(*back), allReports(o));

        compareDetails(loaded.dataset, back, path);

        // Opened as any source is (detection by ps_spans): the same again.
        const LoadResult opened = loadSources({path});
        QVERIFY2(opened.dataset, opened.error.c_str());
        QVERIFY(testing::datasetDifference(o, *opened.dataset).empty());
        compareDetails(loaded.dataset, opened.dataset, path);
    }

    void demoReadsBackTheSameFromPostgreSql() {
        PgTestServer server;
        if (!server.start()) {
            PGTEST_SKIP_OR_FAIL(server);
        }
        const std::string schema = PgTestServer::uniqueName("ownschema");
        std::string error;
        auto admin = server.connect(false, &error);
        QVERIFY2(admin, error.c_str());
        QVERIFY2(admin->execute("CREATE SCHEMA " + schema, {}, &error), error.c_str());
        const std::string uri = server.uriForSchema(schema);
        const LoadResult loaded = loadSources(demoFiles());
        QVERIFY(loaded.dataset);

        const DatasetWriteResult written = importDataset(loaded.dataset, uri, {});
        QVERIFY2(written.ok(), written.error.c_str());
        const LoadResult opened = loadSources({uri});
        QVERIFY2(opened.dataset, opened.error.c_str());
        const std::string difference = testing::datasetDifference(*loaded.dataset, *opened.dataset);
        QVERIFY2(difference.empty(), difference.c_str());
        QCOMPARE(allReports(*opened.dataset), allReports(*loaded.dataset));
        compareDetails(loaded.dataset, opened.dataset, db::withoutPassword(uri));

        // Existing tables are kept without replace; a cancelled replace rolls back and keeps them too.
        const DatasetWriteResult again = importDataset(loaded.dataset, uri, {});
        QVERIFY(!again.ok());
        QVERIFY2(again.error.find("--replace") != std::string::npos, again.error.c_str());
        DatasetImportOptions cancelled;
        cancelled.replace = true;
        cancelled.progress = [calls = 0](double) mutable { return ++calls < 3; };
        QVERIFY(importDataset(loaded.dataset, uri, cancelled).cancelled);
        const LoadResult still = loadSources({uri});
        QVERIFY2(still.dataset, still.error.c_str());
        QCOMPARE(still.dataset->spanCount(), loaded.dataset->spanCount());
        // Counted by the server itself, independently of the reader.
        double spans = -1;
        QVERIFY(admin->query("SELECT count(*) FROM " + schema + ".ps_spans", {}, [&](const db::Row& row) {
            spans = row.real(0).value_or(-1);
            return false;
        }, &error));
        QCOMPARE(spans, double(loaded.dataset->spanCount()));
        // A replace that completes: the tables, with their indexes, are the new ones (written on two
        // connections into a staging schema and moved in), told apart by the time they were written.
        const auto writtenAt = [&] {
            double at = -1;
            admin->query("SELECT written_at_ns FROM " + schema + ".ps_schema", {}, [&](const db::Row& row) {
                at = row.real(0).value_or(-1);
                return false;
            }, &error);
            return at;
        };
        const double before = writtenAt();
        DatasetImportOptions replace;
        replace.replace = true;
        const DatasetWriteResult replaced = importDataset(loaded.dataset, uri, replace);
        QVERIFY2(replaced.ok(), replaced.error.c_str());
        QVERIFY(writtenAt() > before);
        QCOMPARE(replaced.records, uint64_t{loaded.dataset->spanCount()});
        double indexes = -1;
        QVERIFY(admin->query("SELECT count(*) FROM pg_indexes WHERE schemaname = $1 AND indexname LIKE 'ps\\_%\\_by\\_%'",
                             {schema}, [&](const db::Row& row) {
                                 indexes = row.real(0).value_or(-1);
                                 return false;
                             }, &error));
        QCOMPARE(indexes, 4.0);
        QVERIFY2(admin->execute("DROP SCHEMA " + schema + " CASCADE", {}, &error), error.c_str());
    }

    // The staging schema of a two-connection import needs CREATE on the database; a user with rights on the
    // target schema only gets the one-connection import, with the same result.
    void aPostgreSqlUserWhoMayNotCreateSchemasStillImports() {
        PgTestServer server;
        if (!server.start()) {
            PGTEST_SKIP_OR_FAIL(server);
        }
        const std::string schema = PgTestServer::uniqueName("ownschema_plain");
        const std::string role = PgTestServer::uniqueName("importer");
        std::string error;
        auto admin = server.connect(false, &error);
        QVERIFY2(admin, error.c_str());
        QVERIFY2(admin->execute("CREATE SCHEMA " + schema + "; CREATE ROLE " + role +
                                    " LOGIN PASSWORD 'importer-pw'; GRANT USAGE, CREATE ON SCHEMA " + schema +
                                    " TO " + role,
                                {}, &error),
                 error.c_str());
        const std::string& admins = server.uri();
        const std::string hostAndDatabase = admins.substr(admins.find('@'));
        const std::string uri = "postgresql://" + role + ":importer-pw" + hostAndDatabase +
                                "?options=-csearch_path%3D" + schema;
        const LoadResult loaded = loadSources(demoFiles());
        QVERIFY(loaded.dataset);
        const DatasetWriteResult written = importDataset(loaded.dataset, uri, {});
        QVERIFY2(written.ok(), written.error.c_str());
        QCOMPARE(written.records, uint64_t{loaded.dataset->spanCount()});
        const LoadResult opened = loadSources({uri});
        QVERIFY2(opened.dataset, opened.error.c_str());
        const std::string difference = testing::datasetDifference(*loaded.dataset, *opened.dataset);
        QVERIFY2(difference.empty(), difference.c_str());
        QVERIFY2(admin->execute("DROP SCHEMA " + schema + " CASCADE; DROP ROLE " + role, {}, &error),
                 error.c_str());
    }

    void importCommandThenReportGivesTheSameFigures() {
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("cli.sqlite"));
        const QStringList demo = {QString::fromStdString(demoFiles()[0]), QString::fromStdString(demoFiles()[1])};
        int code = 0;
        const QByteArray importOutput =
            runPromptScope(QStringList{QStringLiteral("import"), QStringLiteral("--db"), target} + demo, &code);
        QVERIFY2(code == 0, importOutput.constData());
        QVERIFY(importOutput.contains("imported"));
        const QStringList json = {QStringLiteral("report"), QStringLiteral("--format"), QStringLiteral("json")};
        const QByteArray fromFiles = runPromptScope(json + demo, &code);
        QCOMPARE(code, 0);
        const QByteArray fromDatabase = runPromptScope(json + QStringList{target}, &code);
        QCOMPARE(code, 0);
        QCOMPARE(fromDatabase, fromFiles);
        // A second import into the same file is refused and says how to replace it.
        const QByteArray refused =
            runPromptScope(QStringList{QStringLiteral("import"), QStringLiteral("--db"), target} + demo, &code);
        QCOMPARE(code, 1);
        QVERIFY2(refused.contains("--replace"), refused.constData());
    }

    void sqlOnTheTablesMatchesTheDataset() {
        const LoadResult loaded = loadSources(demoFiles());
        QVERIFY(loaded.dataset);
        const Dataset& o = *loaded.dataset;
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("demo.sqlite")).toStdString();
        QVERIFY(importDataset(loaded.dataset, path, {}).ok());
        std::string error;
        auto connection = db::SqliteConnection::open(path, db::ConnectOptions{}, &error);
        QVERIFY2(connection, error.c_str());
        double cost = 0;
        size_t errors = 0;
        uint64_t outputTokens = 0;
        for (size_t r = 0; r < o.requestCount(); ++r) {
            cost += o.requests.costUsd[r];
            errors += (o.requests.flags[r] & kRequestError) ? 1 : 0;
            outputTokens += o.requests.outputTokens[r];
        }
        size_t llmSpans = 0;
        for (size_t s = 0; s < o.spanCount(); ++s) {
            llmSpans += o.spans.kind[s] == SpanKind::Llm ? 1 : 0;
        }
        QCOMPARE(sqlNumber(*connection, "SELECT count(*) FROM ps_spans"), double(o.spanCount()));
        QCOMPARE(sqlNumber(*connection, "SELECT count(*) FROM ps_span_records"), double(o.spanCount()));
        QCOMPARE(sqlNumber(*connection, "SELECT count(*) FROM ps_spans WHERE kind = 'llm'"), double(llmSpans));
        QCOMPARE(sqlNumber(*connection, "SELECT sum(is_error) FROM ps_requests"), double(errors));
        QCOMPARE(sqlNumber(*connection, "SELECT sum(output_tokens) FROM ps_requests"), double(outputTokens));
        QVERIFY(std::abs(sqlNumber(*connection, "SELECT sum(cost_usd) FROM ps_requests") - cost) < 1e-9 * cost);
        QCOMPARE(sqlNumber(*connection, "SELECT count(*) FROM ps_evals"), double(o.evals.size()));
        QCOMPARE(sqlNumber(*connection, "SELECT max(version) FROM ps_schema"), 1.0);
        // The file is sound as SQLite sees it (part of it was written in a second file and moved in by pages).
        std::string integrity;
        QVERIFY(connection->query("PRAGMA integrity_check", {}, [&](const db::Row& row) {
            integrity += std::string(row.text(0)) + "\n";
            return true;
        }, &error));
        QCOMPARE(integrity, std::string("ok\n"));
        // Each request's spans are the rows its first_span_row and span_count say.
        QCOMPARE(sqlNumber(*connection, "SELECT count(*) FROM ps_spans s JOIN ps_requests r ON s.span_row BETWEEN "
                                        "r.first_span_row AND r.first_span_row + r.span_count - 1 "
                                        "WHERE s.request_row = r.request_row"),
                 double(o.spanCount()));
    }

    void existingDataIsOnlyReplacedWhenAsked() {
        const DatasetPtr data = trickyDataset();
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("x.promptscope")).toStdString();
        DatasetImportOptions options;
        options.withRecords = false;
        QVERIFY(importDataset(data, path, options).ok());
        const auto size = std::filesystem::file_size(path);
        const DatasetWriteResult again = importDataset(data, path, options);
        QVERIFY(!again.ok());
        QVERIFY2(again.error.find("--replace") != std::string::npos, again.error.c_str());
        QCOMPARE(std::filesystem::file_size(path), size);
        options.replace = true;
        QVERIFY(importDataset(data, path, options).ok());
    }

    void aSecondImportIntoTheSamePathIsRefusedWhileTheFirstWrites() {
        const DatasetPtr data = trickyDataset();
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("busy.sqlite")).toStdString();
        DatasetImportOptions options;
        options.withRecords = false;
        // The first import's lock on its .partial file, as it holds it while writing.
        const int first = ::open((path + ".partial").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        QVERIFY(first >= 0);
        QCOMPARE(::write(first, "half", 4), ssize_t{4});
        QCOMPARE(::flock(first, LOCK_EX | LOCK_NB), 0);
        const DatasetWriteResult second = importDataset(data, path, options);
        QVERIFY(!second.ok());
        QVERIFY2(second.error.find("another import") != std::string::npos, second.error.c_str());
        QVERIFY(!std::filesystem::exists(path));
        QCOMPARE(std::filesystem::file_size(path + ".partial"), uintmax_t{4});  // not emptied under the first
        ::close(first);
        // Once it is gone (killed: its file stays behind), the next import takes the file over.
        QVERIFY(importDataset(data, path, options).ok());
        QVERIFY(!std::filesystem::exists(path + ".partial"));
        std::string error;
        QVERIFY2(readBack(path, &error), error.c_str());
    }

    void cancelLeavesNoFile() {
        const LoadResult loaded = loadSources(demoFiles());
        QVERIFY(loaded.dataset);
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("cancelled.sqlite")).toStdString();
        DatasetImportOptions options;
        int calls = 0;
        options.progress = [&calls](double) { return ++calls < 2; };
        const DatasetWriteResult result = importDataset(loaded.dataset, path, options);
        QVERIFY(result.cancelled);
        QVERIFY(calls >= 2);
        QVERIFY(!std::filesystem::exists(path));
        QVERIFY(!std::filesystem::exists(path + ".partial"));
        QVERIFY(!std::filesystem::exists(path + ".partial-tables"));
    }
};

QTEST_GUILESS_MAIN(TestOwnSchema)
#include "tst_ownschema.moc"
