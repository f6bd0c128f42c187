#include "incrementalreader.h"

#include <algorithm>

#include "fieldrow.h"
#include "fieldselectreader.h"
#include "langfusetracereader.h"
#include "owntablesreader.h"

namespace ps::live {

std::unique_ptr<IncrementalReader> makeIncrementalReader(const DatabaseSchema& schema, std::string* whyNot,
                                                         int64_t overlapNs) {
    switch (schema.kind) {
    case DatabaseSchemaKind::LiteLlmSpendLogs:
        return std::make_unique<FieldSelectReader>(schema, overlapNs);
    case DatabaseSchemaKind::CustomSelect: {
        // Columns are known once the SELECT returned a row; until then it is scanned with all its columns.
        const auto& columns = schema.columnsKnown() ? schema.tables.front().columns : std::vector<std::string>{};
        if (schema.columnsKnown() && std::none_of(columns.begin(), columns.end(), [](const std::string& c) {
                return isField(c, Field::StartTime);
            })) {
            *whyNot = "the custom SELECT returns no start_time column, so its new rows cannot be told from the "
                      "ones already read";
            return nullptr;
        }
        return std::make_unique<FieldSelectReader>(schema, overlapNs);
    }
    case DatabaseSchemaKind::LangfuseV2:
        return std::make_unique<LangfuseTraceReader>(schema, overlapNs);
    case DatabaseSchemaKind::PromptScope:
        return std::make_unique<OwnTablesReader>();
    case DatabaseSchemaKind::Unknown:
        break;
    }
    *whyNot = schema.error.empty() ? std::string("it holds no log tables PromptScope knows") : schema.error;
    return nullptr;
}

}  // namespace ps::live
