// Live refresh of LiteLLM's "LiteLLM_SpendLogs": one row is one request and its one model call. Rows past the mark
// are those whose "startTime" is at or after the mark minus an overlap (LiteLLM writes a row when the call ends,
// and batches its writes) and whose request_id has not been read yet.
//
// Mapping: request_id = trace id; latency = "endTime" - "startTime"; an error when status = 'failure'; tokens from
// prompt_tokens / completion_tokens; cost from spend; model, custom_llm_provider, "user" (else end_user) as the user,
// session_id, team_id as the tenant; time to first token from "completionStartTime". Timestamps are naive: UTC.
#pragma once

#include "incrementalreader.h"

namespace ps::live {

class LiteLlmSpendLogReader final : public IncrementalReader {
public:
    static constexpr int64_t kDefaultOverlapNs = 10LL * 60 * 1000000000;  // ten minutes

    explicit LiteLlmSpendLogReader(int64_t overlapNs = kDefaultOverlapNs) : overlapNs_(overlapNs) {}

    [[nodiscard]] LogSchema schema() const override { return LogSchema::LiteLlmSpendLogs; }
    [[nodiscard]] Watermark markAfter(const Dataset& loaded, SourceIndex source) const override;
    bool readSince(db::Connection& connection, Watermark& mark, SourceIndex source, DatasetBuilder& into,
                   uint64_t* rows, std::string* error) override;

private:
    int64_t overlapNs_;
};

}  // namespace ps::live
