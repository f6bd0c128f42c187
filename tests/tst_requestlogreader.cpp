// Request-log JSON Lines (FORMATS.md section 5): every record kind, joins by request id, bad lines.
#include <QFile>
#include <QTest>

#include "ingesttesting.h"

using namespace ps;
using namespace ps::testing;

namespace {

std::string readFixture(const char* name) {
    QFile file(QStringLiteral(PROMPTSCOPE_TEST_DATA_DIR "/requestlog/") + QString::fromUtf8(name));
    if (!file.open(QIODevice::ReadOnly)) {
        qFatal("missing fixture %s", name);
    }
    return file.readAll().toStdString();
}

}  // namespace

class TestRequestLogReader : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyRecordKind() {
        const std::string text = readFixture("every-kind.jsonl");
        const auto ds = loadText(text, "log.jsonl");
        QVERIFY(ds);
        QCOMPARE(ds->issueCount, uint64_t{0});
        QCOMPARE(ds->requestCount(), size_t{2});
        QCOMPARE(ds->sources[0].format, SourceFormat::RequestLog);
        const uint32_t r1 = ds->findRequest("r1").value;
        const uint32_t r2 = ds->findRequest("r2").value;
        QVERIFY(r1 != RequestIndex::kInvalid && r2 != RequestIndex::kInvalid);
        // 2026-10-01T09:00:00.250Z
        QCOMPARE(ds->requests.startNs[r1], int64_t{1790845200250000000});
        QCOMPARE(ds->requests.durationNs[r1], int64_t{1234500000});
        QCOMPARE(ds->str(ds->requests.feature[r1]), std::string_view("support_chatbot"));
        QCOMPARE(ds->str(ds->requests.tenant[r1]), std::string_view("northwind"));
        QCOMPARE(ds->requests.inputTokens[r1], 100u);
        QCOMPARE(ds->requests.costUsd[r1], 0.0006);
        QVERIFY(ds->requests.flags[r1] & kRequestThumbsDown);
        QVERIFY(!(ds->requests.flags[r1] & kRequestError));
        QCOMPARE(ds->requests.evalFail[r1],
                 uint8_t{1});  // the flagged judgement; dimensions carry scores only
        // -08:00 offset: 18:00 UTC.
        QCOMPARE(ds->requests.startNs[r2], int64_t{1790877600000000000});
        QVERIFY(ds->requests.flags[r2] & kRequestError);
        QCOMPARE(ds->requests.errorClass[r2], ErrorClass::RateLimited);
        QCOMPARE(ds->requests.evalPass[r2], uint8_t{1});
        QCOMPARE(ds->generations.costSource[ds->requests.firstGeneration[r2]], CostSource::Pricing);
        QCOMPARE(ds->evals.size(), size_t{5});
        QCOMPARE(ds->signals.size(), size_t{1});
        QCOMPARE(ds->promptVersions.size(), size_t{1});
        QCOMPARE(ds->str(ds->promptVersions[0].changeNote), std::string_view("shorter answers"));
        QCOMPARE(ds->deployments.size(), size_t{1});
        QCOMPARE(ds->tenants.size(), size_t{1});
        QCOMPARE(ds->str(ds->tenants[0].tier), std::string_view("business"));
    }

    void badRecordsAreReported() {
        const std::string text = readFixture("bad-records.jsonl");
        const auto ds = loadText(text, "bad.jsonl");
        QVERIFY(ds);
        QCOMPARE(ds->requestCount(), size_t{2});
        QVERIFY(hasIssue(*ds, 2, "timestamp"));
        QVERIFY(hasIssue(*ds, 3, "shrug"));
        QVERIFY(hasIssue(*ds, 4, "mystery"));
        QVERIFY(hasIssue(*ds, 5, "JSON"));
        QVERIFY(hasIssue(*ds, 6, "object"));
        QCOMPARE(ds->issueCount, uint64_t{5});
        // Epoch seconds are accepted for the timestamp.
        QCOMPARE(ds->requests.startNs[ds->findRequest("ok2").value], int64_t{1790845200000000000});
    }
};

QTEST_GUILESS_MAIN(TestRequestLogReader)
#include "tst_requestlogreader.moc"
