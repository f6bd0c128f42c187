#include "databasereport.h"

#include <algorithm>

#include "grainrows.h"
#include "groupedstats.h"
#include "sqldistribution.h"
#include "sqlfilter.h"

namespace ps {
namespace {

const std::vector<double> kQs = {0.50, 0.90, 0.95, 0.99};

// The rates and the latency summary from the counts and the distribution.
void finish(GroupSummary& s, const SqlDistribution& d) {
    s.errorRate = s.count ? static_cast<double>(s.errors) / static_cast<double>(s.count) : kNaN;
    if (s.evalPass + s.evalFail > 0) {
        s.evalPassRate = static_cast<double>(s.evalPass) / static_cast<double>(s.evalPass + s.evalFail);
    }
    s.latencyMs = DistributionSummary{d.quantiles[0], d.quantiles[1], d.quantiles[2], d.quantiles[3], d.max,
                                      d.count ? d.sum / static_cast<double>(d.count) : kNaN, d.count};
}

GroupSummary summaryOf(const db::Row& row, int first) {
    auto count = [&](int c) { return static_cast<uint64_t>(std::max<int64_t>(0, row.integer(c).value_or(0))); };
    GroupSummary s;
    s.count = count(first);
    s.errors = count(first + 1);
    s.refusals = count(first + 2);
    s.inputTokens = count(first + 3);
    s.outputTokens = count(first + 4);
    s.cachedTokens = count(first + 5);
    s.costUsd = row.real(first + 6).value_or(0);
    s.costUnknown = count(first + 7);
    s.evalPass = count(first + 8);
    s.evalFail = count(first + 9);
    finish(s, parseDistribution(row.text(first + 10), kQs.size()));
    return s;
}

}  // namespace

Dimension dimensionOfGroupField(GroupField field) {
    switch (field) {
    case GroupField::PromptVersion: return Dimension::PromptVersion;
    case GroupField::Prompt: return Dimension::PromptName;
    case GroupField::Model: return Dimension::Model;
    case GroupField::Feature: return Dimension::Feature;
    case GroupField::Environment: return Dimension::Environment;
    case GroupField::Tenant: return Dimension::Tenant;
    case GroupField::User: return Dimension::User;
    case GroupField::Provider: return Dimension::Provider;
    }
    return Dimension::PromptVersion;
}

bool buildDatabaseReport(db::Connection& connection, const db::RequestMapping& m, GroupField field, Grain grain,
                         const Filter& filter, Report* out, std::string* error, const std::atomic<bool>* cancel) {
    if (!prepareForAggregation(connection, error)) {
        return false;
    }
    out->grain = grain;
    out->groupBy = field;
    const GrainRows rows(m, grain);
    const std::vector<std::string> sums = {rows.error, rows.refusal, rows.input,       rows.output,  rows.cached,
                                           rows.cost,  rows.costUnknown, rows.evalPass, rows.evalFail};
    std::string totals = "count(*)";
    Grouping groups{{rows.key(dimensionOfGroupField(field))}, {}};
    for (const std::string& e : sums) {
        totals += ", sum(" + e + ")";
        groups.columns.push_back({e, {}});
    }
    totals += ", " + distributionSql(m.dialect, rows.latency, kQs);
    groups.columns.push_back({rows.latency, kQs});
    const RunStatement run = [&](const std::string& sql, const SqlParams& params, const db::RowFn& onRow) {
        if (cancel && cancel->load()) {
            *error = "the query was interrupted";
            return false;
        }
        return connection.query(sql, params.values(), onRow, error);
    };
    SqlParams params(m.dialect);
    const std::string where = rows.where(m, filter, params);
    if (!runGroupings(run, m.dialect, rows.from, where, params, {&groups}, totals, [&](const db::Row& row) {
            out->total = summaryOf(row, 0);
            return false;
        })) {
        return false;
    }
    out->total.key = "(all)";
    for (const GroupStats& g : groups.groups) {
        GroupSummary s;
        s.key = g.key[0];
        s.count = g.count;
        auto sum = [&](size_t c) { return static_cast<uint64_t>(std::max(0.0, g.sums[c])); };
        s.errors = sum(0);
        s.refusals = sum(1);
        s.inputTokens = sum(2);
        s.outputTokens = sum(3);
        s.cachedTokens = sum(4);
        s.costUsd = g.sums[5];
        s.costUnknown = sum(6);
        s.evalPass = sum(7);
        s.evalFail = sum(8);
        finish(s, g.distributions[9]);
        out->groups.push_back(std::move(s));
    }
    std::sort(out->groups.begin(), out->groups.end(), [](const GroupSummary& a, const GroupSummary& b) {
        return a.count != b.count ? a.count > b.count : a.key < b.key;
    });
    return true;
}

}  // namespace ps
