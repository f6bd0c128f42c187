// A LiteLLM-shaped "LiteLLM_SpendLogs" table (the columns of the proxy's Prisma schema that matter here, plus
// the big JSON ones left empty) filled with deterministic rows, on SQLite or PostgreSQL through a writable
// Connection: one row per request, some failing, some without a spend, all at distinct start times.
#pragma once

#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "dbconnection.h"

namespace ps::testing {

inline constexpr int64_t kLiteLlmBaseSeconds = 1'790'000'000;  // 2026-09-21

inline std::string liteLlmDdl(ps::db::Dialect dialect) {
    const char* time = dialect == ps::db::Dialect::Postgres ? "TIMESTAMP(6)" : "TEXT";
    const char* real = dialect == ps::db::Dialect::Postgres ? "DOUBLE PRECISION" : "REAL";
    char sql[2048];
    std::snprintf(sql, sizeof sql,
                  "CREATE TABLE \"LiteLLM_SpendLogs\" (request_id TEXT PRIMARY KEY, call_type TEXT, api_key TEXT, "
                  "spend %s, total_tokens INTEGER, prompt_tokens INTEGER, completion_tokens INTEGER, "
                  "\"startTime\" %s, \"endTime\" %s, \"completionStartTime\" %s, model TEXT, model_id TEXT, "
                  "model_group TEXT, custom_llm_provider TEXT, api_base TEXT, \"user\" TEXT, metadata TEXT, "
                  "cache_hit TEXT, cache_key TEXT, request_tags TEXT, team_id TEXT, end_user TEXT, "
                  "requester_ip_address TEXT, messages TEXT, response TEXT, session_id TEXT, status TEXT);"
                  "CREATE INDEX spendlogs_start ON \"LiteLLM_SpendLogs\" (\"startTime\")",
                  real, time, time, time);
    return sql;
}

// "YYYY-MM-DD HH:MM:SS.ffffff", as LiteLLM writes its naive UTC times.
inline std::string liteLlmTime(int64_t micros) {
    const auto seconds = static_cast<std::time_t>(micros / 1000000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[96];  // room for any int the compiler cannot bound
    std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d.%06lld", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<long long>(micros % 1000000));
    return text;
}

// Row i starts i * 1.5 s (plus a few ms) after the base, unless startOffsetMicros says otherwise.
inline bool insertLiteLlmRow(ps::db::Connection& c, int i, std::string* error, int64_t startOffsetMicros = -1) {
    const char* models[] = {"gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet"};
    const char* providers[] = {"openai", "openai", "anthropic"};
    const char* teams[] = {"team-search", "team-support", ""};
    const int64_t start = kLiteLlmBaseSeconds * 1000000LL +
                          (startOffsetMicros >= 0 ? startOffsetMicros : i * 1'500'000LL + (i * 7919 % 1000) * 1000);
    const int64_t duration = 300'000 + (i * 104729 % 7700) * 1000LL;
    char id[32];
    std::snprintf(id, sizeof id, "chatcmpl-%06d", i);
    const int m = i % 3;
    const int64_t prompt = 50 + (i * 37 % 2000);
    const int64_t completion = 5 + (i * 53 % 600);
    std::vector<ps::db::Value> v = {
        std::string(id), std::string("acompletion"), std::string("hashed-key"),
        i % 13 == 0 ? ps::db::Value{} : ps::db::Value{static_cast<double>(prompt) * 2.5e-6 + completion * 1e-5},
        prompt + completion, prompt, completion, liteLlmTime(start), liteLlmTime(start + duration),
        liteLlmTime(start + duration / 3), std::string(models[m]), std::string(providers[m]),
        std::string("user-") + std::to_string(i % 5), std::string(teams[i % 3]),
        std::string("session-") + std::to_string(i / 4), std::string(i % 11 == 0 ? "failure" : "success")};
    // SQLite keeps the text as written (a CAST would give it numeric affinity); PostgreSQL reads it as a timestamp.
    const bool pg = c.dialect() == ps::db::Dialect::Postgres;
    const std::string t8 = pg ? "CAST($8 AS TIMESTAMP)" : "$8";
    const std::string t9 = pg ? "CAST($9 AS TIMESTAMP)" : "$9";
    const std::string t10 = pg ? "CAST($10 AS TIMESTAMP)" : "$10";
    return c.execute(
        "INSERT INTO \"LiteLLM_SpendLogs\" (request_id, call_type, api_key, spend, total_tokens, prompt_tokens, "
        "completion_tokens, \"startTime\", \"endTime\", \"completionStartTime\", model, custom_llm_provider, \"user\", "
        "team_id, session_id, status, metadata, messages, response, cache_hit, request_tags) VALUES ($1, $2, $3, $4, "
        "$5, $6, $7, " + t8 + ", " + t9 + ", " + t10 + ", $11, $12, $13, $14, $15, $16, '{}', '{}', '{}', 'None', '[]')",
        v, error);
}

}  // namespace ps::testing
