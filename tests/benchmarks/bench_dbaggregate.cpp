// Overview time in aggregation mode on a large LiteLLM SpendLogs table, in SQLite or PostgreSQL. Generates the
// table inside the database when it is missing (spendlogsgenerator.h: one INSERT ... SELECT per million rows,
// then LiteLLM's indexes and fresh statistics), then times opening the source (row count and time range) and
// computeDatabaseOverview for a few filters, the first run separately (what a user waits for after opening)
// and the median of the runs. Not a Google Benchmark: one overview at ten million rows takes seconds.
//
// Usage: bench_dbaggregate --rows N --sqlite PATH [--runs 3] [--verbose 1]   (delete PATH afterwards: gigabytes)
//        bench_dbaggregate --rows N --target URI [--runs 3] [--verbose 1]    (PostgreSQL; drop the database after)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "aggregationmode.h"
#include "databaseoverview.h"
#include "spendlogsgenerator.h"

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

bool run(ps::db::Connection& c, const std::string& sql) {
    std::string error;
    if (!c.execute(sql, {}, &error)) {
        std::cerr << error << "\n";
        return false;
    }
    return true;
}

// Creates and fills the table unless the database has one.
bool generate(const ps::db::Target& target, uint64_t rows) {
    ps::db::ConnectOptions writable;
    writable.readOnly = false;
    writable.connectTimeoutSeconds = 30;
    std::string error;
    auto c = ps::db::openConnection(target, writable, &error);
    if (!c) {
        std::cerr << error << "\n";
        return false;
    }
    const auto tables = c->tables(&error);
    if (std::find(tables.begin(), tables.end(), "LiteLLM_SpendLogs") != tables.end()) {
        return true;
    }
    const bool pg = target.dialect == ps::db::Dialect::Postgres;
    if (!pg && !run(*c, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -400000")) {
        return false;
    }
    const auto t0 = Clock::now();
    // SQLite: the indexes first. Built afterwards, they took over forty minutes on ten million rows (the sorter
    // scanned the 10 GB table again and again); filled in start order, every index but session_id's is appended
    // to at its end, and session_id's fits in the cache.
    if (!run(*c, spendlogs::tableDdl(pg)) || (!pg && !run(*c, spendlogs::indexDdl()))) {
        return false;
    }
    const auto total = static_cast<int64_t>(rows);
    constexpr int64_t kChunk = 1000000;
    for (int64_t first = 0; first < total; first += kChunk) {
        if (!run(*c, spendlogs::fillSql(pg, first, std::min(kChunk, total - first), total))) {
            return false;
        }
        std::cout << "  " << std::min(first + kChunk, total) << " rows, " << secondsSince(t0) << " s\n" << std::flush;
    }
    const double filled = secondsSince(t0);
    if ((pg && !run(*c, spendlogs::indexDdl())) ||
        !run(*c, pg ? "VACUUM ANALYZE \"LiteLLM_SpendLogs\"" : "PRAGMA analysis_limit = 2000; ANALYZE")) {
        return false;
    }
    std::cout << "generated " << rows << " rows in " << filled << " s, indexes and statistics in "
              << secondsSince(t0) - filled << " s\n";
    if (pg) {
        c->query("SELECT pg_size_pretty(pg_total_relation_size('\"LiteLLM_SpendLogs\"'))", {},
                 [](const ps::db::Row& row) {
                     std::cout << "table with indexes: " << row.text(0) << "\n";
                     return false;
                 },
                 &error);
    } else {
        std::cout << "file: " << std::filesystem::file_size(target.location) / 1000000 << " MB\n";
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    uint64_t rows = 10000000;
    std::string sqlitePath, target;
    int runs = 3;
    bool verbose = false;  // --verbose 1: each statement's time (of the last run) and SQL
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--rows")) {
            rows = std::stoull(argv[i + 1]);
        } else if (!std::strcmp(argv[i], "--sqlite")) {
            sqlitePath = argv[i + 1];
        } else if (!std::strcmp(argv[i], "--target")) {
            target = argv[i + 1];
        } else if (!std::strcmp(argv[i], "--runs")) {
            runs = std::max(1, std::atoi(argv[i + 1]));
        } else if (!std::strcmp(argv[i], "--verbose")) {
            verbose = std::atoi(argv[i + 1]) != 0;
        }
    }
    if (!sqlitePath.empty()) {
        target = "sqlite:" + sqlitePath;
    }
    const auto parsed = ps::db::parseTarget(target);
    if (target.empty() || !parsed) {
        std::cerr << "usage: bench_dbaggregate --rows N --sqlite PATH | --rows N --target URI [--runs N]\n";
        return 1;
    }
    if (!generate(*parsed, rows)) {
        return 1;
    }
    const auto opening = Clock::now();
    ps::DatabaseSource source;
    std::string error;
    if (!ps::openDatabaseSource(target, {}, &source, &error)) {
        std::cerr << error << "\n";
        return 1;
    }
    std::printf("opened in %.2f s: %s\n", secondsSince(opening),
                ps::describeMode(source, ps::DatabaseMode::Aggregate, ps::kDefaultAggregateAboveRows).c_str());
    struct Case {
        std::string name;
        ps::Filter filter;
        ps::Grain grain = ps::Grain::Request;
    };
    std::vector<Case> cases(6);
    cases[0].name = "no filter";
    cases[1].name = "last day";
    cases[1].filter.beginNs = source.extent.lastNs - 86400LL * 1000000000;
    cases[2].name = "model = gpt-4o";
    cases[2].filter.of(ps::Dimension::Model) = {"gpt-4o"};
    cases[3].name = "errors, one team";
    cases[3].filter.status = ps::StatusFilter::Error;
    cases[3].filter.of(ps::Dimension::Tenant) = {"team-7"};
    cases[4].name = "feature (JSON key)";
    cases[4].filter.of(ps::Dimension::Feature) = {"sql-agent"};
    cases[5].name = "last week, 2-10 s";
    cases[5].filter.beginNs = source.extent.lastNs - 7 * 86400LL * 1000000000;
    cases[5].filter.minLatencyMs = 2000;
    cases[5].filter.maxLatencyMs = 10000;
    for (const Case& c : cases) {
        std::vector<double> seconds;
        ps::DatabaseOverview o;
        for (int r = 0; r < runs; ++r) {
            const auto t0 = Clock::now();
            o = ps::computeDatabaseOverview(*source.connection, source.mapping, c.filter, c.grain);
            seconds.push_back(secondsSince(t0));
            if (!o.error.empty()) {
                std::cerr << c.name << ": " << o.error << "\n";
                return 1;
            }
        }
        const double first = seconds.front();
        std::sort(seconds.begin(), seconds.end());
        std::printf("%-20s %10llu rows  %2d statements  first %.2f s  median %.2f s  (min %.2f, max %.2f)\n",
                    c.name.c_str(), static_cast<unsigned long long>(o.overview.rows), o.queries, first,
                    seconds[seconds.size() / 2], seconds.front(), seconds.back());
        if (verbose) {
            for (const auto& [sql, ms] : o.statementMs) {
                std::printf("    %8.0f ms  %.150s\n", ms, sql.c_str());
            }
        }
    }
    return 0;
}
