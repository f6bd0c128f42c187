// Test helper: a Dataset's requests as text, one block per request sorted by trace id, so two datasets that
// hold the same requests compare equal whatever their row order (a snapshot appended to by live refresh keeps
// requests in start order, but breaks ties differently from one read of everything). Each block holds the
// request's figures, its spans (parent as a position within the request), model calls, evals and signals.
#pragma once

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "dataset.h"

namespace ps::testing {

inline std::string requestsText(const Dataset& d) {
    const auto number = [](double v) { return std::isnan(v) ? std::string("nan") : std::to_string(v); };
    std::vector<std::vector<std::string>> evalLines(d.requestCount());
    for (size_t e = 0; e < d.evals.size(); ++e) {
        const uint32_t span = d.evals.span[e];
        const uint32_t first = d.requests.firstSpan[d.evals.request[e]];
        evalLines[d.evals.request[e]].push_back(
            "  eval " + std::string(d.str(d.evals.name[e])) + " span " +
            (span == SpanIndex::kInvalid ? std::string("-") : std::to_string(span - first)) + " " +
            number(d.evals.score[e]) + " " + std::string(d.str(d.evals.label[e])) + " " +
            std::to_string(static_cast<int>(d.evals.outcome[e])) + " " + std::string(d.str(d.evals.source[e])));
    }
    for (size_t s = 0; s < d.signals.size(); ++s) {
        if (d.signals.request[s] != RequestIndex::kInvalid) {
            evalLines[d.signals.request[s]].push_back(
                "  signal " + std::to_string(static_cast<int>(d.signals.type[s])) + " " +
                std::to_string(d.signals.timeNs[s]) + " " + number(d.signals.value[s]));
        }
    }
    std::vector<std::string> blocks;
    for (uint32_t r = 0; r < d.requestCount(); ++r) {
        const RequestColumns& q = d.requests;
        const RequestIndex request{r};
        std::ostringstream out;
        out << d.str(q.traceId[r]) << " start " << q.startNs[r] << " duration " << q.durationNs[r] << " flags "
            << q.flags[r] << " class " << static_cast<int>(q.errorClass[r]);
        for (const auto* dim : {&q.feature, &q.promptName, &q.promptVersion, &q.model, &q.provider, &q.environment,
                                &q.user, &q.session, &q.tenant, &q.finishReason}) {
            out << " [" << d.str((*dim)[r]) << ']';
        }
        out << " tokens " << q.inputTokens[r] << '/' << q.outputTokens[r] << '/' << q.cachedTokens[r] << " cost "
            << number(q.costUsd[r]) << " tools " << q.toolCalls[r] << " evals " << int(q.evalPass[r]) << '/'
            << int(q.evalFail[r]) << '\n';
        const uint32_t first = q.firstSpan[r];
        for (uint32_t s = first; s < d.spanEnd(request); ++s) {
            const uint32_t parent = d.spans.parent[s];
            out << "  span " << (parent == SpanIndex::kInvalid ? std::string("-") : std::to_string(parent - first))
                << ' ' << d.str(d.spans.name[s]) << ' ' << static_cast<int>(d.spans.kind[s]) << ' '
                << static_cast<int>(d.spans.status[s]) << ' ' << d.spans.startNs[s] << ' ' << d.spans.durationNs[s]
                << '\n';
        }
        for (uint32_t g = q.firstGeneration[r]; g < d.generationEnd(request); ++g) {
            const GenerationColumns& c = d.generations;
            out << "  call " << c.span[g] - first << ' ' << d.str(c.model[g]) << ' ' << d.str(c.promptName[g]) << ' '
                << d.str(c.promptVersion[g]) << ' ' << c.inputTokens[g] << '/' << c.outputTokens[g] << ' '
                << number(c.costUsd[g]) << ' ' << c.ttftUs[g] << '\n';
        }
        std::sort(evalLines[r].begin(), evalLines[r].end());
        for (const std::string& line : evalLines[r]) {
            out << line << '\n';
        }
        blocks.push_back(out.str());
    }
    std::sort(blocks.begin(), blocks.end());
    std::string text;
    for (const std::string& b : blocks) {
        text += b;
    }
    return text;
}

// The first line where two texts differ, with its number, for a readable failure message.
inline std::string firstDifference(const std::string& a, const std::string& b) {
    std::istringstream x(a);
    std::istringstream y(b);
    std::string la;
    std::string lb;
    for (int line = 1;; ++line) {
        const bool ga = static_cast<bool>(std::getline(x, la));
        const bool gb = static_cast<bool>(std::getline(y, lb));
        if (!ga && !gb) {
            return {};
        }
        if (!ga || !gb || la != lb) {
            return "line " + std::to_string(line) + ":\n  " + (ga ? la : "(end)") + "\n  " + (gb ? lb : "(end)");
        }
    }
}

}  // namespace ps::testing
