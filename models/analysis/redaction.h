// Redaction of obvious secrets and personal details in text that leaves the program (the eval-dataset
// export): API keys (OpenAI/Anthropic-style sk-..., AWS access key ids, GitHub, Slack and Google keys),
// bearer tokens and email addresses. A conservative pattern match, not a guarantee: it catches what is
// plainly a credential and keeps ordinary words, so that exported cases stay readable.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ps {

// Placeholders written instead of what was found.
inline constexpr std::string_view kRedactedKey = "[REDACTED_KEY]";
inline constexpr std::string_view kRedactedToken = "[REDACTED_TOKEN]";
inline constexpr std::string_view kRedactedEmail = "[REDACTED_EMAIL]";

// The text with each secret replaced; count (optional) receives how many were replaced.
std::string redactSecrets(std::string_view text, size_t* count = nullptr);

}  // namespace ps
