#include "requestsummary.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

#include "format.h"

namespace ps {
namespace {

QString escaped(std::string_view text) {
    return QString::fromUtf8(text).toHtmlEscaped();
}

QString orDash(std::string_view text) {
    return text.empty() ? QStringLiteral("–") : escaped(text);
}

QString row(const QString& name, const QString& value) {
    return QStringLiteral("<tr><td style='color:#667; padding-right:12px'>%1</td><td>%2</td></tr>")
        .arg(name, value);
}

}  // namespace

QString requestSummaryHtml(const Dataset& d, RequestIndex request) {
    if (!request.isValid() || request.value >= d.requestCount()) {
        return QObject::tr("<p>This trace is not in the loaded data.</p>");
    }
    const RequestColumns& q = d.requests;
    const uint32_t r = request.value;
    const QLocale locale;
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='2'>");
    html += row(QObject::tr("Trace"), QStringLiteral("<b>%1</b>").arg(escaped(d.str(q.traceId[r]))));
    html += row(QObject::tr("Time"), fmt::dateTimeSeconds(q.startNs[r]) + QStringLiteral(" UTC"));
    html += row(QObject::tr("Feature"), orDash(d.str(q.feature[r])));
    QString prompt = orDash(d.str(q.promptName[r]));
    if (!q.promptVersion[r].isEmpty()) {
        prompt += QStringLiteral(" <b>v%1</b>").arg(escaped(d.str(q.promptVersion[r])));
    }
    html += row(QObject::tr("Prompt"), prompt);
    QString model = orDash(d.str(q.model[r]));
    if (!q.provider[r].isEmpty()) {
        model += QStringLiteral(" (%1)").arg(escaped(d.str(q.provider[r])));
    }
    html += row(QObject::tr("Model"), model);
    html += row(QObject::tr("Environment"), orDash(d.str(q.environment[r])));
    html += row(QObject::tr("Latency"), fmt::duration(static_cast<double>(q.durationNs[r]) / 1e6));
    html += row(QObject::tr("Cost"), fmt::usd(q.costUsd[r]));
    html += row(QObject::tr("Tokens"),
                QObject::tr("%1 in, %2 out")
                    .arg(locale.toString(q.inputTokens[r]), locale.toString(q.outputTokens[r])));
    html += row(QObject::tr("Tool calls"), locale.toString(q.toolCalls[r]));
    QString outcome = (q.flags[r] & kRequestError)
                          ? QStringLiteral("<span style='color:#c62828'><b>%1</b> (%2)</span>")
                                .arg(QObject::tr("error"), escaped(errorClassName(q.errorClass[r])))
                          : QObject::tr("ok");
    if (q.flags[r] & kRequestRefusal) {
        outcome += QObject::tr(", refused");
    }
    if (!q.finishReason[r].isEmpty()) {
        outcome += QObject::tr(", finished: %1").arg(escaped(d.str(q.finishReason[r])));
    }
    html += row(QObject::tr("Outcome"), outcome);

    // The builder writes evals request by request in request order, so one request's evals are a contiguous
    // run.
    const auto& er = d.evals.request;
    const auto [first, last] = std::equal_range(er.begin(), er.end(), r);
    QStringList evals;
    for (auto it = first; it != last; ++it) {
        const auto i = static_cast<size_t>(it - er.begin());
        QString text = escaped(d.str(d.evals.name[i]));
        if (!std::isnan(d.evals.score[i])) {
            text += QStringLiteral(" %1").arg(d.evals.score[i], 0, 'g', 3);
        }
        if (d.evals.outcome[i] == EvalOutcome::Fail) {
            text = QStringLiteral("<span style='color:#c62828'>%1 ✗</span>").arg(text);
        } else if (d.evals.outcome[i] == EvalOutcome::Pass) {
            text += QStringLiteral(" ✓");
        }
        evals << text;
    }
    html +=
        row(QObject::tr("Evals"), evals.isEmpty() ? QStringLiteral("–") : evals.join(QStringLiteral(", ")));

    const std::pair<RequestFlag, const char*> feedbackFlags[] = {{kRequestThumbsUp, "thumbs up"},
                                                                 {kRequestThumbsDown, "thumbs down"},
                                                                 {kRequestCorrection, "correction"},
                                                                 {kRequestFollowUp, "follow-up"},
                                                                 {kRequestAbandoned, "abandoned"}};
    QStringList feedback;
    for (const auto& [flag, name] : feedbackFlags) {
        if (q.flags[r] & flag) {
            feedback << (flag == kRequestThumbsDown
                             ? QStringLiteral("<span style='color:#c62828'>%1</span>").arg(QObject::tr(name))
                             : QObject::tr(name));
        }
    }
    html += row(QObject::tr("Feedback"),
                feedback.isEmpty() ? QStringLiteral("–") : feedback.join(QStringLiteral(", ")));
    html += QStringLiteral("</table>");
    return html;
}

}  // namespace ps
