#include "otlpwriter.h"

#include <charconv>
#include <cmath>

namespace ps::scenario {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void appendHex(std::string& to, uint64_t v) {
    char buf[16];
    for (int i = 15; i >= 0; --i) {
        buf[i] = kHex[v & 15];
        v >>= 4;
    }
    to.append(buf, 16);
}

void appendInt(std::string& to, int64_t v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    to.append(buf, r.ptr);
}

void appendDouble(std::string& to, double v) {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    to.append(buf, r.ptr);
}

void appendAttrs(std::string& to, const std::vector<Attr>& attrs) {
    to += "\"attributes\":[";
    bool first = true;
    for (const Attr& a : attrs) {
        if (!first) {
            to += ',';
        }
        first = false;
        to += "{\"key\":";
        appendJsonString(to, a.key);
        to += ",\"value\":{";
        switch (a.type) {
        case Attr::Type::String:
            to += "\"stringValue\":";
            appendJsonString(to, a.s);
            break;
        case Attr::Type::Int:
            to += "\"intValue\":\"";
            appendInt(to, a.i);
            to += '"';
            break;
        case Attr::Type::Double:
            to += "\"doubleValue\":";
            appendDouble(to, a.d);
            break;
        case Attr::Type::StringArray:
            to += "\"arrayValue\":{\"values\":[{\"stringValue\":";
            appendJsonString(to, a.s);
            to += "}]}";
            break;
        }
        to += "}}";
    }
    to += ']';
}

}  // namespace

void OtlpWriter::appendSpan(std::string& to, const Span& s, const std::string& traceId) {
    to += "{\"traceId\":\"";
    to += traceId;
    to += "\",\"spanId\":\"";
    appendHex(to, s.id);
    to += '"';
    if (s.parent) {
        to += ",\"parentSpanId\":\"";
        appendHex(to, s.parent);
        to += '"';
    }
    to += ",\"name\":";
    appendJsonString(to, s.name);
    to += ",\"kind\":";
    appendInt(to, s.kind);
    to += ",\"startTimeUnixNano\":\"";
    appendInt(to, s.startNs);
    to += "\",\"endTimeUnixNano\":\"";
    appendInt(to, s.endNs);
    to += "\",";
    appendAttrs(to, s.attrs);
    if (!s.events.empty()) {
        to += ",\"events\":[";
        bool first = true;
        for (const Event& e : s.events) {
            if (!first) {
                to += ',';
            }
            first = false;
            to += "{\"timeUnixNano\":\"";
            appendInt(to, e.timeNs);
            to += "\",\"name\":";
            appendJsonString(to, e.name);
            to += ',';
            appendAttrs(to, e.attrs);
            to += '}';
        }
        to += ']';
    }
    if (s.error) {
        to += ",\"status\":{\"code\":2,\"message\":";
        appendJsonString(to, s.statusMessage);
        to += "}}";
    } else {
        to += ",\"status\":{}}";
    }
}

void OtlpWriter::add(const Request& r, bool deferRoot) {
    const auto key = std::make_pair(r.service, r.environment);
    Batch& batch = batches_[key];
    std::string& later = deferred_[key];
    // Roots held back from the previous line arrive now, after their children.
    if (!later.empty()) {
        if (!batch.spans.empty()) {
            batch.spans += ',';
        }
        batch.spans += later;
        later.clear();
    }
    for (size_t i = 0; i < r.spans.size(); ++i) {
        std::string& to = (i == 0 && deferRoot) ? later : batch.spans;
        if (!to.empty()) {
            to += ',';
        }
        appendSpan(to, r.spans[i], r.traceId);
    }
    if (++batch.requests >= perLine_) {
        flush(key, batch);
    }
}

void OtlpWriter::flush(const std::pair<std::string, std::string>& key, Batch& batch) {
    if (batch.spans.empty()) {
        return;
    }
    out_.raw("{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":")
        .str(key.first)
        .raw("}},{\"key\":\"deployment.environment\",\"value\":{\"stringValue\":")
        .str(key.second)
        .raw("}},{\"key\":\"service.version\",\"value\":{\"stringValue\":\"2026.10.1\"}}]},\"scopeSpans\":[{\"scope\":"
             "{\"name\":\"promptscope.tracegen\",\"version\":\"1.0\"},\"spans\":[")
        .raw(batch.spans)
        .raw("]}]}]}");
    out_.endLine();
    batch.spans.clear();
    batch.requests = 0;
}

void OtlpWriter::writeLine(const std::string& service, const std::string& environment, const std::vector<Span>& spans,
                           const std::string& traceId) {
    Batch batch;
    for (const Span& s : spans) {
        if (!batch.spans.empty()) {
            batch.spans += ',';
        }
        appendSpan(batch.spans, s, traceId);
    }
    flush({service, environment}, batch);
}

void OtlpWriter::finish() {
    for (auto& [key, later] : deferred_) {
        if (!later.empty()) {
            Batch& batch = batches_[key];
            if (!batch.spans.empty()) {
                batch.spans += ',';
            }
            batch.spans += later;
            later.clear();
        }
    }
    for (auto& [key, batch] : batches_) {
        flush(key, batch);
    }
}

}  // namespace ps::scenario
