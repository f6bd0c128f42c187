// spliceSqliteTables: tables and indexes moved page by page from one SQLite file into another read back row
// for row as they were written (compared with the source file through SQL), pass SQLite's integrity check,
// and keep working (indexed lookups, new rows); with small pages, so that b-trees have interior levels and
// long texts and index keys spill onto overflow pages. Files it cannot splice safely are refused.
#include <sqlite3.h>

#include <QTemporaryDir>
#include <QTest>
#include <string>
#include <vector>

#include "sqlitepagesplicer.h"

using ps::spliceSqliteTables;

namespace {

constexpr const char* kSchema =
    "CREATE TABLE kept (k INTEGER PRIMARY KEY, note TEXT);"
    "CREATE TABLE moved (id INTEGER PRIMARY KEY, label TEXT, body TEXT, score REAL);"
    "CREATE TABLE small (id INTEGER PRIMARY KEY, v TEXT);"
    "CREATE INDEX moved_by_label ON moved (label);";

class Db {
public:
    explicit Db(const std::string& path) { sqlite3_open(path.c_str(), &db_); }
    ~Db() { sqlite3_close(db_); }
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;
    bool exec(const std::string& sql) {
        return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
    }
    // Every row of a query, columns joined by '|' (NULL as "~").
    std::vector<std::string> rows(const std::string& sql) {
        std::vector<std::string> out;
        sqlite3_stmt* s = nullptr;
        sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr);
        while (s && sqlite3_step(s) == SQLITE_ROW) {
            std::string row;
            for (int c = 0; c < sqlite3_column_count(s); ++c) {
                const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
                row += (c ? "|" : "") +
                       (text ? std::string(text, sqlite3_column_bytes(s, c)) : std::string("~"));
            }
            out.push_back(row);
        }
        sqlite3_finalize(s);
        return out;
    }
    sqlite3* handle() { return db_; }

private:
    sqlite3* db_ = nullptr;
};

// Row i of `moved`: texts from a few bytes to several pages long, labels long enough to overflow index pages.
void fillMoved(Db& db, int rows) {
    QVERIFY(db.exec("BEGIN"));
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(db.handle(), "INSERT INTO moved VALUES (?, ?, ?, ?)", -1, &insert, nullptr);
    for (int i = 0; i < rows; ++i) {
        const std::string label = "label-" + std::to_string(i % 97) + std::string(i % 5 == 0 ? 1500 : 3, 'x');
        std::string body;
        for (int k = 0; k < (i % 11) * (i % 13) * 20; ++k) {
            body += static_cast<char>('a' + (i + k) % 26);
        }
        sqlite3_bind_int64(insert, 1, i * 3);
        sqlite3_bind_text(insert, 2, label.c_str(), static_cast<int>(label.size()), SQLITE_TRANSIENT);
        if (i % 17 == 0) {
            sqlite3_bind_null(insert, 3);
        } else {
            sqlite3_bind_text(insert, 3, body.c_str(), static_cast<int>(body.size()), SQLITE_TRANSIENT);
        }
        sqlite3_bind_double(insert, 4, i * 0.25);
        QCOMPARE(sqlite3_step(insert), SQLITE_DONE);
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    QVERIFY(db.exec("INSERT INTO small VALUES (1, 'one'), (2, 'two'); COMMIT"));
}

}  // namespace

class TestSqlitePageSplicer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void movedTablesAndIndexesReadBackAndPassTheIntegrityCheck() {
        QTemporaryDir dir;
        const std::string source = dir.filePath(QStringLiteral("source.db")).toStdString();
        const std::string target = dir.filePath(QStringLiteral("target.db")).toStdString();
        {
            Db s(source);
            QVERIFY(s.exec("PRAGMA page_size = 1024"));
            QVERIFY(s.exec(kSchema));
            fillMoved(s, 3000);
            Db t(target);
            QVERIFY(t.exec("PRAGMA page_size = 1024"));
            QVERIFY(t.exec(kSchema));
            QVERIFY(t.exec("BEGIN"));
            for (int k = 0; k < 2000; ++k) {
                QVERIFY(t.exec("INSERT INTO kept VALUES (" + std::to_string(k) + ", '" +
                               std::string(k % 700, 'n') + "')"));
            }
            QVERIFY(t.exec("COMMIT"));
        }
        const std::vector<std::string_view> names = {"moved", "small"};
        std::string error;
        QVERIFY2(spliceSqliteTables(source, target, names, &error), error.c_str());

        Db s(source);
        Db t(target);
        QCOMPARE(t.rows("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
        const std::string all = "SELECT id, label, body, score FROM moved ORDER BY id";
        const std::vector<std::string> expected = s.rows(all);
        QCOMPARE(expected.size(), size_t{3000});
        QCOMPARE(t.rows(all), expected);
        QCOMPARE(t.rows("SELECT * FROM small"), s.rows("SELECT * FROM small"));
        // The index is used and finds the same rows as a scan of the source.
        const std::string byLabel = "SELECT id FROM moved INDEXED BY moved_by_label WHERE label = 'label-5" +
                                    std::string(1500, 'x') + "' ORDER BY id";
        QVERIFY(!t.rows(byLabel).empty());
        QCOMPARE(t.rows(byLabel), s.rows("SELECT id FROM moved NOT INDEXED WHERE label = 'label-5" +
                                         std::string(1500, 'x') + "' ORDER BY id"));
        // The target's own table is untouched, and every table takes new rows.
        QCOMPARE(t.rows("SELECT count(*), sum(length(note)) FROM kept"),
                 std::vector<std::string>{"2000|" + std::to_string([] {
                                              long sum = 0;
                                              for (int k = 0; k < 2000; ++k) {
                                                  sum += k % 700;
                                              }
                                              return sum;
                                          }())});
        QVERIFY(t.exec(
            "INSERT INTO moved VALUES (100000, 'new', 'row', 1); INSERT INTO kept VALUES (5000, 'k')"));
        QCOMPARE(t.rows("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
    }

    void refusesWhatItCannotSpliceSafely() {
        QTemporaryDir dir;
        const std::string source = dir.filePath(QStringLiteral("source.db")).toStdString();
        const std::string target = dir.filePath(QStringLiteral("target.db")).toStdString();
        const std::string otherPages = dir.filePath(QStringLiteral("other.db")).toStdString();
        {
            Db s(source);
            QVERIFY(s.exec(kSchema));
            fillMoved(s, 50);
            Db t(target);
            QVERIFY(t.exec(kSchema));
            QVERIFY(t.exec("INSERT INTO small VALUES (9, 'already here')"));
            Db o(otherPages);
            QVERIFY(o.exec("PRAGMA page_size = 8192"));
            QVERIFY(o.exec(kSchema));
        }
        std::string error;
        // Rows already in the target's table: refused, nothing is lost.
        QVERIFY(!spliceSqliteTables(source, target, std::vector<std::string_view>{"small"}, &error));
        QVERIFY2(error.find("not an empty leaf") != std::string::npos, error.c_str());
        QVERIFY(!spliceSqliteTables(source, otherPages, std::vector<std::string_view>{"moved"}, &error));
        QVERIFY2(error.find("page size") != std::string::npos, error.c_str());
        QVERIFY(!spliceSqliteTables(source, target, std::vector<std::string_view>{"no_such_table"}, &error));
        Db t(target);
        QCOMPARE(t.rows("SELECT v FROM small"), std::vector<std::string>{"already here"});
        QCOMPARE(t.rows("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
    }
};

QTEST_GUILESS_MAIN(TestSqlitePageSplicer)
#include "tst_sqlitepagesplicer.moc"
