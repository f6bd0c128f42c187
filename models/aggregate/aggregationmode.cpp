#include "aggregationmode.h"

#include "customselectmapping.h"
#include "sqldistribution.h"

namespace ps {
namespace {

std::string withThousands(uint64_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) {
            out += ',';
        }
        out += digits[i];
    }
    return out;
}

}  // namespace

DatabaseMode chooseDatabaseMode(uint64_t rows, uint64_t threshold, bool forceAggregate) {
    return forceAggregate || rows > threshold ? DatabaseMode::Aggregate : DatabaseMode::LoadRows;
}

bool openDatabaseSource(const std::string& source, const db::ConnectOptions& options, DatabaseSource* out,
                        std::string* error, const std::string& customSelect) {
    const auto target = db::parseTarget(source);
    if (!target) {
        *error = source + " is not a database";
        return false;
    }
    out->target = *target;
    out->display = db::withoutPassword(source);
    out->connection = db::openConnection(*target, options, error);
    if (!out->connection) {
        return false;
    }
    auto mapping = customSelect.empty() ? db::detectRequestMapping(*out->connection, error)
                                        : db::customSelectRequestMapping(*out->connection, customSelect, error);
    if (!mapping) {
        return false;
    }
    out->mapping = std::move(*mapping);
    if (!prepareForAggregation(*out->connection, error)) {
        return false;
    }
    return databaseExtent(*out->connection, out->mapping, &out->extent, error);
}

std::string describeMode(const DatabaseSource& source, DatabaseMode mode, uint64_t threshold) {
    const DatabaseExtent& e = source.extent;
    const std::string rows = source.mapping.rowNoun == "rows"
                                 ? withThousands(e.rows) + " rows of " + source.mapping.label
                                 : withThousands(e.rows) + " " + source.mapping.rowNoun +
                                       (e.spans > 0 ? " (" + withThousands(e.spans) + " spans)" : std::string()) +
                                       " of " + source.mapping.label;
    if (mode == DatabaseMode::Aggregate) {
        return "Aggregating in the database: " + rows +
               (e.rowsToLoad() > threshold ? " (above " + withThousands(threshold) + ")" : std::string());
    }
    return "Loaded from the database: " + rows;
}

}  // namespace ps
