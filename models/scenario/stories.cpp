// The three features' request flows: which spans each request has, and where the canary, the provider-side change
// and the enterprise latency tail show up in them.
#include "flow.h"

#include <algorithm>

namespace ps::scenario {

void supportChatbot(Flow& f, uint64_t rootId, const Plan& plan, Failure& failure) {
    Request& r = f.r;
    Random& rng = f.rng;
    const bool fails = plan.fails;
    const int failKind = plan.failKind;
    r.promptName = "support_answer";
    r.promptVersion = plan.v43 ? "43" : "42";
    const bool claude = rng.chance(0.15);
    r.model = claude ? "claude-sonnet-4" : "gpt-4.1";
    r.provider = claude ? "anthropic" : "openai";
    Span& classify = f.llm(rootId, "gpt-4.1-mini", "openai", "support_classify", "3",
                           static_cast<int64_t>(rng.lognormal(320, 0.3)),
                           static_cast<int64_t>(rng.lognormal(12, 0.3)) + 1, 0, "stop", 8);
    f.messages(classify, Call::Classify, true);
    Span& retrieval = f.add(rootId, "retrieval kb_articles", 1, ms(rng.lognormal(90, 0.5)));
    f.kindAttr(retrieval, "retrieval", "RETRIEVER", "retriever");
    if ((fails && failKind == 0) || plan.retriedOk) {
        Span& limited = f.add(rootId, "chat " + r.model, 3, ms(rng.lognormal(180, 0.3)));
        limited.attrs.push_back(str("gen_ai.operation.name", "chat"));
        limited.attrs.push_back(str("gen_ai.provider.name", r.provider));
        limited.attrs.push_back(str("gen_ai.request.model", r.model));
        failure.set(0);
        f.fail(limited, failure.type, failure.message, 429);
        f.cursor += ms(rng.lognormal(800, 0.3));  // back-off before the retry
        if (fails) {
            failure.span = &limited;
        }
    }
    // Questions about an account or an order make the answer call ask for tools (a failing tool was asked for).
    const bool wantsTools = rng.chance(0.55);
    bool asksTools = false;
    if (!(fails && failKind == 0)) {
        const int64_t in = static_cast<int64_t>(rng.lognormal(1400, 0.35));
        double outMedian = 230;
        if (plan.v43) {
            outMedian *= 1.6;  // fuller answers: about +30% cost per request at p95
        }
        if (r.model == "gpt-4.1" && r.startNs >= plan.driftAtNs) {
            outMedian *= 1.35;  // the provider changed the model behind the same name
        }
        int64_t out = static_cast<int64_t>(rng.lognormal(outMedian, 0.5)) + 5;
        if (plan.truncated) {
            out = 1024;
        } else if (plan.refusal) {
            out = 18;
        }
        const int64_t cached = rng.chance(0.4) ? in / 2 : 0;
        const bool answerFails = fails && (failKind == 1 || failKind == 2);
        asksTools = !answerFails && !plan.refusal && !plan.truncated && (wantsTools || (fails && failKind == 3));
        Span& answer = f.llm(rootId, r.model, r.provider, "support_answer", r.promptVersion, in, out, cached,
                             asksTools ? "tool_calls" : plan.finish, r.model == "gpt-4.1" ? 14 : 18);
        f.messages(answer, Call::Answer, !answerFails);
        if (answerFails) {
            failure.set(failKind);
            if (failKind == 2) {
                answer.endNs = answer.startNs + 30 * kSec;
                f.cursor = answer.endNs + ms(2);
            }
            f.fail(answer, failure.type, failure.message, failure.http);
            failure.span = &answer;
        }
    }
    if (asksTools) {
        Span& lookup = f.tool(rootId, "crm_account_lookup", 140);
        if (fails && failKind == 3) {
            failure.set(3);
            f.fail(lookup, failure.type, failure.message, 0);
            failure.span = &lookup;
        } else if (rng.chance(0.3)) {
            f.tool(rootId, "order_status", 90);
        }
    }
}

void invoiceParser(Flow& f, uint64_t rootId, const Plan& plan, Failure& failure) {
    Request& r = f.r;
    Random& rng = f.rng;
    r.promptName = "invoice_extract";
    r.promptVersion = r.startNs >= plan.multiCurrencyAtNs ? "12" : "11";
    const bool gemini = rng.chance(0.2);
    r.model = gemini ? "gemini-2.5-flash" : "gpt-4o-mini";
    r.provider = gemini ? "google" : "openai";
    // The total latency is drawn first: enterprise workflows have a heavy tail (p50 ~1.2 s, p99 ~28 s).
    const double totalMs = plan.enterprise
                               ? (rng.chance(0.96) ? rng.lognormal(1200, 0.45) : rng.lognormal(22000, 0.35))
                               : rng.lognormal(1500, 0.5);
    Span& ocr = f.tool(rootId, "ocr_extract", 120);
    const int64_t in = static_cast<int64_t>(rng.lognormal(2200, 0.4));
    int64_t out = plan.truncated ? 1024 : plan.refusal ? 12 : static_cast<int64_t>(rng.lognormal(380, 0.35));
    const double spent = static_cast<double>(ocr.endNs - r.startNs) / 1e6;
    const double llmMs = std::max(150.0, totalMs - spent - 60);
    // The extraction comes back as a validate_totals call, unless the model refuses or runs out of tokens.
    const bool callFails = plan.fails && plan.failKind != 3;
    const bool asksTools = !callFails && !plan.refusal && !plan.truncated;
    Span& call = f.llm(rootId, r.model, r.provider, "invoice_extract", r.promptVersion, in, out, 0,
                       asksTools ? "tool_calls" : plan.finish, std::max(0.5, (llmMs - 350) / static_cast<double>(out)));
    call.endNs = call.startNs + ms(llmMs);
    f.cursor = call.endNs + ms(1);
    f.messages(call, Call::Extract, !callFails);
    if (callFails) {
        failure.set(plan.failKind);
        f.fail(call, failure.type, failure.message, failure.http);
        failure.span = &call;
    } else if (asksTools) {
        Span& validate = f.tool(rootId, "validate_totals", 25);
        if (plan.fails) {
            failure.type = "ToolError";
            failure.message = "validate_totals: line items do not add up";
            f.fail(validate, failure.type, failure.message, 0);
            failure.span = &validate;
        }
    }
}

void salesEmailWriter(Flow& f, uint64_t rootId, const Plan& plan, Failure& failure) {
    Request& r = f.r;
    Random& rng = f.rng;
    r.promptName = "sales_email";
    r.promptVersion = "7";
    r.model = "claude-sonnet-4";
    r.provider = "anthropic";
    Span& search = f.add(rootId, "crm_search", 1, ms(rng.lognormal(120, 0.5)));
    f.kindAttr(search, "retrieval", "RETRIEVER", "retriever");
    const int64_t in = static_cast<int64_t>(rng.lognormal(900, 0.3));
    const int64_t out =
        plan.truncated ? 1024 : plan.refusal ? 15 : static_cast<int64_t>(rng.lognormal(320, 0.4));
    // Most drafts are saved to the user's mailbox by a send_email_draft call; the rest are shown to copy.
    const bool callFails = plan.fails && plan.failKind != 3;
    const bool wantsTools = rng.chance(0.7);
    const bool asksTools = !callFails && !plan.refusal && !plan.truncated && (wantsTools || plan.fails);
    Span& call =
        f.llm(rootId, r.model, r.provider, "sales_email", "7", in, out, 0, asksTools ? "tool_calls" : plan.finish, 20);
    f.messages(call, Call::Email, !callFails);
    if (callFails) {
        failure.set(plan.failKind);
        f.fail(call, failure.type, failure.message, failure.http);
        failure.span = &call;
    } else if (asksTools) {
        Span& send = f.tool(rootId, "send_email_draft", 200);
        if (plan.fails) {
            failure.type = "ToolError";
            failure.message = "send_email_draft: mailbox quota exceeded";
            f.fail(send, failure.type, failure.message, 0);
            failure.span = &send;
        }
    }
}

}  // namespace ps::scenario
