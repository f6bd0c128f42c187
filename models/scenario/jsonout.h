// Buffered output for the generator: JSON text appended to a large buffer and written to the file in big blocks.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace ps::scenario {

class JsonOut {
public:
    explicit JsonOut(std::FILE* file) : file_(file) { buf_.reserve(kFlushAt + (1 << 16)); }
    ~JsonOut() { flush(); }
    JsonOut(const JsonOut&) = delete;
    JsonOut& operator=(const JsonOut&) = delete;

    JsonOut& raw(std::string_view text) {
        buf_.append(text);
        return *this;
    }
    JsonOut& str(std::string_view text);  // quoted and escaped
    JsonOut& integer(int64_t v);
    JsonOut& number(double v);            // shortest round-trip form
    JsonOut& quotedInteger(int64_t v);    // OTLP's int64 as a decimal string
    void endLine() {
        buf_ += '\n';
        if (buf_.size() >= kFlushAt) {
            flush();
        }
    }
    void flush();
    [[nodiscard]] uint64_t bytesWritten() const { return written_ + buf_.size(); }
    [[nodiscard]] bool failed() const { return failed_; }

private:
    static constexpr size_t kFlushAt = 1 << 20;
    std::FILE* file_;
    std::string buf_;
    uint64_t written_ = 0;
    bool failed_ = false;
};

// Appends text as a quoted JSON string (quotes, backslashes and control characters escaped).
void appendJsonString(std::string& to, std::string_view text);

// ISO 8601 UTC with milliseconds, e.g. 2026-10-01T09:00:00.250Z.
std::string isoTime(int64_t ns);
// Parses the --start form (YYYY-MM-DDTHH:MM:SSZ); false when malformed.
bool parseIsoTime(std::string_view text, int64_t* ns);

}  // namespace ps::scenario
