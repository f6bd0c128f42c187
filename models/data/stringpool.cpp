#include "stringpool.h"

#include <cstring>

namespace ps {
namespace {

constexpr size_t kBlockBytes = size_t{1} << 20;

uint32_t hashText(std::string_view s) {
    // FNV-1a over 8-byte words, then a final mix: fast for short keys, good enough spread for open addressing.
    uint64_t h = 0xcbf29ce484222325ULL;
    size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        h = (h ^ w) * 0x100000001b3ULL;
    }
    for (; i < s.size(); ++i) {
        h = (h ^ static_cast<unsigned char>(s[i])) * 0x100000001b3ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return static_cast<uint32_t>(h);
}

// A quick hash of the length and the first and last 8 bytes, for the table of recent values.
size_t recentSlot(std::string_view s) {
    uint64_t head = 0;
    uint64_t tail = 0;
    const size_t n = s.size() < 8 ? s.size() : 8;
    std::memcpy(&head, s.data(), n);
    std::memcpy(&tail, s.data() + s.size() - n, n);
    // Model names share their ends ("gpt-4.1-" ... "25-04-14"): mix the length in fully, then fold.
    uint64_t h = (head * 0x9E3779B97F4A7C15ULL) ^ ((tail + s.size()) * 0xC2B2AE3D27D4EB4FULL);
    h ^= h >> 31;
    h *= 0xD6E8FEB86659FD93ULL;
    return static_cast<size_t>(h >> 55);  // 9 bits: StringPool::kRecentSlots
}

}  // namespace

StringPool::StringPool() {
    slots_.assign(1024, 0);
    entries_.emplace_back();
}

StringPool::StringPool(StringPool&&) noexcept = default;
StringPool& StringPool::operator=(StringPool&&) noexcept = default;
StringPool::~StringPool() = default;

const char* StringPool::store(std::string_view text) {
    if (text.size() > kBlockBytes / 4) {
        auto big = std::make_unique<char[]>(text.size());
        std::memcpy(big.get(), text.data(), text.size());
        const char* p = big.get();
        // Keep the current partly filled block last so that small strings keep filling it.
        blocks_.insert(blocks_.empty() ? blocks_.end() : blocks_.end() - 1, std::move(big));
        textBytes_ += text.size();
        return p;
    }
    if (blocks_.empty() || blockUsed_ + text.size() > blockSize_) {
        blocks_.push_back(std::make_unique<char[]>(kBlockBytes));
        blockUsed_ = 0;
        blockSize_ = kBlockBytes;
    }
    char* p = blocks_.back().get() + blockUsed_;
    std::memcpy(p, text.data(), text.size());
    blockUsed_ += text.size();
    textBytes_ += text.size();
    return p;
}

StringId StringPool::intern(std::string_view text) {
    if (text.empty()) {
        return StringId{};
    }
    Recent& recent = recent_[recentSlot(text)];
    if (recent.size == text.size() && std::memcmp(recent.data, text.data(), text.size()) == 0) {
        return StringId{recent.id};
    }
    const StringId id = internSlow(text);
    recent = Recent{entries_[id.value].data(), static_cast<uint32_t>(text.size()), id.value};
    return id;
}

StringId StringPool::internSlow(std::string_view text) {
    const uint32_t h = hashText(text);
    const size_t mask = slots_.size() - 1;
    size_t pos = h & mask;
    while (const uint64_t slot = slots_[pos]) {
        if (static_cast<uint32_t>(slot >> 32) == h) {
            const auto id = static_cast<uint32_t>(slot) - 1;
            if (entries_[id] == text) {
                return StringId{id};
            }
        }
        pos = (pos + 1) & mask;
    }
    const auto id = static_cast<uint32_t>(entries_.size());
    entries_.emplace_back(store(text), text.size());
    slots_[pos] = (uint64_t{h} << 32) | (id + 1);
    if (entries_.size() * 2 > slots_.size()) {
        grow();
    }
    return StringId{id};
}

std::optional<StringId> StringPool::find(std::string_view text) const {
    if (text.empty()) {
        return StringId{};
    }
    const uint32_t h = hashText(text);
    const size_t mask = slots_.size() - 1;
    size_t pos = h & mask;
    while (const uint64_t slot = slots_[pos]) {
        if (static_cast<uint32_t>(slot >> 32) == h) {
            const auto id = static_cast<uint32_t>(slot) - 1;
            if (entries_[id] == text) {
                return StringId{id};
            }
        }
        pos = (pos + 1) & mask;
    }
    return std::nullopt;
}

void StringPool::grow() {
    std::vector<uint64_t> bigger(slots_.size() * 2, 0);
    const size_t mask = bigger.size() - 1;
    for (const uint64_t slot : slots_) {
        if (slot == 0) {
            continue;
        }
        size_t pos = (slot >> 32) & mask;
        while (bigger[pos] != 0) {
            pos = (pos + 1) & mask;
        }
        bigger[pos] = slot;
    }
    slots_ = std::move(bigger);
}

size_t StringPool::memoryBytes() const {
    return textBytes_ + entries_.capacity() * sizeof(std::string_view) + slots_.capacity() * sizeof(uint64_t);
}

}  // namespace ps
