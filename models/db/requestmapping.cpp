#include "requestmapping.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>

#include "ownschema.h"
#include "ownschemamapping.h"

namespace ps::db {
namespace {

// Indices into RequestMapping::dimensions (ps::Dimension's order).
enum : size_t { kFeature = 0, kModel = 3, kProvider = 4, kTenant = 6, kUser = 8, kSession = 9 };

bool equalNoCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// A text field of LiteLLM's metadata JSON.
std::string metadataText(Dialect dialect, std::string_view path) {
    if (dialect == Dialect::Postgres) {
        // path "a.b" -> metadata->'a'->>'b'
        std::string out = "metadata";
        size_t start = 0;
        for (size_t dot = path.find('.'); dot != std::string_view::npos; dot = path.find('.', start)) {
            out += "->'" + std::string(path.substr(start, dot - start)) + "'";
            start = dot + 1;
        }
        return "(" + out + "->>'" + std::string(path.substr(start)) + "')";
    }
    return "json_extract(metadata, '$." + std::string(path) + "')";
}

}  // namespace

std::string orLiteral(const std::string& expression, std::string_view fallback) {
    return expression.empty() ? std::string(fallback) : expression;
}

RequestMapping liteLlmSpendLogs(Dialect dialect, std::string_view table, TimeStorage storage) {
    RequestMapping m;
    m.dialect = dialect;
    m.label = "LiteLLM SpendLogs";
    m.from = quoteIdentifier(table);
    m.id = "request_id";
    m.name = "call_type";
    m.startColumn = "\"startTime\"";
    m.startStorage = dialect == Dialect::Postgres ? TimeStorage::Timestamp : storage;
    const std::string start = "\"startTime\"";
    const std::string end = "\"endTime\"";
    if (dialect == Dialect::Postgres) {
        // EXTRACT gives an exact numeric: the milliseconds are exact before the one rounding to float8.
        m.startSeconds = "floor(EXTRACT(EPOCH FROM " + start + "))::int8";
        m.startMillis = "(EXTRACT(EPOCH FROM " + start + ") * 1000)::float8";
        m.latencyMs = "(GREATEST(0, EXTRACT(EPOCH FROM (" + end + " - " + start + "))) * 1000)::float8";
    } else if (m.startStorage == TimeStorage::IsoText) {
        // ps_epoch_ns (sqliteaggregates.h) reads the text to the nanosecond, several times faster than SQLite's
        // date functions, which also round to milliseconds.
        m.startSeconds = "(ps_epoch_ns(" + start + ") / 1000000000)";
        m.startMillis = "(ps_epoch_ns(" + start + ") / 1e6)";
        m.latencyMs = "(max(0, ps_epoch_ns(" + end + ") - ps_epoch_ns(" + start + ")) / 1e6)";
    } else {
        const std::string perSecond = m.startStorage == TimeStorage::EpochMillis ? "1000" : "1";
        m.startSeconds = "CAST(" + start + " / " + perSecond + " AS INTEGER)";
        m.startMillis = "(" + start + " * 1000.0 / " + perSecond + ")";
        m.latencyMs = "round((" + end + " - " + start + ") * 1000.0 / " + perSecond + ", 3)";
    }
    m.error = "status = 'failure'";
    // LiteLLM records a failure's HTTP code and exception class in metadata.error_information; the classes follow
    // PromptScope's (tracewriter.cpp): 429 or a rate limit, a timeout, a 5xx or provider outage, else other.
    const std::string code = metadataText(dialect, "error_information.error_code");
    const std::string cls = "lower(coalesce(" + metadataText(dialect, "error_information.error_class") + ", ''))";
    m.errorClass = "CASE WHEN " + code + " = '429' OR " + cls + " LIKE '%ratelimit%' THEN 1 WHEN " + cls +
                   " LIKE '%timeout%' THEN 3 WHEN " + code + " LIKE '5__' OR " + cls +
                   " LIKE '%internalservererror%' OR " + cls + " LIKE '%serviceunavailable%' THEN 2 ELSE 6 END";
    m.errorText = "coalesce(" + metadataText(dialect, "error_information.error_class") + ", '') || ' ' || coalesce(" +
                  metadataText(dialect, "error_information.error_message") + ", '')";
    m.inputTokens = "prompt_tokens";
    m.outputTokens = "completion_tokens";
    m.costUsd = "spend";
    // A LiteLLM virtual key is usually made per application: its alias names the feature.
    m.dimensions[kFeature] = metadataText(dialect, "user_api_key_alias");
    m.dimensions[kModel] = "model";
    m.dimensions[kProvider] = "custom_llm_provider";
    m.dimensions[kTenant] = "team_id";
    m.dimensions[kUser] = "\"user\"";
    m.dimensions[kSession] = "session_id";
    return m;
}

std::optional<RequestMapping> detectRequestMapping(Connection& connection, std::string* error) {
    std::string why;
    const std::vector<std::string> tables = connection.tables(&why);
    if (std::find(tables.begin(), tables.end(), kOwnSpansTable) != tables.end() &&
        std::find(tables.begin(), tables.end(), "ps_requests") != tables.end()) {
        if (!ownSchemaIsReadable(connection, error)) {
            return std::nullopt;
        }
        return ownSchemaRequestMapping(connection.dialect());
    }
    for (const std::string& table : tables) {
        if (!equalNoCase(table, "LiteLLM_SpendLogs")) {
            continue;
        }
        TimeStorage storage = TimeStorage::Timestamp;
        if (connection.dialect() == Dialect::Sqlite) {
            // The first row says how times are stored: ISO text, or epoch seconds or milliseconds.
            storage = TimeStorage::IsoText;
            std::string sampleError;
            connection.query("SELECT typeof(\"startTime\"), \"startTime\" FROM " + quoteIdentifier(table) +
                                 " LIMIT 1",
                             {},
                             [&](const Row& row) {
                                 if (row.text(0) == "integer" || row.text(0) == "real") {
                                     const double v = row.real(1).value_or(0);
                                     storage = v > 1e11 ? TimeStorage::EpochMillis : TimeStorage::EpochSeconds;
                                 }
                                 return false;
                             },
                             &sampleError);
        }
        return liteLlmSpendLogs(connection.dialect(), table, storage);
    }
    *error = why.empty() ? "no table of a known shape (ps_requests, LiteLLM_SpendLogs) in " +
                               connection.displayName()
                         : why;
    return std::nullopt;
}

double epochUnitNs(TimeStorage storage) {
    switch (storage) {
    case TimeStorage::EpochSeconds: return 1e9;
    case TimeStorage::EpochMillis: return 1e6;
    case TimeStorage::EpochMicros: return 1e3;
    case TimeStorage::EpochNanos: return 1;
    case TimeStorage::Timestamp:
    case TimeStorage::IsoText:
    case TimeStorage::TimestampTz: break;
    }
    return 0;
}

Value timeParameter(const RequestMapping& mapping, int64_t ns) { return timeValue(mapping.startStorage, ns); }

Value timeValue(TimeStorage storage, int64_t ns) {
    if (storage == TimeStorage::EpochNanos) {
        return ns;
    }
    if (const double unit = epochUnitNs(storage); unit > 0) {
        // The smallest number whose time, read as the loader reads an epoch number (nanoseconds rounded from the
        // number times the unit, in double precision), is at or after ns: then comparing the raw column with it
        // agrees with comparing the loaded times, even where ns / unit is not exact (milliseconds past 2^53 ns).
        const auto nsOf = [unit](double v) { return std::llround(v * unit); };
        double bound = static_cast<double>(ns) / unit;
        for (int step = 0; step < 64 && nsOf(bound) < ns; ++step) {
            bound = std::nextafter(bound, INFINITY);
        }
        for (int step = 0; step < 64 && nsOf(std::nextafter(bound, -INFINITY)) >= ns; ++step) {
            bound = std::nextafter(bound, -INFINITY);
        }
        return bound;
    }
    const int64_t nsPerSecond = 1000000000;
    int64_t seconds = ns / nsPerSecond;
    int64_t rest = ns % nsPerSecond;
    if (rest < 0) {
        rest += nsPerSecond;
        --seconds;
    }
    const auto t = static_cast<time_t>(seconds);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char text[40];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &utc);
    std::string out = text;
    // Microseconds with trailing zeros trimmed: text comparison with stored times of any number of digits then
    // agrees with time order (a stored time equal to the bound never sorts before it).
    const int64_t micros = rest / 1000;
    if (micros > 0) {
        char fraction[16];
        std::snprintf(fraction, sizeof fraction, ".%06lld", static_cast<long long>(micros));
        std::string f = fraction;
        while (f.back() == '0') {
            f.pop_back();
        }
        out += f;
    }
    if (storage == TimeStorage::TimestampTz) {
        out += "+00";
    }
    return out;
}

}  // namespace ps::db
