#include "colddata.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "conversation.h"
#include "databasereader.h"
#include "databasesources.h"
#include "jsontext.h"
#include "mappedfile.h"
#include "otlpspanrecord.h"
#include "promptscopetables.h"
#include "requestlogrecord.h"
#include "sourceloader.h"

namespace ps {
namespace {

constexpr size_t kFirstWindow = 16 << 10;
constexpr size_t kLineStep = 64 << 10;

bool isSpace(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

std::string changedMessage(const std::string& path) {
    return "the source changed since it was loaded (" + path + "); open it again to see this span's details";
}

}  // namespace

struct ColdDataReader::Source {
    MappedFile file;
    std::unique_ptr<db::Connection> connection;  // database sources: opened on first use, kept for the next span
    DatabaseSchema schema;
    const SourceInfo* info = nullptr;
    std::string error;  // set once when the source cannot be used; every later read reports it
    // PromptScope's own tables: records are rows of ps_span_records, keyed by the ColdRef offset (the span row).
    StoredSpanRecord stored;
    uint64_t storedRow = UINT64_MAX;  // the row `stored` holds

    [[nodiscard]] bool ownTables() const { return connection && schema.kind == DatabaseSchemaKind::PromptScope; }
};

ColdDataReader::ColdDataReader(DatasetPtr data) : data_(std::move(data)) {
    if (data_) {
        sources_.resize(data_->sources.size());
    }
}

ColdDataReader::~ColdDataReader() = default;

ColdDataReader::Source* ColdDataReader::source(SourceIndex index, std::string* error) {
    if (!data_ || index.value >= sources_.size()) {
        *error = "the span has no source record to read";
        return nullptr;
    }
    auto& slot = sources_[index.value];
    if (!slot) {
        slot = std::make_unique<Source>();
        slot->info = &data_->sources[index.value];
        const SourceInfo& info = *slot->info;
        if (info.format == SourceFormat::Database) {
            std::string why;
            if (auto spec = rememberedDatabaseSource(info.path)) {
                slot->connection = db::openConnection(spec->target, spec->options, &why);
                slot->schema = std::move(spec->schema);
                if (!slot->connection) {
                    slot->error = "cannot reconnect to " + info.path + ": " + why;
                }
            } else if (const auto target = db::parseTarget(info.path);
                       target && (slot->connection = db::openConnection(*target, db::ConnectOptions{}, &why))) {
                // Not loaded by this run (a dataset read by hand, as in tests): a target without a password
                // opens again as it is.
                slot->schema = detectSchema(*slot->connection);
            } else {
                slot->error = "the database " + info.path + " was loaded by another run; open it again";
            }
        } else if (!slot->file.open(info.path)) {
            std::error_code ec;
            const bool gone = !std::filesystem::exists(info.path, ec);
            slot->error = gone ? "the source file is gone: " + info.path
                               : "cannot open the source " + info.path + ": " + slot->file.error();
        } else if ((info.sizeBytes != 0 || info.modifiedNs != 0) &&
                   (slot->file.size() != info.sizeBytes || slot->file.modifiedNs() != info.modifiedNs)) {
            slot->error = changedMessage(info.path);
        }
    }
    if (!slot->error.empty()) {
        *error = slot->error;
        return nullptr;
    }
    return slot.get();
}

bool ColdDataReader::readObjectAt(Source& src, uint64_t offset, std::string* record, std::string* error) {
    const uint64_t size = src.file.size();
    if (offset >= size) {
        *error = changedMessage(src.info->path);
        return false;
    }
    std::string buffer;
    for (size_t window = kFirstWindow;; window *= 4) {
        const size_t n = static_cast<size_t>(std::min<uint64_t>(window, size - offset));
        buffer.resize(n);
        if (src.file.copyOut(offset, buffer.data(), n) != n) {
            *error = "could not read " + src.info->path + ": " + std::strerror(errno);
            return false;
        }
        size_t start = 0;
        while (start < n && isSpace(buffer[start])) {
            ++start;
        }
        if (start < n && buffer[start] != '{') {
            *error = changedMessage(src.info->path);  // the offset no longer points at a record
            return false;
        }
        const size_t length = jsonObjectLength(std::string_view(buffer).substr(start));
        if (length != 0) {
            record->assign(buffer, start, length);
            return true;
        }
        if (n == size - offset) {
            *error = "the span's record is cut short: " + src.info->path + " ends inside it";
            return false;
        }
        if (n >= kMaxRecordBytes) {
            *error = "the span's record is larger than 64 MB; not shown";
            return false;
        }
    }
}

bool ColdDataReader::lineAround(Source& src, uint64_t offset, uint64_t* begin, uint64_t* end) {
    std::string chunk;
    uint64_t b = offset;
    bool found = offset == 0;
    while (!found && offset - b < kMaxRecordBytes) {
        const size_t n = static_cast<size_t>(std::min<uint64_t>(kLineStep, b));
        chunk.resize(n);
        if (src.file.copyOut(b - n, chunk.data(), n) != n) {
            return false;
        }
        const size_t nl = chunk.rfind('\n');
        if (nl != std::string::npos) {
            b = b - n + nl + 1;
            found = true;
        } else {
            b -= n;
            found = b == 0;
        }
    }
    uint64_t e = offset;
    const uint64_t size = src.file.size();
    while (e < size && e - offset < kMaxRecordBytes) {
        const size_t n = static_cast<size_t>(std::min<uint64_t>(kLineStep, size - e));
        chunk.resize(n);
        if (src.file.copyOut(e, chunk.data(), n) != n) {
            return false;
        }
        const size_t nl = chunk.find('\n');
        if (nl != std::string::npos) {
            e += nl;
            break;
        }
        e += n;
    }
    *begin = b;
    *end = e;
    return found && e - b <= kMaxRecordBytes;
}

void ColdDataReader::readEnvelope(Source& src, uint64_t offset, SpanDetails& out) {
    auto apply = [&out](const OtlpEnvelope& envelope) {
        readOtlpResource(envelope.resourceJson, out);
        readOtlpScope(envelope.scopeJson, out);
    };
    uint64_t b = 0;
    uint64_t e = 0;
    if (lineAround(src, offset, &b, &e)) {
        std::string line(e - b, '\0');
        if (src.file.copyOut(b, line.data(), line.size()) == line.size()) {
            size_t first = 0;
            while (first < line.size() && isSpace(line[first])) {
                ++first;
            }
            size_t last = line.size();
            while (last > first && isSpace(line[last - 1])) {
                --last;
            }
            const bool wholeDocument = last > first + 1 && (line[first] == '{' || line[first] == '[') &&
                                       (line[last - 1] == '}' || line[last - 1] == ']');
            if (wholeDocument && b + first == offset) {
                return;  // the span is the line itself: a bare span, exported without a resource
            }
            if (wholeDocument) {
                // One request per line (the Collector's file exporter): the line holds the span's resource.
                const OtlpEnvelope envelope = findOtlpEnvelope(line, static_cast<size_t>(offset - b));
                if (envelope.found) {
                    apply(envelope);
                }
                return;
            }
        }
    }
    // A request spread over many lines (pretty-printed): the whole file is the document.
    const uint64_t size = src.file.size();
    if (size > kMaxRecordBytes) {
        out.notice = "resource attributes not read: the document holding the span is larger than 64 MB";
        return;
    }
    std::string whole(static_cast<size_t>(size), '\0');
    if (src.file.copyOut(0, whole.data(), whole.size()) == whole.size()) {
        const OtlpEnvelope envelope = findOtlpEnvelope(whole, static_cast<size_t>(offset));
        if (envelope.found) {
            apply(envelope);
        }
    }
}

bool ColdDataReader::readRecord(uint32_t spanRow, std::string* record, std::string* error) {
    if (!data_ || spanRow >= data_->spanCount()) {
        *error = "no such span";
        return false;
    }
    const ColdRef ref = data_->spans.cold[spanRow];
    Source* src = source(ref.source(), error);
    if (src != nullptr && src->ownTables()) {
        if (!readStored(*src, ref.offset(), error)) {
            return false;
        }
        *record = src->stored.record;
        return true;
    }
    if (src != nullptr && src->connection) {
        // A row has no bytes of its own: its conversation stands in for the record, for a raw text search.
        const SpanDetails details = readDatabaseRow(*src, spanRow);
        if (!details.ok()) {
            *error = details.error;
            return false;
        }
        *record = messagesAsText(details);
        return true;
    }
    return src != nullptr && readObjectAt(*src, ref.offset(), record, error);
}

bool ColdDataReader::readStored(Source& src, uint64_t row, std::string* error) {
    if (src.storedRow == row) {
        return true;
    }
    src.storedRow = UINT64_MAX;
    if (!readStoredSpanRecord(*src.connection, row, &src.stored, error)) {
        return false;
    }
    src.storedRow = row;
    return true;
}

SpanDetails ColdDataReader::readDatabaseRow(Source& src, uint32_t spanRow) {
    // The row is found by its request's trace id; requests' span ranges are in span order.
    const auto& first = data_->requests.firstSpan;
    const auto it = std::upper_bound(first.begin(), first.end(), spanRow);
    if (it == first.begin()) {
        SpanDetails out;
        out.error = "no such span";
        return out;
    }
    const size_t request = static_cast<size_t>(it - first.begin()) - 1;
    const std::string traceId(data_->str(data_->requests.traceId[request]));
    return readDatabaseSpan(*src.connection, src.schema, traceId, data_->spans.cold[spanRow].offset());
}

SpanDetails ColdDataReader::readSpan(uint32_t spanRow, bool withEnvelope) {
    if (data_ && spanRow < data_->spanCount()) {
        std::string error;
        Source* src = source(data_->spans.cold[spanRow].source(), &error);
        if (src != nullptr && src->connection && !src->ownTables()) {
            return readDatabaseRow(*src, spanRow);
        }
    }
    std::string record;
    std::string error;
    if (!readRecord(spanRow, &record, &error)) {
        SpanDetails out;
        out.error = std::move(error);
        return out;
    }
    return parseRecord(spanRow, record, withEnvelope);
}

SpanDetails ColdDataReader::parseRecord(uint32_t spanRow, const std::string& record, bool withEnvelope) {
    SpanDetails out;
    const ColdRef ref = data_->spans.cold[spanRow];
    Source& src = *sources_[ref.source().value];
    if (src.connection && !src.ownTables()) {
        return readDatabaseRow(src, spanRow);  // the record was only the row's text; read the row itself
    }
    out.sourcePath = src.info->path;
    out.offset = ref.offset();
    out.recordBytes = record.size();
    if (src.ownTables()) {
        // The record as it was in its source file, with the resource and scope it was exported under.
        std::string error;
        if (!readStored(src, ref.offset(), &error)) {
            out.error = std::move(error);
            return out;
        }
        if (src.stored.format == RecordFormat::RequestLog) {
            readRequestLogRecord(record, out);
        } else if (readOtlpSpanRecord(record, out) && withEnvelope && src.stored.hasEnvelope) {
            readOtlpResource(src.stored.resourceJson, out);
            readOtlpScope(src.stored.scopeJson, out);
        }
        return finishDetails(spanRow, std::move(out));
    }
    switch (src.info->format) {
        case SourceFormat::OtlpJson:
            if (readOtlpSpanRecord(record, out) && withEnvelope) {
                readEnvelope(src, ref.offset(), out);
            }
            break;
        case SourceFormat::RequestLog:
            readRequestLogRecord(record, out);
            break;
        default:
            out.error =
                "details are not available for " + std::string(formatName(src.info->format)) + " sources yet";
            break;
    }
    return finishDetails(spanRow, std::move(out));
}

SpanDetails ColdDataReader::finishDetails(uint32_t spanRow, SpanDetails out) {
    if (!out.ok()) {
        return out;
    }
    if (out.startNs == 0 && out.endNs == 0) {  // request logs give a latency, not times: use the loaded ones
        out.startNs = data_->spans.startNs[spanRow];
        out.endNs = out.startNs + data_->spans.durationNs[spanRow];
    }
    fillConversation(out);
    return out;
}

std::vector<std::string> ColdDataReader::requestTexts(RequestIndex request, std::string* error) {
    std::vector<std::string> out;
    if (!data_ || request.value >= data_->requestCount()) {
        return out;
    }
    const uint32_t end = data_->spanEnd(request);
    for (uint32_t row = data_->requests.firstSpan[request.value]; row < end; ++row) {
        SpanDetails details = readSpan(row, false);
        if (!details.ok()) {
            if (error != nullptr && error->empty()) {
                *error = details.error;
            }
            continue;
        }
        for (std::string_view text : conversationTexts(details)) {
            if (!text.empty()) {
                out.emplace_back(text);
            }
        }
    }
    return out;
}

}  // namespace ps
