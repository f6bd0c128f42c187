// Internal to the traffic model: the building blocks a request's spans are made of (attribute helpers, one model
// or tool call in a feature's attribute vocabulary) and the per-feature flows that use them (stories.cpp).
#pragma once

#include <cstdint>
#include <string>

#include "random.h"
#include "traffic.h"

namespace ps::scenario {

constexpr int64_t kMs = 1000000;
constexpr int64_t kSec = 1000 * kMs;
constexpr int64_t kMinute = 60 * kSec;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

std::string hex(uint64_t v, int digits);

inline int64_t ms(double v) {
    return static_cast<int64_t>(v * static_cast<double>(kMs));
}

Attr str(std::string key, std::string value);
Attr num(std::string key, int64_t value);
Attr real(std::string key, double value);
Attr list(std::string key, std::string first);

// How each feature's spans name their attributes.
enum class Vocabulary { GenAi, GenAiDeprecated, OpenInference };

// The model calls whose messages a request records.
enum class Call { Classify, Answer, Extract, Email };

// The made-up conversation behind one request's model calls (content.cpp), drawn from the request's content
// stream only, so that recording messages or not changes no other draw.
class Transcript {
public:
    Transcript(Random& rng, int feature);
    // Adds the call's input messages and, when it was answered, its output, in the vocabulary's keys.
    void addTo(Span& s, Vocabulary vocab, Call call, const std::string& finish, bool answered) const;

private:
    std::string question_, intent_, answer_, lookup_, tool_, arguments_, callId_;
};

// Appends spans to a request one after the other.
struct Flow {
    Request& r;
    Random& rng;
    Vocabulary vocab;
    int64_t cursor;                          // where the next sequential child starts
    std::string lastFinish;                  // finish reason of the latest model call
    const Transcript* transcript = nullptr;  // set when this request records messages

    Span& add(uint64_t parent, std::string name, int kind, int64_t durationNs);
    void kindAttr(Span& s, const char* genAiOperation, const char* openInferenceKind, const char* plainKind);
    // One model call with the token counts and finish reason given, in the feature's vocabulary. The flows give
    // tool_calls to a call that tool calls follow.
    Span& llm(uint64_t parent, const std::string& model, const std::string& provider, const std::string& prompt,
              const std::string& version, int64_t in, int64_t out, int64_t cached, const std::string& finish,
              double msPerToken);
    // The messages of the model call just added, when the request records them.
    void messages(Span& s, Call call, bool answered) const {
        if (transcript) {
            transcript->addTo(s, vocab, call, lastFinish, answered);
        }
    }
    void fail(Span& s, const std::string& type, const std::string& message, int http);
    Span& tool(uint64_t parent, const std::string& name, double medianMs);
};

// What a request is set to do, drawn before its spans are built.
struct Plan {
    int feature = 0;  // 0 support_chatbot, 1 invoice_parser, 2 sales_email_writer
    bool v43 = false;
    bool enterprise = false;
    bool fails = false;
    int failKind = 0;  // 0 rate limit (429), 1 provider error (500), 2 timeout, 3 tool error
    bool retriedOk = false;
    bool refusal = false;
    bool truncated = false;
    std::string finish;             // of the main model call: stop, content_filter or length
    int64_t driftAtNs = 0;          // when the provider changed the model behind gpt-4.1
    int64_t multiCurrencyAtNs = 0;  // when invoice_extract v12 replaced v11
};

// The span that made the request fail, and why.
struct Failure {
    Span* span = nullptr;
    std::string type;
    std::string message;
    int http = 0;

    void set(int kind);
};

// The spans of one feature's request under the root, after the root span.
void supportChatbot(Flow& f, uint64_t rootId, const Plan& plan, Failure& failure);
void invoiceParser(Flow& f, uint64_t rootId, const Plan& plan, Failure& failure);
void salesEmailWriter(Flow& f, uint64_t rootId, const Plan& plan, Failure& failure);

}  // namespace ps::scenario
