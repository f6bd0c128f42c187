// The engine's recent results: found by filter and grain, most recently used kept, bounded by entries and rows.
#include <QtTest>

#include "recentresults.h"

using namespace ps;

namespace {

Filter featureFilter(const std::string& feature) {
    Filter f;
    f.of(Dimension::Feature) = {feature};
    return f;
}

}  // namespace

class TestRecentResults : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void findsByFilterAndGrain() {
        RecentResults<int> cache;
        cache.insert(Filter{}, Grain::Request, std::make_shared<const int>(1), 10);
        cache.insert(Filter{}, Grain::Generation, std::make_shared<const int>(2), 10);
        cache.insert(featureFilter("a"), Grain::Request, std::make_shared<const int>(3), 10);
        QCOMPARE(*cache.find(Filter{}, Grain::Request), 1);
        QCOMPARE(*cache.find(Filter{}, Grain::Generation), 2);
        QCOMPARE(*cache.find(featureFilter("a"), Grain::Request), 3);
        QVERIFY(!cache.find(featureFilter("a"), Grain::Generation));
        QVERIFY(!cache.find(featureFilter("b"), Grain::Request));
    }

    void sameKeyReplacesTheOlderResult() {
        RecentResults<int> cache;
        cache.insert(Filter{}, Grain::Request, std::make_shared<const int>(1), 10);
        cache.insert(Filter{}, Grain::Request, std::make_shared<const int>(5), 10);
        QCOMPARE(cache.size(), size_t{1});
        QCOMPARE(*cache.find(Filter{}, Grain::Request), 5);
    }

    void dropsTheLeastRecentlyUsedBeyondTheEntryLimit() {
        RecentResults<int> cache(3);
        for (int i = 0; i < 3; ++i) {
            cache.insert(featureFilter(std::to_string(i)), Grain::Request, std::make_shared<const int>(i), 1);
        }
        QVERIFY(cache.find(featureFilter("0"), Grain::Request));  // 0 is now the most recent
        cache.insert(featureFilter("3"), Grain::Request, std::make_shared<const int>(3), 1);
        QCOMPARE(cache.size(), size_t{3});
        QVERIFY(cache.find(featureFilter("0"), Grain::Request));
        QVERIFY(!cache.find(featureFilter("1"), Grain::Request));  // the least recently used went
        QVERIFY(cache.find(featureFilter("2"), Grain::Request));
        QVERIFY(cache.find(featureFilter("3"), Grain::Request));
    }

    void boundsTheRowsKeptButAlwaysKeepsTheNewest() {
        RecentResults<int> cache(8, 100);
        cache.insert(featureFilter("a"), Grain::Request, std::make_shared<const int>(1), 60);
        cache.insert(featureFilter("b"), Grain::Request, std::make_shared<const int>(2), 30);
        QCOMPARE(cache.size(), size_t{2});
        cache.insert(featureFilter("c"), Grain::Request, std::make_shared<const int>(3), 50);
        QCOMPARE(cache.size(), size_t{2});  // 50 + 30 fit, + 60 does not
        QVERIFY(!cache.find(featureFilter("a"), Grain::Request));
        cache.insert(featureFilter("huge"), Grain::Request, std::make_shared<const int>(4), 1000);
        QCOMPARE(cache.size(), size_t{1});
        QCOMPARE(*cache.find(featureFilter("huge"), Grain::Request), 4);
        cache.clear();
        QCOMPARE(cache.size(), size_t{0});
    }
};

QTEST_APPLESS_MAIN(TestRecentResults)
#include "tst_recentresults.moc"
