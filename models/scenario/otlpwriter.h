// Writes requests as OTLP/JSON Lines in the shape of the OpenTelemetry Collector's file exporter: one
// ExportTraceServiceRequest per line, spans batched per service and environment, some roots flushed a batch
// later than their children (as a collector does when a trace ends after the batch closes).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "jsonout.h"
#include "traffic.h"

namespace ps::scenario {

class OtlpWriter {
public:
    explicit OtlpWriter(JsonOut& out, size_t requestsPerLine = 40) : out_(out), perLine_(requestsPerLine) {}
    ~OtlpWriter() { finish(); }

    void add(const Request& request, bool deferRoot);
    // Writes one line holding the given spans of one service (used for very large traces).
    void writeLine(const std::string& service, const std::string& environment, const std::vector<Span>& spans,
                   const std::string& traceId);
    void finish();

private:
    struct Batch {
        std::string spans;  // comma-separated span objects
        size_t requests = 0;
    };
    void flush(const std::pair<std::string, std::string>& key, Batch& batch);
    static void appendSpan(std::string& to, const Span& span, const std::string& traceId);

    JsonOut& out_;
    size_t perLine_;
    std::map<std::pair<std::string, std::string>, Batch> batches_;
    std::map<std::pair<std::string, std::string>, std::string> deferred_;
};

}  // namespace ps::scenario
