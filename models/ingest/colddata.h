// Cold data on demand: a span's full record read back from its source at the byte offset the reader kept
// (ColdRef), or from the ps_span_records row of PromptScope's own tables, parsed into SpanDetails when the span
// is opened. Nothing is kept for spans that are not open.
// Sources are read with pread() (a file cut short under a mapping would fault) and checked against the size
// and modification time recorded at load, so a file that changed or vanished gives an error, never wrong
// details. One reader per thread: it keeps its sources open between calls and is not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "dataset.h"
#include "spandetails.h"

namespace ps {

class MappedFile;

class ColdDataReader {
public:
    explicit ColdDataReader(DatasetPtr data);
    ~ColdDataReader();
    ColdDataReader(const ColdDataReader&) = delete;
    ColdDataReader& operator=(const ColdDataReader&) = delete;

    // Records larger than this are not read (the details say so).
    static constexpr uint64_t kMaxRecordBytes = uint64_t{64} << 20;

    // Everything the source says about the span at this absolute row: attributes (with the resource's and
    // scope's when withEnvelope), events, links and the conversation. Errors are in SpanDetails::error.
    SpanDetails readSpan(uint32_t spanRow, bool withEnvelope = true);

    // The span's record exactly as it is in the source. False with *error set when it cannot be read.
    bool readRecord(uint32_t spanRow, std::string* record, std::string* error);
    // readSpan for a record already read by readRecord (a search looks at the raw bytes first).
    SpanDetails parseRecord(uint32_t spanRow, const std::string& record, bool withEnvelope);

    // The input and output texts of every span of the request (message contents and tool-call arguments),
    // for a content search. Spans whose records cannot be read are skipped; *error says why (the first one).
    std::vector<std::string> requestTexts(RequestIndex request, std::string* error = nullptr);

    [[nodiscard]] const DatasetPtr& dataset() const { return data_; }

private:
    struct Source;
    Source* source(SourceIndex index, std::string* error);
    bool readObjectAt(Source& src, uint64_t offset, std::string* record, std::string* error);
    void readEnvelope(Source& src, uint64_t offset, SpanDetails& out);
    SpanDetails readDatabaseRow(Source& src, uint32_t spanRow);
    bool lineAround(Source& src, uint64_t offset, uint64_t* begin, uint64_t* end);
    bool readStored(Source& src, uint64_t row, std::string* error);
    SpanDetails finishDetails(uint32_t spanRow, SpanDetails out);

    DatasetPtr data_;
    std::vector<std::unique_ptr<Source>> sources_;
};

}  // namespace ps
