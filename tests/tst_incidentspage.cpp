// The Incidents page driven through its controls: create an incident from the form, link traces (one not in
// the loaded data), edit severity and status, add a note, unlink, and "Add the failing cases to the eval
// dataset"; each step read back from the workspace file and the exported JSON Lines.
#include <QApplication>
#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include <QRegularExpression>

#include "colddata.h"
#include "incidentlistmodel.h"
#include "incidentspage.h"
#include "incidenttracemodel.h"
#include "mainwindow.h"
#include "tracespage.h"
#include "redaction.h"
#include "requesttexts.h"
#include "reviewfixture.h"
#include "workspace.h"

using namespace ps;
using namespace ps::testing;

class TestIncidentsPage : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    DatasetPtr data_;
    std::shared_ptr<Workspace> ws_;
    std::unique_ptr<IncidentsPage> page_;

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(dir_.isValid());
        data_ = buildReviewDataset();
        std::string error;
        ws_ = Workspace::open(dir_.filePath(QStringLiteral("incidents.sqlite")).toStdString(), &error);
        QVERIFY2(ws_, error.c_str());
        page_ = std::make_unique<IncidentsPage>();
        page_->resize(1300, 800);
        page_->setWorkspace(ws_);
        page_->setDataset(data_);
        page_->show();
        QVERIFY(QTest::qWaitForWindowExposed(page_.get()));
    }

    void createFromTheForm() {
        QCOMPARE(page_->incidentModel()->rowCount(), 0);
        page_->startNewIncident();
        QVERIFY(!page_->saveForm());  // no title yet
        QVERIFY(ws_->incidents().empty());
        page_->titleEdit()->setText(QStringLiteral("Canary v43 states wrong refund windows"));
        page_->severityBox()->setCurrentIndex(static_cast<int>(IncidentSeverity::Sev2));
        page_->versionBox()->setCurrentText(QStringLiteral("43"));
        QVERIFY(page_->saveForm());
        const auto all = ws_->incidents();
        QCOMPARE(all.size(), size_t{1});
        QCOMPARE(all[0].fields.title, std::string("Canary v43 states wrong refund windows"));
        QCOMPARE(all[0].fields.severity, IncidentSeverity::Sev2);
        QCOMPARE(all[0].fields.status, IncidentStatus::Open);
        QCOMPARE(all[0].fields.promptVersion, std::string("43"));
        QCOMPARE(page_->currentIncident(), std::optional<int64_t>(all[0].id));
        QCOMPARE(page_->incidentModel()->rowCount(), 1);
        QVERIFY(page_->timeline()->toPlainText().contains(QStringLiteral("Opened: SEV2 major, Open")));
    }

    void linkEditNoteUnlink() {
        const int64_t id = *page_->currentIncident();
        QVERIFY(page_->linkTrace(QStringLiteral("t7")));
        QVERIFY(page_->linkTrace(QStringLiteral("t2")));
        QVERIFY(page_->linkTrace(QStringLiteral("not-loaded")));
        QCOMPARE(page_->traceModel()->rowCount(), 3);
        QCOMPARE(page_->traceModel()->index(2, IncidentTraceModel::Time).data().toString(),
                 QStringLiteral("not loaded"));
        QCOMPARE(ws_->incident(id)->traceCount, int64_t{3});

        page_->statusBox()->setCurrentIndex(static_cast<int>(IncidentStatus::Investigating));
        QVERIFY(page_->saveForm());
        QCOMPARE(ws_->incident(id)->fields.status, IncidentStatus::Investigating);
        QVERIFY(page_->timeline()->toPlainText().contains(QStringLiteral("Status: Open → Investigating")));
        QVERIFY(page_->addNote(QStringLiteral("Canary held at 25% while we look")));
        const auto notes = ws_->incidentNotes(id);
        QCOMPARE(notes.back().text, std::string("Canary held at 25% while we look"));
        QVERIFY(!notes.back().isChange);
        QVERIFY(page_->timeline()->toPlainText().contains(QStringLiteral("Canary held at 25%")));

        QSignalSpy opened(page_.get(), &IncidentsPage::traceRequested);
        QTableView* view = page_->traceView();
        const QRect cell = view->visualRect(page_->traceModel()->index(1, 0));
        // The press of a double-click comes after a click, as from a real mouse.
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.at(0).at(0).value<RequestIndex>(), data_->findRequest("t2"));

        view->selectionModel()->setCurrentIndex(page_->traceModel()->index(2, 0),
                                                QItemSelectionModel::SelectCurrent);
        QVERIFY(page_->unlinkSelectedTrace());
        QCOMPARE(page_->traceModel()->rowCount(), 2);
        QCOMPARE(ws_->incidentTraces(id).size(), size_t{2});
        QVERIFY(page_->timeline()->toPlainText().contains(QStringLiteral("Unlinked trace not-loaded")));
    }

    void exportsTheFailingCases() {
        LabelChange c;
        c.traceId = "t7";
        c.requestId = "t7";
        c.label = ReviewLabel::Hallucinated;
        c.note = "invented a policy; customer ana@example.com";
        c.reviewer = "bo";
        c.timeMs = 1;
        QVERIFY(ws_->setLabel(c));
        page_->reload();
        QCOMPARE(page_->traceModel()->index(0, IncidentTraceModel::Label).data().toString(),
                 QStringLiteral("Hallucinated"));
        page_->setTextProvider([this](RequestIndex r) {
            return r == data_->findRequest("t7")
                       ? std::pair<std::string, std::string>("Refund? my key sk-abcdefghijklmnopqrstuvwxyz",
                                                             "You have 90 days.")
                       : std::pair<std::string, std::string>();
        });
        const QString path = dir_.filePath(QStringLiteral("cases.jsonl"));
        QVERIFY(page_->exportEvalCases(path));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        const QJsonObject first = QJsonDocument::fromJson(lines[0]).object();
        QCOMPARE(first.value(QStringLiteral("trace_id")).toString(), QStringLiteral("t7"));
        QCOMPARE(first.value(QStringLiteral("input")).toString(),
                 QStringLiteral("Refund? my key [REDACTED_KEY]"));
        QCOMPARE(first.value(QStringLiteral("output")).toString(), QStringLiteral("You have 90 days."));
        const QJsonObject label = first.value(QStringLiteral("labels")).toArray().at(0).toObject();
        QCOMPARE(label.value(QStringLiteral("label")).toString(), QStringLiteral("hallucinated"));
        QCOMPARE(label.value(QStringLiteral("note")).toString(),
                 QStringLiteral("invented a policy; customer [REDACTED_EMAIL]"));
        QCOMPARE(first.value(QStringLiteral("incident")).toString(),
                 QStringLiteral("Canary v43 states wrong refund windows"));
        const QJsonObject second = QJsonDocument::fromJson(lines[1]).object();
        QCOMPARE(second.value(QStringLiteral("trace_id")).toString(), QStringLiteral("t2"));
        QVERIFY(second.value(QStringLiteral("input")).isNull());
        QCOMPARE(second.value(QStringLiteral("labels")).toArray().size(), 0);
        page_->grab().save(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/tst_incidentspage.png"));
    }

    void anotherIncidentAndReload() {
        const int64_t first = *page_->currentIncident();
        const auto second =
            ws_->createIncident({"Invoices slow", IncidentSeverity::Sev4, IncidentStatus::Open, ""}, "cy",
                                QDateTime::currentMSecsSinceEpoch() + 60000);
        QVERIFY(second.has_value());
        page_->reload();
        QCOMPARE(page_->incidentModel()->rowCount(), 2);
        QCOMPARE(page_->currentIncident(), std::optional<int64_t>(first));  // the current one stays
        page_->selectIncident(*second);
        QCOMPARE(page_->titleEdit()->text(), QStringLiteral("Invoices slow"));
        QCOMPARE(page_->traceModel()->rowCount(), 0);
    }

    // The window's export on the demo: the input and output come from the source file's messages, redacted.
    void exportOnTheDemoReadsMessagesFromTheSource() {
        const QStringList demo = MainWindow::demoSources();
        QVERIFY2(!demo.isEmpty(), "the demo is generated by the build");
        MainWindow window;
        QVERIFY(window.openWorkspace(dir_.filePath(QStringLiteral("demo.sqlite"))));
        QSignalSpy loaded(&window, &MainWindow::datasetChanged);
        window.openSources(demo);
        QVERIFY(loaded.wait(60000));
        const DatasetPtr data = window.dataset();
        // The first request whose recorded messages hold an email address (the demo's made-up personal
        // details), found with a reader of its own.
        ColdDataReader reader(data);
        RequestIndex chosen;
        std::pair<std::string, std::string> expected;
        for (uint32_t r = 0; r < data->requestCount() && !chosen.isValid(); ++r) {
            expected = requestInputOutput(reader, RequestIndex{r});
            if (!expected.first.empty() && !expected.second.empty() &&
                (expected.first + expected.second).find('@') != std::string::npos) {
                chosen = RequestIndex{r};
            }
        }
        QVERIFY2(chosen.isValid(), "the demo records messages with email addresses for some requests");
        QVERIFY(redactSecrets(expected.first + expected.second) != expected.first + expected.second);
        const std::string trace(data->str(data->requests.traceId[chosen.value]));
        const auto id = window.workspace()->createIncident(
            {"Demo case", IncidentSeverity::Sev3, IncidentStatus::Open, ""}, "ana", 1);
        QVERIFY(id && window.workspace()->linkTraces(*id, {{trace, trace}}, "ana", 2));
        IncidentsPage* page = window.incidents();
        page->reload();
        page->selectIncident(*id);
        const QString path = dir_.filePath(QStringLiteral("demo-cases.jsonl"));
        QVERIFY(page->exportEvalCases(path));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray line = file.readAll().trimmed();
        const QJsonObject c = QJsonDocument::fromJson(line).object();
        QCOMPARE(c.value(QStringLiteral("trace_id")).toString(), QString::fromStdString(trace));
        QCOMPARE(c.value(QStringLiteral("input")).toString(),
                 QString::fromStdString(redactSecrets(expected.first)));
        QCOMPARE(c.value(QStringLiteral("output")).toString(),
                 QString::fromStdString(redactSecrets(expected.second)));
        const QRegularExpression email(QStringLiteral("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\\.[A-Za-z]{2,}"));
        QVERIFY2(!email.match(QString::fromUtf8(line)).hasMatch(), line.constData());

        // Opening a linked trace lands on the Traces page (once the pages have the data).
        QTRY_VERIFY_WITH_TIMEOUT(window.lastResult() != nullptr, 60000);
        window.show();
        QVERIFY(window.showPage(QStringLiteral("incidents")));
        QVERIFY(!window.traces()->isVisible());
        Q_EMIT page->traceRequested(chosen);
        QVERIFY(window.traces()->isVisible());
    }
};

QTEST_MAIN(TestIncidentsPage)
#include "tst_incidentspage.moc"
