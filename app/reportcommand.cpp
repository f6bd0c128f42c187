#include <cstdio>
#include <iostream>
#include <string_view>

#include "aggregationmode.h"
#include "commandargs.h"
#include "databasereport.h"
#include "commandline.h"
#include "groupsummary.h"
#include "reportformat.h"
#include "sourceloader.h"

namespace ps::cli {

const char* const kUsage =
    "PromptScope: a desktop dashboard for LLM prompts in production.\n"
    "\n"
    "Usage:\n"
    "  promptscope [SOURCE...]          open the window (no SOURCE: the demo)\n"
    "  promptscope report [--by FIELD] [--grain request|generation] [--format table|json|markdown]\n"
    "                     [--pricing FILE] [--threads N] [--aggregate] [--aggregate-above ROWS] SOURCE...\n"
    "  promptscope compare --prompt NAME [--versions A,B] [--by prompt_version|model|environment]\n"
    "                      [--format table|json|markdown] [--query QUERY] [--max-failure-ratio 2]\n"
    "                      [--min-requests 200] [--max-p95-cost-increase 0.5] [--min-eval-pass-rate 0.92]\n"
    "                      [--pricing FILE] [--threads N] SOURCE...\n"
    "  promptscope outliers --metric latency|cost|tokens|score|retries|tool_calls [--limit N]\n"
    "                     [--format table|json] [--query QUERY] [--pricing FILE] [--threads N]\n"
    "                     SOURCE...\n"
    "  promptscope import [--replace] [--no-records] [--pricing FILE] [--threads N] --db PATH|URI SOURCE...\n"
    "  promptscope --screenshot OUT.png [--page overview|versions|traces|outliers|quality|review|incidents]\n"
    "              [--size WxH] [--query QUERY] [--grain request|generation] [--trace ID] [--workspace FILE]\n"
    "              [SOURCE...]\n"
    "  promptscope --help | --version\n"
    "\n"
    "SOURCE is a file or a folder (read recursively): OTLP/JSON (JSON Lines or one document) or request-log\n"
    "JSON Lines; or a log database: sqlite:PATH, a .sqlite/.sqlite3/.db/.promptscope file, or a\n"
    "postgresql://USER@HOST:PORT/DB URI (password from the URI, PGPASSWORD or ~/.pgpass), holding LiteLLM's\n"
    "\"LiteLLM_SpendLogs\" or Langfuse v2's traces/observations/scores. --select SQL (report, compare,\n"
    "outliers) reads that SELECT instead, its columns named after PromptScope's fields (see the README).\n"
    "FIELD is one of prompt_version (default), prompt, model, feature, environment, tenant, user, provider.\n"
    "\n"
    "report prints, per group: requests, errors, error rate, refusals, latency p50/p90/p95/p99/max/mean (ms),\n"
    "input and output tokens, cost (USD) and eval pass rate. A request is one trace; its latency is the root\n"
    "span's duration; percentiles interpolate linearly between closest ranks (type 7).\n"
    "--pricing FILE replaces the bundled price table used when the data carries no cost.\n"
    "SOURCE may also be a log database (sqlite:PATH, a .db/.sqlite file, postgresql://user@host/db) holding\n"
    "LiteLLM's SpendLogs, PromptScope's own tables or rows read by --select (one row per request). Above\n"
    "--aggregate-above ROWS (default 5000000; for PromptScope's tables, spans), or with --aggregate, the report\n"
    "is computed by the database (GROUP BY, percentile_cont) instead of loading the rows.\n"
    "\n"
    "compare puts side b (the second of --versions; default: the prompt's two most recent versions) against\n"
    "side a, metric by metric: both values, the difference with a 95% confidence interval, a p-value (rates:\n"
    "two-proportion z-test or Fisher's exact test; distributions: Mann-Whitney U; percentiles: bootstrap; judge\n"
    "scores: Welch's t-test), a verdict and how many more requests would settle it; then the release rules.\n"
    "With --by model or environment, --versions names two models or environments (--prompt optional).\n"
    "outliers lists the --limit (default 20) worst requests by the metric (the lowest for score), each with its\n"
    "percentile rank within its feature: the mid-rank (below + equal / 2) / n * 100. score is the mean eval score,\n"
    "each eval name's scores put on 0..1; retries counts failed model calls retried in the request and earlier\n"
    "attempts at the same input (session, feature, prompt, first call's input tokens) within 10 minutes.\n"
    "--query narrows the requests first (the sidebar's syntax; last: counts back from the last request).\n"
    "\n"
    "import loads the sources and saves them into PromptScope's own tables (see the README) in a SQLite file\n"
    "(PATH) or a PostgreSQL database (postgresql://user@host:port/db), with each span's source record so span\n"
    "details open from the database alone (--no-records leaves them out). An existing PATH, or own tables\n"
    "already in the database, are only overwritten with --replace. Ctrl+C cancels and leaves the target as it\n"
    "was.\n"
    "\n"
    "--screenshot loads the sources (no SOURCE: the demo), applies the query (the sidebar's syntax), renders the\n"
    "page offscreen at --size (default 1600x1000), writes the PNG and exits. --workspace shows the labels, queue\n"
    "and incidents of that workspace file instead of the user's.\n"
    "Exit codes: 0 success, 1 nothing could be read or bad arguments, 2 (compare) a release rule failed.\n";

namespace {

void printReport(const Report& report, const std::string& format) {
    if (format == "json") {
        std::cout << formatReportJson(report) << "\n";
    } else if (format == "markdown") {
        std::cout << formatReportMarkdown(report);
    } else {
        std::cout << formatReportTable(report);
    }
}

}  // namespace

int runReport(const std::vector<std::string>& args) {
    bool aggregate = false;
    uint64_t threshold = kDefaultAggregateAboveRows;
    GroupField field = GroupField::PromptVersion;
    Grain grain = Grain::Request;
    std::string format = "table";
    CommandArgs in("report", args);
    while (in.next()) {
        const std::string& a = in.arg();
        std::string v;
        if (a == "--by") {
            if (!in.value(&v) || !parseGroupField(v, &field)) {
                return in.usageError("--by needs one of prompt_version, prompt, model, feature, environment, tenant, "
                                  "user, provider");
            }
        } else if (a == "--grain") {
            if (!in.value(&v) || !parseGrain(v, &grain)) {
                return in.usageError("--grain needs request or generation");
            }
        } else if (a == "--format") {
            if (!in.value(&format) || (format != "table" && format != "json" && format != "markdown")) {
                return in.usageError("--format needs table, json or markdown");
            }
        } else if (a == "--aggregate") {
            aggregate = true;
        } else if (a == "--aggregate-above") {
            if (!in.value(&v) || v.empty() || v.find_first_not_of("0123456789") != std::string::npos) {
                return in.usageError("--aggregate-above needs a number of rows");
            }
            threshold = std::stoull(v);
        } else if (const int code = in.takeShared(); code != CommandArgs::kTaken) {
            return code;
        }
    }
    DatabaseSource source;
    std::string error;
    // A database whose shape cannot be aggregated in place (Langfuse, a custom SELECT of spans) is loaded like
    // any source, which also reports a connection that fails.
    if (in.sources().size() == 1 && db::parseTarget(in.sources().front()) &&
        openDatabaseSource(in.sources().front(), {}, &source, &error, in.loadOptions().customSelect)) {
        if (chooseDatabaseMode(source.extent.rowsToLoad(), threshold, aggregate) == DatabaseMode::Aggregate) {
            std::cerr << describeMode(source, DatabaseMode::Aggregate, threshold) << "\n";
            Report report;
            if (!buildDatabaseReport(*source.connection, source.mapping, field, grain, Filter{}, &report, &error)) {
                return in.fail(error);
            }
            printReport(report, format);
            return 0;
        }
    }
    const DatasetPtr data = in.load();
    if (!data) {
        return 1;
    }
    const Report report = buildReport(*data, field, grain);
    printReport(report, format);
    if (format == "table") {
        if (data->issueCount > 0) {
            std::cerr << data->issueCount << " record(s) could not be read; first: "
                      << data->issues.front().file << ":" << data->issues.front().line << ": "
                      << data->issues.front().message << "\n";
        }
    }
    return 0;
}

}  // namespace ps::cli
