// Reads request-log JSON Lines (FORMATS.md section 5): request records (one request = one model call), user
// signals, quality judgements, evals, prompt version records, deployments and tenants. A `type` field tells
// records apart; without it the kind is guessed from the keys. Bad lines are reported and skipped.
#pragma once

#include "sourcereader.h"

namespace ps {

ReadOutcome readRequestLog(const MappedFile& file, const ReadRequest& request, DatasetBuilder& builder);

}  // namespace ps
