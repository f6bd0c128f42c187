#include "filter.h"

namespace ps {
namespace {

struct DimensionName {
    std::string_view key;
    std::string_view label;
};

constexpr std::array<DimensionName, kDimensionCount> kNames = {{
    {"feature", "Feature"},
    {"prompt", "Prompt"},
    {"version", "Prompt version"},
    {"model", "Model"},
    {"provider", "Provider"},
    {"env", "Environment"},
    {"tenant", "Tenant"},
    {"tier", "Tenant tier"},
    {"user", "User"},
    {"session", "Session"},
    {"finish", "Finish reason"},
}};

}  // namespace

std::string_view dimensionKey(Dimension d) {
    return kNames[static_cast<size_t>(d)].key;
}

std::string_view dimensionLabel(Dimension d) {
    return kNames[static_cast<size_t>(d)].label;
}

bool parseDimensionKey(std::string_view key, Dimension* out) {
    for (size_t i = 0; i < kNames.size(); ++i) {
        if (kNames[i].key == key) {
            *out = static_cast<Dimension>(i);
            return true;
        }
    }
    if (key == "environment" || key == "prompt_version") {
        *out = key == "environment" ? Dimension::Environment : Dimension::PromptVersion;
        return true;
    }
    return false;
}

}  // namespace ps
