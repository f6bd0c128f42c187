// Each span's full source record, collected for saving a dataset into PromptScope's own tables: the JSON
// object the span came from and, for OTLP, the resource and scope it was exported under (numbered once per
// distinct pair, as the Collector repeats one resource on every line). Records come from the source files the
// dataset was loaded from, or from the own tables of the database it was read from.
//
// prepare() walks each OTLP document once, in file order, to know every span's envelope and length; record()
// then costs a copy of the span's bytes (a scan for request-log records). prepare() may run on another thread
// than record(), one after the other.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dataset.h"
#include "promptscopetables.h"

namespace ps {

struct EnvelopeText {
    std::string resourceJson;
    std::string scopeJson;
};

class SpanRecordCollector {
public:
    explicit SpanRecordCollector(DatasetPtr data);
    ~SpanRecordCollector();
    SpanRecordCollector(const SpanRecordCollector&) = delete;
    SpanRecordCollector& operator=(const SpanRecordCollector&) = delete;

    // Opens every source (checking that files did not change since they were loaded) and finds the envelope
    // of every OTLP span. keepGoing is polled now and then; false stops (returns false, *error empty).
    bool prepare(const std::function<bool()>& keepGoing, std::string* error);

    struct Record {
        RecordFormat format = RecordFormat::OtlpJson;
        std::string_view text;  // valid until the next call, or as long as the collector when `lasting`
        bool lasting = false;   // the text is in a mapped source file, not in a buffer reused by the next call
        uint32_t envelope = 0;  // 0: none; else envelopes()[envelope - 1]
    };
    // The record of the span at this row. False with *error when it cannot be read.
    bool record(uint32_t spanRow, Record* out, std::string* error);

    // Every distinct envelope met by prepare() and record(), numbered from 1.
    [[nodiscard]] const std::vector<EnvelopeText>& envelopes() const { return envelopes_; }

private:
    struct Source;
    bool prepareOtlp(Source& source, uint32_t sourceIndex, const std::function<bool()>& keepGoing);
    uint32_t envelopeId(std::string resourceJson, std::string scopeJson);

    DatasetPtr data_;
    std::vector<std::unique_ptr<Source>> sources_;
    std::vector<uint32_t> envelopeOfSpan_;  // by span row, for OTLP file sources
    std::vector<uint32_t> lengthOfSpan_;    // by span row, for OTLP file sources; 0 when not known
    std::vector<EnvelopeText> envelopes_;
    std::unordered_map<std::string, uint32_t> envelopeIds_;
    std::string buffer_;
};

}  // namespace ps
