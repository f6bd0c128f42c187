// A request's input and actual output as text, read from its source on demand: what an eval case records. The
// input is the conversation the request's last model call answered (its messages other than the system
// instructions, which belong to the prompt version); the output is what the last call that answered said.
#pragma once

#include <string>
#include <utility>

#include "colddata.h"

namespace ps {

// Empty strings when the source recorded no messages (or cannot be read any more).
std::pair<std::string, std::string> requestInputOutput(ColdDataReader& reader, RequestIndex request);

// What the user asked: the user messages of the request's first model call that has any. Two requests with the
// same user input under two prompt versions are a like-for-like pair (their system instructions differ).
std::string requestUserInput(ColdDataReader& reader, RequestIndex request);

}  // namespace ps
