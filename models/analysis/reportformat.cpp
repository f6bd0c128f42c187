#include "reportformat.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "jsonwriter.h"

namespace ps {
namespace {

void writeGroup(JsonWriter& w, const GroupSummary& g) {
    w.beginObject();
    w.key("key").value(g.key);
    w.key("count").value(g.count);
    w.key("errors").value(g.errors);
    w.key("error_rate").value(g.errorRate);
    w.key("refusals").value(g.refusals);
    w.key("latency_ms").beginObject();
    w.key("p50").value(g.latencyMs.p50);
    w.key("p90").value(g.latencyMs.p90);
    w.key("p95").value(g.latencyMs.p95);
    w.key("p99").value(g.latencyMs.p99);
    w.key("max").value(g.latencyMs.max);
    w.key("mean").value(g.latencyMs.mean);
    w.endObject();
    w.key("input_tokens").value(g.inputTokens);
    w.key("output_tokens").value(g.outputTokens);
    w.key("cached_tokens").value(g.cachedTokens);
    w.key("cost_usd").value(g.costUsd);
    w.key("cost_unknown").value(g.costUnknown);
    w.key("eval_pass").value(g.evalPass);
    w.key("eval_fail").value(g.evalFail);
    w.key("eval_pass_rate");
    if (g.evalPassRate) {
        w.value(*g.evalPassRate);
    } else {
        w.null();
    }
    w.endObject();
}

std::string fixed(double v, int decimals) {
    if (std::isnan(v)) {
        return "-";
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string percent(double v) {
    return std::isnan(v) ? "-" : fixed(v * 100.0, 2) + "%";
}

std::vector<std::string> header(const Report& r) {
    return {std::string(groupFieldName(r.groupBy)), r.grain == Grain::Request ? "requests" : "calls", "errors",
            "error %", "p50 ms", "p95 ms", "p99 ms", "input tok", "output tok", "cost $", "eval pass"};
}

std::vector<std::string> cells(const GroupSummary& g) {
    return {g.key,
            std::to_string(g.count),
            std::to_string(g.errors),
            percent(g.errorRate),
            fixed(g.latencyMs.p50, 1),
            fixed(g.latencyMs.p95, 1),
            fixed(g.latencyMs.p99, 1),
            std::to_string(g.inputTokens),
            std::to_string(g.outputTokens),
            fixed(g.costUsd, 4),
            g.evalPassRate ? percent(*g.evalPassRate) : "-"};
}

std::vector<std::vector<std::string>> rowsOf(const Report& r) {
    std::vector<std::vector<std::string>> rows;
    for (const GroupSummary& g : r.groups) {
        rows.push_back(cells(g));
    }
    rows.push_back(cells(r.total));
    return rows;
}

}  // namespace

std::string formatReportJson(const Report& r) {
    JsonWriter w;
    w.beginObject();
    w.key("grain").value(grainName(r.grain));
    w.key("group_by").value(groupFieldName(r.groupBy));
    w.key("total");
    writeGroup(w, r.total);
    w.key("groups").beginArray();
    for (const GroupSummary& g : r.groups) {
        writeGroup(w, g);
    }
    w.endArray();
    w.key("parse_issues").beginObject();
    w.key("count").value(r.issueCount);
    w.key("first").beginArray();
    for (const ParseIssue& i : r.firstIssues) {
        w.beginObject();
        w.key("file").value(i.file);
        w.key("line").value(i.line);
        w.key("message").value(i.message);
        w.endObject();
    }
    w.endArray();
    w.endObject();
    w.endObject();
    return w.text();
}

std::string formatReportTable(const Report& r) {
    const auto head = header(r);
    const auto rows = rowsOf(r);
    std::vector<size_t> width(head.size());
    for (size_t c = 0; c < head.size(); ++c) {
        width[c] = head[c].size();
        for (const auto& row : rows) {
            width[c] = std::max(width[c], row[c].size());
        }
    }
    std::string out;
    auto line = [&](const std::vector<std::string>& row) {
        for (size_t c = 0; c < row.size(); ++c) {
            const std::string pad(width[c] - row[c].size(), ' ');
            out += c == 0 ? row[c] + pad : "  " + pad + row[c];  // first column left, numbers right
        }
        out += '\n';
    };
    line(head);
    size_t total = 0;
    for (size_t w : width) {
        total += w + 2;
    }
    const std::string rule(total - 2, '-');
    out += rule + '\n';
    for (size_t i = 0; i + 1 < rows.size(); ++i) {
        line(rows[i]);
    }
    out += rule + '\n';
    line(rows.back());
    return out;
}

std::string formatReportMarkdown(const Report& r) {
    auto escape = [](std::string s) {
        std::string out;
        for (char c : s) {
            if (c == '|') {
                out += "\\|";
            } else if (c == '\n' || c == '\r') {
                out += ' ';
            } else {
                out += c;
            }
        }
        return out;
    };
    const auto head = header(r);
    std::string out = "|";
    for (const auto& h : head) {
        out += " " + h + " |";
    }
    out += "\n|";
    for (size_t c = 0; c < head.size(); ++c) {
        out += c == 0 ? " --- |" : " ---: |";
    }
    out += '\n';
    const auto rows = rowsOf(r);
    for (size_t i = 0; i < rows.size(); ++i) {
        out += "|";
        for (size_t c = 0; c < rows[i].size(); ++c) {
            const std::string cell = escape(rows[i][c]);
            out += " " + (i + 1 == rows.size() && c == 0 ? "**" + cell + "**" : cell) + " |";
        }
        out += '\n';
    }
    return out;
}

}  // namespace ps
