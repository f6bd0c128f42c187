// The window offscreen: opens a real export, shows its figures and parse issues, and renders to a PNG.
#include <QApplication>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

#include "kpitile.h"
#include "mainwindow.h"

class TestMainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("PromptScopeTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    }

    void opensAnExportAndShowsItsFigures() {
        ps::MainWindow window;
        window.resize(1400, 900);
        window.show();
        QSignalSpy changed(&window, &ps::MainWindow::datasetChanged);
        window.openSources({QStringLiteral(PROMPTSCOPE_SAMPLES_DIR "/otel-js-sdk__instrumentation-openai__chat.jsonl")});
        QVERIFY(changed.wait(20000));
        QCOMPARE(window.dataset()->requestCount(), size_t{24});
        const auto labels = window.statusBar()->findChildren<QLabel*>();
        bool summary = false;
        for (QLabel* l : labels) {
            summary |= l->text().contains(QStringLiteral("48 spans")) && l->text().contains(QStringLiteral("24 requests"));
        }
        QVERIFY(summary);
        auto* table = window.findChild<QTableWidget*>();
        QVERIFY(table);
        QTRY_COMPARE(table->rowCount(), 2);  // prompt versions 42 and 43
        QStringList keys = {table->item(0, 0)->text(), table->item(1, 0)->text()};
        keys.sort();
        QCOMPARE(keys, (QStringList{QStringLiteral("42"), QStringLiteral("43")}));
        const QString png = QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots/window-overview.png");
        QDir().mkpath(QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots"));
        QVERIFY(window.grab().save(png));
    }

    void showsParseIssuesAndSurvivesBadFiles() {
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString() + "/bad.jsonl";
        std::ofstream(path) << "{\"resourceSpans\":[]}\n{broken\n";
        ps::MainWindow window;
        window.show();
        QSignalSpy changed(&window, &ps::MainWindow::datasetChanged);
        window.openSources({QString::fromStdString(path)});
        QVERIFY(changed.wait(20000));
        QCOMPARE(window.dataset()->issueCount, uint64_t{1});
        bool issueButton = false;
        for (QPushButton* b : window.statusBar()->findChildren<QPushButton*>()) {
            issueButton |= b->isVisible() && b->text().contains(QStringLiteral("1 parse issue"));
        }
        QVERIFY(issueButton);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
