// The database sources loaded in this process, by the name their SourceInfo shows (the target without its
// password): how to connect again (with the password, kept in memory only) and which schema was read, so a
// span's details can be read back from its row when it is opened.
#pragma once

#include <optional>
#include <string>

#include "databaseschema.h"
#include "dbconnection.h"

namespace ps {

struct DatabaseSourceSpec {
    db::Target target;
    db::ConnectOptions options;
    DatabaseSchema schema;
};

void rememberDatabaseSource(const std::string& shownName, DatabaseSourceSpec spec);
std::optional<DatabaseSourceSpec> rememberedDatabaseSource(const std::string& shownName);

}  // namespace ps
