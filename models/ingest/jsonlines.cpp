#include "jsonlines.h"

#include <algorithm>
#include <cstring>
#include <thread>
#include <vector>

namespace ps {
namespace {

constexpr size_t kPadding = 64;
constexpr uint64_t kMinChunkBytes = 4 << 20;
constexpr uint64_t kBytesPerSpanEstimate = 600;
constexpr uint64_t kPrefetchBytes = 8 << 20;

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

struct Chunk {
    uint64_t begin = 0;
    uint64_t end = 0;
    uint64_t lines = 0;  // newline-terminated or final lines seen
    RecordBatch batch;
    uint64_t records = 0;
};

void runChunk(const MappedFile& file, const ReadRequest& request, JsonDocumentHandler& handler, Chunk& chunk) {
    const char* base = file.data();
    // Growing the record vector by doubling copies every record several times; OTLP spans take 500-1500 bytes.
    chunk.batch.spans.reserve((chunk.end - chunk.begin) / kBytesPerSpanEstimate);
    std::string scratch;
    uint64_t pos = chunk.begin;
    uint64_t reported = pos;
    uint64_t line = 0;
    uint64_t prefetched = pos;
    while (pos < chunk.end) {
        if (pos >= prefetched) {
            const uint64_t ahead = std::min<uint64_t>(kPrefetchBytes, chunk.end - pos);
            file.prefetch(pos, ahead + kPadding);
            prefetched = pos + ahead;
        }
        const void* nl = std::memchr(base + pos, '\n', chunk.end - pos);
        const uint64_t lineEnd = nl ? static_cast<uint64_t>(static_cast<const char*>(nl) - base) : chunk.end;
        ++line;
        uint64_t b = pos;
        uint64_t e = lineEnd;
        while (b < e && isSpace(base[b])) {
            ++b;
        }
        while (e > b && isSpace(base[e - 1])) {
            --e;
        }
        if (e > b) {
            JsonDocument doc{base + b, static_cast<size_t>(e - b), b, line};
            if (e + kPadding > file.readableSize()) {
                scratch.assign(base + b, e - b);
                scratch.append(kPadding, '\0');
                doc.data = scratch.data();
            }
            handler.handle(doc, chunk.batch);
        }
        pos = lineEnd + 1;
        if (pos - reported >= (1 << 20) || pos >= chunk.end) {
            if (request.bytesDone) {
                request.bytesDone->fetch_add(std::min(pos, chunk.end) - reported, std::memory_order_relaxed);
            }
            reported = std::min(pos, chunk.end);
            if (request.cancel && request.cancel->load(std::memory_order_relaxed)) {
                break;
            }
        }
    }
    chunk.lines = line;
}

uint64_t recordsIn(const RecordBatch& b) {
    return b.spans.size() + b.evals.size() + b.signals.size() + b.promptVersions.size() + b.deployments.size();
}

}  // namespace

bool looksLikeJsonLines(std::string_view bytes) {
    size_t b = 0;
    while (b < bytes.size() && isSpace(bytes[b])) {
        ++b;
    }
    size_t e = bytes.find('\n', b);
    if (e == std::string_view::npos) {
        return true;  // a single line is both
    }
    while (e > b && isSpace(bytes[e - 1])) {
        --e;
    }
    return e > b + 1 && bytes[b] == '{' && bytes[e - 1] == '}';
}

uint64_t lineAt(const char* begin, uint64_t offset, uint64_t firstLine) {
    return firstLine + static_cast<uint64_t>(std::count(begin, begin + offset, '\n'));
}

ReadOutcome readJsonDocuments(const MappedFile& file, const ReadRequest& request, DatasetBuilder& builder,
                              bool jsonLines, const HandlerFactory& makeHandler) {
    ReadOutcome outcome;
    const uint64_t size = file.size();
    std::vector<Chunk> chunks;
    if (!jsonLines) {
        chunks.resize(1);
        chunks[0].end = size;
        auto handler = makeHandler();
        uint64_t b = 0;
        while (b < size && isSpace(file.data()[b])) {
            ++b;
        }
        if (b < size) {
            JsonDocument doc{file.data() + b, static_cast<size_t>(size - b), b, lineAt(file.data(), b, 1)};
            std::string copy;
            if (size + kPadding > file.readableSize()) {
                copy.assign(doc.data, doc.size);
                copy.append(kPadding, '\0');
                doc.data = copy.data();
            }
            handler->handle(doc, chunks[0].batch);
        }
        if (request.bytesDone) {
            request.bytesDone->fetch_add(size, std::memory_order_relaxed);
        }
    } else {
        const unsigned threads = std::max(1u, std::min<unsigned>(request.threads, size / kMinChunkBytes + 1));
        chunks.resize(threads);
        uint64_t begin = 0;
        for (unsigned t = 0; t < threads; ++t) {
            uint64_t end = t + 1 == threads ? size : size * (t + 1) / threads;
            if (end < size) {
                const void* nl = std::memchr(file.data() + end, '\n', size - end);
                end = nl ? static_cast<uint64_t>(static_cast<const char*>(nl) - file.data()) + 1 : size;
            }
            chunks[t].begin = std::min(begin, size);
            chunks[t].end = std::max(end, chunks[t].begin);
            begin = chunks[t].end;
        }
        std::vector<std::thread> workers;
        for (unsigned t = 1; t < threads; ++t) {
            workers.emplace_back([&, t] {
                auto handler = makeHandler();
                runChunk(file, request, *handler, chunks[t]);
            });
        }
        {
            auto handler = makeHandler();
            runChunk(file, request, *handler, chunks[0]);
        }
        for (auto& w : workers) {
            w.join();
        }
    }
    outcome.cancelled = request.cancel && request.cancel->load();
    uint64_t lineBase = 0;
    for (auto& c : chunks) {
        for (auto& issue : c.batch.issues) {
            if (issue.line != 0) {
                issue.line += lineBase;
            }
        }
        lineBase += c.lines;
        c.batch.bytesRead = c.end - c.begin;
        outcome.records += recordsIn(c.batch);
        builder.addBatch(std::move(c.batch));
    }
    return outcome;
}

}  // namespace ps
