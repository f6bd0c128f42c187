// Live refresh of Langfuse v2's tables. A Langfuse trace is one request whose observations and scores arrive
// over time (an agent run writes its steps as it goes; scores come when a judge or a user gives them), so a
// refresh works per trace: it scans traces, observations and scores for rows past the mark (by updated_at when
// every table has it, as Langfuse's own do; else by each row's own time: the trace's timestamp, the observation's
// start_time, the score's timestamp), and reads every trace that got a new or changed row again whole, the
// trace's span, all its observations and scores (readDatabaseTraces). Appending the result replaces the old
// trace, so a trace on screen is always its latest self: no grace period, no half traces kept.
//
// Without updated_at an observation that is only updated (its end written later) is seen when its trace gets
// another row, and a row written more than the overlap after its own time is missed.
#pragma once

#include "incrementalreader.h"

namespace ps::live {

class LangfuseTraceReader final : public IncrementalReader {
public:
    LangfuseTraceReader(DatabaseSchema schema, int64_t overlapNs);

    [[nodiscard]] Watermark markAfter(const Dataset& loaded, SourceIndex source) const override;
    bool readSince(db::Connection& connection, Watermark& mark, SourceIndex source, DatasetBuilder& into,
                   uint64_t* rows, std::string* error) override;

private:
    DatabaseSchema schema_;
    int64_t overlapNs_;
    bool byUpdatedAt_ = false;  // every table scanned has updated_at
};

}  // namespace ps::live
