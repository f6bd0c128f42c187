#include "overviewindex.h"

#include "hugepages.h"
#include "radixorder.h"
#include "sideworker.h"

namespace ps {
namespace {

template <Grain G, typename ValueOf>
ValueCodes codesOf(size_t n, ValueOf valueOf) {
    std::vector<double> values;
    resizeHuge(values, n);
    for (uint32_t i = 0; i < n; ++i) {
        values[i] = valueOf(i);
    }
    return buildValueCodes(values);
}

// Breakdown b's rows by group, then by latency code.
template <Grain G>
void orderByGroup(const GrainRows<G>& rows, size_t b, OverviewIndex::GroupOrder& order) {
    const size_t n = rows.size();
    bool byCall = false;
    const std::vector<uint32_t>& code = rows.groupCodes(b, &byCall);
    const size_t groups = rows.groupValues(b).size();
    const std::vector<uint16_t>& msCode = rows.oi.ms.code;
    order.begin.assign(groups + 1, 0);
    std::vector<uint32_t> key;
    resizeHuge(key, n);
    for (uint32_t row = 0; row < n; ++row) {
        const uint32_t g = code[byCall ? row : rows.requestOf(row)];
        ++order.begin[g + 1];
        key[row] = g << 16 | msCode[row];
    }
    for (size_t g = 0; g < groups; ++g) {
        order.begin[g + 1] += order.begin[g];
    }
    if (groups <= 0xffff) {
        order.rows = rowsByKey(key);
        return;
    }
    // Too many groups for the key's 16 bits: the rows in latency-code order, moved by group (stable).
    order.rows.resize(n);
    std::vector<uint32_t> cursor(order.begin.begin(), order.begin.end() - 1);
    for (uint32_t row : rows.oi.ms.order) {
        order.rows[cursor[code[byCall ? row : rows.requestOf(row)]]++] = row;
    }
}

// Built on two threads: latency codes here while the side thread codes the costs, then the breakdowns' orders
// (which need the latency codes) shared out.
template <Grain G>
OverviewIndex build(const Dataset& d, const FacetIndex& index) {
    OverviewIndex out;
    out.grain = G;
    const GrainRows<G> rows{d, index, out};
    const size_t n = rows.size();
    SideWorker& side = SideWorker::instance();
    side.start([&] { out.cost = codesOf<G>(n, [&](uint32_t i) { return rows.cost(i); }); });
    if constexpr (G == Grain::Generation) {
        resizeHuge(out.request, n);
        resizeHuge(out.startNs, n);
        out.callBegin.assign(d.requests.firstGeneration.begin(), d.requests.firstGeneration.end());
        out.callBegin.push_back(static_cast<uint32_t>(n));
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
    out.ms = codesOf<G>(n, [&](uint32_t i) { return rows.ms(i); });
    resizeHuge(out.kind, n);
    for (uint32_t i = 0; i < n; ++i) {
        out.kind[i] = rows.kindOf(i, rows.requestOf(i));
    }
    side.wait();
    constexpr size_t kOnSide = 2;
    side.start([&] {
        for (size_t b = 0; b < kOnSide; ++b) {
            orderByGroup(rows, b, out.byGroup[b]);
        }
    });
    for (size_t b = kOnSide; b < kBreakdownCount; ++b) {
        orderByGroup(rows, b, out.byGroup[b]);
    }
    side.wait();
    return out;
}

}  // namespace

OverviewIndex buildOverviewIndex(const Dataset& d, const FacetIndex& index, Grain grain) {
    return grain == Grain::Request ? build<Grain::Request>(d, index) : build<Grain::Generation>(d, index);
}

}  // namespace ps
