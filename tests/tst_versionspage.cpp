// The Versions page driven offscreen like a user would, on the bundled demo: the default comparison, another
// prompt, canary vs baseline, before/after a deployment, rule thresholds, the timeline's metric chooser,
// drill-down, and following the sidebar's filter. The table's figures are checked against a second computation
// written here over the Dataset's columns (plain loops, sorted copies, Fisher's test from log-factorials).
#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QListWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

#include <algorithm>
#include <map>
#include <cmath>
#include <functional>

#include "colddata.h"
#include "comparisonchooser.h"
#include "inputpairsdialog.h"
#include "requesttexts.h"
#include "tracespage.h"
#include "savedfilters.h"
#include "deploymentmarkers.h"
#include "distributionoverlaychart.h"
#include "mainwindow.h"
#include "releaserulespanel.h"
#include "timeserieschart.h"
#include "versioncomparisonmodel.h"
#include "versionspage.h"
#include "versionsfixture.h"

using namespace ps;

namespace {

std::vector<uint32_t> rowsWhere(const Dataset& d, const std::function<bool(uint32_t)>& keep) {
    std::vector<uint32_t> out;
    for (uint32_t r = 0; r < d.requestCount(); ++r) {
        if (keep(r)) {
            out.push_back(r);
        }
    }
    return out;
}

std::function<bool(uint32_t)> version(const Dataset& d, std::string_view prompt, std::string_view v) {
    return [&d, prompt, v](uint32_t r) {
        return d.str(d.requests.promptName[r]) == prompt && d.str(d.requests.promptVersion[r]) == v;
    };
}

size_t errorsIn(const Dataset& d, const std::vector<uint32_t>& rows) {
    return static_cast<size_t>(
        std::count_if(rows.begin(), rows.end(), [&](uint32_t r) { return d.requests.flags[r] & kRequestError; }));
}

double type7(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    const double h = (static_cast<double>(v.size()) - 1) * p;
    const auto lo = static_cast<size_t>(std::floor(h));
    return v[lo] + (h - static_cast<double>(lo)) * (v[std::min(lo + 1, v.size() - 1)] - v[lo]);
}

// Fisher's exact test, two-sided, from the hypergeometric probabilities in log-factorials.
double fisher(int ka, int na, int kb, int nb) {
    const int events = ka + kb;
    auto logChoose = [](int n, int k) { return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0); };
    auto prob = [&](int x) {
        return std::exp(logChoose(na, x) + logChoose(nb, events - x) - logChoose(na + nb, events));
    };
    const double observed = prob(ka);
    double p = 0;
    for (int x = std::max(0, events - nb); x <= std::min(events, na); ++x) {
        if (prob(x) <= observed * (1 + 1e-7)) {
            p += prob(x);
        }
    }
    return std::min(1.0, p);
}

int rowOf(VersionComparisonModel* m, const QString& key) {
    for (int row = 0; row < m->rowCount(); ++row) {
        if (m->data(m->index(row, 0), VersionComparisonModel::KeyRole).toString() == key) {
            return row;
        }
    }
    return -1;
}

double cell(VersionComparisonModel* m, const QString& key, int column) {
    return m->data(m->index(rowOf(m, key), column), VersionComparisonModel::SortRole).toDouble();
}

}  // namespace

class TestVersionsPage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("PromptScopeTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_versionspage"));
        QSettings().clear();  // release-rule thresholds at their defaults
        window_ = std::make_unique<MainWindow>();
        window_->resize(1600, 1000);
        window_->show();
        QVERIFY(window_->showPage(QStringLiteral("versions")));
        page_ = window_->versions();
        QSignalSpy shown(page_, &VersionsPage::resultShown);
        window_->openDemo();
        QVERIFY(shown.wait(60000));
    }

    void modelPassesTheTester() {
        QAbstractItemModelTester tester(page_->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(page_->model()->rowCount() > 20);
        QCOMPARE(page_->model()->columnCount(), int(VersionComparisonModel::ColumnCount));
    }

    void defaultComparisonMatchesAnIndependentComputation() {
        const Dataset& d = *window_->dataset();
        VersionComparisonModel* m = page_->model();
        QCOMPARE(m->headerData(VersionComparisonModel::ValueA, Qt::Horizontal, Qt::DisplayRole).toString(),
                 QStringLiteral("v42 (baseline)"));
        QCOMPARE(m->headerData(VersionComparisonModel::ValueB, Qt::Horizontal, Qt::DisplayRole).toString(),
                 QStringLiteral("v43"));
        const std::vector<uint32_t> a = rowsWhere(d, version(d, "support_answer", "42"));
        const std::vector<uint32_t> b = rowsWhere(d, version(d, "support_answer", "43"));
        QCOMPARE(cell(m, QStringLiteral("requests"), VersionComparisonModel::ValueA), double(a.size()));
        QCOMPARE(cell(m, QStringLiteral("requests"), VersionComparisonModel::ValueB), double(b.size()));
        const auto ea = static_cast<int>(errorsIn(d, a));
        const auto eb = static_cast<int>(errorsIn(d, b));
        QCOMPARE(cell(m, QStringLiteral("error_rate"), VersionComparisonModel::ValueA), double(ea) / double(a.size()));
        QCOMPARE(cell(m, QStringLiteral("error_rate"), VersionComparisonModel::ValueB), double(eb) / double(b.size()));
        // Few v43 errors: Fisher's exact test, recomputed here.
        const double p = cell(m, QStringLiteral("error_rate"), VersionComparisonModel::PValue);
        QVERIFY2(std::fabs(p - fisher(ea, int(a.size()), eb, int(b.size()))) < 1e-9, qPrintable(QString::number(p)));
        QCOMPARE(m->data(m->index(rowOf(m, QStringLiteral("error_rate")), VersionComparisonModel::Test)).toString(),
                 QStringLiteral("Fisher's exact"));
        // p95 latency of each side, type 7 on sorted copies.
        std::vector<double> la;
        for (uint32_t r : a) {
            la.push_back(static_cast<double>(d.requests.durationNs[r]) / 1e6);
        }
        QCOMPARE(cell(m, QStringLiteral("latency_p95_ms"), VersionComparisonModel::ValueA), type7(la, 0.95));
        // The canary's regression: worse, in red.
        const int failure = rowOf(m, QStringLiteral("failure_rate"));
        QCOMPARE(m->data(m->index(failure, VersionComparisonModel::VerdictColumn)).toString(), QStringLiteral("worse"));
        QCOMPARE(m->data(m->index(failure, VersionComparisonModel::VerdictColumn), Qt::ForegroundRole).value<QColor>(),
                 VersionComparisonModel::verdictColor(Verdict::Worse));
        // Mean judge score of correctness on v43, by a loop over the eval table.
        std::vector<uint8_t> inB(d.requestCount(), 0);
        for (uint32_t r : b) {
            inB[r] = 1;
        }
        double sum = 0;
        int n = 0;
        for (size_t e = 0; e < d.evals.size(); ++e) {
            if (inB[d.evals.request[e]] && d.str(d.evals.name[e]) == "correctness" && !std::isnan(d.evals.score[e])) {
                sum += d.evals.score[e];
                ++n;
            }
        }
        QVERIFY(std::fabs(cell(m, QStringLiteral("judge_score:correctness"), VersionComparisonModel::ValueB) - sum / n) <
                1e-12);
        // The distributions and the timeline are drawn; the canary's two deployments are marked.
        QVERIFY(!page_->latencyHistogram()->isEmpty());
        QVERIFY(!page_->costEcdf()->isEmpty());
        QVERIFY(page_->shareChart()->bucketCount() > 10);
        QCOMPARE(page_->shareMarkers()->count(), size_t{2});
        QVERIFY(page_->shareMarkers()->toolTipOf(0).contains(QStringLiteral("at 5% of traffic")));
        QVERIFY(window_->grab().save(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots/versions-default.png")));
    }

    void ruleThresholdsAreEditable() {
        ReleaseRulesPanel* rules = page_->rules();
        QCOMPARE(rules->statusLabel(ReleaseRule::FailureRatio)->text(), QStringLiteral("WAIT"));  // 97 < 200 requests
        rules->minRequestsBox()->setValue(50);
        QCOMPARE(rules->statusLabel(ReleaseRule::FailureRatio)->text(), QStringLiteral("FAIL"));
        rules->costIncreaseBox()->setValue(20);  // v43's p95 cost is about +37%
        QCOMPARE(rules->statusLabel(ReleaseRule::CostP95)->text(), QStringLiteral("FAIL"));
        rules->minRequestsBox()->setValue(200);
        rules->costIncreaseBox()->setValue(50);
        QCOMPARE(rules->statusLabel(ReleaseRule::CostP95)->text(), QStringLiteral("PASS"));
    }

    void drillDownAsksForTheRequestsBehindACell() {
        const Dataset& d = *window_->dataset();
        VersionComparisonModel* m = page_->model();
        QSignalSpy filters(page_, &VersionsPage::filterRequested);
        QSignalSpy lists(page_, &VersionsPage::requestsRequested);
        // Disconnect the window's own reaction (it would apply the filter); only the page's request is tested.
        page_->disconnect(window_.get());
        page_->drillDown(rowOf(m, QStringLiteral("error_rate")), VersionComparisonModel::ValueB);
        QCOMPARE(filters.count(), 1);
        const Filter f = filters.takeFirst().at(0).value<Filter>();
        QCOMPARE(f.status, StatusFilter::Error);
        QCOMPARE(f.of(Dimension::PromptVersion), (std::vector<std::string>{"43"}));
        const FacetIndex index = buildFacetIndex(d);
        const std::vector<uint32_t> v43 = rowsWhere(d, version(d, "support_answer", "43"));
        QCOMPARE(selectRequests(d, index, f).requests.size(), errorsIn(d, v43));
        // Failures (errors or failed evals) are no Filter: the requests themselves are handed over.
        page_->drillDown(rowOf(m, QStringLiteral("failure_rate")), VersionComparisonModel::ValueB);
        QCOMPARE(lists.count(), 1);
        const auto rows = lists.takeFirst().at(1).value<std::vector<uint32_t>>();
        std::vector<uint32_t> expected;
        for (uint32_t r : v43) {
            if ((d.requests.flags[r] & kRequestError) || d.requests.evalFail[r] > 0) {
                expected.push_back(r);
            }
        }
        QCOMPARE(rows, expected);
        // The p95 cell of the baseline: its requests at or above that p95.
        page_->drillDown(rowOf(m, QStringLiteral("latency_p95_ms")), VersionComparisonModel::ValueA);
        const Filter slow = filters.takeFirst().at(0).value<Filter>();
        QCOMPARE(slow.minLatencyMs, cell(m, QStringLiteral("latency_p95_ms"), VersionComparisonModel::ValueA));
        QCOMPARE(slow.of(Dimension::PromptVersion), (std::vector<std::string>{"42"}));
    }

    void timelineMetricChooser() {
        page_->timelineMetricBox()->setCurrentIndex(3);  // p95 latency
        QVERIFY(!page_->metricChart()->isEmpty());
        QCOMPARE(page_->timelineMetricBox()->currentText(), QStringLiteral("p95 latency"));
    }

    void anotherPrompt() {
        const Dataset& d = *window_->dataset();
        QSignalSpy shown(page_, &VersionsPage::resultShown);
        QComboBox* prompt = page_->chooser()->promptBox();
        prompt->setCurrentIndex(prompt->findText(QStringLiteral("invoice_extract")));
        QVERIFY(shown.wait(30000));
        QListWidget* list = page_->chooser()->versionList();
        QCOMPARE(list->count(), 2);
        QCOMPARE(list->item(0)->text(), QStringLiteral("v11"));
        const VersionsAnalysis& r = *page_->result();
        QCOMPARE(r.sides[0].size(), rowsWhere(d, version(d, "invoice_extract", "11")).size());
        QCOMPARE(r.sides[1].size(), rowsWhere(d, version(d, "invoice_extract", "12")).size());
        // Unchecking one leaves nothing to compare: no recompute.
        list->item(0)->setCheckState(Qt::Unchecked);
        QVERIFY(!shown.wait(500));
        list->item(0)->setCheckState(Qt::Checked);
        QVERIFY(shown.wait(30000));
    }

    void canaryAgainstBaselineEnvironments() {
        const Dataset& d = *window_->dataset();
        QSignalSpy shown(page_, &VersionsPage::resultShown);
        QComboBox* mode = page_->chooser()->modeBox();
        mode->setCurrentIndex(mode->findData(static_cast<int>(CompareBy::Environment)));
        QVERIFY(shown.wait(30000));
        QCOMPARE(page_->chooser()->baselineBox()->currentText(), QStringLiteral("production"));
        QCOMPARE(page_->chooser()->candidateBox()->currentText(), QStringLiteral("canary"));
        const VersionsAnalysis& r = *page_->result();
        auto env = [&](std::string_view e) {
            return rowsWhere(d, [&](uint32_t row) { return d.str(d.requests.environment[row]) == e; }).size();
        };
        QCOMPARE(r.sides[0].size(), env("production"));
        QCOMPARE(r.sides[1].size(), env("canary"));
        QCOMPARE(cell(page_->model(), QStringLiteral("error_rate"), VersionComparisonModel::ValueB),
                 double(errorsIn(d, r.sides[1].requests)) / double(r.sides[1].size()));
    }

    // Any two saved filters (Filter > Save Filter As…) are compared as whole filters: the sidebar's does not apply.
    void twoSavedFilters() {
        const Dataset& d = *window_->dataset();
        Filter slowProduction;
        slowProduction.of(Dimension::Environment) = {"production"};
        slowProduction.minLatencyMs = 5000;
        Filter mini;
        mini.of(Dimension::Model) = {"gpt-4.1-mini-2025-04-14"};
        mini.of(Dimension::Feature) = {"support_chatbot"};
        QVERIFY(window_->savedFilters()->save(QStringLiteral("slow production"), slowProduction));
        QVERIFY(window_->savedFilters()->save(QStringLiteral("mini support"), mini));
        QVERIFY(!window_->savedFilters()->save(QStringLiteral("  "), mini));
        QSignalSpy shown(page_, &VersionsPage::resultShown);
        QComboBox* mode = page_->chooser()->modeBox();
        mode->setCurrentIndex(mode->findData(static_cast<int>(CompareBy::SavedFilter)));
        QVERIFY(shown.wait(30000));
        QCOMPARE(page_->chooser()->baselineBox()->currentText(), QStringLiteral("slow production"));
        QCOMPARE(page_->chooser()->candidateBox()->currentText(), QStringLiteral("mini support"));
        const VersionsAnalysis& r = *page_->result();
        QCOMPARE(r.sides.size(), size_t{2});
        const auto a = rowsWhere(d, [&](uint32_t row) {
            return d.str(d.requests.environment[row]) == "production" && d.requests.durationNs[row] >= 5'000'000'000;
        });
        const auto b = rowsWhere(d, [&](uint32_t row) {
            return d.str(d.requests.model[row]) == "gpt-4.1-mini-2025-04-14" && d.str(d.requests.feature[row]) == "support_chatbot";
        });
        QVERIFY(!a.empty() && !b.empty());
        QCOMPARE(r.sides[0].size(), a.size());
        QCOMPARE(r.sides[1].size(), b.size());
        QCOMPARE(cell(page_->model(), QStringLiteral("error_rate"), VersionComparisonModel::ValueB),
                 double(errorsIn(d, b)) / double(b.size()));
        // They are kept in the settings for the next session.
        SavedFilters again;
        QCOMPARE(again.list().size(), size_t{2});
        Filter back;
        QVERIFY(again.find(QStringLiteral("slow production"), &back));
        QCOMPARE(back, slowProduction);
        QVERIFY(window_->savedFilters()->remove(QStringLiteral("slow production")));
        QVERIFY(window_->savedFilters()->remove(QStringLiteral("mini support")));
        mode->setCurrentIndex(mode->findData(static_cast<int>(CompareBy::PromptVersion)));
        QVERIFY(shown.wait(30000));
    }

    // The baseline and candidate requests that got the same user input pair up; opening a pair compares the two
    // traces on the Traces page.
    void sameInputPairsOpenTheTraceComparison() {
        QSignalSpy shown(page_, &VersionsPage::resultShown);
        ComparisonSpec spec;
        spec.prompt = "support_answer";
        spec.values = {"42", "43"};
        page_->chooser()->setSpec(spec);
        QVERIFY(shown.wait(30000));
        QVERIFY(page_->result() && page_->result()->sides.size() == 2);
        const VersionsAnalysis& r = *page_->result();
        InputPairsDialog* dialog = page_->showSameInputPairs();
        QVERIFY(dialog);
        QSignalSpy done(dialog, &InputPairsDialog::finished);
        QVERIFY(done.wait(60000));
        // Independently: every candidate request whose first user input some baseline request also got.
        ColdDataReader reader(window_->dataset());
        std::map<std::string, int> baseline;
        for (const uint32_t a : r.sides[0].requests) {
            const std::string in = requestUserInput(reader, RequestIndex{a});
            if (!in.empty()) {
                ++baseline[in];
            }
        }
        size_t expected = 0;
        for (const uint32_t b : r.sides[1].requests) {
            const std::string in = requestUserInput(reader, RequestIndex{b});
            expected += !in.empty() && baseline.count(in);
        }
        QVERIFY2(expected > 0, "the demo replays common questions on both versions");
        const InputPairs& found = dialog->pairs();
        QCOMPARE(found.pairs.size(), expected);
        QCOMPARE(dialog->table()->rowCount(), int(expected));
        for (const InputPair& p : found.pairs) {
            QVERIFY(std::binary_search(r.sides[0].requests.begin(), r.sides[0].requests.end(), p.a));
            QVERIFY(std::binary_search(r.sides[1].requests.begin(), r.sides[1].requests.end(), p.b));
            QCOMPARE(requestUserInput(reader, RequestIndex{p.a}), p.input);
            QCOMPARE(requestUserInput(reader, RequestIndex{p.b}), p.input);
        }
        const int row = 0;
        const size_t i = size_t(dialog->table()->item(row, 0)->data(Qt::UserRole).toInt());
        // The page asks for the pair (the window's reaction was disconnected by an earlier test); the Traces page
        // then compares the two.
        QSignalSpy asked(page_, &VersionsPage::pairRequested);
        dialog->openPair(row);
        QCOMPARE(asked.count(), 1);
        QCOMPARE(asked.at(0).at(0).value<RequestIndex>().value, found.pairs[i].a);
        QCOMPARE(asked.at(0).at(1).value<RequestIndex>().value, found.pairs[i].b);
        TracesPage* traces = window_->traces();
        traces->comparePair(RequestIndex{found.pairs[i].a}, RequestIndex{found.pairs[i].b});
        QCOMPARE(traces->currentTrace().value, found.pairs[i].b);
        QCOMPARE(traces->views()->tabText(traces->views()->currentIndex()), QStringLiteral("Compare"));
        dialog->close();
        window_->showPage(QStringLiteral("versions"));
    }

    void beforeAndAfterADeployment() {
        const Dataset& d = *window_->dataset();
        QSignalSpy shown(page_, &VersionsPage::resultShown);
        QComboBox* mode = page_->chooser()->modeBox();
        mode->setCurrentIndex(mode->findData(static_cast<int>(CompareBy::Deployment)));
        QVERIFY(shown.wait(30000));
        QComboBox* prompt = page_->chooser()->promptBox();
        if (prompt->currentText() != QStringLiteral("support_answer")) {
            prompt->setCurrentIndex(prompt->findText(QStringLiteral("support_answer")));
            QVERIFY(shown.wait(30000));
        }
        const int64_t at = page_->chooser()->deploymentBox()->currentData().toLongLong();
        QVERIFY(page_->chooser()->deploymentBox()->currentText().contains(QStringLiteral("at 25%")));
        const VersionsAnalysis& r = *page_->result();
        auto count = [&](bool after) {
            return rowsWhere(d, [&](uint32_t row) {
                       return d.str(d.requests.promptName[row]) == "support_answer" &&
                              (d.requests.startNs[row] >= at) == after;
                   }).size();
        };
        QCOMPARE(r.sides[0].size(), count(false));
        QCOMPARE(r.sides[1].size(), count(true));
        QVERIFY(window_->grab().save(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots/versions-deployment.png")));
        mode->setCurrentIndex(mode->findData(static_cast<int>(CompareBy::PromptVersion)));
        QVERIFY(shown.wait(30000));
    }

    void followsTheSidebarFilter() {
        const Dataset& d = *window_->dataset();
        QSignalSpy shown(page_, &VersionsPage::resultShown);
        Filter f;
        f.status = StatusFilter::Error;
        window_->applyFilter(f);
        QVERIFY(shown.wait(30000));
        const VersionsAnalysis& r = *page_->result();
        QCOMPARE(r.spec.prompt, std::string("support_answer"));
        const auto v42 = rowsWhere(d, version(d, "support_answer", "42"));
        QCOMPARE(r.sides[0].size(), errorsIn(d, v42));
        QCOMPARE(cell(page_->model(), QStringLiteral("error_rate"), VersionComparisonModel::ValueA), 1.0);
        QVERIFY(page_->summary()->text().contains(QStringLiteral("within the sidebar's filters")));
    }

    void threeVersionsCompareEachWithTheBaseline() {
        // A page of its own on a data set with versions 1, 2 and 3; no index given, so the worker builds one.
        testing::VersionsFixture f;
        f.requests = 3000;
        f.shareB = 0.3;
        f.shareC = 0.3;
        f.b.errorRate = 0.10;
        const DatasetPtr data = testing::buildVersionsFixture(f);
        VersionsPage page;
        page.resize(1400, 900);
        page.show();
        QSignalSpy shown(&page, &VersionsPage::resultShown);
        page.setData(data, nullptr, Filter{});
        QVERIFY(shown.wait(30000));
        // Oldest on the left (versions that start together are ordered by their first request).
        const std::vector<std::string> newest = versionsNewestFirst(*data, "chat");
        QCOMPARE(newest.size(), size_t{3});
        const std::vector<std::string> oldest(newest.rbegin(), newest.rend());
        QListWidget* list = page.chooser()->versionList();
        QCOMPARE(list->count(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(list->item(i)->text(), QStringLiteral("v") + QString::fromStdString(oldest[size_t(i)]));
        }
        QCOMPARE(list->item(0)->checkState(), Qt::Unchecked);  // the two most recent by default
        QVERIFY(page.candidateBox()->isHidden());
        list->item(0)->setCheckState(Qt::Checked);
        QVERIFY(shown.wait(30000));
        const VersionsAnalysis& r = *page.result();
        QCOMPARE(r.sides.size(), size_t{3});
        QCOMPARE(r.comparisons.size(), size_t{2});
        QCOMPARE(r.timeline.groups.size(), size_t{3});
        QVERIFY(!page.candidateBox()->isHidden());
        QCOMPARE(page.candidateBox()->count(), 2);
        auto errorRate = [&](const std::string& v) {
            const std::vector<uint32_t> rows = rowsWhere(*data, version(*data, "chat", v));
            return double(errorsIn(*data, rows)) / double(rows.size());
        };
        VersionComparisonModel* m = page.model();
        for (int candidate = 0; candidate < 2; ++candidate) {
            page.candidateBox()->setCurrentIndex(candidate);
            const std::string& v = oldest[size_t(candidate) + 1];
            QCOMPARE(m->headerData(VersionComparisonModel::ValueA, Qt::Horizontal, Qt::DisplayRole).toString(),
                     QStringLiteral("v%1 (baseline)").arg(QString::fromStdString(oldest[0])));
            QCOMPARE(m->headerData(VersionComparisonModel::ValueB, Qt::Horizontal, Qt::DisplayRole).toString(),
                     QStringLiteral("v") + QString::fromStdString(v));
            QCOMPARE(cell(m, QStringLiteral("error_rate"), VersionComparisonModel::ValueA), errorRate(oldest[0]));
            QCOMPARE(cell(m, QStringLiteral("error_rate"), VersionComparisonModel::ValueB), errorRate(v));
        }
    }

private:
    std::unique_ptr<MainWindow> window_;
    VersionsPage* page_ = nullptr;
};

QTEST_MAIN(TestVersionsPage)
#include "tst_versionspage.moc"
