// The throwaway PostgreSQL server the tests share (scripts/pgcluster.sh exports PROMPTSCOPE_TEST_PG_URI).
// Each test works in a schema or database of its own with a unique name, since tests run in parallel. Without
// a server a test skips with the reason, except under CI=true where it fails: CI must exercise PostgreSQL.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QtTest>
#include <memory>
#include <random>
#include <string>

#include "dbconnection.h"

class PgTestServer {
public:
    // False (with reason()) when no server is configured or it does not answer.
    bool start() {
        // Only what the URI says counts: a developer's PGPASSWORD or ~/.pgpass must not make a test pass.
        qunsetenv("PGPASSWORD");
        qputenv("PGPASSFILE", "/nonexistent/promptscope-test-pgpass");
        uri_ = qEnvironmentVariable("PROMPTSCOPE_TEST_PG_URI").toStdString();
        if (uri_.empty()) {
            reason_ =
                "PROMPTSCOPE_TEST_PG_URI is not set: start a server with "
                "eval \"$(scripts/pgcluster.sh start)\" or run scripts/test.sh";
            return false;
        }
        std::string error;
        if (!connect(false, &error)) {
            reason_ = "the test PostgreSQL server does not answer: " + error;
            return false;
        }
        // postgresql://user:password@host:port/db
        const size_t authority = uri_.find("://") + 3;
        const size_t at = uri_.rfind('@');
        const size_t colon = uri_.find(':', authority);
        const size_t slash = uri_.find('/', at);
        user_ = uri_.substr(authority, colon - authority);
        password_ = uri_.substr(colon + 1, at - colon - 1);
        hostPort_ = uri_.substr(at + 1, slash - at - 1);
        return true;
    }

    [[nodiscard]] const std::string& reason() const { return reason_; }
    [[nodiscard]] const std::string& uri() const { return uri_; }
    [[nodiscard]] const std::string& password() const { return password_; }
    [[nodiscard]] static bool requiredByCi() { return qEnvironmentVariable("CI") == QLatin1String("true"); }

    [[nodiscard]] std::string uriWithoutPassword() const {
        return "postgresql://" + user_ + "@" + hostPort_ + "/postgres";
    }
    [[nodiscard]] std::string uriWithPassword(const std::string& password) const {
        return "postgresql://" + user_ + ":" + password + "@" + hostPort_ + "/postgres";
    }
    [[nodiscard]] std::string uriForDatabase(const std::string& database) const {
        return "postgresql://" + user_ + ":" + password_ + "@" + hostPort_ + "/" + database;
    }
    // A URI whose sessions look in `schema` first, so readers find a test's tables by their plain names.
    [[nodiscard]] std::string uriForSchema(const std::string& schema) const {
        return uri_ + "?options=-csearch_path%3D" + schema;
    }

    // A lower-case name no other test run uses (safe unquoted in SQL and in URIs).
    [[nodiscard]] static std::string uniqueName(const std::string& prefix) {
        std::random_device random;
        return prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(random() % 1000000);
    }

    std::unique_ptr<ps::db::Connection> connect(bool readOnly, std::string* error,
                                                const std::string& schema = {}) const {
        ps::db::ConnectOptions options;
        options.readOnly = readOnly;
        auto c = ps::db::openConnection(ps::db::Target{ps::db::Dialect::Postgres, uri_}, options, error);
        if (c && !schema.empty() &&
            !c->execute("SET search_path TO " + ps::db::quoteIdentifier(schema), {}, error)) {
            return nullptr;
        }
        return c;
    }

private:
    std::string uri_;
    std::string user_;
    std::string password_;
    std::string hostPort_;
    std::string reason_;
};

// A TCP port on 127.0.0.1 that was free a moment ago (for a "connection refused" case).
inline int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    int port = 1;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
        port = ntohs(address.sin_port);
    }
    ::close(fd);
    return port;
}

#define PGTEST_SKIP_OR_FAIL(server)           \
    do {                                      \
        if (PgTestServer::requiredByCi()) {   \
            QFAIL((server).reason().c_str()); \
        }                                     \
        QSKIP((server).reason().c_str());     \
    } while (false)
