// Interned strings: every dimension value (model, feature, user, span name...) is stored once and referred to
// by a 4-byte StringId. Views stay valid for the pool's lifetime because text lives in fixed blocks that never move.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "ids.h"

namespace ps {

class StringPool {
public:
    StringPool();
    StringPool(StringPool&&) noexcept;
    StringPool& operator=(StringPool&&) noexcept;
    StringPool(const StringPool&) = delete;
    StringPool& operator=(const StringPool&) = delete;
    ~StringPool();

    StringId intern(std::string_view text);
    [[nodiscard]] std::optional<StringId> find(std::string_view text) const;
    [[nodiscard]] std::string_view view(StringId id) const { return entries_[id.value]; }
    [[nodiscard]] size_t size() const { return entries_.size(); }
    [[nodiscard]] size_t memoryBytes() const;

private:
    struct Recent {
        const char* data = nullptr;
        uint32_t size = 0;
        uint32_t id = 0;
    };
    static constexpr size_t kRecentSlots = 512;

    StringId internSlow(std::string_view text);
    void grow();
    const char* store(std::string_view text);

    std::vector<std::string_view> entries_;
    // Open addressing; 0 = free, else (hash << 32) | (id + 1): a probe compares hashes without another lookup.
    std::vector<uint64_t> slots_;
    std::vector<std::unique_ptr<char[]>> blocks_;
    // Values met recently, looked up by a hash of their ends: most interned values (span names, models, users
    // of one trace) repeat within a few records, and this answers them without touching the big table.
    std::array<Recent, kRecentSlots> recent_{};
    size_t blockUsed_ = 0;
    size_t blockSize_ = 0;
    size_t textBytes_ = 0;
};

}  // namespace ps
