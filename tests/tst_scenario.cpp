// tracegen's output: deterministic, well-formed, and holding the stories the demo promises. The story figures are
// computed here by loading tracegen's files through the readers, and the request-log output is checked against
// the OTLP output of the same seed.
#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstdint>
#include <map>
#include <unordered_map>

#include "percentile.h"
#include "sourceloader.h"

namespace {

const QString kTracegen = QStringLiteral(PROMPTSCOPE_BINARY_DIR "/app/tracegen");

bool run(const QStringList& args) {
    QProcess p;
    p.start(kTracegen, args);
    return p.waitForFinished(300000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

QByteArray digest(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        return {};
    }
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return h.result();
}

std::string str(const ps::Dataset& d, ps::StringId id) {
    return std::string(d.str(id));
}

constexpr int64_t kMinuteNs = 60LL * 1000000000;

// The request-log finish reason that stands for an OTLP one (the last model call's).
std::string requestLogFinish(const std::string& otlp) {
    return otlp == "tool_calls"       ? "tool_use"
           : otlp == "length"         ? "max_tokens"
           : otlp == "content_filter" ? "refusal"
                                      : "end_turn";
}

// Which services carry message content on their model calls, by the key each vocabulary uses.
std::map<QString, int> contentBySpanService(const QString& path) {
    std::map<QString, int> found;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        return found;
    }
    while (!f.atEnd()) {
        const QJsonObject req = QJsonDocument::fromJson(f.readLine()).object();
        for (const QJsonValue& rs : req[QStringLiteral("resourceSpans")].toArray()) {
            QString service;
            for (const QJsonValue& a : rs[QStringLiteral("resource")][QStringLiteral("attributes")].toArray()) {
                if (a[QStringLiteral("key")].toString() == QLatin1String("service.name")) {
                    service = a[QStringLiteral("value")][QStringLiteral("stringValue")].toString();
                }
            }
            for (const QJsonValue& ss : rs[QStringLiteral("scopeSpans")].toArray()) {
                for (const QJsonValue& s : ss[QStringLiteral("spans")].toArray()) {
                    for (const QJsonValue& a : s[QStringLiteral("attributes")].toArray()) {
                        const QString key = a[QStringLiteral("key")].toString();
                        if (key == QLatin1String("gen_ai.input.messages") || key == QLatin1String("gen_ai.prompt.0.content") ||
                            key == QLatin1String("llm.input_messages.0.message.content")) {
                            ++found[service];
                        }
                    }
                }
            }
        }
    }
    return found;
}

}  // namespace

class TestScenario : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    ps::DatasetPtr story_;

    QString path(const char* name) const { return dir_.path() + QLatin1Char('/') + QLatin1String(name); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(run({QStringLiteral("--requests"), QStringLiteral("30000"), QStringLiteral("--seed"), QStringLiteral("5"),
                     QStringLiteral("--format"), QStringLiteral("otlp"), QStringLiteral("--out"), path("story.otlp.jsonl")}));
        ps::LoadResult r = ps::loadSources({path("story.otlp.jsonl").toStdString(), path("story.records.jsonl").toStdString()});
        QVERIFY2(r.dataset, r.error.c_str());
        story_ = r.dataset;
    }

    void deterministic() {
        const QStringList base = {QStringLiteral("--requests"), QStringLiteral("500"), QStringLiteral("--format"),
                                  QStringLiteral("otlp"), QStringLiteral("--no-records")};
        QVERIFY(run(base + QStringList{QStringLiteral("--seed"), QStringLiteral("1"), QStringLiteral("--out"), path("a.jsonl")}));
        QVERIFY(run(base + QStringList{QStringLiteral("--seed"), QStringLiteral("1"), QStringLiteral("--out"), path("b.jsonl")}));
        QVERIFY(run(base + QStringList{QStringLiteral("--seed"), QStringLiteral("2"), QStringLiteral("--out"), path("c.jsonl")}));
        QCOMPARE(digest(path("a.jsonl")), digest(path("b.jsonl")));
        QVERIFY(digest(path("a.jsonl")) != digest(path("c.jsonl")));
    }

    void collectorShapeAndSaneTrees() {
        QFile f(path("a.jsonl"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        std::map<QString, std::map<QString, std::pair<qint64, qint64>>> spansByTrace;  // trace -> span -> (start, end)
        std::map<QString, QString> parentOf;
        int lines = 0;
        while (!f.atEnd()) {
            const QByteArray line = f.readLine();
            QJsonParseError error{};
            const QJsonObject req = QJsonDocument::fromJson(line, &error).object();
            QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
            ++lines;
            for (const QJsonValue& rs : req[QStringLiteral("resourceSpans")].toArray()) {
                QVERIFY(rs[QStringLiteral("resource")][QStringLiteral("attributes")].isArray());
                for (const QJsonValue& ss : rs[QStringLiteral("scopeSpans")].toArray()) {
                    for (const QJsonValue& s : ss[QStringLiteral("spans")].toArray()) {
                        const QString trace = s[QStringLiteral("traceId")].toString();
                        const QString id = s[QStringLiteral("spanId")].toString();
                        QCOMPARE(trace.size(), 32);
                        QCOMPARE(id.size(), 16);
                        spansByTrace[trace][id] = {s[QStringLiteral("startTimeUnixNano")].toString().toLongLong(),
                                                   s[QStringLiteral("endTimeUnixNano")].toString().toLongLong()};
                        if (s.toObject().contains(QStringLiteral("parentSpanId"))) {
                            parentOf[trace + id] = s[QStringLiteral("parentSpanId")].toString();
                        }
                    }
                }
            }
        }
        QVERIFY(lines > 5);
        QCOMPARE(spansByTrace.size(), size_t{500});
        for (const auto& [key, parent] : parentOf) {
            const QString trace = key.left(32);
            const auto& spans = spansByTrace[trace];
            const auto p = spans.find(parent);
            QVERIFY2(p != spans.end(), qPrintable(key));
            const auto& child = spans.at(key.mid(32));
            QVERIFY(child.first >= p->second.first && child.second <= p->second.second);
        }
    }

    void canaryShareAndFailures() {
        const ps::Dataset& d = *story_;
        QCOMPARE(d.issueCount, uint64_t{0});
        QCOMPARE(d.requestCount(), size_t{30000});
        const int64_t day = 86400LL * 1000000000;
        const int64_t start = d.requests.startNs.front() - d.requests.startNs.front() % day;
        int64_t early[2] = {0, 0};
        int64_t late[2] = {0, 0};
        int64_t count[2] = {0, 0};
        int64_t failed[2] = {0, 0};
        std::vector<double> cost[2];
        for (uint32_t r = 0; r < d.requestCount(); ++r) {
            if (str(d, d.requests.feature[r]) != "support_chatbot") {
                continue;
            }
            const int64_t t = d.requests.startNs[r] - start;
            const bool v43 = str(d, d.requests.promptVersion[r]) == "43";
            if (t >= 7 * day + 10 * 3600LL * 1000000000 && t < 10 * day + 8 * 3600LL * 1000000000) {
                ++early[v43];
            } else if (t >= 10 * day + 10 * 3600LL * 1000000000) {
                ++late[v43];
            }
            if (t >= 7 * day + 9 * 3600LL * 1000000000) {
                ++count[v43];
                failed[v43] += (d.requests.flags[r] & ps::kRequestError) || d.requests.evalFail[r] > 0;
                cost[v43].push_back(d.requests.costUsd[r]);
            }
        }
        const double earlyShare = double(early[1]) / double(early[0] + early[1]);
        const double lateShare = double(late[1]) / double(late[0] + late[1]);
        QVERIFY2(earlyShare > 0.03 && earlyShare < 0.07, qPrintable(QString::number(earlyShare)));
        QVERIFY2(lateShare > 0.21 && lateShare < 0.29, qPrintable(QString::number(lateShare)));
        // Since the canary started, on the same feature: v43 fails about twice as often and costs ~30% more at p95.
        const double ratio = (double(failed[1]) / count[1]) / (double(failed[0]) / count[0]);
        QVERIFY2(ratio > 1.6 && ratio < 2.6, qPrintable(QString::number(ratio)));
        const double costRatio = ps::summarize(cost[1]).p95 / ps::summarize(cost[0]).p95;
        QVERIFY2(costRatio > 1.15 && costRatio < 1.5, qPrintable(QString::number(costRatio)));
    }

    // Consecutive requests of one user within half an hour share a session: a few requests each.
    void sessions() {
        const ps::Dataset& d = *story_;
        struct Session {
            ps::StringId user;
            int64_t first = 0;
            int64_t last = 0;
        };
        std::unordered_map<ps::StringId, Session> sessions;
        for (uint32_t r = 0; r < d.requestCount(); ++r) {
            QVERIFY(!d.requests.session[r].isEmpty());
            auto [it, fresh] = sessions.try_emplace(d.requests.session[r]);
            if (fresh) {
                it->second.user = d.requests.user[r];
                it->second.first = d.requests.startNs[r];
            }
            QVERIFY2(it->second.user == d.requests.user[r], "a session has one user");
            it->second.last = d.requests.startNs[r];
        }
        int64_t longest = 0;
        for (const auto& [id, s] : sessions) {
            longest = std::max(longest, s.last - s.first);
        }
        QVERIFY2(longest <= 30 * kMinuteNs, qPrintable(QString::number(double(longest) / kMinuteNs)));
        const double mean = double(d.requestCount()) / double(sessions.size());
        QVERIFY2(mean > 2.5 && mean < 6, qPrintable(QString::number(mean)));
    }

    // A model call followed by tool calls (before any other model call) finishes with tool_calls, and only then.
    void toolCallFinishReasons() {
        const ps::Dataset& d = *story_;
        std::map<std::string, int> asked;
        for (uint32_t r = 0; r < d.requestCount(); ++r) {
            const uint32_t s0 = d.requests.firstSpan[r];
            const uint32_t s1 = d.spanEnd(ps::RequestIndex{r});
            for (uint32_t g = d.requests.firstGeneration[r]; g < d.generationEnd(ps::RequestIndex{r}); ++g) {
                const uint32_t span = d.generations.span[g];
                const int64_t end = d.spans.startNs[span] + d.spans.durationNs[span];
                uint32_t next = UINT32_MAX;
                for (uint32_t s = s0; s < s1; ++s) {
                    const ps::SpanKind k = d.spans.kind[s];
                    if ((k == ps::SpanKind::Llm || k == ps::SpanKind::Tool) && s != span && d.spans.startNs[s] >= end &&
                        (next == UINT32_MAX || d.spans.startNs[s] < d.spans.startNs[next])) {
                        next = s;
                    }
                }
                const bool toolFollows = next != UINT32_MAX && d.spans.kind[next] == ps::SpanKind::Tool;
                const bool toolCalls = str(d, d.generations.finishReason[g]) == "tool_calls";
                QVERIFY2(toolCalls == toolFollows, qPrintable(QString::fromStdString(str(d, d.requests.traceId[r]))));
                asked[str(d, d.requests.feature[r])] += toolCalls;
            }
        }
        for (const char* feature : {"support_chatbot", "invoice_parser", "sales_email_writer"}) {
            QVERIFY2(asked[feature] > 100, feature);
        }
    }

    void enterpriseInvoiceTail() {
        const ps::Dataset& d = *story_;
        std::vector<double> ms;
        std::string tierOf;
        for (uint32_t r = 0; r < d.requestCount(); ++r) {
            if (str(d, d.requests.feature[r]) == "invoice_parser") {
                // The tier sits on the root span; tenants carry it in the tenant table too.
                const std::string tenant = str(d, d.requests.tenant[r]);
                for (const auto& t : d.tenants) {
                    if (str(d, t.tenant) == tenant && str(d, t.tier) == "enterprise") {
                        ms.push_back(double(d.requests.durationNs[r]) / 1e6);
                    }
                }
            }
        }
        QVERIFY(ms.size() > 300);
        const ps::DistributionSummary s = ps::summarize(ms);
        QVERIFY2(s.p50 > 900 && s.p50 < 1600, qPrintable(QString::number(s.p50)));
        QVERIFY2(s.p99 > 18000 && s.p99 < 40000, qPrintable(QString::number(s.p99)));
    }

    // sales_email_writer: explicit feedback is glowing, yet about 40% of sessions end abandoned (signalled on the
    // session's last request, so per request the share is lower).
    void survivorshipBias() {
        const ps::Dataset& d = *story_;
        int64_t up = 0, down = 0, abandoned = 0, requests = 0;
        struct Session {
            int abandoned = 0;
            bool lastAbandoned = false;
        };
        std::unordered_map<ps::StringId, Session> sessions;
        for (uint32_t r = 0; r < d.requestCount(); ++r) {
            if (str(d, d.requests.feature[r]) != "sales_email_writer") {
                continue;
            }
            ++requests;
            up += (d.requests.flags[r] & ps::kRequestThumbsUp) != 0;
            down += (d.requests.flags[r] & ps::kRequestThumbsDown) != 0;
            const bool gone = (d.requests.flags[r] & ps::kRequestAbandoned) != 0;
            abandoned += gone;
            Session& s = sessions[d.requests.session[r]];
            s.abandoned += gone;
            s.lastAbandoned = gone;  // requests are in start order
        }
        QVERIFY(requests > 3000);
        const double upShare = double(up) / double(up + down);
        QVERIFY2(upShare >= 0.85 && upShare <= 0.95, qPrintable(QString::number(upShare)));
        int64_t abandonedSessions = 0;
        for (const auto& [id, s] : sessions) {
            QVERIFY2(s.abandoned <= 1, "one abandonment per session");
            QVERIFY2(s.abandoned == 0 || s.lastAbandoned, "abandoned on the session's last request");
            abandonedSessions += s.abandoned;
        }
        const double perSession = double(abandonedSessions) / double(sessions.size());
        const double perRequest = double(abandoned) / double(requests);
        QVERIFY2(perSession >= 0.35 && perSession <= 0.45, qPrintable(QString::number(perSession)));
        QVERIFY2(perRequest >= 0.06 && perRequest <= 0.18, qPrintable(QString::number(perRequest)));
        QCOMPARE(d.promptVersions.size(), size_t{7});
        QCOMPARE(d.deployments.size(), size_t{5});
    }

    void requestLogMatchesOtlp() {
        const QStringList base = {QStringLiteral("--requests"), QStringLiteral("2000"), QStringLiteral("--seed"), QStringLiteral("9")};
        QVERIFY(run(base + QStringList{QStringLiteral("--format"), QStringLiteral("otlp"), QStringLiteral("--no-records"),
                                       QStringLiteral("--out"), path("m.otlp.jsonl")}));
        QVERIFY(run(base + QStringList{QStringLiteral("--format"), QStringLiteral("jsonl"), QStringLiteral("--out"), path("m.jsonl")}));
        ps::LoadResult otlp = ps::loadSources({path("m.otlp.jsonl").toStdString()});
        ps::LoadResult log = ps::loadSources({path("m.jsonl").toStdString()});
        QVERIFY(otlp.dataset && log.dataset);
        QCOMPARE(log.dataset->issueCount, uint64_t{0});
        QCOMPARE(otlp.dataset->requestCount(), log.dataset->requestCount());
        uint64_t inA = 0, inB = 0, outA = 0, outB = 0;
        int toolUse = 0, endTurn = 0;
        for (uint32_t r = 0; r < otlp.dataset->requestCount(); ++r) {
            inA += otlp.dataset->requests.inputTokens[r];
            outA += otlp.dataset->requests.outputTokens[r];
            const std::string trace = str(*otlp.dataset, otlp.dataset->requests.traceId[r]);
            const uint32_t other = log.dataset->findRequest(trace).value;
            QVERIFY(other != ps::RequestIndex::kInvalid);
            QCOMPARE(otlp.dataset->requests.durationNs[r] / 1000, log.dataset->requests.durationNs[other] / 1000);
            // The request log's finish reason is the last model call's, in its own vocabulary.
            const std::string logFinish = str(*log.dataset, log.dataset->requests.finishReason[other]);
            const std::string expected = (otlp.dataset->requests.flags[r] & ps::kRequestError)
                                             ? "error"
                                             : requestLogFinish(str(*otlp.dataset, otlp.dataset->requests.finishReason[r]));
            QCOMPARE(logFinish, expected);
            toolUse += logFinish == "tool_use";
            endTurn += logFinish == "end_turn";
        }
        QVERIFY(toolUse > 200);
        QVERIFY(endTurn > 200);
        for (uint32_t r = 0; r < log.dataset->requestCount(); ++r) {
            inB += log.dataset->requests.inputTokens[r];
            outB += log.dataset->requests.outputTokens[r];
        }
        QCOMPARE(inA, inB);
        QCOMPARE(outA, outB);
    }

    // Message content on model calls of every feature, drawn from its own random stream: the content rate changes
    // nothing else.
    void contentRateChangesNothingElse() {
        const QStringList base = {QStringLiteral("--requests"), QStringLiteral("3000"), QStringLiteral("--seed"), QStringLiteral("4"),
                                  QStringLiteral("--format"), QStringLiteral("otlp"), QStringLiteral("--no-records")};
        QVERIFY(run(base + QStringList{QStringLiteral("--content-rate"), QStringLiteral("0"), QStringLiteral("--out"), path("c0.jsonl")}));
        QVERIFY(run(base + QStringList{QStringLiteral("--content-rate"), QStringLiteral("0.5"), QStringLiteral("--out"), path("c5.jsonl")}));
        ps::LoadResult a = ps::loadSources({path("c0.jsonl").toStdString()});
        ps::LoadResult b = ps::loadSources({path("c5.jsonl").toStdString()});
        QVERIFY(a.dataset && b.dataset);
        QCOMPARE(b.dataset->issueCount, uint64_t{0});
        QCOMPARE(a.dataset->requestCount(), b.dataset->requestCount());
        QCOMPARE(a.dataset->spanCount(), b.dataset->spanCount());
        for (uint32_t r = 0; r < a.dataset->requestCount(); ++r) {
            QCOMPARE(str(*a.dataset, a.dataset->requests.traceId[r]), str(*b.dataset, b.dataset->requests.traceId[r]));
            QCOMPARE(a.dataset->requests.durationNs[r], b.dataset->requests.durationNs[r]);
            QCOMPARE(a.dataset->requests.inputTokens[r], b.dataset->requests.inputTokens[r]);
            QCOMPARE(a.dataset->requests.outputTokens[r], b.dataset->requests.outputTokens[r]);
            QCOMPARE(a.dataset->requests.flags[r], b.dataset->requests.flags[r]);
        }
        QVERIFY(contentBySpanService(path("c0.jsonl")).empty());
        const std::map<QString, int> content = contentBySpanService(path("c5.jsonl"));
        for (const char* service : {"support-bot", "invoice-service", "sales-assistant"}) {
            const auto it = content.find(QLatin1String(service));
            QVERIFY2(it != content.end() && it->second > 100, service);
        }
    }

    void bigTrace() {
        QVERIFY(run({QStringLiteral("--traces"), QStringLiteral("1"), QStringLiteral("--spans-per-trace"), QStringLiteral("100000"),
                     QStringLiteral("--seed"), QStringLiteral("3"), QStringLiteral("--format"), QStringLiteral("otlp"),
                     QStringLiteral("--out"), path("big.otlp.jsonl")}));
        ps::LoadResult r = ps::loadSources({path("big.otlp.jsonl").toStdString()});
        QVERIFY(r.dataset);
        QCOMPARE(r.dataset->requestCount(), size_t{1});
        QCOMPARE(r.dataset->spanCount(), size_t{100000});
        QCOMPARE(r.dataset->stats.orphanSpans, uint64_t{0});
        QCOMPARE(r.dataset->issueCount, uint64_t{0});
    }

    void badArguments() {
        QProcess p;
        p.start(kTracegen, {QStringLiteral("--requests"), QStringLiteral("-5")});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY(p.readAllStandardError().contains("--requests"));
    }
};

QTEST_GUILESS_MAIN(TestScenario)
#include "tst_scenario.moc"
