#include <QTest>

#include <string>

#include "stringpool.h"

using namespace ps;

class TestStringPool : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void emptyStringIsIdZero() {
        StringPool pool;
        QCOMPARE(pool.intern("").value, 0u);
        QVERIFY(pool.view(StringId{}).empty());
    }
    void internReturnsSameIdForSameText() {
        StringPool pool;
        const StringId a = pool.intern("gpt-4.1");
        const StringId b = pool.intern(std::string("gpt-4.1"));
        const StringId c = pool.intern("gpt-4.1-mini");
        QCOMPARE(a, b);
        QVERIFY(a != c);
        QCOMPARE(pool.view(c), std::string_view("gpt-4.1-mini"));
        QCOMPARE(pool.find("gpt-4.1").value(), a);
        QVERIFY(!pool.find("claude").has_value());
    }
    void viewsStayValidWhileGrowing() {
        StringPool pool;
        const StringId first = pool.intern("first");
        const std::string_view v = pool.view(first);
        for (int i = 0; i < 200000; ++i) {
            pool.intern("value-" + std::to_string(i));
        }
        QCOMPARE(v, std::string_view("first"));
        QCOMPARE(pool.size(), size_t{200002});
        QCOMPARE(pool.view(pool.find("value-123456").value()), std::string_view("value-123456"));
    }
    void largeStringsAreStoredWhole() {
        StringPool pool;
        const std::string big(3 << 20, 'x');
        const StringId id = pool.intern(big);
        pool.intern("small");
        QCOMPARE(pool.view(id).size(), big.size());
        QCOMPARE(pool.view(pool.find("small").value()), std::string_view("small"));
    }
};

QTEST_APPLESS_MAIN(TestStringPool)
#include "tst_stringpool.moc"
