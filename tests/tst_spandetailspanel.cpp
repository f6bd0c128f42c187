// The span details panel, offscreen, on the bundled demo and a real SDK export: what it shows is checked
// against the Dataset and the record, counted here independently; each tab is grabbed into a PNG to look at.
#include <QDir>
#include <QLabel>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <filesystem>

#include "attributetreeview.h"
#include "colddata.h"
#include "conversationview.h"
#include "format.h"
#include "sourceloader.h"
#include "spandetailspanel.h"

using namespace ps;

namespace {

const QString kShots = QStringLiteral(PROMPTSCOPE_BINARY_DIR "/screenshots");

QString qs(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

bool waitLoaded(SpanDetailsPanel& panel, QSignalSpy& spy) {
    return QTest::qWaitFor([&] { return spy.count() > 0 && !panel.isLoading(); }, 20000);
}

void grabTab(SpanDetailsPanel& panel, int tab, const QString& name) {
    panel.tabs()->setCurrentIndex(tab);
    QTest::qWait(20);
    QVERIFY(panel.grab().save(kShots + QStringLiteral("/spandetails-") + name + QStringLiteral(".png")));
}

// All the label texts under a widget, for checking what the conversation shows.
QStringList labelTexts(QWidget* w) {
    QStringList out;
    for (const QLabel* l : w->findChildren<QLabel*>()) {
        out << l->text();
    }
    return out;
}

}  // namespace

class TestSpanDetailsPanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QDir().mkpath(kShots);
        const LoadResult demo = loadSources({PROMPTSCOPE_BINARY_DIR "/demo/demo.otlp.jsonl",
                                             PROMPTSCOPE_BINARY_DIR "/demo/demo.records.jsonl"});
        QVERIFY(demo.dataset);
        demo_ = demo.dataset;
        // A support_chatbot model call that recorded its messages and asked for a tool, in a trace with
        // evals.
        ColdDataReader reader(demo_);
        const Dataset& d = *demo_;
        for (uint32_t g = 0; g < d.generationCount() && callRow_ == SpanIndex::kInvalid; ++g) {
            const uint32_t row = d.generations.span[g];
            const RequestIndex r = d.requestOfSpan(SpanIndex{row});
            if (d.str(d.requests.feature[r.value]) != "support_chatbot" ||
                d.requests.evalPass[r.value] + d.requests.evalFail[r.value] == 0) {
                continue;
            }
            const SpanDetails s = reader.readSpan(row, false);
            if (!s.messages.empty() && !s.messages.back().toolCalls.empty()) {
                callRow_ = row;
                generation_ = g;
            }
        }
        QVERIFY(callRow_ != SpanIndex::kInvalid);
    }

    void demoModelCall() {
        const Dataset& d = *demo_;
        SpanDetailsPanel panel;
        panel.resize(900, 720);
        panel.show();
        QSignalSpy loaded(&panel, &SpanDetailsPanel::detailsLoaded);
        panel.setSpan(demo_, callRow_);
        QVERIFY(panel.isLoading());
        QVERIFY(panel.headerText().contains(qs(d.str(d.spans.name[callRow_]))));
        QVERIFY(waitLoaded(panel, loaded));
        QCOMPARE(loaded.count(), 1);
        const SpanDetails* details = panel.details();
        QVERIFY(details != nullptr);
        QVERIFY2(details->ok(), details->error.c_str());

        // Header: name, kind, total and self time, status, start.
        const QString header = panel.headerText();
        QVERIFY(header.contains(QStringLiteral("LLM · client")));
        QVERIFY(header.contains(fmt::duration(static_cast<double>(d.spans.durationNs[callRow_]) / 1e6) +
                                QStringLiteral(" total")));
        QVERIFY(header.contains(QStringLiteral(" self")));
        QVERIFY(header.contains(fmt::dateTimeSeconds(d.spans.startNs[callRow_])));

        // Summary: the model call's figures, the prompt version record, the trace's evals and feedback.
        const QString summary = panel.summaryText();
        const GenerationColumns& g = d.generations;
        QVERIFY(summary.contains(qs(d.str(g.model[generation_]))));
        QVERIFY(summary.contains(QLocale().toString(g.inputTokens[generation_]) + QStringLiteral(" input")));
        QVERIFY(
            summary.contains(QLocale().toString(g.outputTokens[generation_]) + QStringLiteral(" output")));
        QVERIFY(summary.contains(fmt::usd(g.costUsd[generation_])));
        QVERIFY(summary.contains(g.costSource[generation_] == CostSource::Data
                                     ? QStringLiteral("from the data")
                                     : QStringLiteral("computed from tokens and the price table")));
        QCOMPARE(d.str(g.finishReason[generation_]), std::string_view("tool_calls"));
        QVERIFY(summary.contains(QStringLiteral("tool_calls")));
        const PromptVersionRecord* record = nullptr;
        for (const PromptVersionRecord& p : d.promptVersions) {
            if (p.prompt == g.promptName[generation_] && p.version == g.promptVersion[generation_]) {
                record = &p;
            }
        }
        QVERIFY(record != nullptr);
        QVERIFY(summary.contains(qs(d.str(record->changeNote))));
        QVERIFY(summary.contains(qs(d.str(record->deployedBy))));
        QVERIFY(summary.contains(qs(d.str(record->evalSuite))));
        const RequestIndex r = d.requestOfSpan(SpanIndex{callRow_});
        int evals = 0;
        for (size_t i = 0; i < d.evals.size(); ++i) {
            if (d.evals.request[i] == r.value) {
                ++evals;
                QVERIFY(summary.contains(qs(d.str(d.evals.name[i]))));
            }
        }
        QVERIFY(evals > 0);
        QVERIFY(summary.contains(QStringLiteral("Evals of this trace (%1)").arg(evals)));
        int signals = 0;
        for (size_t i = 0; i < d.signals.size(); ++i) {
            signals += d.signals.request[i] == r.value ? 1 : 0;
        }
        QVERIFY(summary.contains(QStringLiteral("User feedback (%1)").arg(signals)));
        QVERIFY(summary.contains(qs(details->spanId)));
        grabTab(panel, SpanDetailsPanel::SummaryTab, QStringLiteral("summary"));

        // Conversation: one block per message, showing each message's text and each tool call's arguments.
        QCOMPARE(panel.conversation()->messageCount(), static_cast<int>(details->messages.size()));
        const QStringList labels = labelTexts(panel.conversation());
        for (const ChatMessage& m : details->messages) {
            if (!m.content.empty()) {
                QVERIFY2(labels.contains(QString::fromStdString(m.content)), m.content.c_str());
            }
            for (const ToolCall& call : m.toolCalls) {
                QVERIFY(labels.contains(QString::fromStdString(call.arguments)));
                QVERIFY(call.arguments.find("\n  \"") != std::string::npos);  // formatted JSON
                QCOMPARE(call.name, std::string("crm_account_lookup"));
            }
        }
        QCOMPARE(panel.tabs()->tabText(SpanDetailsPanel::ConversationTab),
                 QStringLiteral("Conversation (%1)").arg(details->messages.size()));
        QCOMPARE(ConversationView::copyText(details->messages.front()),
                 QString::fromStdString(details->messages.front().content));
        grabTab(panel, SpanDetailsPanel::ConversationTab, QStringLiteral("conversation"));

        // Attributes: groups with their counts, and the filter.
        AttributeTreeView* attributes = panel.attributes();
        int genAi = 0;
        int resource = 0;
        int usage = 0;
        for (const DetailAttribute& a : details->attributes) {
            genAi += a.key.rfind("gen_ai.", 0) == 0 && a.group != AttributeGroup::Resource ? 1 : 0;
            resource += a.group == AttributeGroup::Resource ? 1 : 0;
            usage += QString::fromStdString(a.key + "\x1f" + a.value)
                         .contains(QStringLiteral("usage"), Qt::CaseInsensitive);
        }
        QVERIFY(genAi > 0 && resource > 0);
        QCOMPARE(attributes->visibleCount(), static_cast<int>(details->attributes.size()));
        QCOMPARE(attributes->tree()->topLevelItem(0)->text(0), QStringLiteral("GenAI (%1)").arg(genAi));
        bool resourceGroup = false;
        for (int i = 0; i < attributes->tree()->topLevelItemCount(); ++i) {
            resourceGroup |=
                attributes->tree()->topLevelItem(i)->text(0) == QStringLiteral("Resource (%1)").arg(resource);
        }
        QVERIFY(resourceGroup);
        grabTab(panel, SpanDetailsPanel::AttributesTab, QStringLiteral("attributes"));
        attributes->setFilterText(QStringLiteral("USAGE"));
        QCOMPARE(attributes->visibleCount(), usage);
        grabTab(panel, SpanDetailsPanel::AttributesTab, QStringLiteral("attributes-filtered"));
        attributes->setFilterText({});
    }

    // A real SDK export: a 429 recorded as an exception event with its stack trace.
    void exceptionWithStackTrace() {
        const LoadResult sample =
            loadSources({PROMPTSCOPE_SAMPLES_DIR "/otel-js-sdk__instrumentation-openai__chat.jsonl"});
        QVERIFY(sample.dataset);
        const Dataset& d = *sample.dataset;
        uint32_t row = SpanIndex::kInvalid;
        for (uint32_t s = 0; s < d.spanCount() && row == SpanIndex::kInvalid; ++s) {
            if (d.spans.status[s] == SpanStatus::Error &&
                d.str(d.spans.name[s]) == "support_chatbot.request") {
                row = s;
            }
        }
        QVERIFY(row != SpanIndex::kInvalid);
        SpanDetailsPanel panel;
        panel.resize(900, 600);
        panel.show();
        QSignalSpy loaded(&panel, &SpanDetailsPanel::detailsLoaded);
        panel.setSpan(sample.dataset, row);
        QVERIFY(waitLoaded(panel, loaded));
        const QString events = panel.eventsText();
        QVERIFY(events.contains(QStringLiteral("exception")));
        QVERIFY(events.contains(QStringLiteral("rate_limit_exceeded: 429 Rate limit reached")));
        QVERIFY(events.contains(QStringLiteral(
            "at APIError.generate (/srv/support-bot/node_modules/openai/core/error.js:63:20)")));
        QVERIFY(panel.headerText().contains(QStringLiteral("error: 429 Rate limit reached")));
        QCOMPARE(panel.tabs()->tabText(SpanDetailsPanel::EventsTab), QStringLiteral("Events (1)"));
        grabTab(panel, SpanDetailsPanel::EventsTab, QStringLiteral("exception"));
    }

    void vanishedSourceSaysWhy() {
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString() + "/copy.jsonl";
        std::filesystem::copy_file(PROMPTSCOPE_SAMPLES_DIR "/otel-js-sdk__instrumentation-openai__chat.jsonl",
                                   path);
        const LoadResult copy = loadSources({path});
        QVERIFY(copy.dataset);
        std::filesystem::remove(path);
        SpanDetailsPanel panel;
        QSignalSpy loaded(&panel, &SpanDetailsPanel::detailsLoaded);
        panel.setSpan(copy.dataset, 0);
        QVERIFY(waitLoaded(panel, loaded));
        QVERIFY(!panel.details()->ok());
        QVERIFY(panel.summaryText().contains(QStringLiteral("the source file is gone")));
        QVERIFY(panel.eventsText().contains(QStringLiteral("Not available")));
        QVERIFY(panel.headerText().contains(qs(copy.dataset->str(copy.dataset->spans.name[0]))));
    }

    void newerSpanSupersedesARunningRead() {
        SpanDetailsPanel panel;
        QSignalSpy loaded(&panel, &SpanDetailsPanel::detailsLoaded);
        panel.setSpan(demo_, 0);
        panel.setSpan(demo_, callRow_);
        QVERIFY(waitLoaded(panel, loaded));
        QTest::qWait(100);  // the first read's result, if it comes, is dropped
        QCOMPARE(loaded.count(), 1);
        QCOMPARE(panel.spanRow(), callRow_);
        QCOMPARE(panel.details()->name, std::string(demo_->str(demo_->spans.name[callRow_])));
        panel.clear();
        QVERIFY(panel.details() == nullptr);
        QVERIFY(panel.headerText().contains(QStringLiteral("No span selected")));
    }

private:
    DatasetPtr demo_;
    uint32_t callRow_ = SpanIndex::kInvalid;
    uint32_t generation_ = 0;
};

QTEST_MAIN(TestSpanDetailsPanel)
#include "tst_spandetailspanel.moc"
