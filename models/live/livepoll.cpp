#include "livepoll.h"

#include "databasereader.h"
#include "databasesources.h"
#include "pricingjson.h"

namespace ps::live {
namespace {

// The snapshot's source that holds a database's rows: named by its address without the password, by the address
// as given, or by the file path alone.
SourceIndex findSource(const Dataset& data, const LiveSource& live) {
    const auto target = db::parseTarget(live.source);
    for (size_t i = 0; i < data.sources.size(); ++i) {
        const std::string& path = data.sources[i].path;
        if (path == live.displayName || path == live.source) {
            return SourceIndex{i};
        }
        if (target && target->dialect == db::Dialect::Sqlite && path == target->location) {
            return SourceIndex{i};
        }
    }
    return SourceIndex{};
}

// A source read whole by this poll: its mark comes from what was read, once the delta is built.
struct ReadWhole {
    LiveSource* live;
    SourceIndex index;
    std::unique_ptr<IncrementalReader> reader;
};

}  // namespace

std::vector<LiveSource> liveSourcesOf(const std::vector<std::string>& sources, const std::string& customSelect) {
    std::vector<LiveSource> out;
    for (const std::string& s : sources) {
        if (!db::parseTarget(s)) {
            continue;
        }
        LiveSource live;
        live.source = s;
        live.displayName = db::withoutPassword(s);
        live.customSelect = customSelect;
        // The load path remembers what it found; a schema it could not read is looked for again by each poll
        // (its tables may not be written yet).
        const auto loaded = rememberedDatabaseSource(live.displayName);
        const bool custom = loaded && loaded->schema.kind == DatabaseSchemaKind::CustomSelect;
        if (loaded && loaded->schema.kind != DatabaseSchemaKind::Unknown && custom == !customSelect.empty() &&
            (!custom || loaded->schema.customSelect == trimmedSelect(customSelect))) {
            live.schema = loaded->schema;
            makeIncrementalReader(live.schema, &live.notRefreshable);
        }
        out.push_back(std::move(live));
    }
    return out;
}

PollResult pollSources(const DatasetPtr& current, std::vector<LiveSource> sources, const PollOptions& options) {
    PollResult result;
    DatasetBuilder builder(options.pricing ? options.pricing : bundledPricing());
    std::vector<ReadWhole> readWhole;
    for (LiveSource& live : sources) {
        if (!live.refreshable()) {
            continue;
        }
        std::string error;
        db::ConnectOptions connect;
        connect.password = options.password;
        connect.connectTimeoutSeconds = options.connectTimeoutSeconds;
        const db::Target target = *db::parseTarget(live.source);
        auto connection = db::openConnection(target, connect, &error);
        if (!connection) {
            result.error = live.displayName + ": " + db::withoutPassword(error);
            continue;
        }
        if (live.schema.kind == DatabaseSchemaKind::Unknown ||
            (live.schema.kind == DatabaseSchemaKind::CustomSelect && !live.schema.columnsKnown())) {
            live.schema = detectSchema(*connection, live.customSelect);
            if (live.schema.kind == DatabaseSchemaKind::Unknown) {
                result.error = live.displayName + ": " + db::withoutPassword(live.schema.error);
                continue;
            }
            rememberDatabaseSource(live.displayName, {target, connect, live.schema});  // for span details
        }
        std::unique_ptr<IncrementalReader> reader =
            makeIncrementalReader(live.schema, &live.notRefreshable, options.overlapNs);
        if (!reader) {
            continue;
        }
        // The delta's rows name the snapshot's source, so that appending points them at it.
        const SourceIndex known = current ? findSource(*current, live) : SourceIndex{};
        if (!live.marked) {
            if (known.isValid()) {
                live.mark = reader->markAfter(*current, known);
            }
            live.marked = true;
        }
        const std::string path = known.isValid() ? current->sources[known.value].path : live.displayName;
        const SourceIndex index = builder.addSource({path, SourceFormat::Database, 0, 0});
        if (live.mark.nothingRead()) {
            const ReadOutcome outcome = readDatabase(*connection, live.schema, {index, live.displayName}, builder);
            if (!outcome.error.empty()) {
                result.error = live.displayName + ": " + db::withoutPassword(outcome.error);
                continue;
            }
            result.rows += outcome.records;
            readWhole.push_back({&live, index, std::move(reader)});
            continue;
        }
        uint64_t rows = 0;
        Watermark mark = live.mark;
        if (!reader->readSince(*connection, mark, index, builder, &rows, &error)) {
            result.error = live.displayName + ": " + db::withoutPassword(error);
            continue;
        }
        live.mark = std::move(mark);
        result.rows += rows;
    }
    if (result.rows > 0) {
        DatasetPtr delta = builder.build();
        for (const ReadWhole& w : readWhole) {
            w.live->mark = w.reader->markAfter(*delta, w.index);
        }
        if (!current) {
            result.appended.newRequests = delta->requestCount();
            result.appended.spans = delta->spanCount();
            result.dataset = std::move(delta);
        } else {
            result.dataset = appendToDataset(*current, *delta, &result.appended);
        }
    }
    result.sources = std::move(sources);
    return result;
}

}  // namespace ps::live
