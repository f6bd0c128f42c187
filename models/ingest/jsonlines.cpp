#include "jsonlines.h"

#include "hugepages.h"

#include <algorithm>
#include <cstring>
#include <thread>
#include <vector>

namespace ps {
namespace {

constexpr size_t kPadding = 64;
constexpr uint64_t kMinChunkBytes = 4 << 20;
constexpr uint64_t kBytesPerSpanEstimate = 600;
constexpr uint64_t kBytesPerEvalEstimate = 1200;

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

// Reads the chunk through a window buffer (see MappedFile::copyOut), which grows when one line outgrows it.
// Lines are parsed in the window: it always has simdjson's padding after its last byte.
class LineWindow {
public:
    LineWindow(const MappedFile& file, uint64_t begin, uint64_t end, size_t bytes)
        : file_(file), window_(bytes ? bytes : kDefaultWindowBytes), start_(begin), end_(end) {
        buf_.resize(window_ + kPadding);
    }
    // The line starting at file offset `pos`: [*line, *lineEnd), lineEnd at its newline or at the chunk's end.
    // False on a read error.
    bool line(uint64_t pos, const char** line, const char** lineEnd) {
        for (;;) {
            const char* from = buf_.data() + (pos - start_);
            const char* to = buf_.data() + len_;
            const void* nl = std::memchr(from, '\n', static_cast<size_t>(to - from));
            if (nl != nullptr || start_ + len_ >= end_) {
                *line = from;
                *lineEnd = nl ? static_cast<const char*>(nl) : to;
                return true;
            }
            if (!refill(pos)) {
                return false;
            }
        }
    }
private:
    static constexpr size_t kDefaultWindowBytes = size_t{8} << 20;

    bool refill(uint64_t keepFrom) {
        const size_t keep = static_cast<size_t>(start_ + len_ - keepFrom);
        std::memmove(buf_.data(), buf_.data() + (keepFrom - start_), keep);
        start_ = keepFrom;
        len_ = keep;
        if (buf_.size() - kPadding - len_ < window_ / 2) {
            buf_.resize((buf_.size() - kPadding) * 2 + kPadding);
        }
        const size_t want = static_cast<size_t>(std::min<uint64_t>(buf_.size() - kPadding - len_, end_ - start_ - len_));
        const size_t got = file_.copyOut(start_ + len_, buf_.data() + len_, want);
        len_ += got;
        std::memset(buf_.data() + len_, 0, kPadding);
        return got > 0;
    }

    const MappedFile& file_;
    size_t window_;
    std::vector<char> buf_;
    uint64_t start_;  // file offset of buf_[0]
    size_t len_ = 0;
    uint64_t end_;
};

void runChunk(const MappedFile& file, const ReadRequest& request, JsonDocumentHandler& handler, Chunk& chunk) {
    // Growing the record vectors by doubling copies every record several times; OTLP spans take 500-1500 bytes.
    reserveHuge(chunk.batch.spans, (chunk.end - chunk.begin) / kBytesPerSpanEstimate);
    reserveHuge(chunk.batch.evals, (chunk.end - chunk.begin) / kBytesPerEvalEstimate);
    LineWindow window(file, chunk.begin, chunk.end, request.windowBytes);
    uint64_t pos = chunk.begin;
    uint64_t reported = pos;
    uint64_t line = 0;
    while (pos < chunk.end) {
        const char* from = nullptr;
        const char* lineEnd = nullptr;
        if (!window.line(pos, &from, &lineEnd)) {
            chunk.batch.addIssue(file.path(), line + 1, "the file could not be read past this line");
            break;
        }
        ++line;
        const char* b = from;
        const char* e = lineEnd;
        while (b < e && isSpace(*b)) {
            ++b;
        }
        while (e > b && isSpace(e[-1])) {
            --e;
        }
        if (e > b) {
            const JsonDocument doc{b, static_cast<size_t>(e - b), pos + static_cast<uint64_t>(b - from), line};
            handler.handle(doc, chunk.batch);
        }
        pos += static_cast<uint64_t>(lineEnd - from) + 1;
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
