// The Quality page driven like a user would, offscreen, on the bundled demo: the survivorship-bias warning on the
// feature that has it, user signals, eval pass rates per version and over time, judge dimensions, the sampling
// rate and the judge queue, and opening a queued trace. Figures are checked against plain loops over the
// Dataset's tables written here, with the sampling hash written a second time from its definition.
#include <QAbstractItemModelTester>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <cmath>
#include <memory>
#include <set>

#include "evalsummarymodel.h"
#include "judgequeuemodel.h"
#include "mainwindow.h"
#include "qualitypage.h"
#include "scoredistributionchart.h"
#include "signalsummarymodel.h"
#include "timeserieschart.h"

using namespace ps;

namespace {

// FNV-1a 64 of the id, then the splitmix64 finaliser; sampled when the top 53 bits / 2^53 < rate.
bool sampled(std::string_view id, double rate) {
    uint64_t h = 14695981039346656037ULL;
    for (unsigned char c : id) {
        h = (h ^ c) * 1099511628211ULL;
    }
    uint64_t z = h + 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return std::ldexp(static_cast<double>(z >> 11), -53) < rate;
}

int columnOf(SignalSummaryModel* m, const QString& feature) {
    for (int c = 0; c < m->columnCount(); ++c) {
        if (m->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString() == feature) {
            return c;
        }
    }
    return -1;
}

}  // namespace

class TestQualityPage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("PromptScopeTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_qualitypage"));
        window_ = std::make_unique<MainWindow>();
        window_->resize(1600, 1000);
        window_->show();
        page_ = window_->qualityPage();
        for (QAbstractItemModel* m : std::initializer_list<QAbstractItemModel*>{
                 page_->evalSummary(), page_->signalSummary(), page_->judgeQueue()}) {
            testers_.push_back(std::make_unique<QAbstractItemModelTester>(
                m, QAbstractItemModelTester::FailureReportingMode::QtTest));
        }
        QVERIFY(window_->showPage(QStringLiteral("quality")));
        QSignalSpy shown(page_, &QualityPage::resultShown);
        window_->openDemo();
        QVERIFY(shown.wait(60000));
    }

    // sales_email_writer: glowing thumbs, many abandoned sessions. Counted here from the signal table.
    void survivorshipBiasIsFlagged() {
        const Dataset& d = *window_->dataset();
        std::set<std::string> sessions, abandoned;
        uint64_t up = 0, down = 0;
        for (uint32_t r = 0; r < d.requestCount(); ++r) {
            if (d.str(d.requests.feature[r]) == "sales_email_writer") {
                sessions.insert(std::string(d.str(d.requests.session[r])));
            }
        }
        for (size_t i = 0; i < d.signals.size(); ++i) {
            const uint32_t r = d.signals.request[i];
            if (r >= d.requestCount() || d.str(d.requests.feature[r]) != "sales_email_writer") {
                continue;
            }
            up += d.signals.type[i] == SignalType::ThumbsUp;
            down += d.signals.type[i] == SignalType::ThumbsDown;
            if (d.signals.type[i] == SignalType::Abandoned) {
                abandoned.insert(std::string(d.str(d.requests.session[r])));
            }
        }
        const double positive = static_cast<double>(up) / static_cast<double>(up + down);
        const double abandonment = static_cast<double>(abandoned.size()) / static_cast<double>(sessions.size());
        QVERIFY(positive > 0.8 && abandonment > 0.3);  // the demo's story holds

        SignalSummaryModel* m = page_->signalSummary();
        const int sales = columnOf(m, QStringLiteral("sales_email_writer"));
        QVERIFY(sales >= 0);
        QCOMPARE(m->index(SignalSummaryModel::PositiveShare, sales).data(SignalSummaryModel::ValueRole).toDouble(),
                 positive);
        QCOMPARE(m->index(SignalSummaryModel::Abandonment, sales).data(SignalSummaryModel::ValueRole).toDouble(),
                 abandonment);
        QCOMPARE(m->index(SignalSummaryModel::Sessions, sales).data(SignalSummaryModel::ValueRole).toULongLong(),
                 qulonglong(sessions.size()));
        QVERIFY(m->index(SignalSummaryModel::Bias, sales).data(SignalSummaryModel::BiasRole).toBool());
        for (int c = 0; c < m->columnCount(); ++c) {
            QCOMPARE(m->index(SignalSummaryModel::Bias, c).data(SignalSummaryModel::BiasRole).toBool(), c == sales);
        }
        QVERIFY(page_->biasWarning()->isVisible());
        QVERIFY(page_->biasWarning()->text().contains(QStringLiteral("sales_email_writer")));
        QVERIFY(!page_->biasWarning()->text().contains(QStringLiteral("support_chatbot")));
    }

    void explicitCoverageMatchesALoop() {
        const Dataset& d = *window_->dataset();
        uint64_t with = 0;
        for (uint32_t r = 0; r < d.requestCount(); ++r) {
            with += (d.requests.flags[r] & (kRequestThumbsUp | kRequestThumbsDown)) != 0;
        }
        SignalSummaryModel* m = page_->signalSummary();
        const int total = m->columnCount() - 1;
        QCOMPARE(m->index(SignalSummaryModel::Coverage, total).data(SignalSummaryModel::ValueRole).toDouble(),
                 static_cast<double>(with) / static_cast<double>(d.requestCount()));
    }

    // The canary: support_answer v43 fails its evals more often than v42, counted from the eval table.
    void evalPassRatesPerVersion() {
        const Dataset& d = *window_->dataset();
        EvalSummaryModel* m = page_->evalSummary();
        QVERIFY(m->rowCount() > 0);
        for (int row = 0; row < m->rowCount(); ++row) {
            const EvalVersionStats& e = m->evals()[static_cast<size_t>(row)];
            uint64_t pass = 0, fail = 0;
            double sum = 0;
            uint64_t scored = 0;
            for (size_t i = 0; i < d.evals.size(); ++i) {
                const uint32_t r = d.evals.request[i];
                if (d.evals.name[i] != e.eval || d.requests.promptName[r] != e.prompt ||
                    d.requests.promptVersion[r] != e.version) {
                    continue;
                }
                pass += d.evals.outcome[i] == EvalOutcome::Pass;
                fail += d.evals.outcome[i] == EvalOutcome::Fail;
                if (std::isfinite(d.evals.score[i])) {
                    sum += d.evals.score[i];
                    ++scored;
                }
            }
            QCOMPARE(m->index(row, EvalSummaryModel::PassRate).data(EvalSummaryModel::SortRole).toDouble(),
                     static_cast<double>(pass) / static_cast<double>(pass + fail));
            QVERIFY(std::abs(m->index(row, EvalSummaryModel::MeanScore).data(EvalSummaryModel::SortRole).toDouble() -
                             sum / static_cast<double>(scored)) < 1e-12);
        }
    }

    void choosingAnEvalRedrawsItsVersions() {
        QComboBox* chooser = page_->evalChooser();
        const int correctness = chooser->findText(QStringLiteral("correctness"));
        QVERIFY(correctness >= 0);
        chooser->setCurrentIndex(correctness);
        size_t versions = 0;
        for (const EvalVersionStats& e : page_->result().evals) {
            versions += window_->dataset()->str(e.eval) == "correctness";
        }
        QCOMPARE(page_->evalChart()->chartView()->chart()->series().size(), qsizetype(versions));
        QVERIFY(page_->evalChart()->bucketCount() >= 14);  // 14 days in days
        page_->evalMetricChooser()->setCurrentIndex(1);
        QCOMPARE(page_->evalChart()->chartView()->chart()->series().size(), qsizetype(versions));
        // Three judge dimensions, one bar per prompt version that has them.
        QCOMPARE(page_->dimensionCharts().size(), size_t{3});
        for (ScoreDistributionChart* c : page_->dimensionCharts()) {
            QVERIFY(c->isVisible());
            QCOMPARE(c->barCount(), 5);
        }
    }

    void rateChangesTheQueue_data() {
        QTest::addColumn<double>("percent");
        QTest::newRow("1%") << 1.0;
        QTest::newRow("20%") << 20.0;
        QTest::newRow("0%") << 0.0;
    }
    void rateChangesTheQueue() {
        QFETCH(double, percent);
        const Dataset& d = *window_->dataset();
        QSignalSpy shown(page_, &QualityPage::resultShown);
        page_->rateBox()->setValue(percent);
        QVERIFY(shown.wait(20000));
        uint64_t flagged = 0, picked = 0;
        for (uint32_t r = 0; r < d.requestCount(); ++r) {
            const bool bad = d.requests.evalFail[r] > 0 || (d.requests.flags[r] & kRequestThumbsDown);
            flagged += bad;
            picked += !bad && sampled(d.str(d.requests.traceId[r]), percent / 100);
        }
        const JudgeQueue& q = page_->judgeQueue()->queue();
        QCOMPARE(q.flagged, flagged);
        QCOMPARE(q.sampled, picked);
        QCOMPARE(page_->judgeQueue()->rowCount(), static_cast<int>(std::min<uint64_t>(flagged + picked, 2000)));
        // Flagged first.
        for (int row = 0; row < page_->judgeQueue()->rowCount(); ++row) {
            const QString why = page_->judgeQueue()->index(row, JudgeQueueModel::Reason).data().toString();
            QCOMPARE(why == QStringLiteral("sampled"), static_cast<uint64_t>(row) >= flagged);
        }
    }

    void enterOpensAQueuedTrace() {
        QSignalSpy shown(page_, &QualityPage::resultShown);
        page_->rateBox()->setValue(5);
        QVERIFY(shown.wait(20000));
        QSignalSpy asked(page_, &QualityPage::traceRequested);
        QTableView* view = page_->judgeQueueView();
        view->setCurrentIndex(view->model()->index(2, JudgeQueueModel::Feature));
        view->setFocus();
        QTest::keyClick(view, Qt::Key_Enter);
        QCOMPARE(asked.count(), 1);
        QCOMPARE(asked.at(0).at(0).value<RequestIndex>().value,
                 page_->judgeQueue()->index(2, 0).data(JudgeQueueModel::RequestRole).toUInt());
        QTest::qWait(50);
        QVERIFY(QDir().mkpath(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots")));
        QVERIFY(page_->grab().save(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots/quality-page.png")));
    }

    void cleanupTestCase() {
        testers_.clear();
        window_.reset();
    }

private:
    std::unique_ptr<MainWindow> window_;
    QualityPage* page_ = nullptr;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers_;
};

QTEST_MAIN(TestQualityPage)
#include "tst_qualitypage.moc"
