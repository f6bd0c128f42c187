// Saving a dataset into PromptScope's own tables in PostgreSQL (the connection's current schema), all or
// nothing.
//
// With the span records, on two connections at once (the server then works on two cores): the tables are
// created empty in a staging schema of their own, each connection truncates and fills its share in its own
// transaction with COPY ... FREEZE, and one last transaction moves every table (indexes included) into the
// target schema, after dropping the old ones when replacing. Until that commit the target schema is
// untouched; a failure or a cancel drops the staging schema. Where the user may not create a schema, or
// without the records, one transaction on one connection does it all.
#pragma once

#include <string>

#include "datasetimport.h"
#include "dbconnection.h"

namespace ps {

DatasetWriteResult importIntoPostgres(const DatasetPtr& data, const std::string& uri,
                                      const DatasetImportOptions& options);

// Whether the connection's current schema holds PromptScope's tables.
bool hasOwnPostgresTables(db::Connection& connection, std::string* error);

}  // namespace ps
