// One request at a glance, as rich text for a details panel: trace id, time, feature, prompt and version,
// model, environment, latency, cost, tokens, tool calls, outcome, evals and user feedback. Reads only that
// request's rows of the Dataset (its evals by binary search), so it is cheap enough for the GUI thread.
#pragma once

#include <QString>

#include "dataset.h"

namespace ps {

QString requestSummaryHtml(const Dataset& d, RequestIndex request);

}  // namespace ps
