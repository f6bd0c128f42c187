// Placeholder until the import side defines PromptScope's tables: they are recognised, and say so.
#include "ownschemareader.h"

namespace ps {

ReadOutcome readOwnSchema(db::Connection&, const DatabaseSchema&, const DatabaseReadRequest&,
                          DatasetBuilder&) {
    ReadOutcome outcome;
    outcome.error = "PromptScope's own tables are recognised but this build does not read them yet";
    return outcome;
}

uint64_t countOwnSchemaRows(db::Connection&, const DatabaseSchema&) {
    return 0;
}

SpanDetails readOwnSchemaSpan(db::Connection&, const DatabaseSchema&, const std::string&, uint64_t) {
    SpanDetails details;
    details.error = "details of spans in PromptScope's own tables are not read by this build";
    return details;
}

}  // namespace ps
