// Redaction of secrets in exported text: each kind of key, bearer tokens and email addresses are replaced;
// words that only look a little like them are kept; the count says how many were replaced.
#include <QTest>

#include "redaction.h"

using namespace ps;

class TestRedaction : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void redacts_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("expected");
        QTest::addColumn<int>("count");
        QTest::newRow("nothing") << QByteArray("Where is my refund?") << QByteArray("Where is my refund?")
                                 << 0;
        QTest::newRow("empty") << QByteArray("") << QByteArray("") << 0;
        QTest::newRow("openai key") << QByteArray("key=sk-abcdefghijklmnopqrstuvwxyz0123 ok")
                                    << QByteArray("key=[REDACTED_KEY] ok") << 1;
        QTest::newRow("project key with dashes") << QByteArray("use sk-proj-Ab_12-cd34EF56gh78IJ90kl then")
                                                 << QByteArray("use [REDACTED_KEY] then") << 1;
        QTest::newRow("anthropic key at the end") << QByteArray("\"sk-ant-api03-XyZ0123456789abcdefGHIJ\"")
                                                  << QByteArray("\"[REDACTED_KEY]\"") << 1;
        QTest::newRow("aws key id") << QByteArray("AKIAIOSFODNN7EXAMPLE.") << QByteArray("[REDACTED_KEY].")
                                    << 1;
        QTest::newRow("github token") << QByteArray("token ghp_16C7e42F292c6912E7710c838347Ae178B4a")
                                      << QByteArray("token [REDACTED_KEY]") << 1;
        QTest::newRow("slack and google")
            << QByteArray("xoxb-1234567890-abcdef AIzaSyA1234567890abcdefghijklmnopqrstu")
            << QByteArray("[REDACTED_KEY] [REDACTED_KEY]") << 2;
        QTest::newRow("bearer token")
            << QByteArray("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjF9.sig_x-Y=")
            << QByteArray("Authorization: Bearer [REDACTED_TOKEN]") << 1;
        QTest::newRow("bearer in lower case") << QByteArray("bearer   abcdefghijklmnop1234")
                                              << QByteArray("bearer   [REDACTED_TOKEN]") << 1;
        QTest::newRow("email") << QByteArray("Write to ana.lima+billing@example.co.uk.")
                               << QByteArray("Write to [REDACTED_EMAIL].") << 1;
        QTest::newRow("two emails") << QByteArray("a@b.io,c_d@e-f.com")
                                    << QByteArray("[REDACTED_EMAIL],[REDACTED_EMAIL]") << 2;
        QTest::newRow("everything")
            << QByteArray("mail bo@corp.com with sk-00000000000000000000abc via Bearer 0123456789abcdefXYZ")
            << QByteArray("mail [REDACTED_EMAIL] with [REDACTED_KEY] via Bearer [REDACTED_TOKEN]") << 3;
        // Look-alikes that stay.
        QTest::newRow("short sk- words") << QByteArray("pip install sk-learn; task-sk-1")
                                         << QByteArray("pip install sk-learn; task-sk-1") << 0;
        QTest::newRow("sk- inside a word") << QByteArray("risk-abcdefghijklmnopqrstuvwxyz0123")
                                           << QByteArray("risk-abcdefghijklmnopqrstuvwxyz0123") << 0;
        QTest::newRow("bearer of news")
            << QByteArray("the bearer of bad news") << QByteArray("the bearer of bad news") << 0;
        QTest::newRow("at signs") << QByteArray("@mention, a @ b, x@localhost, me@host.c1")
                                  << QByteArray("@mention, a @ b, x@localhost, me@host.c1") << 0;
        QTest::newRow("lower-case AKIA word")
            << QByteArray("AKIAiosfodnn7example") << QByteArray("AKIAiosfodnn7example") << 0;
        QTest::newRow("non-ASCII around") << QByteArray("é sk-abcdefghijklmnopqrstuvwxyz0123 ü@ü")
                                          << QByteArray("é [REDACTED_KEY] ü@ü") << 1;
    }

    void redacts() {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, expected);
        QFETCH(int, count);
        size_t n = 99;
        const std::string out = redactSecrets(std::string_view(text.constData(), text.size()), &n);
        QCOMPARE(QByteArray::fromStdString(out), expected);
        QCOMPARE(n, static_cast<size_t>(count));
    }

    void invalidUtf8PassesThrough() {
        const std::string text = std::string("\xff\xfe a@b.com \xc3");
        QCOMPARE(redactSecrets(text), std::string("\xff\xfe [REDACTED_EMAIL] \xc3"));
    }
};

QTEST_GUILESS_MAIN(TestRedaction)
#include "tst_redaction.moc"
