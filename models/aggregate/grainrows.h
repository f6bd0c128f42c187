// The rows an aggregation in the database counts at a grain, as SQL: requests (rows of the mapping's FROM
// clause) or LLM calls (the mapping's CallColumns, joined to their request or kept among the request rows),
// each with its figures and group keys. The filter always narrows requests (whereClause), as in memory, where
// requests are selected first and then expanded into their calls. Shared by the overview and the report.
#pragma once

#include <array>
#include <string>

#include "filter.h"
#include "grain.h"
#include "requestmapping.h"
#include "sqlfilter.h"

namespace ps {

struct GrainRows {
    GrainRows(const db::RequestMapping& m, Grain grain);

    // Calls are rows of their own (the generation grain of a mapping with CallColumns); otherwise a row is a
    // request and, where the table has one call per request, its call too.
    bool perCall = false;
    std::string from;
    std::string startSeconds;
    std::string latency;          // ms
    std::string cost;             // NULL when unknown
    std::string costUnknown;      // 0/1
    std::string error, refusal;   // 0/1
    std::string errorClass;       // 0 for rows that did not fail, else 1..6
    std::string input, output, cached;
    std::string evalPass, evalFail;     // integers; "0" when the table has no evals
    std::string thumbsUp, thumbsDown;   // 0/1; "0" when the table has no feedback

    // " WHERE ..." for these rows: the filter on requests and, for calls, which rows are calls.
    [[nodiscard]] std::string where(const db::RequestMapping& m, const Filter& filter, SqlParams& params,
                                    const WhereOptions& options = {}) const;
    // A dimension's group key, '(none)' for rows without a value: at the generation grain the call's own model,
    // provider, prompt and version, the request's for the rest.
    [[nodiscard]] std::string key(Dimension d) const { return keys_[static_cast<size_t>(d)]; }
    [[nodiscard]] bool hasKey(Dimension d) const { return has_[static_cast<size_t>(d)]; }

private:
    std::string condition_;
    std::array<std::string, kDimensionCount> keys_;
    std::array<bool, kDimensionCount> has_{};
};

}  // namespace ps
