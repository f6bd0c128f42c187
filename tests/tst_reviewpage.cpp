// The Review page driven like a reviewer would: rules fill the queue, keys 1..6 label the current item and
// move on, a note typed in the note field stays text (its digits are not shortcuts), Ctrl+Z undoes, J / K
// move, dismissing, adding by hand, "open only", opening a trace and creating an incident; every step is read
// back from the workspace file.
#include <QApplication>
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QSpinBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "incidentspage.h"
#include "mainwindow.h"
#include "reviewfixture.h"
#include "reviewpage.h"
#include "reviewrulesbox.h"
#include "workspace.h"

using namespace ps;
using namespace ps::testing;

class TestReviewPage : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    DatasetPtr data_;
    std::shared_ptr<const Selection> selection_;
    std::shared_ptr<Workspace> ws_;
    std::unique_ptr<ReviewPage> page_;

    QString traceAt(int row) const { return QString::fromStdString(page_->queueModel()->item(row).traceId); }
    QString currentTrace() const {
        return page_->currentRow() < 0 ? QString() : traceAt(page_->currentRow());
    }
    QStringList rows() const {
        QStringList out;
        for (int r = 0; r < page_->queueModel()->rowCount(); ++r) {
            out << traceAt(r);
        }
        return out;
    }
    // Waits for the queue computed after a change.
    bool waitForQueue(QSignalSpy& spy) { return spy.count() > 0 || spy.wait(5000); }
    void key(Qt::Key k, Qt::KeyboardModifiers mods = Qt::NoModifier) {
        page_->queueView()->setFocus();
        QTest::keyClick(page_->queueView(), k, mods);
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(dir_.isValid());
        data_ = buildReviewDataset();
        const FacetIndex index = buildFacetIndex(*data_);
        selection_ = std::make_shared<const Selection>(selectRequests(*data_, index, Filter{}));
        std::string error;
        ws_ = Workspace::open(dir_.filePath(QStringLiteral("review.sqlite")).toStdString(), &error);
        QVERIFY2(ws_, error.c_str());
        page_ = std::make_unique<ReviewPage>();
        page_->resize(1300, 800);
        page_->show();
        QApplication::setActiveWindow(page_.get());
        QVERIFY(QTest::qWaitForWindowActive(page_.get()));
        page_->rulesBox()->setHighRiskFeatures({QStringLiteral("sales")});
        page_->rulesBox()->judgeThreshold()->setValue(3.0);
        page_->rulesBox()->toolCallLimit()->setValue(5);
        for (int i = 0; i < kReviewRuleCount; ++i) {
            page_->rulesBox()->ruleCheck(static_cast<ReviewRule>(1u << i))->setChecked(true);
        }
        page_->openOnlyCheck()->setChecked(false);
        page_->reviewerEdit()->setText(QStringLiteral("ana"));
        QSignalSpy shown(page_.get(), &ReviewPage::queueShown);
        page_->setWorkspace(ws_);
        page_->setData(data_, selection_);
        QVERIFY(waitForQueue(shown));
        QTRY_VERIFY(!page_->isBusy());
    }

    void rulesFillTheQueue() {
        QCOMPARE(rows(), QStringList({QStringLiteral("t7"), QStringLiteral("t3"), QStringLiteral("t2"),
                                      QStringLiteral("t4"), QStringLiteral("t1")}));
        QCOMPARE(currentTrace(), QStringLiteral("t7"));
        // Turning a rule off recomputes: t4 was there only for its feature.
        QSignalSpy shown(page_.get(), &ReviewPage::queueShown);
        page_->rulesBox()->ruleCheck(kRuleHighRiskFeature)->setChecked(false);
        QVERIFY(waitForQueue(shown));
        QVERIFY(!rows().contains(QStringLiteral("t4")));
        shown.clear();
        page_->rulesBox()->ruleCheck(kRuleHighRiskFeature)->setChecked(true);
        QVERIFY(waitForQueue(shown));
        QCOMPARE(rows().size(), 5);
        QCOMPARE(currentTrace(), QStringLiteral("t7"));  // the cursor stays on its trace
    }

    void aLabelKeySavesAndMovesOn() {
        page_->selectRow(0);
        key(Qt::Key_3);
        const auto label = ws_->label("t7");
        QVERIFY(label.has_value());
        QCOMPARE(label->label, ReviewLabel::Hallucinated);
        QCOMPARE(label->reviewer, std::string("ana"));
        const auto entry = ws_->queueEntry("t7");
        QVERIFY(entry.has_value());
        QCOMPARE(entry->state, QueueState::Done);
        QCOMPARE(entry->origin, QueueOrigin::Rule);
        QCOMPARE(entry->reasons, std::string("failed_eval,thumbs_down,low_judge_score,canary"));
        QCOMPARE(currentTrace(), QStringLiteral("t3"));
        QCOMPARE(page_->queueModel()->index(0, ReviewQueueModel::State).data().toString(),
                 QStringLiteral("Hallucinated"));
    }

    void digitsTypedInTheNoteAreText() {
        QCOMPARE(currentTrace(), QStringLiteral("t3"));
        page_->noteEdit()->setFocus();
        QTest::keyClicks(page_->noteEdit(), QStringLiteral("says 1 tool, ran 6"));
        QCOMPARE(page_->noteEdit()->text(), QStringLiteral("says 1 tool, ran 6"));
        QVERIFY(!ws_->label("t3").has_value());
        key(Qt::Key_6);
        const auto label = ws_->label("t3");
        QVERIFY(label.has_value());
        QCOMPARE(label->label, ReviewLabel::ToolError);
        QCOMPARE(label->note, std::string("says 1 tool, ran 6"));
        QCOMPARE(currentTrace(), QStringLiteral("t2"));
        QVERIFY(page_->noteEdit()->text().isEmpty());  // t2 has no label, so no note
    }

    void ctrlZUndoesTheLastLabel() {
        key(Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(!ws_->label("t3").has_value());
        QCOMPARE(ws_->queueEntry("t3"), std::nullopt);  // labelling had put it in the stored queue
        QCOMPARE(currentTrace(), QStringLiteral("t3"));
        QCOMPARE(page_->queueModel()->item(1).state, QueueState::Open);
        QCOMPARE(page_->queueModel()->index(1, ReviewQueueModel::State).data().toString(),
                 QStringLiteral("Open"));
        // Once more: t7 goes back to no label.
        key(Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(!ws_->label("t7").has_value());
        QCOMPARE(currentTrace(), QStringLiteral("t7"));
        key(Qt::Key_Z, Qt::ControlModifier);  // nothing left: no change
        QVERIFY(ws_->labels().empty());
    }

    void jAndKMove() {
        page_->selectRow(0);
        key(Qt::Key_J);
        QCOMPARE(currentTrace(), QStringLiteral("t3"));
        key(Qt::Key_J);
        QCOMPARE(currentTrace(), QStringLiteral("t2"));
        key(Qt::Key_K);
        QCOMPARE(currentTrace(), QStringLiteral("t3"));
        page_->selectRow(4);
        key(Qt::Key_J);  // stays on the last row
        QCOMPARE(currentTrace(), QStringLiteral("t1"));
        page_->selectRow(0);
        key(Qt::Key_K);
        QCOMPARE(currentTrace(), QStringLiteral("t7"));
    }

    void dismissAddByHandAndOpenOnly() {
        page_->selectRow(3);  // t4
        page_->dismiss();
        QCOMPARE(ws_->queueEntry("t4")->state, QueueState::Dismissed);
        QCOMPARE(currentTrace(), QStringLiteral("t1"));
        key(Qt::Key_1);  // t1 correct
        QCOMPARE(ws_->label("t1")->label, ReviewLabel::Correct);

        QSignalSpy shown(page_.get(), &ReviewPage::queueShown);
        QVERIFY(page_->addByHand(QStringLiteral("t5")));
        QVERIFY(waitForQueue(shown));
        QCOMPARE(rows().first(), QStringLiteral("t5"));
        QCOMPARE(ws_->queueEntry("t5")->origin, QueueOrigin::Hand);

        shown.clear();
        page_->openOnlyCheck()->setChecked(true);
        QVERIFY(waitForQueue(shown));
        QCOMPARE(rows(), QStringList({QStringLiteral("t5"), QStringLiteral("t7"), QStringLiteral("t3"),
                                      QStringLiteral("t2")}));
        shown.clear();
        page_->openOnlyCheck()->setChecked(false);
        QVERIFY(waitForQueue(shown));
        QCOMPARE(rows().size(), 6);
    }

    void openTraceAndIncident() {
        QSignalSpy opened(page_.get(), &ReviewPage::traceRequested);
        page_->selectRow(page_->queueModel()->rowOfTrace("t2"));
        key(Qt::Key_Return);
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.at(0).at(0).value<RequestIndex>(), data_->findRequest("t2"));

        QSignalSpy changed(page_.get(), &ReviewPage::incidentsChanged);
        const auto id = page_->createIncidentFromCurrent(QStringLiteral("Canary answers wrong"));
        QVERIFY(id.has_value());
        QCOMPARE(changed.count(), 1);
        const auto incident = ws_->incident(*id);
        QCOMPARE(incident->fields.title, std::string("Canary answers wrong"));
        QCOMPARE(incident->fields.promptVersion, std::string("43"));  // t2 runs v43
        QCOMPARE(ws_->incidentTraces(*id).size(), size_t{1});
        page_->selectRow(page_->queueModel()->rowOfTrace("t7"));
        QVERIFY(page_->linkToIncident(*id));
        QCOMPARE(ws_->incidentTraces(*id).size(), size_t{2});
        QCOMPARE(ws_->incidentTraces(*id)[1].traceId, std::string("t7"));
        page_->grab().save(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/tst_reviewpage.png"));
    }

    void theWindowOpensTheUsersWorkspace() {
        MainWindow window;
        QVERIFY(window.workspace());
        QCOMPARE(QString::fromStdString(window.workspace()->path()), Workspace::defaultPath());
        QVERIFY(Workspace::defaultPath().startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
        QVERIFY(window.showPage(QStringLiteral("review")));
        QVERIFY(window.review()->isVisibleTo(&window));
        QVERIFY(window.showPage(QStringLiteral("Incidents")));
        QVERIFY(window.incidents()->isVisibleTo(&window));
        QString error;
        QVERIFY(window.openWorkspace(dir_.filePath(QStringLiteral("other.sqlite")), &error));
        QVERIFY(!window.openWorkspace(QStringLiteral(PROMPTSCOPE_SAMPLES_DIR "/SOURCES.md"), &error));
        QVERIFY(error.contains(QStringLiteral("not a workspace")));
        QVERIFY(window.workspace()->path().ends_with("other.sqlite"));  // the previous one stays
    }
};

QTEST_MAIN(TestReviewPage)
#include "tst_reviewpage.moc"
