// The dashboard's query line: text <-> Filter, and completion of the term under the cursor. Pure C++, no Qt.
//
// Syntax. A query is a list of terms separated by whitespace (space, tab, newline); all terms must hold (AND).
// Filter names and keywords are case-insensitive; values are taken exactly as written.
//
//   key:value        a request dimension: feature, prompt, version, model, provider, env, tenant, tier, user,
//                    session, finish (environment and prompt_version are accepted as well).
//   key:a,b          any of a or b. Repeating a key adds values: `model:a model:b` equals `model:a,b`.
//   key:"a b"        a double-quoted value may hold spaces, commas, colons and quotes; inside quotes \" is a
//                    quote and \\ a backslash (any other backslash is kept as is). `key:""` is the empty value.
//                    Unquoted values end at whitespace or a comma and may not contain a quote.
//   error  ok        only failed / only successful requests (both at once is an error).
//   refusal          only refusals.
//   latency>2s       latency at least 2 s; `latency<500ms` at most 500 ms. Units ms, s, m (minutes); a bare
//                    number is milliseconds; decimals allowed (1.5s). `>` and `>=` both set the lower bound,
//                    `<` and `<=` the upper bound, and bounds are inclusive.
//   cost>0.01        cost in USD at least 0.01; `cost<$0.5` at most 0.5 (the $ is optional). Inclusive.
//   since:DATE       requests starting at or after DATE; `until:DATE` requests starting before DATE (so
//                    `until:2026-11-03` ends at the start of that day). DATE is UTC: 2026-11-01,
//                    2026-11-01T12:00, 2026-11-01T12:00:30 or 2026-11-01T12:00:30.250, optionally ending in Z;
//                    quoted, a space may stand for the T.
//   last:24h         requests starting in the last 24 hours before nowNs; units s, m, h, d, w (decimals allowed).
//   word  "a phrase" free text: every bare word and quoted phrase, joined with single spaces, is Filter::text.
//                    A quoted phrase is always text, so `"error"` searches for the word error.
//
// A word whose leading letters are followed by <, > or = is a comparison, and a word with a ':' before any
// quote is a key:value term; to search text holding such characters, quote it. Repeated bounds intersect: the
// highest lower bound and the lowest upper bound win (since: and last: both set the start).
//
// Positions and lengths in QueryError are byte offsets into the UTF-8 text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "filter.h"

namespace ps {

// Why a query was rejected: the offending bytes text[position, position + length) and a sentence for the user.
struct QueryError {
    size_t position = 0;
    size_t length = 0;
    std::string message;

    bool operator==(const QueryError&) const = default;
};

// The Filter the text describes, or the first error from the left. nowNs (ns since the Unix epoch) anchors
// last:; when it is 0, last: is an error. Use std::get_if<Filter>(&result) / std::get_if<QueryError>(&result).
std::variant<Filter, QueryError> parseQuery(std::string_view text, int64_t nowNs = 0);

// The canonical query text for f, terms in this order: dimensions in Dimension order (values in their order),
// ok/error, refusal, latency>=, latency<=, cost>=, cost<=, since:, until:, then the free text. Bounds are
// written as >= and <=, times as absolute UTC (never last:). parseQuery(formatQuery(f)) == f whenever the syntax
// can express f, that is unless a bound is NaN or infinite or a time is beyond what int64 nanoseconds hold.
std::string formatQuery(const Filter& f);

// Completion candidates for the term under the cursor (byte offset; only the text before it counts):
// - while typing a filter name or keyword: the names with a ':' (feature:, ..., finish:) and the keywords
//   error, ok, refusal, latency>, latency<, cost>, cost<, since:, until:, last:, that start with what is typed;
// - after `key:` (or a ',' in its value list): the values of that dimension from valuesOf that start with the
//   typed part of the current value (ASCII case-insensitive), leaving out values already in the term, quoted
//   where the syntax needs it, at most 50, in valuesOf's order; after `last:` a few common spans;
// - nothing inside a quoted phrase or after a comparison.
// A candidate replaces text[completionStart(text, cursor), cursor).
std::vector<std::string> completeQuery(std::string_view text, size_t cursor,
                                       const std::function<std::vector<std::string>(Dimension)>& valuesOf);
size_t completionStart(std::string_view text, size_t cursor);

// A dimension value as the query line writes it: bare when it can be, else double-quoted with \" and \\.
std::string formatQueryValue(std::string_view value);

}  // namespace ps
