#include "requestlogwriter.h"

namespace ps::scenario {

void writeCatalogRecords(JsonOut& out, const Traffic& traffic) {
    for (const PromptVersionInfo& p : traffic.promptVersions()) {
        out.raw("{\"type\":\"prompt_version\",\"prompt\":").str(p.prompt).raw(",\"version\":").str(p.version);
        out.raw(",\"model\":").str(p.model).raw(",\"temperature\":").number(p.temperature);
        out.raw(",\"deployed_by\":").str(p.deployedBy).raw(",\"deployed_at\":").str(isoTime(p.deployedAtNs));
        out.raw(",\"change_note\":").str(p.changeNote).raw(",\"eval_suite\":").str(p.evalSuite).raw("}");
        out.endLine();
    }
    for (const DeploymentInfo& d : traffic.deployments()) {
        out.raw("{\"type\":\"deployment\",\"prompt\":").str(d.prompt).raw(",\"version\":").str(d.version);
        out.raw(",\"environment\":").str(d.environment).raw(",\"traffic_percent\":").number(d.trafficPercent);
        out.raw(",\"at\":").str(isoTime(d.atNs)).raw(",\"by\":").str(d.by).raw(",\"note\":").str(d.note).raw("}");
        out.endLine();
    }
    for (const TenantInfo& t : traffic.tenants()) {
        out.raw("{\"type\":\"tenant\",\"tenant_id\":").str(t.id).raw(",\"tier\":").str(t.tier).raw("}");
        out.endLine();
    }
}

void writeRequestRecord(JsonOut& out, const Request& r) {
    out.raw("{\"type\":\"request\",\"request_id\":").str(r.traceId).raw(",\"trace_id\":").str(r.traceId);
    out.raw(",\"timestamp\":").str(isoTime(r.startNs)).raw(",\"feature_id\":").str(r.feature);
    out.raw(",\"model_id\":").str(r.model).raw(",\"provider\":").str(r.provider);
    out.raw(",\"prompt_name\":").str(r.promptName).raw(",\"prompt_version\":").str(r.promptVersion);
    out.raw(",\"latency_ms\":").number(static_cast<double>(r.endNs - r.startNs) / 1e6);
    out.raw(",\"input_tokens\":").integer(r.inputTokens).raw(",\"output_tokens\":").integer(r.outputTokens);
    out.raw(",\"cached_tokens\":").integer(r.cachedTokens).raw(",\"cost_usd\":").number(r.costUsd);
    out.raw(",\"finish_reason\":").str(r.finishReason).raw(",\"error\":");
    if (r.error) {
        out.raw("{\"type\":").str(r.errorType).raw(",\"message\":").str(r.errorMessage);
        if (r.httpStatus) {
            out.raw(",\"status\":").integer(r.httpStatus);
        }
        out.raw("}");
    } else {
        out.raw("null");
    }
    out.raw(",\"session_id\":").str(r.session).raw(",\"user_id\":").str(r.user);
    out.raw(",\"tenant_id\":").str(r.tenant).raw(",\"tenant_tier\":").str(r.tier);
    out.raw(",\"environment\":").str(r.environment).raw(",\"tool_calls\":").integer(r.toolCalls).raw("}");
    out.endLine();
}

void writeQualityRecords(JsonOut& out, const Request& r) {
    if (!r.judge.empty()) {
        double sum = 0;
        for (const Eval& e : r.judge) {
            sum += e.score;
        }
        out.raw("{\"type\":\"quality_judgement\",\"request_id\":").str(r.traceId);
        out.raw(",\"feature_id\":").str(r.feature).raw(",\"quality_score\":").number(r.flagged ? std::min(2.0, sum / 3) : sum / 3);
        out.raw(",\"dimensions\":{");
        for (size_t i = 0; i < r.judge.size(); ++i) {
            out.raw(i ? "," : "").str(r.judge[i].name).raw(":").number(r.judge[i].score);
        }
        out.raw("},\"flagged\":").raw(r.flagged ? "true" : "false");
        out.raw(",\"flag_reason\":").str(r.flagged ? r.judge.front().explanation : std::string());
        out.raw(",\"judged_at\":").str(isoTime(r.endNs + 60000000000LL)).raw("}");
        out.endLine();
    }
    for (const Eval& e : r.rules) {
        out.raw("{\"type\":\"eval\",\"request_id\":").str(r.traceId).raw(",\"name\":").str(e.name);
        out.raw(",\"score\":").number(e.score).raw(",\"label\":").str(e.pass ? "pass" : "fail");
        out.raw(",\"source\":").str(e.source).raw("}");
        out.endLine();
    }
}

void writeSignalRecords(JsonOut& out, const Request& r) {
    for (const Signal& s : r.signals) {
        out.raw("{\"type\":\"user_signal\",\"request_id\":").str(r.traceId).raw(",\"session_id\":").str(r.session);
        out.raw(",\"signal_type\":").str(s.type).raw(",\"timestamp\":").str(isoTime(s.timeNs));
        out.raw(",\"metadata\":{\"feature\":").str(r.feature).raw("}}");
        out.endLine();
    }
}

}  // namespace ps::scenario
