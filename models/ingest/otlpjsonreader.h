// Reads OTLP/JSON trace exports: the Collector's file exporter (one ExportTraceServiceRequest per line), a single
// (possibly pretty-printed) request, a top-level array of requests, or bare Span objects. Accepts hex and base64
// ids, 64-bit numbers as strings or numbers, enum names, legacy instrumentationLibrarySpans, snake_case keys and
// NaN strings (FORMATS.md section 1). A line that cannot be parsed is reported and the rest is kept.
#pragma once

#include "sourcereader.h"

namespace ps {

ReadOutcome readOtlpJson(const MappedFile& file, const ReadRequest& request, DatasetBuilder& builder);

}  // namespace ps
