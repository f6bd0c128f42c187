#include "spanrecordcollector.h"

#include <algorithm>
#include <cstring>

#include "colddata.h"
#include "databasesources.h"
#include "jsontext.h"
#include "mappedfile.h"
#include "otlpenvelopes.h"
#include "sourceloader.h"

namespace ps {
namespace {

constexpr uint32_t kNoEnvelope = 0;

bool isSpace(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

}  // namespace

struct SpanRecordCollector::Source {
    const SourceInfo* info = nullptr;
    MappedFile file;
    std::unique_ptr<db::Connection> database;
    StoredSpanRecord stored;
};

SpanRecordCollector::SpanRecordCollector(DatasetPtr data) : data_(std::move(data)) {}

SpanRecordCollector::~SpanRecordCollector() = default;

uint32_t SpanRecordCollector::envelopeId(std::string resourceJson, std::string scopeJson) {
    std::string key;
    key.reserve(resourceJson.size() + scopeJson.size() + 1);
    key.append(resourceJson).push_back('\0');  // JSON text never holds a raw NUL
    key.append(scopeJson);
    const auto [it, added] = envelopeIds_.try_emplace(std::move(key), static_cast<uint32_t>(envelopes_.size() + 1));
    if (added) {
        envelopes_.push_back({std::move(resourceJson), std::move(scopeJson)});
    }
    return it->second;
}

bool SpanRecordCollector::prepare(const std::function<bool()>& keepGoing, std::string* error) {
    sources_.clear();
    envelopeOfSpan_.assign(data_->spanCount(), kNoEnvelope);
    lengthOfSpan_.assign(data_->spanCount(), 0);
    for (uint32_t i = 0; i < data_->sources.size(); ++i) {
        auto source = std::make_unique<Source>();
        source->info = &data_->sources[i];
        const SourceInfo& info = *source->info;
        if (info.format == SourceFormat::Database) {
            // Loaded by this run: connect as the load did (a PostgreSQL password is not in the shown name).
            if (const auto spec = rememberedDatabaseSource(info.path)) {
                source->database = db::openConnection(spec->target, spec->options, error);
            } else if (const auto target = db::parseTarget(info.path)) {
                source->database = db::openConnection(*target, db::ConnectOptions{}, error);
            }
            if (!source->database || !hasPromptScopeTables(*source->database)) {
                *error = db::withoutPassword(info.path) + ": the spans' records cannot be read from this database" +
                         (error->empty() ? std::string() : " (" + *error + ")");
                return false;
            }
        } else if (info.format == SourceFormat::OtlpJson || info.format == SourceFormat::RequestLog) {
            // Every byte is read below (the envelope walk, then each record): page tables filled at once.
            if (!source->file.open(info.path, true)) {
                *error = "cannot open " + info.path + ": " + source->file.error();
                return false;
            }
            if ((info.sizeBytes != 0 || info.modifiedNs != 0) &&
                (source->file.size() != info.sizeBytes || source->file.modifiedNs() != info.modifiedNs)) {
                *error = info.path + " changed since it was loaded; open it again before saving";
                return false;
            }
            if (info.format == SourceFormat::OtlpJson && !prepareOtlp(*source, i, keepGoing)) {
                error->clear();
                return false;
            }
        }
        sources_.push_back(std::move(source));
    }
    return true;
}

bool SpanRecordCollector::prepareOtlp(Source& source, uint32_t sourceIndex, const std::function<bool()>& keepGoing) {
    // The spans of this source by byte offset, so each document is walked once.
    std::vector<std::pair<uint64_t, uint32_t>> spans;
    const auto& cold = data_->spans.cold;
    for (uint32_t row = 0; row < cold.size(); ++row) {
        if (cold[row].source().value == sourceIndex) {
            spans.emplace_back(cold[row].offset(), row);
        }
    }
    std::sort(spans.begin(), spans.end());
    const std::string_view file = source.file.view();
    uint64_t docBegin = 0;
    uint64_t docEnd = 0;
    bool bareSpan = false;
    OtlpEnvelopeList list;
    std::vector<uint32_t> idOfLocal;
    size_t done = 0;
    for (const auto& [offset, row] : spans) {
        if ((++done & 0xfff) == 0 && keepGoing && !keepGoing()) {
            return false;
        }
        if (offset >= file.size()) {
            continue;  // record() reports it
        }
        if (offset >= docEnd || offset < docBegin) {
            // The line around the span: one export request per line (the Collector), a bare span per line, or
            // a part of one request spread over many lines (then the whole file is the document).
            const size_t lineBegin = [&] {
                const size_t nl = file.rfind('\n', offset);
                return nl == std::string_view::npos ? size_t{0} : nl + 1;
            }();
            const size_t lineEnd = std::min(file.size(), file.find('\n', offset));
            size_t first = lineBegin;
            while (first < lineEnd && isSpace(file[first])) {
                ++first;
            }
            size_t last = lineEnd;
            while (last > first && isSpace(file[last - 1])) {
                --last;
            }
            const bool wholeDocument = last > first + 1 && (file[first] == '{' || file[first] == '[') &&
                                       (file[last - 1] == '}' || file[last - 1] == ']');
            bareSpan = wholeDocument && first == offset;
            if (wholeDocument) {
                docBegin = lineBegin;
                docEnd = lineEnd;
            } else {
                docBegin = 0;
                docEnd = file.size();
            }
            list = bareSpan ? OtlpEnvelopeList{} : listOtlpEnvelopes(file.substr(docBegin, docEnd - docBegin));
            idOfLocal.assign(list.envelopes.size(), kNoEnvelope);
        }
        if (bareSpan) {
            continue;
        }
        const uint64_t position = offset - docBegin;
        const auto it = std::lower_bound(list.spans.begin(), list.spans.end(), position,
                                         [](const OtlpSpanPlace& p, uint64_t at) { return p.spanPosition < at; });
        if (it == list.spans.end() || it->spanPosition != position) {
            continue;
        }
        lengthOfSpan_[row] = static_cast<uint32_t>(std::min<size_t>(it->length, UINT32_MAX));
        uint32_t& id = idOfLocal[it->envelope];
        if (id == kNoEnvelope) {
            OtlpEnvelope& e = list.envelopes[it->envelope];
            id = envelopeId(e.resourceJson, e.scopeJson);
        }
        envelopeOfSpan_[row] = id;
    }
    return true;
}

bool SpanRecordCollector::record(uint32_t spanRow, Record* out, std::string* error) {
    const ColdRef ref = data_->spans.cold[spanRow];
    if (ref.source().value >= sources_.size()) {
        *error = "the span has no source record";
        return false;
    }
    Source& source = *sources_[ref.source().value];
    switch (source.info->format) {
        case SourceFormat::Database: {
            if (!readStoredSpanRecord(*source.database, ref.offset(), &source.stored, error)) {
                return false;
            }
            out->format = source.stored.format;
            out->text = source.stored.record;
            out->lasting = false;
            out->envelope = source.stored.hasEnvelope
                                ? envelopeId(source.stored.resourceJson, source.stored.scopeJson)
                                : kNoEnvelope;
            return true;
        }
        case SourceFormat::OtlpJson:
        case SourceFormat::RequestLog: {
            const std::string_view file = source.file.view();
            size_t start = ref.offset();
            while (start < file.size() && isSpace(file[start])) {
                ++start;
            }
            const uint32_t known = lengthOfSpan_[spanRow];
            const bool knownFits = known != 0 && start == ref.offset() && start + known <= file.size() &&
                                   file[start] == '{' && file[start + known - 1] == '}';
            const size_t length =
                knownFits ? known
                : start < file.size() && file[start] == '{'
                    ? jsonObjectLength(file.substr(start, std::min<uint64_t>(file.size() - start,
                                                                             ColdDataReader::kMaxRecordBytes)))
                    : 0;
            if (length == 0) {
                *error = source.info->path + ": no whole record at byte " + std::to_string(ref.offset());
                return false;
            }
            out->format =
                source.info->format == SourceFormat::OtlpJson ? RecordFormat::OtlpJson : RecordFormat::RequestLog;
            out->text = file.substr(start, length);
            out->lasting = true;
            out->envelope = envelopeOfSpan_[spanRow];
            return true;
        }
        default:
            *error = "records of " + std::string(formatName(source.info->format)) + " sources cannot be saved";
            return false;
    }
}

}  // namespace ps
