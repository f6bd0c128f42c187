#include "requestlogreader.h"

#include <charconv>
#include <cmath>
#include "simdjsonbuiltin.h"

#include "attributemapper.h"
#include "jsonlines.h"
#include "timeparse.h"
#include "traceids.h"
#include "utf8repair.h"

namespace ps {
namespace {

namespace sj = simdjson::ondemand;

constexpr size_t kPadding = 64;

// One record's fields, as views into the parser's buffer (valid while the line is handled).
struct Fields {
    std::string_view type, requestId, traceId, sessionId, userId, tenantId, tenantTier, environment;
    std::string_view feature, model, provider, promptName, promptVersion, finishReason, timestamp;
    std::string_view errorType, errorMessage, signalType, flagReason, judgedAt;
    std::string_view prompt, version, deployedBy, deployedAt, changeNote, evalSuite, at, by, note;
    std::string_view name, label, source, explanation, tier;
    double latencyMs = kNaN;
    double inputTokens = kNaN, outputTokens = kNaN, cachedTokens = kNaN;
    double costUsd = kNaN, toolCalls = kNaN, qualityScore = kNaN, score = kNaN;
    double temperature = kNaN, trafficPercent = kNaN, signalValue = kNaN;
    double timestampNumber = kNaN, errorStatus = kNaN;
    double correctness = kNaN, completeness = kNaN, tone = kNaN;
    bool hasError = false;
    bool flagged = false;
};

std::string_view text(sj::value v) {
    switch (v.type()) {
    case sj::json_type::string:
        return v.get_string();
    case sj::json_type::number:
    case sj::json_type::boolean:
        return v.raw_json_token();
    default:
        return {};
    }
}

double number(sj::value v) {
    switch (v.type()) {
    case sj::json_type::number:
        return v.get_double();
    case sj::json_type::string: {
        std::string_view s = v.get_string();
        double d = kNaN;
        auto r = std::from_chars(s.data(), s.data() + s.size(), d);
        return r.ec == std::errc() ? d : kNaN;
    }
    case sj::json_type::boolean:
        return v.get_bool() ? 1.0 : 0.0;
    default:
        return kNaN;
    }
}

bool truthy(sj::value v) {
    switch (v.type()) {
    case sj::json_type::boolean:
        return v.get_bool();
    case sj::json_type::number:
        return v.get_double() != 0;
    case sj::json_type::string: {
        std::string_view s = v.get_string();
        return s == "true" || s == "True" || s == "1" || s == "yes";
    }
    default:
        return false;
    }
}

void readError(sj::value v, Fields& f) {
    switch (v.type()) {
    case sj::json_type::null:
        return;
    case sj::json_type::boolean:
        f.hasError = v.get_bool();
        return;
    case sj::json_type::string:
        f.errorMessage = v.get_string();
        f.hasError = !f.errorMessage.empty();
        return;
    case sj::json_type::object:
        f.hasError = true;
        for (sj::field field : v.get_object()) {
            std::string_view k = field.unescaped_key();
            if (k == "type" || k == "code" || k == "error_type") {
                f.errorType = text(field.value());
            } else if (k == "message") {
                f.errorMessage = text(field.value());
            } else if (k == "status" || k == "status_code" || k == "http_status") {
                f.errorStatus = number(field.value());
            }
        }
        return;
    default:
        f.hasError = true;
        return;
    }
}

void readField(std::string_view k, sj::value v, Fields& f) {
    struct TextKey {
        std::string_view key;
        std::string_view Fields::*field;
    };
    static constexpr TextKey kText[] = {
        {"type", &Fields::type},
        {"record_type", &Fields::type},
        {"request_id", &Fields::requestId},
        {"trace_id", &Fields::traceId},
        {"session_id", &Fields::sessionId},
        {"user_id", &Fields::userId},
        {"tenant_id", &Fields::tenantId},
        {"customer_id", &Fields::tenantId},
        {"tenant_tier", &Fields::tenantTier},
        {"environment", &Fields::environment},
        {"feature_id", &Fields::feature},
        {"feature", &Fields::feature},
        {"model_id", &Fields::model},
        {"model", &Fields::model},
        {"provider", &Fields::provider},
        {"prompt_name", &Fields::promptName},
        {"prompt_version", &Fields::promptVersion},
        {"finish_reason", &Fields::finishReason},
        {"timestamp", &Fields::timestamp},
        {"signal_type", &Fields::signalType},
        {"flag_reason", &Fields::flagReason},
        {"judged_at", &Fields::judgedAt},
        {"prompt", &Fields::prompt},
        {"version", &Fields::version},
        {"deployed_by", &Fields::deployedBy},
        {"deployed_at", &Fields::deployedAt},
        {"change_note", &Fields::changeNote},
        {"eval_suite", &Fields::evalSuite},
        {"at", &Fields::at},
        {"by", &Fields::by},
        {"note", &Fields::note},
        {"name", &Fields::name},
        {"label", &Fields::label},
        {"source", &Fields::source},
        {"explanation", &Fields::explanation},
        {"tier", &Fields::tier},
    };
    struct NumberKey {
        std::string_view key;
        double Fields::*field;
    };
    static constexpr NumberKey kNumbers[] = {
        {"latency_ms", &Fields::latencyMs},       {"input_tokens", &Fields::inputTokens},
        {"output_tokens", &Fields::outputTokens}, {"cached_tokens", &Fields::cachedTokens},
        {"cost_usd", &Fields::costUsd},           {"tool_calls", &Fields::toolCalls},
        {"quality_score", &Fields::qualityScore}, {"score", &Fields::score},
        {"temperature", &Fields::temperature},    {"traffic_percent", &Fields::trafficPercent},
        {"value", &Fields::signalValue},          {"rating", &Fields::signalValue},
    };
    for (const auto& t : kText) {
        if (t.key == k) {
            if (k == "timestamp" && v.type() == sj::json_type::number) {
                f.timestampNumber = v.get_double();
            } else {
                f.*(t.field) = text(v);
            }
            return;
        }
    }
    for (const auto& n : kNumbers) {
        if (n.key == k) {
            f.*(n.field) = number(v);
            return;
        }
    }
    if (k == "error") {
        readError(v, f);
    } else if (k == "flagged") {
        f.flagged = truthy(v);
    } else if ((k == "dimensions" || k == "metadata") && v.type() == sj::json_type::object) {
        for (sj::field field : v.get_object()) {
            std::string_view dk = field.unescaped_key();
            if (dk == "correctness") {
                f.correctness = number(field.value());
            } else if (dk == "completeness") {
                f.completeness = number(field.value());
            } else if (dk == "tone") {
                f.tone = number(field.value());
            } else if (dk == "rating" || dk == "value") {
                f.signalValue = number(field.value());
            }
        }
    }
}

enum class Kind { Unknown, Request, Signal, Judgement, Eval, PromptVersion, Deployment, Tenant };

Kind kindOf(const Fields& f) {
    if (!f.type.empty()) {
        if (f.type == "request" || f.type == "llm_request" || f.type == "generation") return Kind::Request;
        if (f.type == "user_signal" || f.type == "signal" || f.type == "feedback") return Kind::Signal;
        if (f.type == "quality_judgement" || f.type == "quality_judgment" || f.type == "judgement") return Kind::Judgement;
        if (f.type == "eval" || f.type == "evaluation" || f.type == "score") return Kind::Eval;
        if (f.type == "prompt_version") return Kind::PromptVersion;
        if (f.type == "deployment") return Kind::Deployment;
        if (f.type == "tenant") return Kind::Tenant;
        return Kind::Unknown;
    }
    if (!f.signalType.empty()) return Kind::Signal;
    if (!std::isnan(f.qualityScore)) return Kind::Judgement;
    if (!f.prompt.empty() && !f.version.empty()) {
        return !f.deployedAt.empty() || !f.changeNote.empty() || !f.evalSuite.empty() ? Kind::PromptVersion
                                                                                      : Kind::Deployment;
    }
    if (!f.requestId.empty() || !std::isnan(f.latencyMs) || !f.model.empty()) return Kind::Request;
    return Kind::Unknown;
}

class RequestLogHandler final : public JsonDocumentHandler {
public:
    RequestLogHandler(SourceIndex source, std::string file) : source_(source), file_(std::move(file)) {}

    void handle(const JsonDocument& doc, RecordBatch& batch) override {
        std::string repaired;
        auto parsed = parser_.iterate(simdjson::padded_string_view(doc.data, doc.size, doc.size + kPadding));
        if (parsed.error() == simdjson::UTF8_ERROR) {
            repaired.assign(doc.data, doc.size);
            const size_t fixed = repairUtf8(repaired);
            batch.addIssue(file_, doc.line, "invalid UTF-8: " + std::to_string(fixed) + " byte(s) replaced with '?'");
            repaired.append(kPadding, '\0');
            parsed = parser_.iterate(simdjson::padded_string_view(repaired.data(), doc.size, repaired.size()));
        }
        if (parsed.error() != simdjson::SUCCESS) {
            batch.addIssue(file_, doc.line, std::string("not valid JSON: ") + simdjson::error_message(parsed.error()));
            return;
        }
        Fields f;
        try {
            sj::document document = std::move(parsed.value_unsafe());
            if (document.type() != sj::json_type::object) {
                batch.addIssue(file_, doc.line, "expected one JSON object per line");
                return;
            }
            for (sj::field field : document.get_object()) {
                readField(field.unescaped_key(), field.value(), f);
            }
        } catch (const simdjson::simdjson_error& e) {
            batch.addIssue(file_, doc.line, std::string("malformed record: ") + e.what());
            return;
        }
        SpanAttributeMapper m(batch.strings);
        switch (kindOf(f)) {
        case Kind::Request:
            addRequest(f, doc, batch, m);
            break;
        case Kind::Signal:
            addSignal(f, doc, batch, m);
            break;
        case Kind::Judgement:
            addJudgement(f, batch, m);
            break;
        case Kind::Eval:
            addEval(f, batch, m);
            break;
        case Kind::PromptVersion: {
            PromptVersionRecord p;
            p.prompt = m.intern(f.prompt);
            p.version = m.intern(f.version);
            p.model = m.intern(f.model);
            p.temperature = f.temperature;
            p.deployedBy = m.intern(f.deployedBy);
            parseTimestamp(f.deployedAt, &p.deployedAtNs);
            p.changeNote = m.intern(f.changeNote);
            p.evalSuite = m.intern(f.evalSuite);
            batch.promptVersions.push_back(p);
            break;
        }
        case Kind::Deployment: {
            DeploymentRecord d;
            d.prompt = m.intern(f.prompt);
            d.version = m.intern(f.version);
            d.environment = m.intern(f.environment);
            d.trafficPercent = std::isnan(f.trafficPercent) ? 100.0 : f.trafficPercent;
            if (!parseTimestamp(f.at.empty() ? f.deployedAt : f.at, &d.atNs)) {
                batch.addIssue(file_, doc.line, "deployment without a valid time ('at'); skipped");
                break;
            }
            d.by = m.intern(f.by.empty() ? f.deployedBy : f.by);
            d.note = m.intern(f.note.empty() ? f.changeNote : f.note);
            batch.deployments.push_back(d);
            break;
        }
        case Kind::Tenant:
            if (f.tenantId.empty()) {
                batch.addIssue(file_, doc.line, "tenant record without tenant_id; skipped");
            } else {
                batch.tenants.push_back({m.intern(f.tenantId), m.intern(f.tier.empty() ? f.tenantTier : f.tier)});
            }
            break;
        case Kind::Unknown:
            batch.addIssue(file_, doc.line,
                           f.type.empty() ? std::string("record kind not recognised (no type, request_id or signal_type)")
                                          : "unknown record type '" + std::string(f.type.substr(0, 64)) + "'");
            break;
        }
    }

private:
    bool timeOf(const Fields& f, std::string_view textTime, int64_t* ns) const {
        if (!textTime.empty()) {
            return parseTimestamp(textTime, ns);
        }
        if (!std::isnan(f.timestampNumber)) {
            *ns = epochToNs(f.timestampNumber);
            return true;
        }
        return false;
    }

    void addRequest(const Fields& f, const JsonDocument& doc, RecordBatch& batch, SpanAttributeMapper& m) {
        RawSpan s;
        std::string_view id = !f.requestId.empty() ? f.requestId : f.traceId;
        if (id.empty()) {
            batch.addIssue(file_, doc.line, "request without request_id; skipped");
            return;
        }
        if (!timeOf(f, f.timestamp, &s.startNs)) {
            batch.addIssue(file_, doc.line, "request without a valid timestamp; skipped");
            return;
        }
        double latency = f.latencyMs;
        if (std::isnan(latency) || latency < 0) {
            batch.addIssue(file_, doc.line, "request without a valid latency_ms; duration set to 0");
            latency = 0;
        }
        s.traceId = batch.strings.intern(canonicalTraceId(id, scratch_));
        s.spanId = hashId(id) | 1;
        s.endNs = s.startNs + static_cast<int64_t>(std::llround(latency * 1e6));
        s.name = m.intern(f.feature.empty() ? std::string_view("request") : f.feature);
        s.kind = SpanKind::Llm;
        s.model = m.intern(f.model);
        s.provider = m.intern(f.provider);
        s.promptName = m.intern(f.promptName);
        s.promptVersion = m.intern(f.promptVersion);
        s.feature = m.intern(f.feature);
        s.user = m.intern(f.userId);
        s.session = m.intern(f.sessionId);
        s.tenant = m.intern(f.tenantId);
        s.tenantTier = m.intern(f.tenantTier);
        s.environment = m.intern(f.environment);
        s.finishReason = m.intern(f.finishReason);
        auto count = [](double v) { return std::isnan(v) || v < 0 ? int64_t{-1} : static_cast<int64_t>(v); };
        s.inputTokens = count(f.inputTokens);
        s.outputTokens = count(f.outputTokens);
        s.cachedTokens = count(f.cachedTokens);
        s.costUsd = f.costUsd >= 0 ? f.costUsd : kNaN;
        if (f.hasError || f.finishReason == "error") {
            s.status = SpanStatus::Error;
            s.errorType = m.intern(f.errorType);
            s.statusMessage = m.intern(f.errorMessage);
            if (f.errorStatus >= 0 && f.errorStatus < 65536) {
                s.httpStatus = static_cast<uint16_t>(f.errorStatus);
            }
        } else {
            s.status = SpanStatus::Ok;
        }
        s.cold = ColdRef::make(source_, doc.fileOffset);
        batch.spans.push_back(s);
    }

    void addSignal(const Fields& f, const JsonDocument& doc, RecordBatch& batch, SpanAttributeMapper& m) {
        RawSignal sig;
        if (!parseSignalType(f.signalType, &sig.type)) {
            batch.addIssue(file_, doc.line, "unknown signal_type '" + std::string(f.signalType.substr(0, 64)) + "'");
            return;
        }
        if (f.requestId.empty() && f.sessionId.empty()) {
            batch.addIssue(file_, doc.line, "user signal without request_id or session_id; skipped");
            return;
        }
        if (!f.requestId.empty()) {
            sig.requestId = batch.strings.intern(canonicalTraceId(f.requestId, scratch_));
        }
        sig.session = m.intern(f.sessionId);
        timeOf(f, f.timestamp, &sig.timeNs);
        sig.value = f.signalValue;
        batch.signals.push_back(sig);
    }

    void addJudgement(const Fields& f, RecordBatch& batch, SpanAttributeMapper& m) {
        if (f.requestId.empty()) {
            return;
        }
        const StringId trace = batch.strings.intern(canonicalTraceId(f.requestId, scratch_));
        const StringId judge = m.intern("llm_judge");
        RawEval overall;
        overall.traceId = trace;
        overall.name = m.intern("quality");
        overall.score = f.qualityScore;
        overall.outcome = f.flagged || f.qualityScore < 3 ? EvalOutcome::Fail : EvalOutcome::Pass;
        overall.label = m.intern(overall.outcome == EvalOutcome::Pass ? "pass" : "fail");
        overall.explanation = m.intern(f.flagReason);
        overall.source = judge;
        batch.evals.push_back(overall);
        // Dimensions carry scores only, so the pass rate counts each judgement once.
        const std::pair<std::string_view, double> dims[] = {
            {"correctness", f.correctness}, {"completeness", f.completeness}, {"tone", f.tone}};
        for (const auto& [name, score] : dims) {
            if (!std::isnan(score)) {
                RawEval e;
                e.traceId = trace;
                e.name = m.intern(name);
                e.score = score;
                e.source = judge;
                batch.evals.push_back(e);
            }
        }
    }

    void addEval(const Fields& f, RecordBatch& batch, SpanAttributeMapper& m) {
        if (f.requestId.empty()) {
            return;
        }
        RawEval e;
        e.traceId = batch.strings.intern(canonicalTraceId(f.requestId, scratch_));
        e.name = m.intern(f.name);
        e.score = f.score;
        e.label = m.intern(f.label);
        e.outcome = outcomeFromLabel(f.label);
        e.source = m.intern(f.source);
        e.explanation = m.intern(f.explanation);
        batch.evals.push_back(e);
    }

    SourceIndex source_;
    std::string file_;
    sj::parser parser_;
    std::string scratch_;
};

}  // namespace

ReadOutcome readRequestLog(const MappedFile& file, const ReadRequest& request, DatasetBuilder& builder) {
    const std::string name = request.displayName;
    const SourceIndex source = request.source;
    return readJsonDocuments(file, request, builder, true,
                             [&] { return std::make_unique<RequestLogHandler>(source, name); });
}

}  // namespace ps
