#include "sqlfilter.h"

#include <algorithm>
#include <cctype>

namespace ps {
namespace {

constexpr std::string_view kNone = "(none)";

// A LIKE pattern for a case-insensitive substring, with the pattern characters escaped by '\'.
std::string containsPattern(std::string_view text) {
    std::string out = "%";
    for (const char c : text) {
        if (c == '%' || c == '_' || c == '\\') {
            out += '\\';
        }
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    out += '%';
    return out;
}

std::string joinAnd(const std::vector<std::string>& parts) {
    std::string out;
    for (const std::string& p : parts) {
        out += out.empty() ? "(" : " AND (";
        out += p;
        out += ")";
    }
    return out;
}

}  // namespace

std::string SqlParams::bind(db::Value value, const char* sqlType) {
    values_.push_back(std::move(value));
    const std::string name = "$" + std::to_string(values_.size());
    if (dialect_ == db::Dialect::Postgres && sqlType) {
        return "CAST(" + name + " AS " + sqlType + ")";
    }
    return name;
}

std::string errorFlag(const db::RequestMapping& m) {
    return m.error.empty() ? std::string("0") : "(CASE WHEN " + m.error + " THEN 1 ELSE 0 END)";
}

std::string refusalFlag(const db::RequestMapping& m) {
    return m.refusal.empty() ? std::string("0") : "(CASE WHEN " + m.refusal + " THEN 1 ELSE 0 END)";
}

std::string dimensionKeyExpression(const db::RequestMapping& m, Dimension dimension) {
    const auto k = static_cast<size_t>(dimension);
    if (!m.hasDimension(k)) {
        return "'(none)'";
    }
    return "coalesce(NULLIF(" + m.dimensions[k] + ", ''), '(none)')";
}

std::string whereClause(const db::RequestMapping& m, const Filter& filter, SqlParams& params,
                        const WhereOptions& options) {
    std::vector<std::string> parts;
    const char* timeType = m.startStorage == db::TimeStorage::Timestamp     ? "timestamp"
                           : m.startStorage == db::TimeStorage::TimestampTz ? "timestamptz"
                           : m.startStorage == db::TimeStorage::EpochNanos  ? "int8"
                                                                            : nullptr;
    const int64_t begin = options.replaceTime ? options.beginNs : filter.beginNs;
    const int64_t end = options.replaceTime ? options.endNs : filter.endNs;
    if (begin != Filter::kNoLimit) {
        parts.push_back(m.startColumn + " >= " + params.bind(db::timeParameter(m, begin), timeType));
    }
    if (end != Filter::kNoLimit) {
        parts.push_back(m.startColumn + " < " + params.bind(db::timeParameter(m, end), timeType));
    }
    for (size_t k = 0; k < kDimensionCount; ++k) {
        const std::vector<std::string>& values = filter.values[k];
        if (values.empty() || static_cast<int>(k) == options.skipDimension) {
            continue;
        }
        const bool none = std::find(values.begin(), values.end(), kNone) != values.end();
        if (!m.hasDimension(k)) {
            parts.emplace_back(none ? "1 = 1" : "1 = 0");  // every row has no value
            continue;
        }
        const std::string& e = m.dimensions[k];
        std::string in;
        for (const std::string& v : values) {
            if (v != kNone) {
                in += (in.empty() ? "" : ", ") + params.bind(v, "text");
            }
        }
        std::string condition;
        if (!in.empty()) {
            condition = e + " IN (" + in + ")";
        }
        if (none) {
            condition += (condition.empty() ? "" : " OR ") + e + " IS NULL OR " + e + " = ''";
        }
        parts.push_back(condition);
    }
    if (!options.skipStatus && filter.status != StatusFilter::Any) {
        parts.push_back(errorFlag(m) + (filter.status == StatusFilter::Error ? " = 1" : " = 0"));
    }
    if (filter.refusalsOnly) {
        parts.push_back(refusalFlag(m) + " = 1");
    }
    if (filter.minLatencyMs >= 0) {
        parts.push_back(m.latencyMs + " >= " + params.bind(filter.minLatencyMs, "float8"));
    }
    if (filter.maxLatencyMs >= 0) {
        parts.push_back(m.latencyMs + " <= " + params.bind(filter.maxLatencyMs, "float8"));
    }
    // As in memory, the bounds apply to the known part of the request's cost: an unknown cost counts as 0.
    const std::string cost = "coalesce(" + db::orLiteral(m.costUsd, "0") + ", 0)";
    if (filter.minCostUsd >= 0) {
        parts.push_back(cost + " >= " + params.bind(filter.minCostUsd, "float8"));
    }
    if (filter.maxCostUsd >= 0) {
        parts.push_back(cost + " <= " + params.bind(filter.maxCostUsd, "float8"));
    }
    if (!filter.text.empty()) {
        const std::string pattern = params.bind(containsPattern(filter.text), "text");
        std::vector<std::string> fields = {m.id, m.name, m.dimensions[static_cast<size_t>(Dimension::User)]};
        if (!m.errorText.empty() && m.errorTextOfAnyRow) {
            fields.push_back(m.errorText);
        } else if (!m.error.empty() && !m.errorText.empty()) {
            fields.push_back("CASE WHEN " + m.error + " THEN " + m.errorText + " END");
        }
        std::string any;
        for (const std::string& f : fields) {
            if (!f.empty()) {
                any += (any.empty() ? "" : " OR ") + std::string("lower(") + f + ") LIKE " + pattern + " ESCAPE '\\'";
            }
        }
        parts.push_back(any.empty() ? std::string("1 = 0") : any);
    }
    return parts.empty() ? std::string() : " WHERE " + joinAnd(parts);
}

}  // namespace ps
