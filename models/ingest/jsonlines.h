// Splits a file into JSON documents for simdjson: one per line for JSON Lines (in parallel, chunks cut at line
// boundaries, each read through a window buffer that always has simdjson's padding after it), or the whole file
// as one document (parsed in the mapping when it has room for the padding, else copied).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "sourcereader.h"

namespace simdjson {
struct padded_string_view;
}

namespace ps {

struct JsonDocument {
    const char* data;      // the document's bytes, readable for at least size + 64 bytes
    size_t size;
    uint64_t fileOffset;   // of data[0] within the file
    uint64_t line;         // 1-based line of data[0]
};

// One per worker thread. Implementations keep their simdjson parser as a member, so it is reused.
class JsonDocumentHandler {
public:
    virtual ~JsonDocumentHandler() = default;
    // Parse one document into batch. Report problems with batch.addIssue(file, line, message).
    virtual void handle(const JsonDocument& doc, RecordBatch& batch) = 0;
};

using HandlerFactory = std::function<std::unique_ptr<JsonDocumentHandler>()>;

// True when the file is JSON Lines (first non-blank line is a whole JSON object), false for one document.
bool looksLikeJsonLines(std::string_view bytes);

// Runs handlers over every non-blank line (jsonLines) or over the whole file, hands the batches to the builder,
// fixes up line numbers, and returns the total records handed over (spans + evals + signals + other records).
ReadOutcome readJsonDocuments(const MappedFile& file, const ReadRequest& request, DatasetBuilder& builder,
                              bool jsonLines, const HandlerFactory& makeHandler);

// The 1-based line of byte `offset` in bytes starting at line `firstLine` (for issues inside one document).
uint64_t lineAt(const char* begin, uint64_t offset, uint64_t firstLine);

}  // namespace ps
