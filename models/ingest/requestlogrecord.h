// One request-log JSON Lines record read in full for the span details: every field as an attribute (nested
// objects flattened with dots, arrays as JSON), the request id, feature and error.
#pragma once

#include <string_view>

#include "spandetails.h"

namespace ps {

// On failure sets out.error and returns false.
bool readRequestLogRecord(std::string_view json, SpanDetails& out);

}  // namespace ps
