#include "workspacerecords.h"

#include <array>

namespace ps {
namespace {

constexpr std::array<std::string_view, kReviewLabelCount> kLabelKeys = {
    "correct", "partially_correct", "hallucinated", "unsafe", "incomplete", "tool_error"};
constexpr std::array<std::string_view, kReviewLabelCount> kLabelTitles = {
    "Correct", "Partially correct", "Hallucinated", "Unsafe", "Incomplete", "Tool error"};
constexpr std::array<std::string_view, 2> kOriginKeys = {"rule", "hand"};
constexpr std::array<std::string_view, 3> kStateKeys = {"open", "done", "dismissed"};
constexpr std::array<std::string_view, kIncidentSeverityCount> kSeverityKeys = {"sev1", "sev2", "sev3",
                                                                                "sev4"};
constexpr std::array<std::string_view, kIncidentSeverityCount> kSeverityTitles = {
    "SEV1 critical", "SEV2 major", "SEV3 minor", "SEV4 low"};
constexpr std::array<std::string_view, kIncidentStatusCount> kStatusKeys = {"open", "investigating",
                                                                            "mitigated", "resolved"};
constexpr std::array<std::string_view, kIncidentStatusCount> kStatusTitles = {"Open", "Investigating",
                                                                              "Mitigated", "Resolved"};

template <typename Enum, size_t N>
bool parseKey(const std::array<std::string_view, N>& keys, std::string_view key, Enum* out) {
    for (size_t i = 0; i < N; ++i) {
        if (keys[i] == key) {
            *out = static_cast<Enum>(i);
            return true;
        }
    }
    return false;
}

}  // namespace

std::string_view reviewLabelKey(ReviewLabel label) { return kLabelKeys[static_cast<size_t>(label)]; }
std::string_view reviewLabelTitle(ReviewLabel label) { return kLabelTitles[static_cast<size_t>(label)]; }
bool parseReviewLabel(std::string_view key, ReviewLabel* out) { return parseKey(kLabelKeys, key, out); }

std::string_view queueOriginKey(QueueOrigin origin) { return kOriginKeys[static_cast<size_t>(origin)]; }
std::string_view queueStateKey(QueueState state) { return kStateKeys[static_cast<size_t>(state)]; }
bool parseQueueOrigin(std::string_view key, QueueOrigin* out) { return parseKey(kOriginKeys, key, out); }
bool parseQueueState(std::string_view key, QueueState* out) { return parseKey(kStateKeys, key, out); }

std::string_view incidentSeverityKey(IncidentSeverity s) { return kSeverityKeys[static_cast<size_t>(s)]; }
std::string_view incidentSeverityTitle(IncidentSeverity s) { return kSeverityTitles[static_cast<size_t>(s)]; }
std::string_view incidentStatusKey(IncidentStatus s) { return kStatusKeys[static_cast<size_t>(s)]; }
std::string_view incidentStatusTitle(IncidentStatus s) { return kStatusTitles[static_cast<size_t>(s)]; }
bool parseIncidentSeverity(std::string_view key, IncidentSeverity* out) {
    return parseKey(kSeverityKeys, key, out);
}
bool parseIncidentStatus(std::string_view key, IncidentStatus* out) {
    return parseKey(kStatusKeys, key, out);
}

}  // namespace ps
