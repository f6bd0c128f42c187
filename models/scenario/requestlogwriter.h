// Writes request-log JSON Lines (one record per line with a `type`): requests, quality judgements, evals, user
// signals, prompt versions, deployments and tenants. The OTLP mode's companion records file uses the same writer
// for everything that is not a span.
#pragma once

#include "jsonout.h"
#include "traffic.h"

namespace ps::scenario {

void writeCatalogRecords(JsonOut& out, const Traffic& traffic);  // prompt versions, deployments, tenants
void writeRequestRecord(JsonOut& out, const Request& r);
void writeQualityRecords(JsonOut& out, const Request& r);  // quality judgement and rule evals
void writeSignalRecords(JsonOut& out, const Request& r);

}  // namespace ps::scenario
