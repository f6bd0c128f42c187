#include "evalcaseexport.h"

#include <cmath>
#include <unordered_map>

#include "jsonwriter.h"
#include "redaction.h"

namespace ps {
namespace {

std::string_view outcomeName(EvalOutcome o) {
    switch (o) {
        case EvalOutcome::Pass: return "pass";
        case EvalOutcome::Fail: return "fail";
        case EvalOutcome::Unknown: break;
    }
    return "unknown";
}

}  // namespace

std::string evalCasesJsonLines(const Dataset* d, const std::vector<EvalCase>& cases,
                               const RequestTextProvider& text, const std::string& incidentTitle,
                               EvalExportSummary* summary) {
    EvalExportSummary s;
    std::string out;
    auto redacted = [&s](std::string_view t) {
        size_t n = 0;
        std::string clean = redactSecrets(t, &n);
        s.redactions += n;
        return clean;
    };
    // The eval rows of the exported requests, in one pass over the evals table.
    std::unordered_map<uint32_t, std::vector<size_t>> evalRows;
    for (const EvalCase& c : cases) {
        if (d && c.request.isValid()) {
            evalRows[c.request.value];
        }
    }
    if (d && !evalRows.empty()) {
        for (size_t i = 0; i < d->evals.size(); ++i) {
            if (const auto it = evalRows.find(d->evals.request[i]); it != evalRows.end()) {
                it->second.push_back(i);
            }
        }
    }
    for (const EvalCase& c : cases) {
        const bool loaded = d && c.request.isValid() && c.request.value < d->requestCount();
        std::pair<std::string, std::string> io;
        if (loaded && text) {
            io = text(c.request);
        }
        JsonWriter w;
        w.beginObject();
        w.key("trace_id").value(c.traceId);
        w.key("request_id").value(c.requestId);
        auto textOrNull = [&](const char* key, const std::string& t) {
            w.key(key);
            if (t.empty()) {
                w.null();
            } else {
                w.value(redacted(t));
            }
        };
        textOrNull("input", io.first);
        textOrNull("output", io.second);
        s.withText += io.first.empty() && io.second.empty() ? 0 : 1;
        w.key("labels").beginArray();
        for (const EvalCaseLabel& l : c.labels) {
            w.beginObject();
            w.key("label").value(l.label);
            w.key("note").value(redacted(l.note));
            w.key("reviewer").value(l.reviewer);
            w.endObject();
        }
        w.endArray();
        w.key("evals").beginArray();
        if (loaded) {
            const EvalColumns& e = d->evals;
            for (const size_t i : evalRows[c.request.value]) {
                w.beginObject();
                w.key("name").value(d->str(e.name[i]));
                w.key("score").value(e.score[i]);  // NaN is written as null
                w.key("outcome").value(outcomeName(e.outcome[i]));
                w.endObject();
            }
        }
        w.endArray();
        auto dimension = [&](const char* key, std::vector<StringId> RequestColumns::*column) {
            w.key(key);
            if (loaded) {
                w.value(d->str((d->requests.*column)[c.request.value]));
            } else {
                w.null();
            }
        };
        dimension("feature", &RequestColumns::feature);
        dimension("prompt_version", &RequestColumns::promptVersion);
        dimension("model", &RequestColumns::model);
        w.key("incident").value(incidentTitle);
        w.endObject();
        out += w.text();
        out += '\n';
        ++s.cases;
    }
    if (summary) {
        *summary = s;
    }
    return out;
}

}  // namespace ps
