// SqliteTableSink: rows written through it (sent to SQLite many rows per INSERT) read back exactly as given,
// for every row count around the batch size, with row numbers that SQLite is left to pick and ones it is not,
// texts that are gone before the table ends, NULLs and NaN; a failing row is reported with the table's name.
#include <sqlite3.h>

#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <string>
#include <vector>

#include "sqlitetablesink.h"

using ps::SqliteTableSink;

namespace {

struct Row {
    int64_t key = 0;
    std::string label;  // empty: NULL
    double score = 0;   // NaN: NULL
};

std::vector<std::string> readBack(sqlite3* db) {
    std::vector<std::string> out;
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "SELECT k, quote(label), quote(score) FROM t ORDER BY k", -1, &s, nullptr);
    while (sqlite3_step(s) == SQLITE_ROW) {
        out.push_back(std::to_string(sqlite3_column_int64(s, 0)) + "|" +
                      reinterpret_cast<const char*>(sqlite3_column_text(s, 1)) + "|" +
                      reinterpret_cast<const char*>(sqlite3_column_text(s, 2)));
    }
    sqlite3_finalize(s);
    return out;
}

// What SQLite's quote() gives for each row, computed here without SQLite.
std::vector<std::string> expected(const std::vector<Row>& rows) {
    std::vector<std::string> out;
    for (const Row& r : rows) {
        std::string quoted = "'";
        for (const char c : r.label) {
            quoted += c == '\'' ? std::string("''") : std::string(1, c);
        }
        quoted += "'";
        char score[64];
        std::snprintf(score, sizeof score, "%.1f", r.score);
        out.push_back(std::to_string(r.key) + "|" + (r.label.empty() ? std::string("NULL") : quoted) + "|" +
                      (std::isnan(r.score) ? "NULL" : score));
    }
    return out;
}

}  // namespace

class TestSqliteTableSink : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rowsReadBackAsWritten_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("firstKey");
        QTest::addColumn<int>("gapAt");  // a key that skips ahead by 10 from this row on; -1: none
        const int batch = SqliteTableSink::kMaxRowsPerInsert;
        for (const int n : {0, 1, batch - 1, batch, batch + 1, 3 * batch + 7}) {
            QTest::addRow("%d rows from 0", n) << n << 0 << -1;
            QTest::addRow("%d rows from 1", n) << n << 1 << -1;
            QTest::addRow("%d rows with a gap", n) << n << 0 << n / 2;
        }
    }

    void rowsReadBackAsWritten() {
        QFETCH(int, rows);
        QFETCH(int, firstKey);
        QFETCH(int, gapAt);
        QTemporaryDir dir;
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open(dir.filePath(QStringLiteral("t.db")).toUtf8().constData(), &db), SQLITE_OK);
        QCOMPARE(sqlite3_exec(db, "CREATE TABLE t (k INTEGER PRIMARY KEY, label TEXT, score REAL)", nullptr,
                              nullptr, nullptr),
                 SQLITE_OK);
        std::vector<Row> written;
        {
            SqliteTableSink sink(db);
            std::string error;
            const std::vector<std::string_view> columns = {"k", "label", "score"};
            QVERIFY2(sink.beginTable("t", columns, &error), error.c_str());
            for (int i = 0; i < rows; ++i) {
                Row r;
                r.key = firstKey + i + (gapAt >= 0 && i >= gapAt ? 10 : 0);
                r.label = i % 7 == 3 ? std::string() : "row " + std::to_string(i) + (i % 2 ? " it's" : "");
                r.score = i % 5 == 4 ? std::nan("") : i * 0.5;
                sink.rowNumber(r.key);
                if (r.label.empty()) {
                    sink.null();
                } else {
                    // Gone (and its bytes overwritten) long before the batch is sent.
                    std::string temporary = r.label;
                    sink.transientText(temporary);
                    temporary.assign(temporary.size(), '#');
                }
                sink.real(r.score);
                QVERIFY2(sink.endRow(&error), error.c_str());
                written.push_back(r);
            }
            QVERIFY2(sink.endTable(&error), error.c_str());
            QVERIFY2(sink.finish(&error), error.c_str());
        }
        QCOMPARE(readBack(db), expected(written));
        sqlite3_close(db);
    }

    void aFailingRowIsReported() {
        QTemporaryDir dir;
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open(dir.filePath(QStringLiteral("t.db")).toUtf8().constData(), &db), SQLITE_OK);
        QCOMPARE(sqlite3_exec(db, "CREATE TABLE t (k INTEGER PRIMARY KEY, label TEXT NOT NULL, score REAL)",
                              nullptr, nullptr, nullptr),
                 SQLITE_OK);
        {
            SqliteTableSink sink(db);
            std::string error;
            const std::vector<std::string_view> columns = {"k", "label", "score"};
            QVERIFY(sink.beginTable("t", columns, &error));
            bool ok = true;
            for (int i = 0; i < 5 && ok; ++i) {
                sink.rowNumber(i);
                if (i == 2) {
                    sink.null();  // breaks NOT NULL
                } else {
                    sink.text("x");
                }
                sink.real(1);
                ok = sink.endRow(&error);
            }
            ok = ok && sink.endTable(&error);
            QVERIFY(!ok);
            QVERIFY2(error.find("t: ") == 0 && error.find("NOT NULL") != std::string::npos, error.c_str());
        }  // rolled back
        QVERIFY(readBack(db).empty());
        sqlite3_close(db);
    }
};

QTEST_GUILESS_MAIN(TestSqliteTableSink)
#include "tst_sqlitetablesink.moc"
