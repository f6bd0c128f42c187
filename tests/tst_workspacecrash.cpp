// Crash safety of the workspace: a child process (this test run again with --write-labels) sets labels in a
// loop and reports each one on stdout once setLabel has committed it; the parent kills the child with SIGKILL
// at random moments (sometimes while it opens or creates the file, mostly in the middle of its writes), then
// reopens the workspace and checks that every reported label is there with its value and that integrity_check
// says ok. PROMPTSCOPE_CRASH_SEED=N repeats a run's kill times.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <map>
#include <string>
#include <unistd.h>

#include "workspace.h"

using namespace ps;

namespace {

constexpr int kRounds = 40;

// The i-th write of a round: most create a new label, every fourth changes one written earlier in the round,
// so that the check also covers replaced values. Quotes and non-ASCII in the note keep the binding honest.
LabelChange plannedWrite(int round, int i) {
    LabelChange c;
    const int target = i % 4 == 3 ? i / 2 : i;
    c.traceId = "r" + std::to_string(round) + "-t" + std::to_string(target);
    c.requestId = c.traceId;
    c.label = static_cast<ReviewLabel>((i * 7 + round) % kReviewLabelCount);
    c.note = "write " + std::to_string(i) + " — it's \"noted\"";
    c.reviewer = "crash-test";
    c.timeMs = 1000LL * round + i;
    c.fromQueue = i % 3 == 0;
    c.reasons = "failed_eval";
    return c;
}

// The child: writes until killed. A report is one whole line, written with one write() after the commit.
int writeLabels(const char* path, int round) {
    std::string error;
    auto ws = Workspace::open(path, &error);
    if (!ws) {
        fprintf(stderr, "child: %s\n", error.c_str());
        return 2;
    }
    for (int i = 0;; ++i) {
        if (!ws->setLabel(plannedWrite(round, i))) {
            fprintf(stderr, "child: %s\n", ws->lastError().c_str());
            return 3;
        }
        const std::string line = std::to_string(i) + "\n";
        if (::write(STDOUT_FILENO, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
            return 4;
        }
    }
}

}  // namespace

class TestWorkspaceCrash : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyReportedLabelSurvivesSigkill() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("crash.sqlite"));
        const quint32 seed =
            qEnvironmentVariableIsSet("PROMPTSCOPE_CRASH_SEED")
                ? static_cast<quint32>(qEnvironmentVariableIntValue("PROMPTSCOPE_CRASH_SEED"))
                : QRandomGenerator::global()->generate();
        qInfo("seed %u (set PROMPTSCOPE_CRASH_SEED to repeat)", seed);
        QRandomGenerator random(seed);
        int totalReported = 0;
        int killedWhileWriting = 0;
        for (int round = 0; round < kRounds; ++round) {
            QProcess child;
            child.setProcessChannelMode(QProcess::SeparateChannels);
            child.start(QCoreApplication::applicationFilePath(),
                        {QStringLiteral("--write-labels"), path, QString::number(round)});
            QVERIFY(child.waitForStarted());
            QByteArray out;
            QElapsedTimer clock;
            clock.start();
            // One round in four is killed early, whatever the child is doing (starting, opening, creating the
            // schema, its first commit); the others once the child has committed something.
            const bool early = random.bounded(4) == 0;
            const int delayMs =
                early ? static_cast<int>(random.bounded(25)) : static_cast<int>(random.bounded(60));
            if (!early) {
                while (!out.contains('\n') && clock.elapsed() < 10000 && child.state() == QProcess::Running) {
                    child.waitForReadyRead(50);
                    out += child.readAllStandardOutput();
                }
                QVERIFY2(out.contains('\n'), child.readAllStandardError().constData());
                clock.restart();
            }
            while (clock.elapsed() < delayMs && child.state() == QProcess::Running) {
                child.waitForReadyRead(1);
                out += child.readAllStandardOutput();
            }
            QVERIFY2(child.state() == QProcess::Running, child.readAllStandardError().constData());
            ::kill(static_cast<pid_t>(child.processId()), SIGKILL);
            QVERIFY(child.waitForFinished(5000));
            QCOMPARE(child.exitStatus(), QProcess::CrashExit);
            out += child.readAllStandardOutput();  // what was in the pipe when the child died

            // Only whole lines are reports; a write cut by the kill was never reported.
            int reported = 0;
            const qsizetype lastNewline = out.lastIndexOf('\n');
            const QList<QByteArray> lines =
                lastNewline < 0 ? QList<QByteArray>{} : out.left(lastNewline).split('\n');
            for (const QByteArray& line : lines) {
                QCOMPARE(line.toInt(), reported);  // reports come in order, none missing
                ++reported;
            }
            totalReported += reported;
            killedWhileWriting += reported > 0 ? 1 : 0;
            checkRound(path, round, reported);
            if (QTest::currentTestFailed()) {
                qInfo("round %d, %d labels reported, killed %d ms after %s (seed %u)", round, reported,
                      delayMs, early ? "start" : "the first report", seed);
                return;
            }
        }
        qInfo("%d rounds, %d killed after committing, %d labels reported and found", kRounds,
              killedWhileWriting, totalReported);
        QVERIFY(killedWhileWriting >= kRounds / 2);
    }

private:
    // Replays the reported writes; the write after the last report may or may not have been committed.
    void checkRound(const QString& path, int round, int reported) {
        std::map<std::string, ReviewLabel> expected;
        for (int i = 0; i < reported; ++i) {
            const LabelChange c = plannedWrite(round, i);
            expected[c.traceId] = c.label;
        }
        const LabelChange inFlight = plannedWrite(round, reported);
        std::string error;
        auto ws = Workspace::open(path.toStdString(), &error);
        QVERIFY2(ws, error.c_str());
        QCOMPARE(ws->integrityCheck(), std::string("ok"));
        const std::string prefix = "r" + std::to_string(round) + "-";
        size_t found = 0;
        for (const LabelRecord& l : ws->labels()) {
            if (l.traceId.rfind(prefix, 0) != 0) {
                continue;
            }
            ++found;
            const auto it = expected.find(l.traceId);
            const bool isInFlight = l.traceId == inFlight.traceId && l.label == inFlight.label;
            QVERIFY2((it != expected.end() && it->second == l.label) || isInFlight,
                     qPrintable(QStringLiteral("round %1: %2 has an unexpected label").arg(round).arg(
                         QString::fromStdString(l.traceId))));
        }
        for (const auto& [trace, label] : expected) {
            const auto read = ws->label(trace);
            QVERIFY2(read.has_value(), qPrintable(QStringLiteral("round %1: reported label of %2 is missing")
                                                      .arg(round)
                                                      .arg(QString::fromStdString(trace))));
            QVERIFY(read->label == label || (trace == inFlight.traceId && read->label == inFlight.label));
        }
        QVERIFY(found == expected.size() ||
                (found == expected.size() + 1 && !expected.count(inFlight.traceId)));
    }
};

int main(int argc, char** argv) {
    if (argc == 4 && std::string(argv[1]) == "--write-labels") {
        return writeLabels(argv[2], std::atoi(argv[3]));
    }
    QCoreApplication app(argc, argv);
    TestWorkspaceCrash test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_workspacecrash.moc"
