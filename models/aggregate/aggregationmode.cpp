#include "aggregationmode.h"

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
                        std::string* error) {
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
    auto mapping = db::detectRequestMapping(*out->connection, error);
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
    const std::string rows = withThousands(source.extent.rows) + " rows of " + source.mapping.label;
    if (mode == DatabaseMode::Aggregate) {
        return "Aggregating in the database: " + rows +
               (source.extent.rows > threshold ? " (above " + withThousands(threshold) + ")" : std::string());
    }
    return "Loaded from the database: " + rows;
}

}  // namespace ps
