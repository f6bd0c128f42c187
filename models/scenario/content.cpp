// Message content on model calls, as each vocabulary records it: the current GenAI conventions' JSON messages
// with parts, the deprecated flattened gen_ai.prompt.N / gen_ai.completion.N keys, and OpenInference's
// llm.input_messages.N / llm.output_messages.N. The text is made up, with personal details (names, e-mail
// addresses, phone numbers, IBANs) where real traffic has them. Everything here is drawn from the request's
// content stream, never from the stream its spans are drawn from.
#include <cstdio>

#include "flow.h"
#include "jsonout.h"

namespace ps::scenario {
namespace {

const char* const kFirst[] = {"Ana", "Ben",  "Chen", "Dara", "Eli",   "Fay",
                              "Gus", "Hana", "Ivo",  "Jun",  "Kemal", "Lena"};
const char* const kLast[] = {"Silva", "Okafor", "Wang", "Novak",    "Haddad",
                             "Berg",  "Moreau", "Sato", "Kowalski", "Reyes"};
const char* const kCompanies[] = {"Brightline Logistics", "Kestrel Foods",       "Norrland Tools",
                                  "Pinecrest Dental",     "Orbit Print",         "Valemont Hotels",
                                  "Harbor & Finch",       "Quarry Lane Bakeries"};
const char* const kCurrencies[] = {"EUR", "USD", "GBP", "CHF"};

template <size_t N>
const char* pick(Random& rng, const char* const (&from)[N]) {
    return from[rng.below(N)];
}

std::string lower(std::string s) {
    for (char& c : s) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return s;
}

std::string digits(Random& rng, int count) {
    std::string out;
    for (int i = 0; i < count; ++i) {
        out += static_cast<char>('0' + rng.below(10));
    }
    return out;
}

std::string money(int64_t cents) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(cents / 100),
                  static_cast<long long>(cents % 100));
    return buf;
}

std::string quoted(std::string_view text) {
    std::string out;
    appendJsonString(out, text);
    return out;
}

// Questions many customers ask word for word (signed in, so no details needed): the same input reaches both
// prompt versions, which makes like-for-like pairs for a version comparison. One pair per intent.
const char* const kFaq[][2] = {
    {"Where is my order? It still has not arrived.", "My package is late, can you check where it is?"},
    {"Why was I charged twice?", "I see two charges on my card for one order. Please refund one."},
    {"How do I return an item?", "Can I still send back something I bought last week?"},
    {"I can't log in to my account.", "The password reset e-mail never arrives."},
};

const char* const kSupportSystem = "You are a support assistant. Answer from the knowledge base only.";
const char* const kClassifySystem =
    "Classify the customer's message into one intent: order_status, billing, returns, account, other. "
    "Reply with the intent only.";
const char* const kInvoiceSystem =
    "Extract the invoice fields and call validate_totals with them. Amounts as numbers, dates as YYYY-MM-DD.";
const char* const kSalesSystem =
    "Write a short, warm first-touch sales email from the CRM notes. Subject line under 50 characters. "
    "Save it with send_email_draft.";

}  // namespace

Transcript::Transcript(Random& rng, int feature) {
    const std::string first = pick(rng, kFirst);
    const std::string last = pick(rng, kLast);
    const std::string email = lower(first) + "." + lower(last) + "@example.com";
    callId_ = "call_" + hex(rng.next(), 16);
    if (feature == 0) {
        const std::string order = digits(rng, 7);
        const std::string phone = "+1-555-01" + digits(rng, 2);
        switch (rng.below(4)) {
            case 0:
                intent_ = "order_status";
                question_ = "Hi, this is " + first + ". My order #" + order +
                            " has not arrived yet. Reach me at " + email + " or " + phone + ".";
                answer_ = "Sorry about the delay, " + first + ". Order #" + order +
                          " is in transit and should arrive within 2 business days.";
                break;
            case 1:
                intent_ = "billing";
                question_ = "Hello, I was charged twice for order #" + order +
                            ". Please refund one of the charges. " + first + " " + last + ", " + email;
                answer_ = "I'm sorry about the double charge, " + first +
                          ". The duplicate payment for order #" + order +
                          " is flagged for a refund, which takes 5-7 business days.";
                break;
            case 2:
                intent_ = "returns";
                question_ = "How do I return the headphones from order #" + order + "? Thanks, " + first;
                answer_ = "You can return them within 30 days, " + first + ": open order #" + order +
                          " in your account and choose Return item to print a prepaid label.";
                break;
            default:
                intent_ = "account";
                question_ =
                    "I can't log in to my account (" + email + "). The password reset e-mail never arrives.";
                answer_ = "Please check your spam folder for a message from no-reply@example.com, " + first +
                          ". If it is not there, I can send the reset link to " + phone + " by SMS.";
                break;
        }
        // Two customers in five ask a common question in its usual words.
        if (rng.chance(0.4)) {
            const size_t intent = intent_ == "order_status" ? 0 : intent_ == "billing" ? 1 : intent_ == "returns" ? 2 : 3;
            question_ = kFaq[intent][rng.below(2)];
        }
        lookup_ = "Let me look that up for you, " + first + ".";
        tool_ = "crm_account_lookup";
        arguments_ = "{\"email\":" + quoted(email) +
                     (intent_ == "account" ? "" : ",\"order_id\":" + quoted(order)) + "}";
    } else if (feature == 1) {
        const std::string number = "INV-2026-" + digits(rng, 5);
        const std::string supplier = pick(rng, kCompanies);
        const std::string currency = pick(rng, kCurrencies);
        const int64_t net = static_cast<int64_t>(rng.lognormal(120000, 0.8));
        const int64_t vat = net * 19 / 100;
        const uint64_t lines = 1 + rng.below(12);
        question_ = "OCR text of " + number + "\nSupplier: " + supplier + ", VAT ID DE" + digits(rng, 9) +
                    "\nBill to: " + first + " " + last + ", " + pick(rng, kCompanies) + "\nDate: 2026-09-" +
                    std::to_string(10 + rng.below(19)) + "\nLine items: " + std::to_string(lines) +
                    "\nNet: " + money(net) + " " + currency + "\nTax 19%: " + money(vat) + " " + currency +
                    "\nTotal: " + money(net + vat) + " " + currency + "\nIBAN: DE" + digits(rng, 20);
        tool_ = "validate_totals";
        arguments_ = "{\"invoice_number\":" + quoted(number) + ",\"supplier\":" + quoted(supplier) +
                     ",\"currency\":" + quoted(currency) + ",\"net\":" + money(net) +
                     ",\"tax\":" + money(vat) + ",\"total\":" + money(net + vat) +
                     ",\"line_items\":" + std::to_string(lines) + "}";
        answer_ = arguments_;
    } else {
        const std::string company = pick(rng, kCompanies);
        const uint64_t vans = 10 + rng.below(90);
        question_ = "Prospect: " + first + " " + last + ", Head of Operations at " + company + " (" + email +
                    ").\nCRM notes: downloaded the fleet-tracking guide; " + std::to_string(vans) +
                    " vans; contract with the current vendor ends in March.";
        const std::string subject = "Fewer empty miles for " + company;
        answer_ =
            "Subject: " + subject + "\n\nHi " + first + ",\n\nThanks for reading our fleet-tracking guide. " +
            "Teams running " + std::to_string(vans) +
            " vans usually cut empty miles by a tenth in their first quarter with us. Would a 20-minute call "
            "next week be useful before your contract comes up in March?\n\nBest,\nJonas";
        tool_ = "send_email_draft";
        arguments_ = "{\"to\":" + quoted(email) + ",\"subject\":" + quoted(subject) + "}";
    }
}

void Transcript::addTo(Span& s, Vocabulary vocab, Call call, const std::string& finish, bool answered) const {
    const bool classify = call == Call::Classify;
    const char* system = classify                ? kClassifySystem
                         : call == Call::Answer  ? kSupportSystem
                         : call == Call::Extract ? kInvoiceSystem
                                                 : kSalesSystem;
    const bool toolCall = finish == "tool_calls";
    std::string text = classify ? intent_ : answer_;
    if (finish == "content_filter") {
        text = "I'm sorry, but I can't help with that.";
    } else if (finish == "length") {
        text = text.substr(0, text.size() / 2);
    } else if (toolCall && call == Call::Answer) {
        text = lookup_;  // the answer waits for the lookup
    } else if (toolCall && call == Call::Extract) {
        text.clear();  // the fields travel as the call's arguments
    }
    switch (vocab) {
        case Vocabulary::GenAi: {
            s.attrs.push_back(str(
                "gen_ai.input.messages",
                "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":" + quoted(system) +
                    "}]},{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":" + quoted(question_) +
                    "}]}]"));
            if (answered) {
                std::string parts;
                if (!text.empty()) {
                    parts = "{\"type\":\"text\",\"content\":" + quoted(text) + "}";
                }
                if (toolCall) {
                    parts += std::string(parts.empty() ? "" : ",") +
                             "{\"type\":\"tool_call\",\"id\":" + quoted(callId_) +
                             ",\"name\":" + quoted(tool_) + ",\"arguments\":" + arguments_ + "}";
                }
                s.attrs.push_back(str("gen_ai.output.messages",
                                      "[{\"role\":\"assistant\",\"parts\":[" + parts +
                                          "],\"finish_reason\":" + quoted(toolCall ? "tool_call" : finish) +
                                          "}]"));
            }
            break;
        }
        case Vocabulary::GenAiDeprecated:
            s.attrs.push_back(str("gen_ai.prompt.0.role", "system"));
            s.attrs.push_back(str("gen_ai.prompt.0.content", system));
            s.attrs.push_back(str("gen_ai.prompt.1.role", "user"));
            s.attrs.push_back(str("gen_ai.prompt.1.content", question_));
            if (answered) {
                s.attrs.push_back(str("gen_ai.completion.0.role", "assistant"));
                if (!text.empty()) {
                    s.attrs.push_back(str("gen_ai.completion.0.content", text));
                }
                s.attrs.push_back(str("gen_ai.completion.0.finish_reason", finish));
                if (toolCall) {
                    s.attrs.push_back(str("gen_ai.completion.0.tool_calls.0.id", callId_));
                    s.attrs.push_back(str("gen_ai.completion.0.tool_calls.0.name", tool_));
                    s.attrs.push_back(str("gen_ai.completion.0.tool_calls.0.arguments", arguments_));
                }
            }
            break;
        case Vocabulary::OpenInference:
            s.attrs.push_back(str("llm.input_messages.0.message.role", "system"));
            s.attrs.push_back(str("llm.input_messages.0.message.content", system));
            s.attrs.push_back(str("llm.input_messages.1.message.role", "user"));
            s.attrs.push_back(str("llm.input_messages.1.message.content", question_));
            if (answered) {
                s.attrs.push_back(str("llm.output_messages.0.message.role", "assistant"));
                if (!text.empty()) {
                    s.attrs.push_back(str("llm.output_messages.0.message.content", text));
                }
                if (toolCall) {
                    s.attrs.push_back(
                        str("llm.output_messages.0.message.tool_calls.0.tool_call.id", callId_));
                    s.attrs.push_back(
                        str("llm.output_messages.0.message.tool_calls.0.tool_call.function.name", tool_));
                    s.attrs.push_back(
                        str("llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments",
                            arguments_));
                }
            }
            break;
    }
}

}  // namespace ps::scenario
