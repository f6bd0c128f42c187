// Live refresh of PromptScope's own tables (ps_spans and the tables beside it). Their rows are numbered in the
// dataset's order and a request's spans are a range of ps_spans, so what came after a read is the requests whose
// spans lie past the last span row read: those are read with their spans, evals and signals, and the mark moves
// to the row after their last span. Rows of a request are written together (import is one transaction), so a
// request never grows after it was read.
#pragma once

#include "incrementalreader.h"

namespace ps::live {

class OwnTablesReader final : public IncrementalReader {
public:
    [[nodiscard]] Watermark markAfter(const Dataset& loaded, SourceIndex source) const override;
    bool readSince(db::Connection& connection, Watermark& mark, SourceIndex source, DatasetBuilder& into,
                   uint64_t* rows, std::string* error) override;
};

}  // namespace ps::live
