// Line differences between two texts (a prompt's input or a model's output under two versions), for the trace
// diff. The texts come from the cold-data reader; this part only compares them. Pure function, no Qt.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ps {

enum class LineChange : uint8_t { Same, Removed, Added };

struct DiffLine {
    LineChange change = LineChange::Same;
    std::string text;    // without the line break
    uint32_t lineA = 0;  // 1-based line number in A; 0 for an added line
    uint32_t lineB = 0;  // 1-based line number in B; 0 for a removed line
};

// A shortest edit script (Myers' O(ND) algorithm) from A's lines to B's, as the lines of a unified diff in order:
// within a changed stretch, removed lines come before added ones. Lines end at '\n' ("\r\n" counts as one break);
// a final line break does not start an empty line. When the texts differ by more than maxEdits lines (after their
// common first and last lines are set aside), the differing middle is reported as removed then added in full
// rather than searched further: the search costs memory quadratic in the number of edits.
std::vector<DiffLine> lineDiff(std::string_view a, std::string_view b, size_t maxEdits = 4000);

}  // namespace ps
