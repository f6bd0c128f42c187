#include "dbconnection.h"

#include <algorithm>
#include <cctype>
#include <fstream>

#include "pgconnection.h"
#include "sqliteconnection.h"

namespace ps::db {
namespace {

bool startsWith(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           });
}

bool endsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && startsWith(s.substr(s.size() - suffix.size()), suffix);
}

// SQLite files start with these 16 bytes, whatever their name.
bool hasSqliteHeader(const std::string& path) {
    static constexpr std::string_view kMagic{"SQLite format 3\0", 16};
    std::ifstream in(path, std::ios::binary);
    char head[16] = {};
    return in.read(head, sizeof head) && std::string_view(head, sizeof head) == kMagic;
}

}  // namespace

std::optional<Target> parseTarget(std::string_view source) {
    if (startsWith(source, "postgresql://") || startsWith(source, "postgres://")) {
        return Target{Dialect::Postgres, std::string(source)};
    }
    if (startsWith(source, "sqlite:")) {
        std::string_view path = source.substr(7);
        if (startsWith(path, "//")) {
            path.remove_prefix(2);  // sqlite:///abs/path and sqlite://rel both name a file
        }
        return Target{Dialect::Sqlite, std::string(path)};
    }
    for (const std::string_view ext : {".sqlite", ".sqlite3", ".db", ".promptscope"}) {
        if (endsWith(source, ext)) {
            return Target{Dialect::Sqlite, std::string(source)};
        }
    }
    if (hasSqliteHeader(std::string(source))) {
        return Target{Dialect::Sqlite, std::string(source)};
    }
    return std::nullopt;
}

std::unique_ptr<Connection> openConnection(const Target& target, const ConnectOptions& options, std::string* error) {
    if (target.dialect == Dialect::Sqlite) {
        return SqliteConnection::open(target.location, options, error);
    }
    return PgConnection::open(target.location, options, error);
}

std::string withoutPassword(std::string_view source) {
    std::string out(source);
    if (startsWith(source, "postgresql://") || startsWith(source, "postgres://")) {
        // scheme://user:password@host... : the password runs from the first ':' after the scheme to the last '@'
        // before the path.
        const size_t authority = out.find("://") + 3;
        const size_t pathStart = out.find_first_of("/?", authority);
        const size_t at = out.rfind('@', pathStart == std::string::npos ? std::string::npos : pathStart);
        if (at != std::string::npos && at > authority) {
            const size_t colon = out.find(':', authority);
            if (colon != std::string::npos && colon < at) {
                out.replace(colon + 1, at - colon - 1, "***");
            }
        }
    }
    // password=... as a query parameter or a libpq key=value pair
    for (size_t pos = 0; (pos = out.find("password=", pos)) != std::string::npos;) {
        const size_t begin = pos + 9;
        const size_t end = out.find_first_of("& ", begin);
        out.replace(begin, (end == std::string::npos ? out.size() : end) - begin, "***");
        pos = begin + 3;
    }
    return out;
}

std::string withoutPasswordToReopen(std::string_view source) {
    std::string out = withoutPassword(source);
    if (const size_t masked = out.find(":***@"); masked != std::string::npos && masked < out.find('/', 14)) {
        out.erase(masked, 4);  // user:***@host -> user@host
    }
    for (size_t pos; (pos = out.find("password=***")) != std::string::npos;) {
        size_t begin = pos;
        size_t end = pos + 12;
        if (end < out.size() && (out[end] == '&' || out[end] == ' ')) {
            ++end;  // the separator after it
        } else if (begin > 0 && (out[begin - 1] == '&' || out[begin - 1] == ' ' || out[begin - 1] == '?')) {
            --begin;  // the last parameter: drop the separator before it
        }
        out.erase(begin, end - begin);
    }
    return out;
}

std::string quoteIdentifier(std::string_view name) {
    std::string out = "\"";
    for (const char c : name) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    out += '"';
    return out;
}

}  // namespace ps::db
