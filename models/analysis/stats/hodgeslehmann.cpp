#include "hodgeslehmann.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "bootstrap.h"
#include "mannwhitney.h"
#include "statspolicy.h"

namespace ps::stats {
namespace {

// The candidates between two bounds lo < hi, per b_j: the i in [first[j], last[j]) have lo < b_j - a_i <= hi
// (for a fixed j the difference falls as i grows, and both limits only move right as j grows: one pass).
struct Bracket {
    double lo = 0;
    double hi = 0;
    uint64_t countLo = 0;  // differences <= lo
    uint64_t countHi = 0;  // differences <= hi
    std::vector<uint32_t> first;
    std::vector<uint32_t> last;
};

void measure(std::span<const double> a, std::span<const double> b, Bracket& br) {
    br.first.resize(b.size());
    br.last.resize(b.size());
    size_t f = 0;
    size_t l = 0;
    uint64_t countLo = 0;
    uint64_t countHi = 0;
    for (size_t j = 0; j < b.size(); ++j) {
        const double bj = b[j];
        while (f < a.size() && bj - a[f] > br.hi) {
            ++f;
        }
        l = std::max(l, f);
        while (l < a.size() && bj - a[l] > br.lo) {
            ++l;
        }
        br.first[j] = static_cast<uint32_t>(f);
        br.last[j] = static_cast<uint32_t>(l);
        countHi += a.size() - f;
        countLo += a.size() - l;
    }
    br.countLo = countLo;
    br.countHi = countHi;
}

// Up to `wanted` differences drawn uniformly (with replacement) from the bracket's candidates, sorted.
std::vector<double> sampleBracket(std::span<const double> a, std::span<const double> b, const Bracket& br,
                                  size_t wanted, SplitMix64& rng) {
    std::vector<uint64_t> prefix(b.size() + 1, 0);
    for (size_t j = 0; j < b.size(); ++j) {
        prefix[j + 1] = prefix[j] + (br.last[j] - br.first[j]);
    }
    const uint64_t total = prefix.back();
    std::vector<double> out;
    out.reserve(wanted);
    for (size_t s = 0; s < wanted; ++s) {
        const auto u = std::min(total - 1, static_cast<uint64_t>(rng.uniform() * static_cast<double>(total)));
        const size_t j = static_cast<size_t>(std::upper_bound(prefix.begin(), prefix.end(), u) - prefix.begin()) - 1;
        out.push_back(b[j] - a[br.first[j] + (u - prefix[j])]);
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

double pairwiseDifference(std::span<const double> a, std::span<const double> b, uint64_t k) {
    // Invariant: countLo <= k < countHi, so the answer lies in (lo, hi]. A round draws differences from the
    // bracket and takes two of them just either side of the target's rank among the draws (a few standard errors
    // apart) as the next bounds, counted in one pass: with 4,096 draws a round keeps about 1/16 of the
    // candidates, so a handful of passes replace the 40 to 60 of a bisection on the value (more draws would
    // narrow faster, but drawing and sorting them then costs more than the passes saved).
    constexpr size_t kDraws = 4096;
    const uint64_t enough = std::max<uint64_t>(4 * kDraws, a.size() + b.size());
    // The first bracket holds every difference: no pass needed to know it.
    Bracket br;
    br.lo = std::nextafter(b.front() - a.back(), -INFINITY);
    br.hi = b.back() - a.front();
    br.countHi = static_cast<uint64_t>(a.size()) * b.size();
    br.first.assign(b.size(), 0);
    br.last.assign(b.size(), static_cast<uint32_t>(a.size()));
    SplitMix64 rng(0x48CB0A7E5ULL + k);
    // What the next round does: draw bounds; after a draw that did not halve the candidates, look for a tie at the
    // upper bound (integer counts such as tokens tie by the million); after that, bisect the value.
    enum class Round { Draw, TieAtHi, Bisect } round = Round::Draw;
    while (br.countHi - br.countLo > enough) {
        const uint64_t candidates = br.countHi - br.countLo;
        Bracket next;
        switch (round) {
        case Round::Draw: {
            const std::vector<double> drawn = sampleBracket(a, b, br, kDraws, rng);
            const double f = (static_cast<double>(k - br.countLo) + 0.5) / static_cast<double>(candidates);
            const double margin = (4 * std::sqrt(f * (1 - f) / kDraws) + 2.0 / kDraws) * kDraws;
            const double at = f * kDraws;
            const double lowAt = std::floor(at - margin);
            const double highAt = std::ceil(at + margin);
            next.lo = lowAt >= 0 ? drawn[static_cast<size_t>(lowAt)] : br.lo;
            next.hi = highAt < kDraws ? drawn[static_cast<size_t>(highAt)] : br.hi;
            if (next.lo >= next.hi) {  // ties around the target: try the tied value alone, (just below it, it]
                next.hi = drawn[static_cast<size_t>(std::clamp(at, 0.0, kDraws - 1.0))];
                next.lo = std::max(br.lo, std::nextafter(next.hi, -INFINITY));
            }
            break;
        }
        case Round::TieAtHi:
            next.hi = br.hi;
            next.lo = std::max(br.lo, std::nextafter(br.hi, -INFINITY));
            break;
        case Round::Bisect:
            next.lo = br.lo;
            next.hi = br.lo + (br.hi - br.lo) / 2;
            if (next.hi <= br.lo || next.hi >= br.hi) {
                return br.hi;  // adjacent doubles: hi is the only value in (lo, hi]
            }
            break;
        }
        measure(a, b, next);
        if (next.countLo > k) {  // the answer is at most next.lo
            next.hi = next.lo;
            next.lo = br.lo;
            measure(a, b, next);
        } else if (next.countHi <= k) {  // the answer is above next.hi
            next.lo = next.hi;
            next.hi = br.hi;
            measure(a, b, next);
        }
        if (next.lo == std::nextafter(next.hi, -INFINITY)) {
            return next.hi;
        }
        const bool halved = next.countHi - next.countLo <= candidates / 2;
        round = halved || round == Round::Bisect ? Round::Draw : round == Round::Draw ? Round::TieAtHi : Round::Bisect;
        br = std::move(next);
    }
    std::vector<double> between;
    between.reserve(br.countHi - br.countLo);
    for (size_t j = 0; j < b.size(); ++j) {
        for (uint32_t i = br.first[j]; i < br.last[j]; ++i) {
            between.push_back(b[j] - a[i]);
        }
    }
    const auto at = static_cast<std::ptrdiff_t>(k - br.countLo);
    std::nth_element(between.begin(), between.begin() + at, between.end());
    return between[static_cast<size_t>(at)];
}

std::pair<double, double> pairwiseDifferencePair(std::span<const double> a, std::span<const double> b, uint64_t k) {
    const double v = pairwiseDifference(a, b, k);
    // The next one up is v again when more than k + 1 differences are <= v, else the smallest difference above v:
    // for each b_j, the one with the largest a_i still above v.
    uint64_t atMost = 0;
    double above = INFINITY;
    size_t i = 0;
    for (const double bj : b) {
        while (i < a.size() && bj - a[i] > v) {
            ++i;
        }
        atMost += a.size() - i;
        if (i > 0) {
            above = std::min(above, bj - a[i - 1]);
        }
    }
    return {v, atMost > k + 1 ? v : above};
}

ShiftEstimate hodgesLehmannShift(std::span<const double> a, std::span<const double> b, double confidence) {
    ShiftEstimate s;
    const uint64_t pairs = static_cast<uint64_t>(a.size()) * b.size();
    if (pairs % 2 == 1) {
        s.estimate = pairwiseDifference(a, b, pairs / 2);
    } else {
        const auto [below, above] = pairwiseDifferencePair(a, b, pairs / 2 - 1);
        s.estimate = 0.5 * (below + above);
    }
    const double alpha = 1.0 - confidence;
    // C: the interval is [D_(C), D_(pairs + 1 - C)] (1-based), covering with probability 1 - 2 P(U <= C - 1).
    uint64_t c = 0;
    const MannWhitneyResult test = mannWhitneyUSorted(a, b);
    if (test.exact) {
        const std::vector<double> cdf = exactUCdf(a.size(), b.size());
        while (c < cdf.size() && cdf[c] <= alpha / 2) {
            ++c;
        }
    } else {
        const auto nA = static_cast<double>(a.size());
        const auto nB = static_cast<double>(b.size());
        const double n = nA + nB;
        const double variance = nA * nB / 12.0 * ((n + 1.0) - test.tieTerm / (n * (n - 1.0)));
        const double below = nA * nB / 2.0 - normalQuantile(1.0 - alpha / 2) * std::sqrt(std::max(0.0, variance));
        c = below >= 1 ? static_cast<uint64_t>(std::floor(below)) : 0;
    }
    if (c >= 1 && c <= pairs / 2) {
        s.ci.low = pairwiseDifference(a, b, c - 1);
        s.ci.high = pairwiseDifference(a, b, pairs - c);
    }
    return s;
}

}  // namespace ps::stats
