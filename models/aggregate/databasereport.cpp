#include "databasereport.h"

#include <algorithm>

#include "grainrows.h"
#include "sqldistribution.h"
#include "sqlfilter.h"

namespace ps {
namespace {

const std::vector<double> kQs = {0.50, 0.90, 0.95, 0.99};

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
    s.errorRate = s.count ? static_cast<double>(s.errors) / static_cast<double>(s.count) : kNaN;
    if (s.evalPass + s.evalFail > 0) {
        s.evalPassRate = static_cast<double>(s.evalPass) / static_cast<double>(s.evalPass + s.evalFail);
    }
    const SqlDistribution d = parseDistribution(row.text(first + 10), kQs.size());
    s.latencyMs = DistributionSummary{d.quantiles[0], d.quantiles[1], d.quantiles[2], d.quantiles[3], d.max,
                                      d.count ? d.sum / static_cast<double>(d.count) : kNaN, d.count};
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
    const std::string figures = "count(*), sum(" + rows.error + "), sum(" + rows.refusal + "), sum(" + rows.input +
                                "), sum(" + rows.output + "), sum(" + rows.cached + "), sum(" + rows.cost + "), sum(" +
                                rows.costUnknown + "), sum(" + rows.evalPass + "), sum(" + rows.evalFail + "), " +
                                distributionSql(m.dialect, rows.latency, kQs);
    const std::string key = rows.key(dimensionOfGroupField(field));
    {
        SqlParams params(m.dialect);
        const std::string sql =
            "SELECT " + key + ", " + figures + " FROM " + rows.from + rows.where(m, filter, params) + " GROUP BY 1";
        if (!connection.query(sql, params.values(),
                              [&](const db::Row& row) {
                                  GroupSummary s = summaryOf(row, 1);
                                  s.key = std::string(row.text(0));
                                  out->groups.push_back(std::move(s));
                                  return !(cancel && cancel->load());
                              },
                              error)) {
            return false;
        }
    }
    std::sort(out->groups.begin(), out->groups.end(), [](const GroupSummary& a, const GroupSummary& b) {
        return a.count != b.count ? a.count > b.count : a.key < b.key;
    });
    SqlParams params(m.dialect);
    const std::string sql = "SELECT " + figures + " FROM " + rows.from + rows.where(m, filter, params);
    const bool ok = connection.query(sql, params.values(),
                                     [&](const db::Row& row) {
                                         out->total = summaryOf(row, 0);
                                         return false;
                                     },
                                     error);
    out->total.key = "(all)";
    return ok;
}

}  // namespace ps
