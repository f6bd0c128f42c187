// JSON written back as text for people: compact for values shown on one line (array attributes),
// pretty-printed with two-space indents for tool-call arguments and message bodies. Keys stay in the record's
// order. Internal to the ingest library (it exposes simdjson's DOM types).
#pragma once

#include <string>
#include <string_view>

#include "simdjsonbuiltin.h"

namespace ps {

// The object an element holds; call only when its type is OBJECT. (Iterating get_object().value_unsafe()
// directly would walk a destroyed temporary.)
simdjson::dom::object objectOf(simdjson::dom::element value);

void appendQuotedJson(std::string& out, std::string_view text);
void appendJson(std::string& out, simdjson::dom::element value, bool pretty, int indent = 0);
std::string jsonText(simdjson::dom::element value, bool pretty);

// The text pretty-printed when it is a JSON object or array, else unchanged.
std::string prettyIfJson(std::string_view text);

// Length of the JSON object or array that starts at text[0], or 0 when it does not end within the text.
size_t jsonObjectLength(std::string_view text);

// A number as the shortest text that reads back to the same double ("0.2", "1e-07", "NaN").
std::string doubleText(double v);

}  // namespace ps
