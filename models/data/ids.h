// Typed row indices for the Dataset's tables and the interned-string id.
// A bare uint32_t says nothing about which table it points into; these types make mixing them a compile error.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>

namespace ps {

template <typename Tag>
struct TypedIndex {
    static constexpr uint32_t kInvalid = std::numeric_limits<uint32_t>::max();
    uint32_t value = kInvalid;

    constexpr TypedIndex() = default;
    constexpr explicit TypedIndex(uint32_t v) : value(v) {}
    constexpr explicit TypedIndex(size_t v) : value(static_cast<uint32_t>(v)) {}
    [[nodiscard]] constexpr bool isValid() const { return value != kInvalid; }
    constexpr auto operator<=>(const TypedIndex&) const = default;
};

using SpanIndex = TypedIndex<struct SpanTag>;
using RequestIndex = TypedIndex<struct RequestTag>;
using GenerationIndex = TypedIndex<struct GenerationTag>;
using SourceIndex = TypedIndex<struct SourceTag>;

// Id of a string in a StringPool. Id 0 is the empty string, which also stands for "absent".
struct StringId {
    uint32_t value = 0;

    constexpr StringId() = default;
    constexpr explicit StringId(uint32_t v) : value(v) {}
    [[nodiscard]] constexpr bool isEmpty() const { return value == 0; }
    constexpr auto operator<=>(const StringId&) const = default;
};

}  // namespace ps

template <typename Tag>
struct std::hash<ps::TypedIndex<Tag>> {
    size_t operator()(ps::TypedIndex<Tag> i) const noexcept { return std::hash<uint32_t>{}(i.value); }
};

template <>
struct std::hash<ps::StringId> {
    size_t operator()(ps::StringId s) const noexcept { return std::hash<uint32_t>{}(s.value); }
};
