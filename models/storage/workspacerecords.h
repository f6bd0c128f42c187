// What the workspace stores, as plain values: review labels, review queue entries, incidents, their linked
// traces and their timeline. Everything is keyed to the data by trace id and request id (strings), never by
// row number, so it survives reloading, re-exporting and merging sources. Times are milliseconds since the
// Unix epoch (UTC).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ps {

// The fixed set of review verdicts, in the order of the keyboard shortcuts 1..6.
enum class ReviewLabel : uint8_t { Correct, PartiallyCorrect, Hallucinated, Unsafe, Incomplete, ToolError };
inline constexpr int kReviewLabelCount = 6;

std::string_view reviewLabelKey(ReviewLabel label);   // correct, partially_correct, ... (stored and exported)
std::string_view reviewLabelTitle(ReviewLabel label);  // Correct, Partially correct, ...
bool parseReviewLabel(std::string_view key, ReviewLabel* out);

// Who put an item in the review queue.
enum class QueueOrigin : uint8_t { Rule, Hand };
// open: to review; done: labelled; dismissed: looked at, nothing to label.
enum class QueueState : uint8_t { Open, Done, Dismissed };

std::string_view queueOriginKey(QueueOrigin origin);  // rule, hand
std::string_view queueStateKey(QueueState state);     // open, done, dismissed
bool parseQueueOrigin(std::string_view key, QueueOrigin* out);
bool parseQueueState(std::string_view key, QueueState* out);

enum class IncidentSeverity : uint8_t { Sev1, Sev2, Sev3, Sev4 };  // Sev1 is the most severe
enum class IncidentStatus : uint8_t { Open, Investigating, Mitigated, Resolved };
inline constexpr int kIncidentSeverityCount = 4;
inline constexpr int kIncidentStatusCount = 4;

std::string_view incidentSeverityKey(IncidentSeverity s);    // sev1..sev4
std::string_view incidentSeverityTitle(IncidentSeverity s);  // SEV1 critical, ...
std::string_view incidentStatusKey(IncidentStatus s);        // open, investigating, mitigated, resolved
std::string_view incidentStatusTitle(IncidentStatus s);      // Open, Investigating, ...
bool parseIncidentSeverity(std::string_view key, IncidentSeverity* out);
bool parseIncidentStatus(std::string_view key, IncidentStatus* out);

// The current label of one trace.
struct LabelRecord {
    std::string traceId;
    std::string requestId;
    ReviewLabel label = ReviewLabel::Correct;
    std::string note;
    std::string reviewer;
    int64_t timeMs = 0;
};

// A label being set. When the trace comes from the review queue (fromQueue), its queue entry is created if
// needed (with these reasons and origin) and marked done in the same transaction.
struct LabelChange {
    std::string traceId;
    std::string requestId;
    ReviewLabel label = ReviewLabel::Correct;
    std::string note;
    std::string reviewer;
    int64_t timeMs = 0;
    bool fromQueue = false;
    std::string reasons;
    QueueOrigin origin = QueueOrigin::Rule;
};

struct QueueEntry {
    std::string traceId;
    std::string requestId;
    std::string reasons;  // rule keys separated by commas, or empty for an item added by hand
    QueueOrigin origin = QueueOrigin::Rule;
    QueueState state = QueueState::Open;
    int64_t addedMs = 0;
    int64_t updatedMs = 0;
};

// Title, severity, status and prompt version: what a user edits on an incident.
struct IncidentFields {
    std::string title;
    IncidentSeverity severity = IncidentSeverity::Sev3;
    IncidentStatus status = IncidentStatus::Open;
    std::string promptVersion;
};

struct IncidentRecord {
    int64_t id = 0;
    IncidentFields fields;
    int64_t createdMs = 0;
    int64_t updatedMs = 0;
    int64_t traceCount = 0;
};

struct IncidentTraceRecord {
    std::string traceId;
    std::string requestId;
    int64_t addedMs = 0;
};

// One entry of an incident's timeline: a note written by someone, or a change the workspace recorded.
struct IncidentNoteRecord {
    int64_t id = 0;
    bool isChange = false;
    std::string author;
    std::string text;
    int64_t timeMs = 0;
};

// A trace to link: both keys, since request logs and trace exports may name one request differently.
struct TraceKey {
    std::string traceId;
    std::string requestId;
};

}  // namespace ps
