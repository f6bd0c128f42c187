// LiteLLM-shaped and Langfuse-shaped tables written by the tests through a writable Connection, with the same
// rows in SQLite and PostgreSQL: failures, NULLs, a row that ends before it starts, bad metadata JSON (SQLite
// only: PostgreSQL's jsonb refuses it, as in LiteLLM's real table), and an older LiteLLM table without the
// newer columns. What was generated is kept so tests can compute expectations without the project's code.
#pragma once

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "dbconnection.h"

// GCC 12 reports std::variant members of the parameter lists below as maybe-uninitialized (a known false
// positive with variants in initializer lists at -O2).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

struct GeneratedLogs {
    std::vector<double> latencyMs;  // per request, max(0, end - start)
    int rows = 0;
    int badJson = 0;
    int endBeforeStart = 0;
};

inline std::string fixtureTime(int64_t microsSinceBase) {
    // 2025-01-24 09:00:00 + offset, written as LiteLLM's naive timestamps are.
    const int64_t total = 9 * 3600 * int64_t{1000000} + microsSinceBase;
    const int64_t seconds = total / 1000000;
    char text[64];
    std::snprintf(text, sizeof text, "2025-01-%02d %02d:%02d:%02d.%06d",
                  24 + static_cast<int>(seconds / 86400), static_cast<int>(seconds / 3600 % 24),
                  static_cast<int>(seconds / 60 % 60), static_cast<int>(seconds % 60),
                  static_cast<int>(total % 1000000));
    return text;
}

// oldVersion: the columns of an early proxy (no session_id, completionStartTime, custom_llm_provider,
// request_tags, end_user).
inline bool createLiteLlmTable(ps::db::Connection& c, bool postgres, bool oldVersion, int rows,
                               GeneratedLogs* out, std::string* error) {
    const std::string ts = postgres ? "timestamp(3)" : "TEXT";
    const std::string json = postgres ? "jsonb" : "TEXT";
    std::string ddl =
        "CREATE TABLE \"LiteLLM_SpendLogs\" (request_id text PRIMARY KEY, call_type text, "
        "api_key text, spend double precision, total_tokens integer, prompt_tokens integer, "
        "completion_tokens integer, \"startTime\" " +
        ts + ", \"endTime\" " + ts + ", model text, \"user\" text, team_id text, metadata " + json +
        ", cache_hit text, "
        "messages " +
        json + ", response " + json + ", status text";
    if (!oldVersion) {
        ddl += ", \"completionStartTime\" " + ts +
               ", custom_llm_provider text, session_id text, end_user text, "
               "request_tags " +
               json;
    }
    ddl += ")";
    if (!c.execute(ddl, {}, error) || !c.execute("BEGIN", {}, error)) {
        return false;
    }
    std::mt19937 random(7);
    const char* models[] = {"gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet"};
    const char* teams[] = {"acme", "globex", "initech"};
    const std::string insert =
        oldVersion
            ? "INSERT INTO \"LiteLLM_SpendLogs\" (request_id, call_type, api_key, spend, total_tokens, "
              "prompt_tokens, completion_tokens, \"startTime\", \"endTime\", model, \"user\", team_id, "
              "metadata, cache_hit, messages, response, status) VALUES ($1, 'acompletion', 'hashed', $2, "
              "$3, $4, $5, $6, $7, $8, $9, $10, $11, 'None', $12, $13, $14)"
            : "INSERT INTO \"LiteLLM_SpendLogs\" (request_id, call_type, api_key, spend, total_tokens, "
              "prompt_tokens, completion_tokens, \"startTime\", \"endTime\", model, \"user\", team_id, "
              "metadata, cache_hit, messages, response, status, \"completionStartTime\", "
              "custom_llm_provider, session_id, end_user, request_tags) VALUES ($1, 'acompletion', "
              "'hashed', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'None', $12, $13, $14, $15, $16, $17, "
              "$18, $19)";
    for (int i = 0; i < rows; ++i) {
        using ps::db::Value;
        const int64_t start = int64_t{i} * 37'000'000 + static_cast<int64_t>(random() % 1000000);
        int64_t latencyUs = 40'000 + static_cast<int64_t>(random() % 4'000'000);
        if (i == 17) {
            latencyUs = -250'000;  // the clock went backwards
            ++out->endBeforeStart;
        }
        out->latencyMs.push_back(std::max<int64_t>(0, latencyUs) / 1000.0);
        const std::string model = models[random() % 3];
        const bool failed = random() % 10 == 0;
        const int64_t in = 50 + random() % 2000;
        const int64_t outTokens = failed ? 0 : 10 + random() % 800;
        const std::string team = teams[random() % 3];
        std::string metadata = "{\"user_api_key_team_alias\": \"" + team +
                               "\", \"requester_metadata\": {\"feature\": \"" +
                               (i % 2 ? "support_chat" : "summarize") + "\", \"prompt_version\": \"v" +
                               std::to_string(1 + i % 3) + "\"}" +
                               (failed ? ", \"error_information\": {\"error_class\": \"RateLimitError\", "
                                         "\"error_code\": \"429\", \"error_message\": \"slow down\"}"
                                       : "") +
                               "}";
        if (!postgres && i % 50 == 3) {
            metadata = "{\"user_api_key_team_alias\": \"acme\", ";  // cut short
            ++out->badJson;
        }
        std::vector<Value> params{
            "req-" + std::to_string(i),
            i % 23 == 5 ? Value{} : Value{static_cast<double>(in * 3 + outTokens * 12) * 1e-6},
            in + outTokens,
            i % 41 == 8 ? Value{} : Value{in},
            outTokens,
            fixtureTime(start),
            fixtureTime(start + latencyUs),
            model,
            i % 4 == 0 ? std::string() : "user-" + std::to_string(i % 9),
            team + "-id",
            metadata,
            "[{\"role\": \"user\", \"content\": \"question " + std::to_string(i) + "\"}]",
            "{\"choices\": [{\"message\": {\"role\": \"assistant\", \"content\": \"answer " +
                std::to_string(i) + "\"}, \"finish_reason\": \"stop\"}]}",
            failed ? "failure" : "success"};
        if (!oldVersion) {
            params.push_back(fixtureTime(start + latencyUs / 3));
            params.push_back(model.rfind("claude", 0) == 0 ? "anthropic" : "openai");
            params.push_back(i % 5 == 0 ? Value{} : Value{"session-" + std::to_string(i / 3)});
            params.push_back(i % 4 == 0 ? "end-user-" + std::to_string(i % 5) : std::string());
            params.push_back(std::string("[\"env:prod\"]"));
        }
        if (!c.execute(insert, params, error)) {
            return false;
        }
    }
    out->rows = rows;
    return c.execute("COMMIT", {}, error);
}

// Langfuse v2: traces, observations (a SPAN root per trace, GENERATIONs below it, an EVENT, ERROR levels),
// scores (numeric and categorical) and prompts.
inline bool createLangfuseTables(ps::db::Connection& c, bool postgres, int traces, std::string* error) {
    const std::string ts = postgres ? "timestamp(3)" : "TEXT";
    const std::string json = postgres ? "jsonb" : "TEXT";
    const std::string num = postgres ? "numeric(65,30)" : "REAL";
    const std::string tags = postgres ? "text[] DEFAULT '{}'" : "TEXT";
    if (!c.execute(
            "CREATE TABLE traces (id text PRIMARY KEY, timestamp " + ts +
                ", name text, user_id text, "
                "metadata " +
                json +
                ", release text, version text, project_id text, public boolean, "
                "bookmarked boolean, tags " +
                tags + ", input " + json + ", output " + json +
                ", session_id text);"
                "CREATE TABLE observations (id text PRIMARY KEY, trace_id text, project_id text, type text, "
                "start_time " +
                ts + ", end_time " + ts + ", name text, metadata " + json +
                ", parent_observation_id text, level text, status_message text, version text, created_at " +
                ts + ", model text, \"modelParameters\" " + json + ", input " + json + ", output " + json +
                ", prompt_tokens integer DEFAULT 0, completion_tokens integer DEFAULT 0, total_tokens "
                "integer "
                "DEFAULT 0, unit text, input_cost " +
                num + ", output_cost " + num + ", total_cost " + num + ", calculated_total_cost " + num +
                ", completion_start_time " + ts +
                ", prompt_id text);"
                "CREATE TABLE scores (id text PRIMARY KEY, timestamp " +
                ts +
                ", name text, value double "
                "precision, source text, comment text, trace_id text, observation_id text, string_value "
                "text, "
                "data_type text);"
                "CREATE TABLE prompts (id text PRIMARY KEY, name text, version integer, prompt " +
                json + ")",
            {}, error)) {
        return false;
    }
    if (!c.execute("BEGIN", {}, error) ||
        !c.execute("INSERT INTO prompts VALUES ('p1', 'support', 3, '\"Answer kindly\"'), "
                   "('p2', 'support', 4, '\"Answer briefly\"')",
                   {}, error)) {
        return false;
    }
    std::mt19937 random(11);
    using ps::db::Value;
    for (int t = 0; t < traces; ++t) {
        const std::string id = "trace-" + std::to_string(t);
        const int64_t start = int64_t{t} * 61'000'000;
        const std::string tagText =
            postgres ? "{feature:support_chat,tenant:acme}" : "[\"feature:support_chat\"]";
        if (!c.execute(
                "INSERT INTO traces (id, timestamp, name, user_id, metadata, release, version, project_id, "
                "tags, session_id) VALUES ($1, $2, 'chat', $3, $4, 'r1', NULL, 'proj', $5, $6)",
                {id, fixtureTime(start), "user-" + std::to_string(t % 7),
                 std::string(t % 3 ? "{\"environment\": \"production\"}" : "{\"environment\": \"staging\"}"),
                 tagText, t % 6 == 0 ? Value{} : Value{"s-" + std::to_string(t / 2)}},
                error)) {
            return false;
        }
        const int64_t rootEnd = start + 200'000 + static_cast<int64_t>(random() % 3'000'000);
        const std::string insert =
            "INSERT INTO observations (id, trace_id, project_id, type, start_time, end_time, name, "
            "parent_observation_id, level, status_message, model, prompt_tokens, completion_tokens, "
            "total_cost, "
            "calculated_total_cost, completion_start_time, prompt_id, input, output) VALUES ($1, $2, 'proj', "
            "$3, $4, "
            "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)";
        if (!c.execute(insert,
                       {id + "-root", id, "SPAN", fixtureTime(start), fixtureTime(rootEnd), "handle", Value{},
                        "DEFAULT", Value{}, Value{}, int64_t{0}, int64_t{0}, Value{}, Value{}, Value{},
                        Value{}, Value{}, Value{}},
                       error)) {
            return false;
        }
        const int generations = 1 + static_cast<int>(random() % 3);
        for (int g = 0; g < generations; ++g) {
            const int64_t gs = start + 10'000 + g * 50'000;
            const int64_t ge = std::min(rootEnd, gs + 30'000 + static_cast<int64_t>(random() % 150'000));
            const bool failed = random() % 12 == 0;
            const int64_t in = 100 + random() % 900;
            const int64_t outTokens = 5 + random() % 300;
            const double cost = static_cast<double>(in * 2 + outTokens * 8) * 1e-6;
            if (!c.execute(
                    insert,
                    {id + "-gen-" + std::to_string(g), id, "GENERATION", fixtureTime(gs), fixtureTime(ge),
                     "llm-call", id + "-root", failed ? "ERROR" : "DEFAULT",
                     failed ? Value{"upstream 503"} : Value{}, std::string(g % 2 ? "gpt-4o" : "gpt-4o-mini"),
                     in, outTokens, t % 10 == 4 ? Value{cost} : Value{}, t % 10 == 4 ? Value{} : Value{cost},
                     fixtureTime(gs + 5'000), std::string(t % 2 ? "p1" : "p2"),
                     "[{\"role\": \"user\", \"content\": \"hello " + id + "\"}]",
                     std::string("{\"role\": \"assistant\", \"content\": \"hi\"}")},
                    error)) {
                return false;
            }
        }
        if (t % 5 == 0 && !c.execute(insert,
                                     {id + "-event", id, "EVENT", fixtureTime(start + 1000), Value{},
                                      "cache-miss", id + "-root", "DEFAULT", Value{}, Value{}, int64_t{0},
                                      int64_t{0}, Value{}, Value{}, Value{}, Value{}, Value{}, Value{}},
                                     error)) {
            return false;
        }
        if (!c.execute("INSERT INTO scores (id, timestamp, name, value, source, trace_id, observation_id, "
                       "string_value, data_type) VALUES ($1, $2, 'helpfulness', $3, 'EVAL', $4, NULL, NULL, "
                       "'NUMERIC'), ($5, $2, 'correct', $6, 'ANNOTATION', $4, $7, $8, 'CATEGORICAL')",
                       {"s1-" + id, fixtureTime(rootEnd), (random() % 100) / 100.0, id, "s2-" + id,
                        double(t % 4 ? 1 : 0), id + "-gen-0", std::string(t % 4 ? "correct" : "incorrect")},
                       error)) {
            return false;
        }
    }
    return c.execute("COMMIT", {}, error);
}

#pragma GCC diagnostic pop
