// How a prompt version is written for people: "v43" for a version stored as "43", but as stored when it already
// reads as a label ("v4", "V2.1", "2024-q3-prod" stays "v2024-q3-prod" only because it starts with a digit;
// "prod" stays "prod"), so no screen shows "vv4".
#pragma once

#include <string>
#include <string_view>

namespace ps {

inline std::string versionLabel(std::string_view version) {
    const bool startsWithDigit = !version.empty() && version.front() >= '0' && version.front() <= '9';
    return startsWithDigit ? "v" + std::string(version) : std::string(version);
}

}  // namespace ps
