#include "livepoll.h"

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

}  // namespace

std::vector<LiveSource> liveSourcesOf(const std::vector<std::string>& sources) {
    std::vector<LiveSource> out;
    for (const std::string& s : sources) {
        if (db::parseTarget(s)) {
            LiveSource live;
            live.source = s;
            live.displayName = db::withoutPassword(s);
            out.push_back(std::move(live));
        }
    }
    return out;
}

PollResult pollSources(const DatasetPtr& current, std::vector<LiveSource> sources, const PollOptions& options) {
    PollResult result;
    DatasetBuilder builder(options.pricing ? options.pricing : bundledPricing());
    for (LiveSource& live : sources) {
        std::string error;
        db::ConnectOptions connect;
        connect.password = options.password;
        connect.connectTimeoutSeconds = options.connectTimeoutSeconds;
        auto connection = db::openConnection(*db::parseTarget(live.source), connect, &error);
        if (!connection) {
            result.error = live.displayName + ": " + db::withoutPassword(error);
            continue;
        }
        if (live.schema == LogSchema::Unknown && !detectLogSchema(*connection, &live.schema, nullptr, &error)) {
            result.error = live.displayName + ": " + error;
            continue;
        }
        std::unique_ptr<IncrementalReader> reader = makeIncrementalReader(live.schema);
        if (!reader) {
            result.error = live.displayName + ": live refresh does not read " +
                           std::string(logSchemaName(live.schema)) + " tables yet";
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
        uint64_t rows = 0;
        Watermark mark = live.mark;
        if (!reader->readSince(*connection, mark, index, builder, &rows, &error)) {
            result.error = live.displayName + ": " + db::withoutPassword(error);
            continue;
        }
        live.mark = std::move(mark);
        result.rows += rows;
    }
    result.sources = std::move(sources);
    if (result.rows == 0) {
        return result;
    }
    DatasetPtr delta = builder.build();
    if (!current) {
        result.appended.newRequests = delta->requestCount();
        result.appended.spans = delta->spanCount();
        result.dataset = std::move(delta);
    } else {
        result.dataset = appendToDataset(*current, *delta, &result.appended);
    }
    return result;
}

}  // namespace ps::live
