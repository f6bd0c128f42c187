// Test helper: whether two Datasets hold the same rows, strings (compared as text), joins and records, and a
// text form of span details without where they were read from (a file offset or a database row).
#pragma once

#include <QTest>

#include <sstream>
#include <string>
#include <vector>

#include "dataset.h"
#include "spandetails.h"

namespace ps::testing {

// The first difference, or empty when there is none.
inline std::string datasetDifference(const Dataset& a, const Dataset& b) {
    auto strings = [&](const char* what, const std::vector<StringId>& x, const std::vector<StringId>& y) {
        if (x.size() != y.size()) {
            return std::string(what) + ": " + std::to_string(x.size()) + " vs " + std::to_string(y.size()) + " rows";
        }
        for (size_t i = 0; i < x.size(); ++i) {
            if (a.str(x[i]) != b.str(y[i])) {
                return std::string(what) + " row " + std::to_string(i) + ": '" + std::string(a.str(x[i])) +
                       "' vs '" + std::string(b.str(y[i])) + "'";
            }
        }
        return std::string();
    };
    auto values = [&](const char* what, const auto& x, const auto& y) {
        if (x.size() != y.size()) {
            return std::string(what) + ": " + std::to_string(x.size()) + " vs " + std::to_string(y.size()) + " rows";
        }
        for (size_t i = 0; i < x.size(); ++i) {
            if constexpr (std::is_floating_point_v<std::decay_t<decltype(x[i])>>) {
                if (!(x[i] == y[i] || (std::isnan(x[i]) && std::isnan(y[i])))) {
                    return std::string(what) + " row " + std::to_string(i) + " differs";
                }
            } else if (!(x[i] == y[i])) {
                return std::string(what) + " row " + std::to_string(i) + " differs";
            }
        }
        return std::string();
    };
    const auto& sa = a.spans;
    const auto& sb = b.spans;
    const auto& ga = a.generations;
    const auto& gb = b.generations;
    const auto& ra = a.requests;
    const auto& rb = b.requests;
    std::vector<std::string> checks = {
        values("span parent", sa.parent, sb.parent), values("span start", sa.startNs, sb.startNs),
        values("span duration", sa.durationNs, sb.durationNs), strings("span name", sa.name, sb.name),
        strings("span service", sa.service, sb.service), values("span kind", sa.kind, sb.kind),
        values("span status", sa.status, sb.status), values("generation span", ga.span, gb.span),
        strings("generation model", ga.model, gb.model), strings("generation provider", ga.provider, gb.provider),
        strings("generation prompt", ga.promptName, gb.promptName),
        strings("generation version", ga.promptVersion, gb.promptVersion),
        strings("generation finish", ga.finishReason, gb.finishReason),
        values("generation input", ga.inputTokens, gb.inputTokens),
        values("generation output", ga.outputTokens, gb.outputTokens),
        values("generation cached", ga.cachedTokens, gb.cachedTokens),
        values("generation reasoning", ga.reasoningTokens, gb.reasoningTokens),
        values("generation cost", ga.costUsd, gb.costUsd), values("generation cost source", ga.costSource, gb.costSource),
        values("generation ttft", ga.ttftUs, gb.ttftUs), strings("request trace", ra.traceId, rb.traceId),
        values("request first span", ra.firstSpan, rb.firstSpan),
        values("request first generation", ra.firstGeneration, rb.firstGeneration),
        values("request start", ra.startNs, rb.startNs), values("request duration", ra.durationNs, rb.durationNs),
        values("request flags", ra.flags, rb.flags), values("request error class", ra.errorClass, rb.errorClass),
        strings("request feature", ra.feature, rb.feature), strings("request prompt", ra.promptName, rb.promptName),
        strings("request version", ra.promptVersion, rb.promptVersion), strings("request model", ra.model, rb.model),
        strings("request provider", ra.provider, rb.provider),
        strings("request environment", ra.environment, rb.environment), strings("request user", ra.user, rb.user),
        strings("request session", ra.session, rb.session), strings("request tenant", ra.tenant, rb.tenant),
        strings("request finish", ra.finishReason, rb.finishReason),
        values("request input", ra.inputTokens, rb.inputTokens),
        values("request output", ra.outputTokens, rb.outputTokens),
        values("request cached", ra.cachedTokens, rb.cachedTokens), values("request cost", ra.costUsd, rb.costUsd),
        values("request tool calls", ra.toolCalls, rb.toolCalls), values("request eval pass", ra.evalPass, rb.evalPass),
        values("request eval fail", ra.evalFail, rb.evalFail), values("eval request", a.evals.request, b.evals.request),
        values("eval span", a.evals.span, b.evals.span), strings("eval name", a.evals.name, b.evals.name),
        values("eval score", a.evals.score, b.evals.score), strings("eval label", a.evals.label, b.evals.label),
        values("eval outcome", a.evals.outcome, b.evals.outcome), strings("eval source", a.evals.source, b.evals.source),
        strings("eval explanation", a.evals.explanation, b.evals.explanation),
        values("signal request", a.signals.request, b.signals.request),
        strings("signal session", a.signals.session, b.signals.session),
        values("signal type", a.signals.type, b.signals.type), values("signal time", a.signals.timeNs, b.signals.timeNs),
        values("signal value", a.signals.value, b.signals.value), values("error span", a.errors.span, b.errors.span),
        strings("error type", a.errors.type, b.errors.type), strings("error message", a.errors.message, b.errors.message),
        values("error class", a.errors.errorClass, b.errors.errorClass)};
    for (const std::string& c : checks) {
        if (!c.empty()) {
            return c;
        }
    }
    // requestsByTraceId is ordered by string id, which depends on the order strings were met: compare lookups.
    for (uint32_t r = 0; r < a.requestCount(); ++r) {
        if (b.findRequest(a.str(a.requests.traceId[r])).value != r) {
            return "trace id lookup of request " + std::to_string(r) + " differs";
        }
    }
    if (a.promptVersions.size() != b.promptVersions.size() || a.deployments.size() != b.deployments.size() ||
        a.tenants.size() != b.tenants.size()) {
        return "prompt version, deployment or tenant counts differ";
    }
    for (size_t i = 0; i < a.promptVersions.size(); ++i) {
        const auto& p = a.promptVersions[i];
        const auto& q = b.promptVersions[i];
        const bool same = a.str(p.prompt) == b.str(q.prompt) && a.str(p.version) == b.str(q.version) &&
                          a.str(p.model) == b.str(q.model) && a.str(p.deployedBy) == b.str(q.deployedBy) &&
                          a.str(p.changeNote) == b.str(q.changeNote) && a.str(p.evalSuite) == b.str(q.evalSuite) &&
                          p.deployedAtNs == q.deployedAtNs &&
                          (p.temperature == q.temperature || (std::isnan(p.temperature) && std::isnan(q.temperature)));
        if (!same) {
            return "prompt version " + std::to_string(i) + " differs";
        }
    }
    for (size_t i = 0; i < a.deployments.size(); ++i) {
        const auto& p = a.deployments[i];
        const auto& q = b.deployments[i];
        if (a.str(p.prompt) != b.str(q.prompt) || a.str(p.version) != b.str(q.version) ||
            a.str(p.environment) != b.str(q.environment) || a.str(p.by) != b.str(q.by) ||
            a.str(p.note) != b.str(q.note) || p.atNs != q.atNs || p.trafficPercent != q.trafficPercent) {
            return "deployment " + std::to_string(i) + " differs";
        }
    }
    for (size_t i = 0; i < a.tenants.size(); ++i) {
        if (a.str(a.tenants[i].tenant) != b.str(b.tenants[i].tenant) ||
            a.str(a.tenants[i].tier) != b.str(b.tenants[i].tier)) {
            return "tenant " + std::to_string(i) + " differs";
        }
    }
    if (a.issueCount != b.issueCount || a.issues.size() != b.issues.size()) {
        return "parse issue counts differ: " + std::to_string(a.issueCount) + " vs " + std::to_string(b.issueCount);
    }
    for (size_t i = 0; i < a.issues.size(); ++i) {
        if (a.issues[i].file != b.issues[i].file || a.issues[i].line != b.issues[i].line ||
            a.issues[i].message != b.issues[i].message) {
            return "parse issue " + std::to_string(i) + " differs";
        }
    }
    if (a.stats.costFromPricing != b.stats.costFromPricing || a.stats.costUnknown != b.stats.costUnknown) {
        return "cost statistics differ";
    }
    return {};
}

// Everything the details panel shows, except the source path and offset the record was read at.
inline std::string detailsText(const SpanDetails& d) {
    std::ostringstream out;
    out << "error=" << d.error << "\nnotice=" << d.notice << "\nbytes=" << d.recordBytes << "\ntrace=" << d.traceId
        << "\nspan=" << d.spanId << "\nparent=" << d.parentSpanId << "\nstate=" << d.traceState << "\nname=" << d.name
        << "\nkind=" << d.kind << "\nstatus=" << d.statusCode << ' ' << d.statusMessage << "\ntimes=" << d.startNs
        << ' ' << d.endNs << "\nscope=" << d.scopeName << ' ' << d.scopeVersion << '\n';
    auto attributes = [&out](const std::vector<DetailAttribute>& list) {
        for (const DetailAttribute& a : list) {
            out << "  " << a.key << '=' << a.value << " (" << a.type << ", " << attributeGroupName(a.group) << ")\n";
        }
    };
    attributes(d.attributes);
    for (const DetailEvent& e : d.events) {
        out << "event " << e.name << ' ' << e.timeNs << ' ' << e.exceptionType << ' ' << e.exceptionMessage << ' '
            << e.stacktrace << '\n';
        attributes(e.attributes);
    }
    for (const DetailLink& l : d.links) {
        out << "link " << l.traceId << ' ' << l.spanId << ' ' << l.traceState << '\n';
        attributes(l.attributes);
    }
    out << "messages from " << d.messagesFrom << '\n' << messagesAsText(d);
    return out.str();
}

}  // namespace ps::testing
