#include <QTest>

#include <random>
#include <string>
#include <vector>

#include "textdiff.h"

using namespace ps;

namespace {

std::string join(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) {
        out += l;
        out += '\n';
    }
    return out;
}

// One letter per line: "ABC" -> "A\nB\nC\n".
std::string letters(const std::string& s) {
    std::vector<std::string> lines;
    for (char c : s) {
        lines.emplace_back(1, c);
    }
    return join(lines);
}

// Compact form of a diff: " A" same, "-B" removed, "+C" added.
std::vector<std::string> compact(const std::vector<DiffLine>& diff) {
    std::vector<std::string> out;
    for (const DiffLine& l : diff) {
        const char mark = l.change == LineChange::Same ? ' ' : l.change == LineChange::Removed ? '-' : '+';
        out.push_back(std::string(1, mark) + l.text);
    }
    return out;
}

size_t edits(const std::vector<DiffLine>& diff) {
    size_t n = 0;
    for (const DiffLine& l : diff) {
        n += l.change != LineChange::Same ? 1 : 0;
    }
    return n;
}

// Length of the longest common subsequence of two line lists by dynamic programming: a shortest edit script
// keeps exactly that many lines.
size_t lcsLength(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    std::vector<std::vector<size_t>> t(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
    for (size_t i = 1; i <= a.size(); ++i) {
        for (size_t j = 1; j <= b.size(); ++j) {
            t[i][j] = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : std::max(t[i - 1][j], t[i][j - 1]);
        }
    }
    return t[a.size()][b.size()];
}

// The diff must rebuild both texts: A from its same and removed lines, B from its same and added lines, with
// line numbers counting up from 1 on each side.
void checkRebuilds(const std::vector<DiffLine>& diff, const std::vector<std::string>& a,
                   const std::vector<std::string>& b) {
    std::vector<std::string> ra;
    std::vector<std::string> rb;
    for (const DiffLine& l : diff) {
        if (l.change != LineChange::Added) {
            ra.push_back(l.text);
            QCOMPARE(l.lineA, static_cast<uint32_t>(ra.size()));
        } else {
            QCOMPARE(l.lineA, 0u);
        }
        if (l.change != LineChange::Removed) {
            rb.push_back(l.text);
            QCOMPARE(l.lineB, static_cast<uint32_t>(rb.size()));
        } else {
            QCOMPARE(l.lineB, 0u);
        }
    }
    QCOMPARE(ra, a);
    QCOMPARE(rb, b);
}

using Lines = std::vector<std::string>;

}  // namespace

class TestTextDiff : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void identicalTextsAreAllSame() {
        const auto diff = lineDiff("one\ntwo\nthree", "one\ntwo\nthree");
        QCOMPARE(compact(diff), (Lines{" one", " two", " three"}));
        QCOMPARE(diff[2].lineA, 3u);
        QCOMPARE(diff[2].lineB, 3u);
    }

    void emptySides() {
        QVERIFY(lineDiff("", "").empty());
        QCOMPARE(compact(lineDiff("", "a\nb\n")), (Lines{"+a", "+b"}));
        QCOMPARE(compact(lineDiff("a\nb", "")), (Lines{"-a", "-b"}));
    }

    void lineBreaks() {
        // CRLF and LF are the same break; a final break adds no empty line, but an empty line in between counts.
        QCOMPARE(compact(lineDiff("a\r\nb\r\n", "a\nb")), (Lines{" a", " b"}));
        QCOMPARE(compact(lineDiff("a\n\nb\n", "a\nb\n")), (Lines{" a", "-", " b"}));
    }

    void changedLinesShowRemovedBeforeAdded() {
        const std::string a = "You are a support agent.\nAnswer briefly.\nCite the policy.\n";
        const std::string b = "You are a support agent.\nAnswer in detail.\nBe kind.\nCite the policy.\n";
        QCOMPARE(compact(lineDiff(a, b)),
                 (Lines{" You are a support agent.", "-Answer briefly.", "+Answer in detail.", "+Be kind.",
                        " Cite the policy."}));
    }

    void myersPaperExample() {
        // ABCABBA -> CBABAC needs 5 edits (Myers 1986, figure 1); the common subsequence has 4 lines.
        const auto diff = lineDiff(letters("ABCABBA"), letters("CBABAC"));
        QCOMPARE(edits(diff), size_t{5});
        checkRebuilds(diff, Lines{"A", "B", "C", "A", "B", "B", "A"}, Lines{"C", "B", "A", "B", "A", "C"});
    }

    void shortestOnRandomTexts() {
        std::mt19937 rng(3);
        for (int round = 0; round < 200; ++round) {
            Lines a;
            Lines b;
            const int na = static_cast<int>(rng() % 40);
            for (int i = 0; i < na; ++i) {
                a.push_back(std::string(1, static_cast<char>('a' + rng() % 4)));
            }
            // B: A with random edits, or unrelated.
            for (const auto& l : a) {
                const unsigned r = rng() % 10;
                if (r == 0) {
                    continue;
                }
                if (r == 1) {
                    b.push_back(std::string(1, static_cast<char>('a' + rng() % 4)));
                }
                b.push_back(l);
            }
            const auto diff = lineDiff(join(a), join(b));
            checkRebuilds(diff, a, b);
            QCOMPARE(diff.size() - edits(diff), lcsLength(a, b));
        }
    }

    void tooManyEditsFallBackToReplacingTheMiddle() {
        // Common first and last lines are kept; the differing middle needs 6 edits, more than the 2 allowed.
        const auto diff = lineDiff("head\na\nb\nc\ntail\n", "head\nx\ny\nz\ntail\n", 2);
        QCOMPARE(compact(diff), (Lines{" head", "-a", "-b", "-c", "+x", "+y", "+z", " tail"}));
        checkRebuilds(diff, Lines{"head", "a", "b", "c", "tail"}, Lines{"head", "x", "y", "z", "tail"});
        // Within the limit the search runs: one line changed of three is 2 edits.
        QCOMPARE(compact(lineDiff("a\nb\nc", "a\nB\nc", 2)), (Lines{" a", "-b", "+B", " c"}));
    }
};

QTEST_GUILESS_MAIN(TestTextDiff)
#include "tst_textdiff.moc"
