#include "comparisonformat.h"

#include <cmath>
#include <cstdio>

#include "jsonwriter.h"

namespace ps {
namespace {

std::string printf1(const char* format, double v) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, v);
    return buffer;
}

bool distributionMetric(const MetricComparison& m) {
    return m.summaryA.n + m.summaryB.n > 0 && std::isnan(m.percentile);
}

void writeSummary(JsonWriter& w, const SideSummary& s) {
    w.beginObject();
    w.key("n").value(s.n);
    w.key("p50").value(s.p50);
    w.key("p95").value(s.p95);
    w.key("p99").value(s.p99);
    w.key("mean").value(s.mean);
    w.endObject();
}

void writeMetric(JsonWriter& w, const MetricComparison& m) {
    w.beginObject();
    w.key("name").value(m.key);
    w.key("label").value(m.label);
    if (distributionMetric(m)) {
        w.key("a");
        writeSummary(w, m.summaryA);
        w.key("b");
        writeSummary(w, m.summaryB);
    } else {
        w.key("a").value(m.a);
        w.key("b").value(m.b);
        w.key("n_a").value(m.nA);
        w.key("n_b").value(m.nB);
    }
    if (m.unit == MetricUnit::Fraction) {
        w.key("events_a").value(m.eventsA);
        w.key("events_b").value(m.eventsB);
    }
    w.key("diff").value(m.diff);
    w.key("relative").value(m.relative);
    w.key("ci95");
    if (m.ci.isFinite()) {
        w.beginArray().value(m.ci.low).value(m.ci.high).endArray();
    } else {
        w.null();
    }
    w.key("p_value").value(m.pValue);
    w.key("p_adjusted").value(m.pAdjusted);
    w.key("test").value(statTestKey(m.test));
    w.key("verdict").value(verdictKey(m.verdict));
    w.key("more_requests").value(m.moreRequests);
    w.endObject();
}

std::vector<std::string> cellsOf(const MetricComparison& m) {
    std::string ci = "-";
    if (m.ci.isFinite()) {
        ci = "[" + formatMetricDiff(m.unit, m.ci.low) + ", " + formatMetricDiff(m.unit, m.ci.high) + "]";
    }
    std::string more = "-";
    if (m.verdict == Verdict::Better || m.verdict == Verdict::Worse || m.verdict == Verdict::Higher ||
        m.verdict == Verdict::Lower) {
        more = "settled";
    } else if (std::isfinite(m.moreRequests) && m.moreRequests > 0) {
        more = printf1("%.0f", m.moreRequests);
    }
    return {m.label,
            formatMetricValue(m.unit, m.a),
            formatMetricValue(m.unit, m.b),
            formatMetricDiff(m.unit, m.diff),
            std::isfinite(m.relative) ? printf1("%+.1f%%", m.relative * 100) : "-",
            ci,
            m.test == StatTest::Bootstrap && m.pValue <= 0.001 ? "<=0.001" : formatPValue(m.pValue),
            std::string(statTestName(m.test).empty() ? "-" : statTestName(m.test)),
            std::string(verdictText(m.verdict)),
            more};
}

std::vector<std::string> headerOf(const ComparisonReport& r) {
    return {"metric", r.comparison.labelA, r.comparison.labelB, "diff", "rel.", "95% CI", "p", "test", "verdict",
            "more req."};
}

std::string titleOf(const ComparisonReport& r) {
    std::string t = r.prompt.empty() ? "" : r.prompt + ": ";
    t += r.comparison.labelA + " (baseline, " + std::to_string(r.comparison.requestsA) + " requests) vs " +
         r.comparison.labelB + " (" + std::to_string(r.comparison.requestsB) + " requests)";
    return t;
}

}  // namespace

std::string formatMetricValue(MetricUnit unit, double v) {
    if (!std::isfinite(v)) {
        return "-";
    }
    switch (unit) {
    case MetricUnit::Fraction: return printf1(std::fabs(v) < 0.1 ? "%.2f%%" : "%.1f%%", v * 100);
    case MetricUnit::DurationMs: return std::fabs(v) >= 1000 ? printf1("%.2f s", v / 1000) : printf1("%.0f ms", v);
    case MetricUnit::Usd: return std::fabs(v) >= 1 ? printf1("$%.2f", v) : printf1("$%.5f", v);
    case MetricUnit::Tokens:
    case MetricUnit::Count: return printf1("%.0f", v);
    case MetricUnit::Ratio: return printf1("%.3f", v);
    case MetricUnit::Score: return printf1("%.2f", v);
    }
    return "-";
}

std::string formatMetricDiff(MetricUnit unit, double v) {
    if (!std::isfinite(v)) {
        return "-";
    }
    if (unit == MetricUnit::Fraction) {
        return printf1("%+.2f pp", v * 100);
    }
    const std::string text = formatMetricValue(unit, std::fabs(v));
    if (v == 0) {
        return text;
    }
    return (v > 0 ? "+" : "-") + text;
}

std::string formatPValue(double p) {
    if (std::isnan(p)) {
        return "-";
    }
    if (p < 0.0001) {
        return "<0.0001";
    }
    return p < 0.01 ? printf1("%.4f", p) : printf1("%.3f", p);
}

std::string formatComparisonJson(const ComparisonReport& r) {
    JsonWriter w;
    w.beginObject();
    w.key("by").value(r.by);
    w.key("prompt").value(r.prompt);
    w.key("a").value(r.a);
    w.key("b").value(r.b);
    w.key("requests").beginObject();
    w.key("a").value(r.comparison.requestsA);
    w.key("b").value(r.comparison.requestsB);
    w.endObject();
    w.key("metrics").beginArray();
    for (const MetricComparison& m : r.comparison.metrics) {
        writeMetric(w, m);
    }
    w.endArray();
    w.key("rules").beginArray();
    for (const RuleResult& rule : r.rules) {
        w.beginObject();
        w.key("name").value(rule.name);
        w.key("passed").boolean(rule.passed);
        w.key("waiting").boolean(rule.waiting);
        w.key("detail").value(rule.detail);
        w.endObject();
    }
    w.endArray();
    w.endObject();
    return w.text();
}

std::string formatComparisonTable(const ComparisonReport& r) {
    const std::vector<std::string> head = headerOf(r);
    std::vector<std::vector<std::string>> rows;
    for (const MetricComparison& m : r.comparison.metrics) {
        rows.push_back(cellsOf(m));
    }
    std::vector<size_t> width(head.size());
    for (size_t c = 0; c < head.size(); ++c) {
        width[c] = head[c].size();
        for (const auto& row : rows) {
            width[c] = std::max(width[c], row[c].size());
        }
    }
    auto line = [&](const std::vector<std::string>& cells) {
        std::string out;
        for (size_t c = 0; c < cells.size(); ++c) {
            const std::string pad(width[c] - cells[c].size(), ' ');
            out += c == 0 ? cells[c] + pad : "  " + pad + cells[c];
        }
        return out + "\n";
    };
    std::string out = titleOf(r) + "\n\n" + line(head);
    for (const auto& row : rows) {
        out += line(row);
    }
    out += "\nRelease rules:\n";
    for (const RuleResult& rule : r.rules) {
        out += std::string(rule.passed ? (rule.waiting ? "  WAIT  " : "  PASS  ") : "  FAIL  ") + rule.name + ": " +
               rule.detail + "\n";
    }
    out += "\nVerdicts use p-values adjusted for the number of metrics (Benjamini-Hochberg) at 5%.\n";
    return out;
}

std::string formatComparisonMarkdown(const ComparisonReport& r) {
    const std::vector<std::string> head = headerOf(r);
    std::string out = "**" + titleOf(r) + "**\n\n|";
    for (const std::string& h : head) {
        out += " " + h + " |";
    }
    out += "\n|";
    for (size_t c = 0; c < head.size(); ++c) {
        out += c == 0 ? "---|" : "---:|";
    }
    out += "\n";
    for (const MetricComparison& m : r.comparison.metrics) {
        out += "|";
        for (const std::string& cell : cellsOf(m)) {
            out += " " + cell + " |";
        }
        out += "\n";
    }
    out += "\n| release rule | result | measured |\n|---|---|---|\n";
    for (const RuleResult& rule : r.rules) {
        out += "| " + rule.name + " | " + (rule.passed ? (rule.waiting ? "waiting" : "pass") : "**FAIL**") + " | " +
               rule.detail + " |\n";
    }
    return out;
}

}  // namespace ps
