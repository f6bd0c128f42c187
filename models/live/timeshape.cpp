#include "timeshape.h"

#include <cctype>
#include <cmath>

#include "requestmapping.h"

namespace ps::live {
namespace {

bool isDigit(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// "Z" stays "Z"; an offset becomes UTC written the same way (+05:30 -> +00:00, -0800 -> +0000, +02 -> +00).
std::string utcSuffix(std::string_view tail) {
    if (tail.empty() || tail == "Z" || tail == "z") {
        return tail.empty() ? std::string() : std::string("Z");
    }
    if (tail.front() != '+' && tail.front() != '-') {
        return std::string(tail);
    }
    std::string out = "+";
    for (const char c : tail.substr(1)) {
        out += isDigit(c) ? '0' : c;
    }
    return out;
}

}  // namespace

TimeShape TimeShape::of(const db::Row& row, int column) {
    TimeShape shape;
    if (column < 0 || row.isNull(column)) {
        return shape;
    }
    const std::string_view text = row.text(column);
    if (text.size() >= 10 && text[4] == '-' && text[7] == '-') {
        shape.kind = Kind::Text;
        size_t i = 10;
        if (i < text.size() && !isDigit(text[i]) && text[i] != '+' && text[i] != 'Z') {
            shape.separator = text[i++];
            while (i < text.size() && (isDigit(text[i]) || text[i] == ':')) {
                ++i;
            }
            if (i < text.size() && text[i] == '.') {
                for (++i; i < text.size() && isDigit(text[i]);) {
                    ++i;
                }
            }
        }
        shape.suffix = utcSuffix(text.substr(i));
        return shape;
    }
    const auto number = row.real(column);
    if (!number || !std::isfinite(*number)) {
        return shape;
    }
    // The units epochToNs tells apart by magnitude.
    const double a = std::abs(*number);
    shape.kind = a < 1e11 ? Kind::EpochSeconds : a < 1e14 ? Kind::EpochMillis : a < 1e17 ? Kind::EpochMicros
                                                                                      : Kind::EpochNanos;
    return shape;
}

db::Value TimeShape::bound(int64_t ns) const {
    switch (kind) {
    case Kind::EpochSeconds: return db::timeValue(db::TimeStorage::EpochSeconds, ns);
    case Kind::EpochMillis: return db::timeValue(db::TimeStorage::EpochMillis, ns);
    case Kind::EpochMicros: return ns / 1000;
    case Kind::EpochNanos: return ns;
    case Kind::Text:
    case Kind::Unknown: break;
    }
    // "YYYY-MM-DD HH:MM:SS[.ffffff]" with trailing zeros trimmed: without a suffix, a stored time that equals the
    // bound never sorts before it, however many digits it keeps.
    std::string text = std::get<std::string>(db::timeValue(db::TimeStorage::IsoText, ns));
    text[10] = separator;
    if (!suffix.empty()) {
        // Before a suffix all six digits are written: a stored time without a fraction then sorts after the bound
        // of its own second ('Z' > '.'), an over-read of under a second rather than a missed row.
        const size_t dot = text.find('.');
        text += dot == std::string::npos ? std::string(".000000") : std::string(6 - (text.size() - dot - 1), '0');
        text += suffix;
    }
    return text;
}

bool sampleTimeShape(db::Connection& connection, std::string_view column, std::string_view from, TimeShape* shape,
                     std::string* error) {
    const std::string c(column);
    *shape = TimeShape{};
    return connection.query("SELECT " + c + " FROM " + std::string(from) + " WHERE " + c + " IS NOT NULL LIMIT 1", {},
                            [&](const db::Row& row) {
                                *shape = TimeShape::of(row, 0);
                                return false;
                            },
                            error);
}

}  // namespace ps::live
