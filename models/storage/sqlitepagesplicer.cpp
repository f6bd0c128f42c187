#include "sqlitepagesplicer.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <map>
#include <vector>

namespace ps {
namespace {

// Offsets in the 100-byte database header.
constexpr size_t kHeaderSize = 100;
constexpr size_t kPageSizeAt = 16;
constexpr size_t kReservedAt = 20;
constexpr size_t kChangeCounterAt = 24;
constexpr size_t kPageCountAt = 28;
constexpr size_t kSchemaFormatAt = 44;
constexpr size_t kAutoVacuumRootAt = 52;
constexpr size_t kTextEncodingAt = 56;
constexpr size_t kValidForAt = 92;

// Where SQLite's locks are (PENDING_BYTE): the page holding this offset is never part of a b-tree.
constexpr uint64_t kLockByteOffset = 0x40000000;

// B-tree page types (the first byte of a page's header).
constexpr uint8_t kInteriorIndex = 2;
constexpr uint8_t kInteriorTable = 5;
constexpr uint8_t kLeafIndex = 10;
constexpr uint8_t kLeafTable = 13;

uint16_t be16(const uint8_t* p) {
    return static_cast<uint16_t>(p[0] << 8 | p[1]);
}
uint32_t be32(const uint8_t* p) {
    return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 |
           static_cast<uint32_t>(p[2]) << 8 | p[3];
}
void putBe32(uint8_t* p, uint32_t v) {
    p[0] = static_cast<uint8_t>(v >> 24);
    p[1] = static_cast<uint8_t>(v >> 16);
    p[2] = static_cast<uint8_t>(v >> 8);
    p[3] = static_cast<uint8_t>(v);
}

// SQLite's variable-length integer: 7 bits a byte, high bit set on all but the last; a ninth byte gives 8
// bits. Bytes read, 0 when it runs past `end`.
size_t readVarint(const uint8_t* p, const uint8_t* end, uint64_t* value) {
    uint64_t v = 0;
    for (size_t i = 0; i < 9; ++i) {
        if (p + i >= end) {
            return 0;
        }
        if (i == 8) {
            *value = v << 8 | p[i];
            return 9;
        }
        v = v << 7 | (p[i] & 0x7f);
        if ((p[i] & 0x80) == 0) {
            *value = v;
            return i + 1;
        }
    }
    return 0;
}

// How many bytes of a cell's payload of `payload` bytes stay on its b-tree page; the rest goes to overflow
// pages and a 4-byte page number follows the local bytes (the file format's rule).
uint64_t localPayload(uint64_t payload, bool tableLeaf, uint32_t usable) {
    const uint64_t maxLocal = tableLeaf ? usable - 35 : (uint64_t{usable - 12} * 64 / 255) - 23;
    if (payload <= maxLocal) {
        return payload;
    }
    const uint64_t minLocal = (uint64_t{usable - 12} * 32 / 255) - 23;
    const uint64_t k = minLocal + (payload - minLocal) % (usable - 4);
    return k <= maxLocal ? k : minLocal;
}

class FileHandle {
public:
    FileHandle(const std::string& path, int flags) : fd_(::open(path.c_str(), flags | O_CLOEXEC)) {}
    ~FileHandle() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    FileHandle(const FileHandle&) = delete;
    FileHandle& operator=(const FileHandle&) = delete;
    [[nodiscard]] bool isOpen() const { return fd_ >= 0; }
    bool read(uint8_t* to, size_t size, uint64_t at) const {
        size_t done = 0;
        while (done < size) {
            const ssize_t n = ::pread(fd_, to + done, size - done, static_cast<off_t>(at + done));
            if (n <= 0 && !(n < 0 && errno == EINTR)) {
                return false;
            }
            done += n > 0 ? static_cast<size_t>(n) : 0;
        }
        return true;
    }
    bool write(const uint8_t* from, size_t size, uint64_t at) const {
        size_t done = 0;
        while (done < size) {
            const ssize_t n = ::pwrite(fd_, from + done, size - done, static_cast<off_t>(at + done));
            if (n <= 0 && !(n < 0 && errno == EINTR)) {
                return false;
            }
            done += n > 0 ? static_cast<size_t>(n) : 0;
        }
        return true;
    }
    [[nodiscard]] uint64_t size() const {
        struct stat st {};
        return ::fstat(fd_, &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
    }

private:
    int fd_;
};

struct SchemaEntry {
    uint32_t root = 0;
    std::string table;  // the table itself, or the table an index is on
    std::string sql;
};

// name -> root page and definition, read through SQLite (then closed again: the pages are copied by hand).
bool readSchema(const std::string& path, std::map<std::string, SchemaEntry>* out, std::string* error) {
    sqlite3* db = nullptr;
    bool ok =
        sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) == SQLITE_OK;
    sqlite3_stmt* list = nullptr;
    ok = ok &&
         sqlite3_prepare_v2(db, "SELECT name, rootpage, tbl_name, sql FROM sqlite_schema WHERE rootpage > 0",
                            -1, &list, nullptr) == SQLITE_OK;
    int rc = SQLITE_DONE;
    while (ok && (rc = sqlite3_step(list)) == SQLITE_ROW) {
        const auto text = [list](int column) {
            const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(list, column));
            return std::string(bytes ? bytes : "");
        };
        (*out)[text(0)] = {static_cast<uint32_t>(sqlite3_column_int64(list, 1)), text(2), text(3)};
    }
    if (!ok || rc != SQLITE_DONE) {
        *error = path + ": " + (db ? sqlite3_errmsg(db) : "cannot open");
        ok = false;
    }
    sqlite3_finalize(list);
    sqlite3_close(db);
    return ok;
}

struct Geometry {
    uint32_t pageSize = 0;
    uint32_t usable = 0;
    uint32_t pageCount = 0;
    std::array<uint8_t, kHeaderSize> header{};
};

bool readGeometry(const FileHandle& file, const std::string& path, Geometry* g, std::string* error) {
    if (!file.isOpen() || !file.read(g->header.data(), kHeaderSize, 0)) {
        *error = "cannot read " + path + ": " + std::strerror(errno);
        return false;
    }
    const uint16_t raw = be16(&g->header[kPageSizeAt]);
    g->pageSize = raw == 1 ? 65536u : raw;
    g->usable = g->pageSize - g->header[kReservedAt];
    const uint64_t size = file.size();
    if (g->pageSize < 512 || size % g->pageSize != 0 || g->usable < 480) {
        *error = path + " is not a SQLite file of whole pages";
        return false;
    }
    g->pageCount = static_cast<uint32_t>(size / g->pageSize);
    if (be32(&g->header[kAutoVacuumRootAt]) != 0) {
        *error = path + " uses auto-vacuum";
        return false;
    }
    if (be32(&g->header[kChangeCounterAt]) != be32(&g->header[kValidForAt]) ||
        be32(&g->header[kPageCountAt]) != g->pageCount) {
        *error = path + ": the header's page count does not match the file";
        return false;
    }
    return true;
}

// Calls onPointer(where, toOverflowPage) for every page number the page holds (children, overflow pages);
// false when the page is not one this code can read (a corrupt or unexpected file: the caller stops).
template <typename Fn>
bool forEachPointer(uint8_t* page, bool overflowPage, const Geometry& g, Fn onPointer) {
    if (overflowPage) {
        onPointer(page, true);  // the next page of the chain, 0 at its end
        return true;
    }
    const uint8_t type = page[0];
    const bool interior = type == kInteriorIndex || type == kInteriorTable;
    if (!interior && type != kLeafIndex && type != kLeafTable) {
        return false;
    }
    const uint8_t* end = page + g.usable;
    const uint16_t cells = be16(page + 3);
    const size_t pointers = interior ? 12 : 8;
    if (pointers + size_t{cells} * 2 > g.usable) {
        return false;
    }
    if (interior) {
        onPointer(page + 8, false);  // the right-most child
    }
    for (uint16_t i = 0; i < cells; ++i) {
        uint8_t* cell = page + be16(page + pointers + 2 * i);
        if (cell + 4 > end) {
            return false;
        }
        if (interior) {
            onPointer(cell, false);  // the left child
            cell += 4;
        }
        if (type == kInteriorTable) {
            continue;  // a child and a key, no payload
        }
        uint64_t payload = 0;
        size_t n = readVarint(cell, end, &payload);
        if (n == 0) {
            return false;
        }
        cell += n;
        if (type == kLeafTable) {
            uint64_t rowid = 0;
            if ((n = readVarint(cell, end, &rowid)) == 0) {
                return false;
            }
            cell += n;
        }
        const uint64_t local = localPayload(payload, type == kLeafTable, g.usable);
        if (local < payload) {
            if (cell + local + 4 > end) {
                return false;
            }
            onPointer(cell + local, true);  // the first overflow page
        }
    }
    return true;
}

}  // namespace

bool spliceSqliteTables(const std::string& sourcePath, const std::string& targetPath,
                        std::span<const std::string_view> tables, std::string* error) {
    std::map<std::string, SchemaEntry> sourceSchema;
    std::map<std::string, SchemaEntry> targetSchema;
    if (!readSchema(sourcePath, &sourceSchema, error) || !readSchema(targetPath, &targetSchema, error)) {
        return false;
    }
    // The tables and every index on them, in either file (an index missing from one of them is refused
    // below).
    std::vector<std::string> names;
    for (const std::map<std::string, SchemaEntry>* schema : {&sourceSchema, &targetSchema}) {
        for (const auto& [name, entry] : *schema) {
            if (std::find(tables.begin(), tables.end(), entry.table) != tables.end() &&
                std::find(names.begin(), names.end(), name) == names.end()) {
                names.push_back(name);
            }
        }
    }
    for (const std::string_view table : tables) {
        if (std::find(names.begin(), names.end(), table) == names.end()) {
            names.emplace_back(table);  // in neither file: refused below
        }
    }
    const FileHandle source(sourcePath, O_RDONLY);
    const FileHandle target(targetPath, O_RDWR);
    Geometry from;
    Geometry to;
    if (!readGeometry(source, sourcePath, &from, error) || !readGeometry(target, targetPath, &to, error)) {
        return false;
    }
    if (from.pageSize != to.pageSize || from.usable != to.usable ||
        be32(&from.header[kTextEncodingAt]) != be32(&to.header[kTextEncodingAt]) ||
        be32(&from.header[kSchemaFormatAt]) != be32(&to.header[kSchemaFormatAt])) {
        *error = sourcePath + " and " + targetPath + " differ in page size, text encoding or schema format";
        return false;
    }
    std::vector<uint8_t> page(from.pageSize);
    const auto readPage = [&](const FileHandle& file, uint32_t number) {
        return file.read(page.data(), page.size(), uint64_t{number - 1} * from.pageSize);
    };
    // Pass 1: every page of the named b-trees; the root of each goes onto the target's empty root of that
    // name.
    constexpr uint32_t kClaimed = UINT32_MAX;
    std::vector<uint32_t> newNumber(size_t{from.pageCount} + 1, 0);
    std::vector<uint8_t> overflowPage(size_t{from.pageCount} + 1, 0);
    std::vector<uint32_t> pages;  // every source page to copy, roots included
    for (const std::string& name : names) {
        const auto s = sourceSchema.find(name);
        const auto t = targetSchema.find(name);
        if (s == sourceSchema.end() || t == targetSchema.end() || s->second.sql != t->second.sql) {
            *error = "cannot move " + name + ": it is not defined the same way in both files";
            return false;
        }
        const uint32_t sourceRoot = s->second.root;
        const uint32_t targetRoot = t->second.root;
        if (sourceRoot < 2 || sourceRoot > from.pageCount || newNumber[sourceRoot] != 0 || targetRoot < 2 ||
            targetRoot > to.pageCount || !readPage(target, targetRoot) ||
            (page[0] != kLeafTable && page[0] != kLeafIndex) || be16(page.data() + 3) != 0) {
            *error = "cannot move " + name + ": its root page in " + targetPath + " is not an empty leaf";
            return false;
        }
        newNumber[sourceRoot] = targetRoot;
        const size_t first = pages.size();
        pages.push_back(sourceRoot);
        for (size_t next = first; next < pages.size(); ++next) {
            const uint32_t number = pages[next];
            bool bad = false;
            const bool readable =
                readPage(source, number) &&
                forEachPointer(page.data(), overflowPage[number] != 0, from,
                               [&](const uint8_t* at, bool toOverflow) {
                                   const uint32_t child = be32(at);
                                   if (child == 0 && overflowPage[number] != 0) {
                                       return;  // the end of an overflow chain
                                   }
                                   if (child < 2 || child > from.pageCount || newNumber[child] != 0) {
                                       bad = true;  // outside the file, or reached twice: not a tree
                                       return;
                                   }
                                   newNumber[child] = kClaimed;
                                   overflowPage[child] = toOverflow ? 1 : 0;
                                   pages.push_back(child);
                               });
            if (!readable || bad) {
                *error = sourcePath + ": page " + std::to_string(number) + " of " + name + " cannot be read";
                return false;
            }
        }
    }
    // New numbers after the target's last page, in the source's order (runs stay sequential on disk).
    std::vector<uint32_t> appended;
    for (const uint32_t number : pages) {
        if (newNumber[number] == kClaimed) {
            appended.push_back(number);
        }
    }
    std::sort(appended.begin(), appended.end());
    if (uint64_t{to.pageCount} + appended.size() >= UINT32_MAX - 1) {
        *error = targetPath + " would grow past SQLite's page limit";
        return false;
    }
    // SQLite never uses the page holding the byte at 1 GiB (its file locks live there): skipped, left a hole.
    const uint32_t lockBytePage = static_cast<uint32_t>(kLockByteOffset / to.pageSize) + 1;
    uint32_t last = to.pageCount;
    for (const uint32_t number : appended) {
        if (++last == lockBytePage) {
            ++last;
        }
        newNumber[number] = last;
    }
    // Pass 2: each page with its page numbers rewritten, written at its new place.
    for (const uint32_t number : pages) {
        if (!readPage(source, number)) {
            *error = "cannot read " + sourcePath + ": " + std::strerror(errno);
            return false;
        }
        forEachPointer(page.data(), overflowPage[number] != 0, from, [&](uint8_t* at, bool) {
            if (const uint32_t child = be32(at); child != 0) {
                putBe32(at, newNumber[child]);
            }
        });
        if (!target.write(page.data(), page.size(), uint64_t{newNumber[number] - 1} * to.pageSize)) {
            *error = "cannot write " + targetPath + ": " + std::strerror(errno);
            return false;
        }
    }
    // The header's page count, valid for a new change counter (SQLite trusts the count while the two match).
    const uint32_t changes = be32(&to.header[kChangeCounterAt]) + 1;
    putBe32(&to.header[kChangeCounterAt], changes);
    putBe32(&to.header[kValidForAt], changes);
    putBe32(&to.header[kPageCountAt], last);
    if (!target.write(to.header.data(), kHeaderSize, 0)) {
        *error = "cannot write " + targetPath + ": " + std::strerror(errno);
        return false;
    }
    return true;
}

}  // namespace ps
