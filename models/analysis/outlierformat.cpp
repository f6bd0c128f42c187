#include "outlierformat.h"

#include <cmath>
#include <cstdio>

#include "jsonwriter.h"
#include "versionlabel.h"

namespace ps {
namespace {

std::string_view unitOf(OutlierKind kind) {
    switch (kind) {
    case OutlierKind::Slowest: return "ms";
    case OutlierKind::MostExpensive: return "usd";
    case OutlierKind::LowestScoring: return "score (0-1)";
    case OutlierKind::MostRetried: return "retries";
    case OutlierKind::LongestAgentLoops: return "tool calls";
    case OutlierKind::LargestTokenUsers: return "tokens";
    }
    return {};
}

std::string number(double v, int decimals) {
    if (std::isnan(v)) {
        return "-";
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string valueText(OutlierKind kind, double v) {
    switch (kind) {
    case OutlierKind::Slowest: return number(v, 1) + " ms";
    case OutlierKind::MostExpensive: return "$" + number(v, 5);
    case OutlierKind::LowestScoring: return number(v, 3);
    default: return number(v, 0);
    }
}

double costOf(const Dataset& d, uint32_t r) {
    return (d.requests.flags[r] & kRequestCostUnknown) && d.requests.costUsd[r] == 0 ? kNaN : d.requests.costUsd[r];
}

}  // namespace

std::string percentileRankLabel(double p) {
    if (std::isnan(p)) {
        return "-";
    }
    std::string text = number(p, 1);
    if ((text == "100.0" && p < 100) || (text == "0.0" && p > 0)) {
        // Two decimals, rounded toward 50 so that the label never claims an extreme it is not.
        const double two = p > 50 ? std::floor(p * 100) / 100 : std::ceil(p * 100) / 100;
        text = number(two, 2);
    }
    return "p" + text;
}

std::string promptVersionLabel(const Dataset& d, StringId prompt, StringId version) {
    const std::string_view name = d.str(prompt);
    const std::string_view v = d.str(version);
    if (v.empty()) {
        return std::string(name);
    }
    return name.empty() ? versionLabel(v) : std::string(name) + " " + versionLabel(v);
}

std::string_view outlierMetricWords(OutlierKind kind) {
    switch (kind) {
    case OutlierKind::Slowest: return "latency";
    case OutlierKind::MostExpensive: return "cost";
    case OutlierKind::LowestScoring: return "eval score";
    case OutlierKind::MostRetried: return "retries";
    case OutlierKind::LongestAgentLoops: return "tool calls";
    case OutlierKind::LargestTokenUsers: return "tokens";
    }
    return {};
}

std::string rankPhrase(const Dataset& d, OutlierKind kind, const OutlierRow& row) {
    const std::string_view feature = d.str(d.requests.feature[row.request.value]);
    return percentileRankLabel(row.percentile) + " of " + std::string(outlierMetricWords(kind)) +
           (feature.empty() ? std::string(" for requests without a feature") : " for " + std::string(feature));
}

std::vector<std::string_view> feedbackNames(uint16_t flags) {
    std::vector<std::string_view> out;
    static constexpr std::pair<uint16_t, std::string_view> kSignals[] = {{kRequestThumbsUp, "thumbs_up"},
                                                                         {kRequestThumbsDown, "thumbs_down"},
                                                                         {kRequestCorrection, "correction"},
                                                                         {kRequestFollowUp, "follow_up"},
                                                                         {kRequestAbandoned, "abandoned"}};
    for (const auto& [bit, name] : kSignals) {
        if (flags & bit) {
            out.push_back(name);
        }
    }
    return out;
}

std::string isoTimeUtc(int64_t ns) {
    const int64_t ms = ns >= 0 ? ns / 1000000 : -((-ns + 999999) / 1000000);
    int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
    const int64_t msOfDay = ms - days * 86400000;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    days += 719468;
    const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const int64_t doe = days - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t day = doy - (153 * mp + 2) / 5 + 1;
    const int64_t month = mp < 10 ? mp + 3 : mp - 9;
    const int64_t year = yoe + era * 400 + (month <= 2);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(year),
                  static_cast<long long>(month), static_cast<long long>(day),
                  static_cast<long long>(msOfDay / 3600000), static_cast<long long>(msOfDay / 60000 % 60),
                  static_cast<long long>(msOfDay / 1000 % 60), static_cast<long long>(msOfDay % 1000));
    return buf;
}

std::string formatOutliersJson(const Dataset& d, const OutlierTable& table, uint64_t requests) {
    JsonWriter w;
    w.beginObject();
    w.key("metric").value(outlierMetricName(table.kind));
    w.key("unit").value(unitOf(table.kind));
    w.key("requests").value(requests);
    w.key("rows").beginArray();
    for (const OutlierRow& row : table.rows) {
        const uint32_t r = row.request.value;
        const RequestColumns& q = d.requests;
        w.beginObject();
        w.key("trace_id").value(d.str(q.traceId[r]));
        w.key("value").value(row.value);
        w.key("percentile").value(row.percentile);
        w.key("distribution_size").value(static_cast<uint64_t>(row.distributionSize));
        w.key("feature").value(d.str(q.feature[r]));
        w.key("time").value(isoTimeUtc(q.startNs[r]));
        w.key("prompt").value(d.str(q.promptName[r]));
        w.key("prompt_version").value(d.str(q.promptVersion[r]));
        w.key("model").value(d.str(q.model[r]));
        w.key("latency_ms").value(static_cast<double>(q.durationNs[r]) / 1e6);
        w.key("cost_usd").value(costOf(d, r));
        w.key("tokens").value(static_cast<uint64_t>(q.inputTokens[r]) + q.outputTokens[r]);
        w.key("tool_calls").value(static_cast<uint64_t>(q.toolCalls[r]));
        w.key("eval_failures").value(static_cast<uint64_t>(q.evalFail[r]));
        w.key("feedback").beginArray();
        for (std::string_view name : feedbackNames(q.flags[r])) {
            w.value(name);
        }
        w.endArray();
        w.endObject();
    }
    w.endArray();
    w.endObject();
    return w.text();
}

std::string formatOutliersTable(const Dataset& d, const OutlierTable& table, uint64_t requests) {
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"trace id", "time (UTC)", "prompt", "model", std::string(outlierMetricWords(table.kind)),
                    "where it sits", "latency ms", "cost usd", "eval fails", "feedback"});
    for (const OutlierRow& row : table.rows) {
        const uint32_t r = row.request.value;
        std::string feedback;
        for (std::string_view name : feedbackNames(d.requests.flags[r])) {
            feedback += (feedback.empty() ? "" : ",") + std::string(name);
        }
        rows.push_back({std::string(d.str(d.requests.traceId[r])), isoTimeUtc(d.requests.startNs[r]).substr(0, 19),
                        promptVersionLabel(d, d.requests.promptName[r], d.requests.promptVersion[r]),
                        std::string(d.str(d.requests.model[r])), valueText(table.kind, row.value),
                        rankPhrase(d, table.kind, row), number(static_cast<double>(d.requests.durationNs[r]) / 1e6, 1),
                        number(costOf(d, r), 5), std::to_string(d.requests.evalFail[r]),
                        feedback.empty() ? "-" : feedback});
    }
    std::vector<size_t> width(rows.front().size(), 0);
    for (const auto& row : rows) {
        for (size_t c = 0; c < row.size(); ++c) {
            width[c] = std::max(width[c], row[c].size());
        }
    }
    std::string out;
    for (size_t i = 0; i < rows.size(); ++i) {
        for (size_t c = 0; c < rows[i].size(); ++c) {
            const std::string pad(width[c] - rows[i][c].size(), ' ');
            out += (c == 0 ? "" : "  ") + rows[i][c] + (c + 1 < rows[i].size() ? pad : "");
        }
        out += '\n';
        if (i == 0) {
            size_t total = 0;
            for (size_t w : width) {
                total += w + 2;
            }
            out += std::string(total - 2, '-') + '\n';
        }
    }
    out += std::to_string(table.rows.size()) + " of " + std::to_string(table.candidates) + " candidate requests (" +
           std::to_string(requests) + " in all); ranks are mid-rank percentiles within the request's feature\n";
    return out;
}

}  // namespace ps
