#include "incrementalreader.h"

#include "litellmspendlogreader.h"

namespace ps::live {

std::unique_ptr<IncrementalReader> makeIncrementalReader(LogSchema schema) {
    if (schema == LogSchema::LiteLlmSpendLogs) {
        return std::make_unique<LiteLlmSpendLogReader>();
    }
    return nullptr;
}

}  // namespace ps::live
