#include "databasesources.h"

#include <map>
#include <mutex>

namespace ps {
namespace {

std::mutex& registryMutex() {
    static std::mutex m;
    return m;
}

std::map<std::string, DatabaseSourceSpec>& registry() {
    static std::map<std::string, DatabaseSourceSpec> sources;
    return sources;
}

}  // namespace

void rememberDatabaseSource(const std::string& shownName, DatabaseSourceSpec spec) {
    const std::lock_guard lock(registryMutex());
    spec.options.readOnly = true;  // details are only ever read
    registry()[shownName] = std::move(spec);
}

std::optional<DatabaseSourceSpec> rememberedDatabaseSource(const std::string& shownName) {
    const std::lock_guard lock(registryMutex());
    const auto it = registry().find(shownName);
    if (it == registry().end()) {
        return std::nullopt;
    }
    return it->second;
}

}  // namespace ps
