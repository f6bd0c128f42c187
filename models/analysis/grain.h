// What a summary counts (requests or LLM calls) and what it groups by.
#pragma once

#include <string_view>

#include "dataset.h"

namespace ps {

enum class Grain { Request, Generation };
enum class GroupField { PromptVersion, Prompt, Model, Feature, Environment, Tenant, User, Provider };

bool parseGroupField(std::string_view text, GroupField* out);
std::string_view groupFieldName(GroupField field);
bool parseGrain(std::string_view text, Grain* out);
std::string_view grainName(Grain grain);

// The group key of a row: request rows use the request's own dimensions; generation rows use their own model,
// provider and prompt (inherited from ancestors) and their request's feature, environment, tenant and user.
StringId groupKey(const Dataset& data, GroupField field, Grain grain, uint32_t row);

}  // namespace ps
