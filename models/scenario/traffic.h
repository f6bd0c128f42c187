// The synthetic production traffic behind tracegen: three LLM features as multi-step traces, with the stories
// the demo must hold (a canary that fails twice as often, a silent provider-side change, a tenant cost spike, an
// enterprise workflow with a heavy latency tail, errors of every kind, evals and user signals). Users come in
// sessions of a few requests within half an hour. Request i is a pure function of (seed, i), so both output
// formats describe exactly the same requests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ps::scenario {

struct Attr {
    enum class Type : uint8_t { String, Int, Double, StringArray };
    std::string key;
    Type type = Type::String;
    std::string s;
    int64_t i = 0;
    double d = 0;
};

struct Event {
    std::string name;
    int64_t timeNs = 0;
    std::vector<Attr> attrs;
};

struct Span {
    uint64_t id = 0;
    uint64_t parent = 0;  // 0 for the root
    std::string name;
    int kind = 1;  // OTLP SpanKind: 1 internal, 2 server, 3 client
    int64_t startNs = 0;
    int64_t endNs = 0;
    bool error = false;
    std::string statusMessage;
    std::vector<Attr> attrs;
    std::vector<Event> events;
};

struct Eval {
    std::string name;
    double score = 0;
    bool pass = true;
    std::string source;  // llm_judge or rule
    std::string explanation;
};

struct Signal {
    std::string type;  // thumbs_up, thumbs_down, correction, follow_up, abandoned
    int64_t timeNs = 0;
};

struct Request {
    std::string traceId;
    std::string feature;
    std::string service;
    std::string environment;
    std::string promptName;
    std::string promptVersion;
    std::string model;
    std::string provider;
    std::string user;
    std::string session;
    std::string tenant;
    std::string tier;
    int64_t startNs = 0;
    int64_t endNs = 0;
    bool error = false;
    std::string errorType;
    std::string errorMessage;
    int httpStatus = 0;
    std::string finishReason;  // request-log vocabulary: end_turn, max_tokens, error, refusal, tool_use
    int64_t inputTokens = 0;
    int64_t outputTokens = 0;
    int64_t cachedTokens = 0;
    double costUsd = 0;
    int toolCalls = 0;
    std::vector<Span> spans;  // root first
    std::vector<Eval> judge;  // LLM-judge evals on the root (empty when the request was not sampled)
    bool flagged = false;
    std::vector<Eval> rules;  // rule checks on the policy_check span
    std::vector<Signal> signals;
};

struct PromptVersionInfo {
    std::string prompt, version, model, deployedBy, changeNote, evalSuite;
    double temperature = 0;
    int64_t deployedAtNs = 0;
};

struct DeploymentInfo {
    std::string prompt, version, environment, by, note;
    double trafficPercent = 100;
    int64_t atNs = 0;
};

struct TenantInfo {
    std::string id, tier;
};

struct TrafficOptions {
    uint64_t requests = 1000;
    uint64_t seed = 1;
    int64_t startNs = 0;
    int days = 14;
    double contentRate = 0.05;
};

class Traffic {
public:
    explicit Traffic(const TrafficOptions& options);

    [[nodiscard]] uint64_t count() const { return options_.requests; }
    // Request i (0-based), in start-time order.
    void generate(uint64_t i, Request& out) const;

    [[nodiscard]] std::vector<PromptVersionInfo> promptVersions() const;
    [[nodiscard]] std::vector<DeploymentInfo> deployments() const;
    [[nodiscard]] const std::vector<TenantInfo>& tenants() const { return tenants_; }

    // Time of day `day` (1-based) at hh:mm, in ns.
    [[nodiscard]] int64_t at(int day, int hour, int minute = 0) const;

private:
    // Where request i sits among the sessions: requests are dealt to sessions within groups of consecutive
    // requests that share a 30-minute window, so a session is one user's few requests within half an hour.
    struct SessionPlace {
        uint64_t key = 0;      // the session's own random seed and id
        int64_t windowNs = 0;  // start of its window
        bool last = false;     // no later request belongs to it
    };

    [[nodiscard]] int64_t arrival(uint64_t i) const;
    [[nodiscard]] size_t minuteOf(uint64_t i) const;
    [[nodiscard]] uint64_t firstFrom(size_t minute) const;  // the first request at or after that minute
    [[nodiscard]] SessionPlace sessionOf(uint64_t i) const;

    TrafficOptions options_;
    std::vector<double> cumulative_;  // traffic intensity per minute, cumulated
    std::vector<TenantInfo> tenants_;
};

// List price in USD for one model call (per million tokens, as in resources/pricing.json).
double callCost(const std::string& model, int64_t input, int64_t output, int64_t cached);

}  // namespace ps::scenario
