// Many metrics are compared at once, so some would come out "significant" by chance alone: with 25 metrics
// tested at 5% each, an A/A comparison would flag at least one in most runs. The verdicts therefore use
// Benjamini-Hochberg adjusted p-values (Benjamini and Hochberg 1995, JRSS B 57): when nothing really differs
// the chance of flagging any metric stays at alpha (under no difference at all, the false discovery rate it
// controls is the chance of any false flag), and when some metrics do differ at most alpha of the flagged ones
// are expected to be false. Valid for independent and positively dependent tests, which is what the metrics of
// one comparison are (p50 and p95 of the same latencies, error rate and failure rate).
#pragma once

#include <span>
#include <vector>

namespace ps::stats {

// Adjusted p-values in the input's order: p_(i) m / i made monotone from the largest down, capped at 1. NaN
// entries are not tests: they stay NaN and do not count in m.
std::vector<double> benjaminiHochberg(std::span<const double> pValues);

}  // namespace ps::stats
