// The span details' rich-text parts: the header line, the summary (model call, prompt version record, evals,
// user feedback, error, where the record lives) and the events (exceptions with stack traces) and links.
// Every text from the data is HTML-escaped.
#pragma once

#include <QString>

#include "dataset.h"
#include "spancontext.h"
#include "spandetails.h"

namespace ps {

// Name, kind, service, duration, self time (when context is given), status and start.
QString spanHeaderHtml(const Dataset& d, SpanIndex span, const SpanContext* context,
                       const SpanDetails* details);

// details may be null (not read yet) or hold an error.
QString spanSummaryHtml(const Dataset& d, const SpanContext& context, const SpanDetails* details);

QString spanEventsHtml(const SpanDetails& details);

}  // namespace ps
