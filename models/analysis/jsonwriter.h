// A small streaming JSON writer that keeps keys in the order written (for stable command-line output).
// Strings are escaped per RFC 8259; invalid UTF-8 becomes U+FFFD; NaN and infinities are written as null.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ps {

class JsonWriter {
public:
    JsonWriter& beginObject();
    JsonWriter& endObject();
    JsonWriter& beginArray();
    JsonWriter& endArray();
    JsonWriter& key(std::string_view name);
    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(double number);
    JsonWriter& value(uint64_t number);
    JsonWriter& boolean(bool b);  // not an overload of value(): a pointer or integer must never turn into a bool
    JsonWriter& null();

    [[nodiscard]] const std::string& text() const { return out_; }

private:
    void separate();
    void writeString(std::string_view text);

    std::string out_;
    std::vector<bool> first_;  // per open container: nothing written in it yet
    bool afterKey_ = false;
};

}  // namespace ps
