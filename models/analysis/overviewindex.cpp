#include "overviewindex.h"

#include "hugepages.h"
#include "radixorder.h"

namespace ps {
namespace {

template <Grain G>
OverviewIndex build(const Dataset& d, const FacetIndex& index) {
    OverviewIndex out;
    out.grain = G;
    const size_t n = G == Grain::Request ? d.requestCount() : d.generationCount();
    if constexpr (G == Grain::Generation) {
        resizeHuge(out.request, n);
        resizeHuge(out.startNs, n);
        for (uint32_t r = 0; r < d.requestCount(); ++r) {
            const uint32_t end = d.generationEnd(RequestIndex{r});
            for (uint32_t k = d.requests.firstGeneration[r]; k < end; ++k) {
                out.request[k] = r;
            }
        }
        for (size_t k = 0; k < n; ++k) {
            out.startNs[k] = d.spans.startNs[d.generations.span[k]];
        }
    }
    const GrainRows<G> rows{d, index, out};
    std::vector<double> values;
    resizeHuge(values, n);
    for (uint32_t i = 0; i < n; ++i) {
        values[i] = rows.ms(i);
    }
    out.ms = buildValueCodes(values);
    for (uint32_t i = 0; i < n; ++i) {
        values[i] = rows.cost(i);
    }
    out.cost = buildValueCodes(values);
    // Each breakdown's rows by group, then by latency code.
    std::vector<uint32_t> key;
    resizeHuge(key, n);
    for (size_t b = 0; b < kBreakdownCount; ++b) {
        bool byCall = false;
        const std::vector<uint32_t>& code = rows.groupCodes(b, &byCall);
        const size_t groups = rows.groupValues(b).size();
        OverviewIndex::GroupOrder& order = out.byGroup[b];
        order.begin.assign(groups + 1, 0);
        for (uint32_t row = 0; row < n; ++row) {
            const uint32_t g = code[byCall ? row : rows.requestOf(row)];
            ++order.begin[g + 1];
            key[row] = g << 16 | out.ms.code[row];
        }
        for (size_t g = 0; g < groups; ++g) {
            order.begin[g + 1] += order.begin[g];
        }
        if (groups <= 0xffff) {
            order.rows = rowsByKey(key);
            continue;
        }
        // Too many groups for the key's 16 bits: the rows in latency-code order, moved by group (stable).
        order.rows.resize(n);
        std::vector<uint32_t> cursor(order.begin.begin(), order.begin.end() - 1);
        for (uint32_t row : out.ms.order) {
            order.rows[cursor[code[byCall ? row : rows.requestOf(row)]]++] = row;
        }
    }
    return out;
}

}  // namespace

OverviewIndex buildOverviewIndex(const Dataset& d, const FacetIndex& index, Grain grain) {
    return grain == Grain::Request ? build<Grain::Request>(d, index) : build<Grain::Generation>(d, index);
}

}  // namespace ps
