// Overview time in aggregation mode on a large LiteLLM SpendLogs table. Generates the table when it does not
// exist (SQLite: a file; the indexes LiteLLM's schema.prisma declares: "startTime", ("startTime", request_id),
// end_user, session_id), then times computeDatabaseOverview for a few filters, three runs each (median printed).
// Not a Google Benchmark: one overview at ten million rows takes seconds, not microseconds.
//
// Usage: bench_dbaggregate --rows N --sqlite PATH [--runs 3]      (delete PATH afterwards: it is gigabytes)
//        bench_dbaggregate --target URI [--runs 3]               (an existing table, e.g. postgresql://...)
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "aggregationmode.h"
#include "databaseoverview.h"

namespace {

std::string isoTime(int64_t ms) {
    const time_t seconds = static_cast<time_t>(ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[40];
    const size_t n = std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &utc);
    std::snprintf(text + n, sizeof text - n, ".%03d", static_cast<int>(ms % 1000));
    return text;
}

bool exec(sqlite3* db, const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        std::cerr << sql << ": " << (message ? message : "?") << "\n";
        sqlite3_free(message);
        return false;
    }
    return true;
}

// Thirty days of traffic with the spread of the tests' table: log-normal latencies, 6% failures, 6 models,
// 2,000 users, sessions of about ten requests, 40 teams, four key aliases.
bool generate(const std::string& path, uint64_t rows) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
        return false;
    }
    exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -400000");
    exec(db, "CREATE TABLE \"LiteLLM_SpendLogs\" (request_id TEXT PRIMARY KEY, call_type TEXT NOT NULL, api_key TEXT "
             "NOT NULL DEFAULT '', spend REAL NOT NULL DEFAULT 0, total_tokens INTEGER NOT NULL DEFAULT 0, "
             "prompt_tokens INTEGER NOT NULL DEFAULT 0, completion_tokens INTEGER NOT NULL DEFAULT 0, \"startTime\" "
             "TEXT NOT NULL, \"endTime\" TEXT NOT NULL, model TEXT NOT NULL DEFAULT '', custom_llm_provider TEXT "
             "DEFAULT '', \"user\" TEXT DEFAULT '', metadata TEXT DEFAULT '{}', team_id TEXT, end_user TEXT, "
             "session_id TEXT, status TEXT)");
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(db,
                       "INSERT INTO \"LiteLLM_SpendLogs\" (request_id, call_type, spend, total_tokens, prompt_tokens, "
                       "completion_tokens, \"startTime\", \"endTime\", model, custom_llm_provider, \"user\", metadata, "
                       "team_id, end_user, session_id, status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       -1, &insert, nullptr);
    std::mt19937_64 rng(11);
    std::lognormal_distribution<double> latency(6.6, 0.7);
    std::uniform_real_distribution<double> unit(0, 1);
    const char* models[] = {"gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet", "gemini-1.5-pro", "o3-mini", "llama-3-70b"};
    const char* providers[] = {"openai", "openai", "anthropic", "vertex_ai", "openai", "bedrock"};
    const char* aliases[] = {"support-bot", "sql-agent", "summarizer", "search"};
    const int64_t begin = 1735689600000;  // 2025-01-01
    const double span = 30 * 86400000.0;
    exec(db, "BEGIN");
    for (uint64_t i = 0; i < rows; ++i) {
        // Times increase with the row, as a proxy writes them.
        const int64_t start = begin + static_cast<int64_t>(span * static_cast<double>(i) / static_cast<double>(rows));
        const auto ms = static_cast<int64_t>(latency(rng) * (unit(rng) < 0.03 ? 12 : 1));
        const auto m = static_cast<size_t>(unit(rng) * unit(rng) * 6) % 6;
        const auto in = static_cast<int64_t>(50 + unit(rng) * 4000);
        const bool failed = unit(rng) < 0.06;
        const auto out = failed ? 0 : static_cast<int64_t>(unit(rng) * 900);
        const std::string id = "chatcmpl-" + std::to_string(1000000000 + i);
        const std::string s = isoTime(start), e = isoTime(start + ms);
        const std::string user = "user-" + std::to_string(static_cast<int>(unit(rng) * 2000));
        const std::string session = "session-" + std::to_string(i / 10 + static_cast<uint64_t>(unit(rng) * 3));
        const std::string team = "team-" + std::to_string(static_cast<int>(unit(rng) * 40));
        std::string metadata = std::string("{\"user_api_key_alias\": \"") + aliases[static_cast<size_t>(unit(rng) * 4) % 4] + "\"";
        if (failed) {
            metadata += unit(rng) < 0.5 ? ", \"error_information\": {\"error_code\": \"429\", \"error_class\": "
                                          "\"RateLimitError\"}"
                                        : ", \"error_information\": {\"error_code\": \"500\", \"error_class\": "
                                          "\"InternalServerError\"}";
        }
        metadata += "}";
        sqlite3_bind_text(insert, 1, id.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 2, "acompletion", -1, SQLITE_STATIC);
        sqlite3_bind_double(insert, 3, static_cast<double>(in) * 2.5e-6 + static_cast<double>(out) * 1e-5);
        sqlite3_bind_int64(insert, 4, in + out);
        sqlite3_bind_int64(insert, 5, in);
        sqlite3_bind_int64(insert, 6, out);
        sqlite3_bind_text(insert, 7, s.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 8, e.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 9, models[m], -1, SQLITE_STATIC);
        sqlite3_bind_text(insert, 10, providers[m], -1, SQLITE_STATIC);
        sqlite3_bind_text(insert, 11, user.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 12, metadata.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 13, team.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_null(insert, 14);
        sqlite3_bind_text(insert, 15, session.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 16, failed ? "failure" : "success", -1, SQLITE_STATIC);
        if (sqlite3_step(insert) != SQLITE_DONE) {
            std::cerr << "insert: " << sqlite3_errmsg(db) << "\n";
            return false;
        }
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    exec(db, "COMMIT");
    // LiteLLM's indexes (schema.prisma, model LiteLLM_SpendLogs).
    const bool ok = exec(db, "CREATE INDEX \"LiteLLM_SpendLogs_startTime_idx\" ON \"LiteLLM_SpendLogs\"(\"startTime\"); "
                             "CREATE INDEX \"LiteLLM_SpendLogs_startTime_request_id_idx\" ON "
                             "\"LiteLLM_SpendLogs\"(\"startTime\", request_id); CREATE INDEX "
                             "\"LiteLLM_SpendLogs_end_user_idx\" ON \"LiteLLM_SpendLogs\"(end_user); CREATE INDEX "
                             "\"LiteLLM_SpendLogs_session_id_idx\" ON \"LiteLLM_SpendLogs\"(session_id); ANALYZE");
    sqlite3_close(db);
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    uint64_t rows = 10000000;
    std::string sqlitePath, target;
    int runs = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--rows")) {
            rows = std::stoull(argv[i + 1]);
        } else if (!std::strcmp(argv[i], "--sqlite")) {
            sqlitePath = argv[i + 1];
        } else if (!std::strcmp(argv[i], "--target")) {
            target = argv[i + 1];
        } else if (!std::strcmp(argv[i], "--runs")) {
            runs = std::max(1, std::atoi(argv[i + 1]));
        }
    }
    if (!sqlitePath.empty()) {
        target = "sqlite:" + sqlitePath;
        if (!std::filesystem::exists(sqlitePath)) {
            const auto t0 = std::chrono::steady_clock::now();
            if (!generate(sqlitePath, rows)) {
                return 1;
            }
            std::cout << "generated " << rows << " rows in "
                      << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << " s ("
                      << std::filesystem::file_size(sqlitePath) / 1000000 << " MB)\n";
        }
    }
    if (target.empty()) {
        std::cerr << "usage: bench_dbaggregate --rows N --sqlite PATH | --target URI [--runs N]\n";
        return 1;
    }
    ps::DatabaseSource source;
    std::string error;
    if (!ps::openDatabaseSource(target, {}, &source, &error)) {
        std::cerr << error << "\n";
        return 1;
    }
    std::cout << ps::describeMode(source, ps::DatabaseMode::Aggregate, ps::kDefaultAggregateAboveRows) << "\n";
    std::vector<std::pair<std::string, ps::Filter>> filters(4);
    filters[0].first = "no filter";
    filters[1].first = "last day";
    filters[1].second.beginNs = source.extent.lastNs - 86400LL * 1000000000;
    filters[2].first = "model = gpt-4o";
    filters[2].second.of(ps::Dimension::Model) = {"gpt-4o"};
    filters[3].first = "errors, one team";
    filters[3].second.status = ps::StatusFilter::Error;
    filters[3].second.of(ps::Dimension::Tenant) = {"team-7"};
    for (const auto& [name, filter] : filters) {
        std::vector<double> seconds;
        ps::DatabaseOverview o;
        for (int r = 0; r < runs; ++r) {
            const auto t0 = std::chrono::steady_clock::now();
            o = ps::computeDatabaseOverview(*source.connection, source.mapping, filter, ps::Grain::Request);
            seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
            if (!o.error.empty()) {
                std::cerr << name << ": " << o.error << "\n";
                return 1;
            }
        }
        std::sort(seconds.begin(), seconds.end());
        std::printf("%-18s %10llu rows  %2d statements  median %.2f s  (min %.2f, max %.2f)\n", name.c_str(),
                    static_cast<unsigned long long>(o.overview.rows), o.queries, seconds[seconds.size() / 2],
                    seconds.front(), seconds.back());
    }
    return 0;
}
