#include "grain.h"

#include <array>

namespace ps {
namespace {

constexpr std::array<std::string_view, 8> kFieldNames = {"prompt_version", "prompt", "model",  "feature",
                                                         "environment",    "tenant", "user",   "provider"};

}  // namespace

bool parseGroupField(std::string_view text, GroupField* out) {
    for (size_t i = 0; i < kFieldNames.size(); ++i) {
        if (kFieldNames[i] == text) {
            *out = static_cast<GroupField>(i);
            return true;
        }
    }
    return false;
}

std::string_view groupFieldName(GroupField field) {
    return kFieldNames[static_cast<size_t>(field)];
}

bool parseGrain(std::string_view text, Grain* out) {
    if (text == "request") {
        *out = Grain::Request;
        return true;
    }
    if (text == "generation") {
        *out = Grain::Generation;
        return true;
    }
    return false;
}

std::string_view grainName(Grain grain) {
    return grain == Grain::Request ? "request" : "generation";
}

StringId groupKey(const Dataset& d, GroupField field, Grain grain, uint32_t row) {
    const RequestColumns& rq = d.requests;
    if (grain == Grain::Generation) {
        const GenerationColumns& g = d.generations;
        switch (field) {
        case GroupField::PromptVersion: return g.promptVersion[row];
        case GroupField::Prompt: return g.promptName[row];
        case GroupField::Model: return g.model[row];
        case GroupField::Provider: return g.provider[row];
        default: row = d.requestOfGeneration(row).value; break;
        }
    }
    switch (field) {
    case GroupField::PromptVersion: return rq.promptVersion[row];
    case GroupField::Prompt: return rq.promptName[row];
    case GroupField::Model: return rq.model[row];
    case GroupField::Feature: return rq.feature[row];
    case GroupField::Environment: return rq.environment[row];
    case GroupField::Tenant: return rq.tenant[row];
    case GroupField::User: return rq.user[row];
    case GroupField::Provider: return rq.provider[row];
    }
    return {};
}

}  // namespace ps
