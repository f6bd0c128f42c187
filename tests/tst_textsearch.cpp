// Free-text search over the string pool: the run-wise scan must find exactly the strings a plain per-string
// search finds, never a match that runs across two strings stored back to back.
#include <QtTest>

#include <random>

#include "textsearch.h"

using namespace ps;

namespace {

std::vector<uint8_t> reference(const StringPool& pool, std::string_view needle) {
    std::string lower(needle);
    for (char& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    std::vector<uint8_t> out(pool.size());
    for (uint32_t id = 0; id < pool.size(); ++id) {
        std::string s(pool.view(StringId{id}));
        for (char& c : s) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        out[id] = s.find(lower) != std::string::npos ? 1 : 0;
    }
    return out;
}

}  // namespace

class TestTextSearch : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void containsNoCaseFoldsAsciiOnly() {
        QVERIFY(containsNoCase("Rate Limit exceeded", "rate limit"));
        QVERIFY(containsNoCase("RATE LIMIT", "Rate limit"));
        QVERIFY(!containsNoCase("rate-limit", "rate limit"));
        QVERIFY(containsNoCase("anything", ""));
        QVERIFY(!containsNoCase("", "a"));
        QVERIFY(containsNoCase("Ünïcode", "Ünï"));
        QVERIFY(!containsNoCase("ünïcode", "Ünï"));  // bytes above ASCII compare as they are
    }

    void findsOnlyWholeMatchesInsideOneString() {
        StringPool pool;
        const StringId a = pool.intern("request timed out");
        const StringId b = pool.intern("rate ");
        const StringId c = pool.intern("limit reached");  // "rate " + "limit" back to back must not match
        const StringId d = pool.intern("HTTP 429: Rate Limit");
        const StringId e = pool.intern("rate limit");
        const std::vector<uint8_t> m = stringsContaining(pool, "rate limit");
        QCOMPARE(m.size(), pool.size());
        QCOMPARE(m[a.value], uint8_t{0});
        QCOMPARE(m[b.value], uint8_t{0});
        QCOMPARE(m[c.value], uint8_t{0});
        QCOMPARE(m[d.value], uint8_t{1});
        QCOMPARE(m[e.value], uint8_t{1});
        QCOMPARE(m[0], uint8_t{0});  // the empty string
    }

    void emptyNeedleMatchesEverything() {
        StringPool pool;
        pool.intern("x");
        const std::vector<uint8_t> m = stringsContaining(pool, "");
        QCOMPARE(std::count(m.begin(), m.end(), 1), static_cast<long>(pool.size()));
    }

    void agreesWithAPerStringSearchOnRandomText() {
        // Short strings over a tiny alphabet (many near misses and matches at both ends), a few huge ones that
        // the pool stores in blocks of their own, and needles of several lengths.
        std::mt19937 rng(7);
        StringPool pool;
        const std::string alphabet = "abAB -";
        for (int i = 0; i < 20000; ++i) {
            std::string s(1 + rng() % 12, ' ');
            for (char& ch : s) {
                ch = alphabet[rng() % alphabet.size()];
            }
            pool.intern(s);
            if (i % 5000 == 0) {
                std::string big(300000, 'a');
                big[rng() % big.size()] = 'B';
                big += std::to_string(i);
                pool.intern(big);
            }
        }
        for (const char* needle : {"a", "ab", "Ab a", "bbb", "a-B", "aaaaaaaaaaaab", "zz"}) {
            QCOMPARE(stringsContaining(pool, needle), reference(pool, needle));
        }
        // Two ranges of ids searched apart (as two threads do) give the same verdicts, wherever the cut.
        const auto n = static_cast<uint32_t>(pool.size());
        for (const uint32_t cut : {0u, 1u, 5000u, 5001u, n / 2, n - 1, n}) {
            std::vector<uint8_t> halves(n, 0);
            markStringsContaining(pool, "ab", cut, n, halves);
            markStringsContaining(pool, "ab", 0, cut, halves);
            QCOMPARE(halves, reference(pool, "ab"));
        }
    }
};

QTEST_APPLESS_MAIN(TestTextSearch)
#include "tst_textsearch.moc"
