#include "overviewbreakdowns.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <utility>

#include "codehistogram.h"
#include "valuecodes.h"

#include "percentile.h"
#include "versionlabel.h"

namespace ps {
namespace {

constexpr double kBreakdownQuantile = 0.95;
// The breakdowns a model call counts in by its own model and prompt version (the others by its request's).
constexpr size_t kModel = 0;
constexpr size_t kVersion = 2;
static_assert(kBreakdownFields[kModel].second == Dimension::Model &&
              kBreakdownFields[kVersion].second == Dimension::PromptVersion);

// What a breakdown row sums up: its rows without and with an error, and their cost.
struct GroupSums {
    std::array<uint64_t, 2> rows{};
    double cost = 0;
};

// Working memory kept by the thread between recomputes (fresh memory is slow to fault in on a virtual machine).
struct Scratch {
    std::vector<uint64_t> selected;  // a bit per row of the grain
    std::array<std::vector<GroupSums>, kBreakdownCount> sums;
    std::vector<uint64_t> tokenTable;
    std::vector<uint32_t> members;
    std::vector<double> values;
    std::vector<std::vector<double>> byGroup;
    CodeCounts cost;
};

Scratch& scratchForThisThread() {
    thread_local Scratch scratch;
    return scratch;
}

// The type-7 quantile q (at least 0.5) of the `selected` member rows among rows[0..size), which are ordered by
// latency code: read from the top, keeping the members, until the two ranks wanted are passed. Inside the code that
// holds a rank, the members' values are selected exactly.
template <typename Member, typename Value>
double upperQuantile(const uint32_t* rows, size_t size, uint64_t selected, double q, const ValueCodes& codes,
                     Member member, Value value, Scratch& sc) {
    const double h = static_cast<double>(selected - 1) * q;
    const auto lo = static_cast<uint64_t>(std::floor(h));
    const double frac = h - std::floor(h);
    const uint64_t hi = std::min(lo + 1, selected - 1);
    // Ranks counted from the top: fromTopHi <= fromTopLo.
    const uint64_t fromTopLo = selected - 1 - lo;
    const uint64_t fromTopHi = selected - 1 - hi;
    double a = NAN;
    double b = NAN;
    bool haveHi = false;
    uint64_t seen = 0;  // members in the codes above
    size_t j = size;
    while (j > 0) {
        const uint16_t c = codes.code[rows[j - 1]];
        sc.members.clear();
        size_t k = j;
        while (k > 0 && codes.code[rows[k - 1]] == c) {
            --k;
            if (member(rows[k])) {
                sc.members.push_back(rows[k]);
            }
        }
        j = k;
        const size_t m = sc.members.size();
        bool gathered = false;
        auto at = [&](uint64_t fromTop) {  // the member at that rank from the top, within this code
            if (codes.lo[c] == codes.hi[c]) {
                return codes.lo[c];
            }
            if (!gathered) {
                sc.values.clear();
                for (uint32_t row : sc.members) {
                    sc.values.push_back(value(row));
                }
                gathered = true;
            }
            const auto ascending = static_cast<std::ptrdiff_t>(m - 1 - (fromTop - seen));
            std::nth_element(sc.values.begin(), sc.values.begin() + ascending, sc.values.end());
            return sc.values[static_cast<size_t>(ascending)];
        };
        if (!haveHi && fromTopHi < seen + m) {
            b = at(fromTopHi);
            haveHi = true;
        }
        if (fromTopLo < seen + m) {
            a = at(fromTopLo);
            break;
        }
        seen += m;
    }
    return frac > 0 ? a + frac * (b - a) : a;
}

void fillTokens(const Dataset& d, const std::vector<StringId>& nameOf, const std::vector<StringId>& versionOf,
                size_t versions, const std::unordered_map<uint64_t, uint64_t>& map, TokenSummary& tk) {
    tk.efficiency = tk.input > 0 ? static_cast<double>(tk.output) / static_cast<double>(tk.input) : kNaN;
    for (const auto& [key, tokens] : map) {
        if (tokens == 0) {
            continue;  // a prompt without tokens is no top prompt
        }
        const StringId name = nameOf[key / versions];
        const StringId version = versionOf.empty() ? StringId{} : versionOf[key % versions];
        std::string label = name.isEmpty() ? std::string("(no prompt)") : std::string(d.str(name));
        if (!version.isEmpty()) {
            label += " " + versionLabel(d.str(version));
        }
        tk.topPrompts.emplace_back(std::move(label), tokens);
    }
    std::sort(tk.topPrompts.begin(), tk.topPrompts.end(), [](const auto& x, const auto& y) {
        return x.second != y.second ? x.second > y.second : x.first < y.first;
    });
    if (tk.topPrompts.size() > 10) {
        tk.topPrompts.resize(10);
    }
}

template <Grain G>
void compute(const GrainRows<G>& rows, const Selection& sel, OverviewResult& result, const std::atomic<bool>* cancel) {
    std::vector<Breakdown>& out = result.breakdowns;
    TokenSummary& tk = result.tokens;
    const Dataset& d = rows.d;
    const FacetIndex& index = rows.index;
    Scratch& sc = scratchForThisThread();
    const size_t n = rows.size();
    sc.selected.assign(n / 64 + 1, 0);
    std::array<const uint32_t*, kBreakdownCount> code{};
    std::array<bool, kBreakdownCount> byCall{};
    std::array<GroupSums*, kBreakdownCount> sums{};
    for (size_t b = 0; b < kBreakdownCount; ++b) {
        bool call = false;
        code[b] = rows.groupCodes(b, &call).data();
        byCall[b] = call;
        const size_t groups = rows.groupValues(b).size();
        sc.sums[b].assign(groups, GroupSums{});
        sums[b] = sc.sums[b].data();
    }
    // Tokens per (prompt, version) in a dense table when it is small, else in a hash map.
    constexpr bool kCalls = GrainRows<G>::kCalls;
    const auto prompt = static_cast<size_t>(Dimension::PromptName);
    const auto version = static_cast<size_t>(Dimension::PromptVersion);
    const std::vector<uint32_t>& nameCode = kCalls ? index.callPrompt : index.code[prompt];
    const std::vector<StringId>& nameOf = kCalls ? index.callPromptOf : index.valueOf[prompt];
    const std::vector<StringId>& versionOf = kCalls ? index.callVersionOf : index.valueOf[version];
    const size_t versions = std::max<size_t>(versionOf.size(), 1);
    const bool dense = nameOf.size() * versions <= (size_t{1} << 20);
    sc.tokenTable.assign(dense ? nameOf.size() * versions : 0, 0);
    std::unordered_map<uint64_t, uint64_t> map;
    const OverviewIndex& oi = rows.oi;
    const uint16_t* costCode = oi.cost.code.data();
    const uint8_t* kind = oi.kind.data();
    sc.cost.reset();
    uint32_t* costCount = sc.cost.data();
    uint64_t selected = 0;
    std::array<uint32_t, kBreakdownCount> group{};
    auto visit = [&](uint32_t row) {
        ++selected;
        sc.selected[row >> 6] |= uint64_t{1} << (row & 63);
        const bool error = (kind[row] & kKindErrorMask) != 0;
        const double c = rows.cost(row);
        const double known = std::isnan(c) ? 0.0 : c;
        ++costCount[costCode[row]];
        [&]<size_t... B>(std::index_sequence<B...>) {  // unrolled over the breakdowns
            ((++sums[B][group[B]].rows[error], sums[B][group[B]].cost += known), ...);
        }(std::make_index_sequence<kBreakdownCount>{});
        const uint32_t in = rows.input(row);
        const uint32_t outTokens = rows.output(row);
        tk.input += in;
        tk.output += outTokens;
        tk.cached += rows.cached(row);
        const uint64_t key = uint64_t{nameCode[row]} * versions + group[kVersion];  // the version's code
        if (dense) {
            sc.tokenTable[key] += in + outTokens;
        } else {
            map[key] += in + outTokens;
        }
    };
    if constexpr (kCalls) {
        // A request's own groups once, its calls' model and version (the breakdowns counted by call) per call.
        const uint32_t* callBegin = rows.oi.callBegin.data();
        for (uint32_t r : sel.requests) {
            for (size_t b = 0; b < kBreakdownCount; ++b) {
                group[b] = byCall[b] ? 0 : code[b][r];
            }
            const uint32_t end = callBegin[r + 1];
            for (uint32_t k = callBegin[r]; k < end; ++k) {
                group[kModel] = code[kModel][k];
                group[kVersion] = code[kVersion][k];
                visit(k);
            }
        }
    } else {
        for (uint32_t r : sel.requests) {
            for (size_t b = 0; b < kBreakdownCount; ++b) {
                group[b] = code[b][r];
            }
            visit(r);
        }
    }
    for (size_t key = 0; key < sc.tokenTable.size(); ++key) {
        if (sc.tokenTable[key] > 0) {
            map[key] = sc.tokenTable[key];
        }
    }
    fillTokens(d, nameOf, versionOf, versions, map, tk);
    if (cancel && cancel->load(std::memory_order_relaxed)) {
        return;
    }
    auto member = [&](uint32_t row) { return (sc.selected[row >> 6] >> (row & 63)) & 1; };
    auto msOf = [&](uint32_t row) { return rows.ms(row); };
    result.costUsd = histogramOf(sc.cost, oi.cost, member, [&](uint32_t row) { return rows.cost(row); });
    // A small selection is cheaper to gather by group than to find at the top of the data set's groups.
    const bool gather = selected * 16 < n;
    for (size_t b = 0; b < kBreakdownCount; ++b) {
        const std::vector<StringId>& valueOf = rows.groupValues(b);
        const size_t groups = valueOf.size();
        if (gather) {
            sc.byGroup.resize(std::max(sc.byGroup.size(), groups));
            for (size_t g = 0; g < groups; ++g) {
                sc.byGroup[g].clear();
            }
            rows.forEach(sel.requests, [&](uint32_t row, uint32_t request) {
                sc.byGroup[code[b][byCall[b] ? row : request]].push_back(rows.ms(row));
            });
        }
        const OverviewIndex::GroupOrder& order = oi.byGroup[b];
        std::vector<BreakdownRow> result;
        for (size_t g = 0; g < groups; ++g) {
            const GroupSums& s = sums[b][g];
            const uint64_t inGroup = s.rows[0] + s.rows[1];
            if (inGroup == 0) {
                continue;
            }
            BreakdownRow row;
            row.key = valueOf[g].isEmpty() ? std::string("(none)") : std::string(d.str(valueOf[g]));
            row.count = inGroup;
            row.errorRate = static_cast<double>(s.rows[1]) / static_cast<double>(inGroup);
            row.p95LatencyMs = gather ? percentile(sc.byGroup[g], kBreakdownQuantile)
                                      : upperQuantile(order.rows.data() + order.begin[g], order.begin[g + 1] - order.begin[g],
                                                      inGroup, kBreakdownQuantile, oi.ms, member, msOf, sc);
            row.costUsd = s.cost;
            result.push_back(std::move(row));
        }
        std::sort(result.begin(), result.end(), [](const BreakdownRow& x, const BreakdownRow& y) {
            return x.count != y.count ? x.count > y.count : x.key < y.key;
        });
        if (result.size() > kMaxBreakdownRows) {
            result.resize(kMaxBreakdownRows);
        }
        out[b] = {kBreakdownFields[b].first, std::move(result)};
        if (cancel && cancel->load(std::memory_order_relaxed)) {
            return;
        }
    }
}

}  // namespace

void computeBreakdowns(const Dataset& d, const FacetIndex& index, const OverviewIndex& rows, const Selection& selection,
                       OverviewResult& out, const std::atomic<bool>* cancel) {
    out.breakdowns.resize(kBreakdownCount);
    if (rows.grain == Grain::Request) {
        compute(GrainRows<Grain::Request>{d, index, rows}, selection, out, cancel);
    } else {
        compute(GrainRows<Grain::Generation>{d, index, rows}, selection, out, cancel);
    }
}

}  // namespace ps
