#include "spandetailshtml.h"

#include <QLocale>
#include <QObject>
#include <cmath>

#include "format.h"

namespace ps {
namespace {

QString esc(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())).toHtmlEscaped();
}

QString esc(const Dataset& d, StringId id) {
    return esc(d.str(id));
}

QString orDash(const QString& s) {
    return s.isEmpty() ? QStringLiteral("–") : s;
}

QString row(const QString& label, const QString& value) {
    return QStringLiteral("<tr><td style='color:#5f6368; padding-right:12px'>%1</td><td>%2</td></tr>")
        .arg(label, value);
}

QString section(const QString& title) {
    return QStringLiteral("<h3 style='margin-top:14px; margin-bottom:4px'>%1</h3>").arg(title);
}

QString ms(int64_t ns) {
    return fmt::duration(static_cast<double>(ns) / 1e6);
}

QString timeWithMs(int64_t ns) {
    const int64_t millis = (ns / 1000000) % 1000;
    return fmt::dateTimeSeconds(ns) + QStringLiteral(".%1").arg(millis, 3, 10, QLatin1Char('0'));
}

QString costSourceText(CostSource source) {
    switch (source) {
        case CostSource::Data:
            return QObject::tr("from the data");
        case CostSource::Pricing:
            return QObject::tr("computed from tokens and the price table");
        case CostSource::None:
            break;
    }
    return QObject::tr("unknown: no cost in the data and no price for the model");
}

QString modelCallHtml(const Dataset& d, uint32_t g) {
    const GenerationColumns& gc = d.generations;
    const QLocale locale;
    QString html = section(QObject::tr("Model call")) + QStringLiteral("<table>");
    html += row(QObject::tr("Model"), orDash(esc(d, gc.model[g])));
    html += row(QObject::tr("Provider"), orDash(esc(d, gc.provider[g])));
    QString tokens = QObject::tr("%1 input").arg(locale.toString(gc.inputTokens[g]));
    if (gc.cachedTokens[g] != 0) {
        tokens += QObject::tr(" (%1 cached)").arg(locale.toString(gc.cachedTokens[g]));
    }
    tokens += QObject::tr(", %1 output").arg(locale.toString(gc.outputTokens[g]));
    if (gc.reasoningTokens[g] != 0) {
        tokens += QObject::tr(" (%1 reasoning)").arg(locale.toString(gc.reasoningTokens[g]));
    }
    html += row(QObject::tr("Tokens"), tokens);
    html +=
        row(QObject::tr("Cost"), fmt::usd(gc.costUsd[g]) + QStringLiteral(" <span style='color:#5f6368'>(") +
                                     costSourceText(gc.costSource[g]) + QStringLiteral(")</span>"));
    html += row(QObject::tr("Time to first token"),
                gc.ttftUs[g] == 0 ? QObject::tr("not recorded") : fmt::duration(gc.ttftUs[g] / 1000.0));
    html += row(QObject::tr("Finish reason"), orDash(esc(d, gc.finishReason[g])));
    return html + QStringLiteral("</table>");
}

QString promptVersionHtml(const Dataset& d, const SpanContext& c) {
    if (c.promptName.isEmpty() && c.promptVersion.isEmpty()) {
        return {};
    }
    QString html = section(QObject::tr("Prompt version"));
    const QString name = esc(d, c.promptName) + QStringLiteral(" v") + esc(d, c.promptVersion);
    if (c.promptRecord == nullptr) {
        return html + QObject::tr("<p>%1 — no prompt version record for it in the data.</p>").arg(name);
    }
    const PromptVersionRecord& p = *c.promptRecord;
    html += QStringLiteral("<table>");
    html += row(QObject::tr("Prompt"), orDash(esc(d, p.prompt)));
    html += row(QObject::tr("Version"), orDash(esc(d, p.version)));
    html += row(QObject::tr("Model"), orDash(esc(d, p.model)));
    html += row(QObject::tr("Temperature"),
                std::isnan(p.temperature) ? QStringLiteral("–") : QString::number(p.temperature));
    html += row(QObject::tr("Deployed by"), orDash(esc(d, p.deployedBy)));
    html += row(QObject::tr("Deployed at"),
                p.deployedAtNs == 0 ? QStringLiteral("–") : fmt::dateTime(p.deployedAtNs));
    html += row(QObject::tr("Change note"), orDash(esc(d, p.changeNote)));
    html += row(QObject::tr("Eval suite"), orDash(esc(d, p.evalSuite)));
    return html + QStringLiteral("</table>");
}

QString evalsHtml(const Dataset& d, const SpanContext& c) {
    QString html = section(QObject::tr("Evals of this trace (%1)").arg(c.evals.size()));
    if (c.evals.empty()) {
        return html + QObject::tr("<p>No evals in the data for this trace.</p>");
    }
    const EvalColumns& ev = d.evals;
    html += QStringLiteral(
                "<table cellspacing='0' cellpadding='3' border='1' style='border-color:#dadce0'>"
                "<tr><th>%1</th><th>%2</th><th>%3</th><th>%4</th><th>%5</th><th>%6</th></tr>")
                .arg(QObject::tr("Eval"), QObject::tr("Result"), QObject::tr("Score"), QObject::tr("Label"),
                     QObject::tr("Source"), QObject::tr("Explanation"));
    for (const uint32_t i : c.evals) {
        const EvalOutcome outcome = ev.outcome[i];
        const QString result =
            outcome == EvalOutcome::Pass   ? QObject::tr("<span style='color:#188038'>pass</span>")
            : outcome == EvalOutcome::Fail ? QObject::tr("<b style='color:#c62828'>fail</b>")
                                           : QStringLiteral("–");
        QString name = esc(d, ev.name[i]);
        if (ev.span[i] == c.span.value) {
            name += QObject::tr(" <i>(this span)</i>");
        }
        html +=
            QStringLiteral(
                "<tr><td>%1</td><td>%2</td><td align='right'>%3</td><td>%4</td><td>%5</td>"
                "<td>%6</td></tr>")
                .arg(name, result,
                     std::isnan(ev.score[i]) ? QStringLiteral("–") : QString::number(ev.score[i], 'g', 4),
                     orDash(esc(d, ev.label[i])), orDash(esc(d, ev.source[i])), esc(d, ev.explanation[i]));
    }
    return html + QStringLiteral("</table><p style='font-size:4pt'>&nbsp;</p>");
}

QString signalsHtml(const Dataset& d, const SpanContext& c) {
    QString html = section(QObject::tr("User feedback (%1)").arg(c.signals.size()));
    if (c.signals.empty()) {
        return html + QObject::tr("<p>No user signals in the data for this trace.</p>");
    }
    html += QStringLiteral("<table>");
    for (const uint32_t i : c.signals) {
        const SignalType type = d.signals.type[i];
        QString what = esc(signalTypeName(type));
        if (type == SignalType::ThumbsUp) {
            what = QObject::tr("<span style='color:#188038'>▲ thumbs up</span>");
        } else if (type == SignalType::ThumbsDown) {
            what = QObject::tr("<span style='color:#c62828'>▼ thumbs down</span>");
        } else if (!std::isnan(d.signals.value[i])) {
            what += QStringLiteral(" ") + QString::number(d.signals.value[i]);
        }
        html += row(
            d.signals.timeNs[i] == 0 ? QStringLiteral("–") : fmt::dateTimeSeconds(d.signals.timeNs[i]), what);
    }
    return html + QStringLiteral("</table>");
}

QString recordHtml(const SpanDetails* details) {
    QString html = section(QObject::tr("Record"));
    if (details == nullptr) {
        return html + QObject::tr("<p>Reading the span's record from its source…</p>");
    }
    if (!details->ok()) {
        return html + QStringLiteral("<p style='color:#c62828'>%1</p>").arg(esc(details->error));
    }
    html += QStringLiteral("<table>");
    html += row(QObject::tr("Trace id"), QStringLiteral("<tt>%1</tt>").arg(orDash(esc(details->traceId))));
    html += row(QObject::tr("Span id"), QStringLiteral("<tt>%1</tt>").arg(orDash(esc(details->spanId))));
    html += row(QObject::tr("Parent span id"),
                QStringLiteral("<tt>%1</tt>")
                    .arg(details->parentSpanId.empty() ? QObject::tr("(root)") : esc(details->parentSpanId)));
    if (!details->kind.empty()) {
        html += row(QObject::tr("Span kind"), esc(details->kind));
    }
    if (!details->scopeName.empty()) {
        html += row(QObject::tr("Instrumentation"),
                    esc(details->scopeName) + QStringLiteral(" ") + esc(details->scopeVersion));
    }
    html += row(QObject::tr("Source"),
                esc(details->sourcePath) +
                    (!details->sourceRow.empty()
                         ? QStringLiteral(", ") + esc(details->sourceRow)
                         : QObject::tr(", byte %1 (%2 bytes)")
                               .arg(QLocale().toString(static_cast<qulonglong>(details->offset)),
                                    QLocale().toString(static_cast<qulonglong>(details->recordBytes)))));
    if (!details->notice.empty()) {
        html += row(QObject::tr("Note"), esc(details->notice));
    }
    return html + QStringLiteral("</table>");
}

}  // namespace

QString spanHeaderHtml(const Dataset& d, SpanIndex span, const SpanContext* context,
                       const SpanDetails* details) {
    const uint32_t s = span.value;
    const SpanColumns& sc = d.spans;
    QStringList kinds;
    if (sc.kind[s] != SpanKind::Other) {
        kinds << esc(spanKindName(sc.kind[s])).toUpper();
    }
    if (details != nullptr && details->ok() && !details->kind.empty()) {
        kinds << esc(details->kind);
    }
    const QString kind = kinds.isEmpty() ? QObject::tr("span") : kinds.join(QStringLiteral(" · "));
    QString html = QStringLiteral(
                       "<div><span style='font-size:large; font-weight:bold'>%1</span>"
                       "&nbsp;&nbsp;<span style='background:#e8eaed; color:#3c4043'>&nbsp;%2&nbsp;</span>")
                       .arg(orDash(esc(d, sc.name[s])), kind);
    if (!sc.service[s].isEmpty()) {
        html += QObject::tr("&nbsp;&nbsp;<span style='color:#5f6368'>service</span> %1")
                    .arg(esc(d, sc.service[s]));
    }
    html += QStringLiteral("</div><div style='margin-top:4px'>");
    QStringList parts;
    parts << QObject::tr("<b>%1</b> total").arg(ms(sc.durationNs[s]));
    if (context != nullptr) {
        parts << QObject::tr("<b>%1</b> self").arg(ms(context->selfNs));
    }
    QString status;
    switch (sc.status[s]) {
        case SpanStatus::Error: {
            QString message;
            if (details != nullptr && details->ok() && !details->statusMessage.empty()) {
                message = esc(details->statusMessage);
            } else if (context != nullptr && !context->errorMessage.isEmpty()) {
                message = esc(d, context->errorMessage);
            }
            status = QObject::tr("<b style='color:#c62828'>error</b>") +
                     (message.isEmpty() ? QString() : QStringLiteral(": ") + message);
            break;
        }
        case SpanStatus::Ok:
            status = QObject::tr("<span style='color:#188038'>ok</span>");
            break;
        case SpanStatus::Unset:
            status = QObject::tr("status unset");
            break;
    }
    parts << status;
    parts << QObject::tr("started %1 UTC").arg(timeWithMs(sc.startNs[s]));
    html += parts.join(QStringLiteral(" &nbsp;·&nbsp; ")) + QStringLiteral("</div>");
    return html;
}

QString spanSummaryHtml(const Dataset& d, const SpanContext& c, const SpanDetails* details) {
    QString html;
    if (c.generation != GenerationIndex::kInvalid) {
        html += modelCallHtml(d, c.generation);
    }
    if (!c.errorType.isEmpty() || !c.errorMessage.isEmpty()) {
        html += section(QObject::tr("Error")) + QStringLiteral("<p style='color:#c62828'>") +
                esc(d, c.errorType) + (c.errorType.isEmpty() ? QString() : QStringLiteral(": ")) +
                esc(d, c.errorMessage) + QStringLiteral("</p>");
    }
    html += promptVersionHtml(d, c);
    html += evalsHtml(d, c);
    html += signalsHtml(d, c);
    html += recordHtml(details);
    return html;
}

QString spanEventsHtml(const SpanDetails& details) {
    if (details.events.empty() && details.links.empty()) {
        return QObject::tr("<p>The span has no events and no links.</p>");
    }
    QString html;
    if (!details.events.empty()) {
        html += section(QObject::tr("Events (%1)").arg(details.events.size()));
    }
    for (const DetailEvent& e : details.events) {
        QString when;
        if (e.timeNs != 0) {
            when = QObject::tr("+%1 &nbsp;<span style='color:#5f6368'>%2</span>")
                       .arg(ms(e.timeNs - details.startNs), timeWithMs(e.timeNs));
        }
        html += QStringLiteral("<p style='margin-bottom:2px'><b>%1</b> &nbsp;%2</p>")
                    .arg(e.name.empty() ? QObject::tr("(unnamed event)") : esc(e.name), when);
        if (e.isException()) {
            html += QStringLiteral("<p style='color:#c62828; margin-top:0'><b>%1</b>%2</p>")
                        .arg(esc(e.exceptionType), e.exceptionMessage.empty()
                                                       ? QString()
                                                       : QStringLiteral(": ") + esc(e.exceptionMessage));
            if (!e.stacktrace.empty()) {
                html += QStringLiteral("<pre style='background:#fce8e6; padding:6px'>%1</pre>")
                            .arg(esc(e.stacktrace));
            }
        }
        QString table;
        for (const DetailAttribute& a : e.attributes) {
            if (e.isException() && a.key.starts_with("exception.") && a.key != "exception.escaped") {
                continue;  // shown above
            }
            table += row(esc(a.key), QStringLiteral("<tt>%1</tt>").arg(esc(a.value)));
        }
        if (!table.isEmpty()) {
            html += QStringLiteral("<table style='margin-left:16px'>") + table + QStringLiteral("</table>");
        }
    }
    if (!details.links.empty()) {
        html += section(QObject::tr("Links (%1)").arg(details.links.size()));
        for (const DetailLink& l : details.links) {
            html += QStringLiteral("<p>") + QObject::tr("trace <tt>%1</tt>, span <tt>%2</tt>")
                                                .arg(orDash(esc(l.traceId)), orDash(esc(l.spanId)));
            if (!l.traceState.empty()) {
                html += QObject::tr(", trace state <tt>%1</tt>").arg(esc(l.traceState));
            }
            html += QStringLiteral("</p>");
            QString table;
            for (const DetailAttribute& a : l.attributes) {
                table += row(esc(a.key), QStringLiteral("<tt>%1</tt>").arg(esc(a.value)));
            }
            if (!table.isEmpty()) {
                html +=
                    QStringLiteral("<table style='margin-left:16px'>") + table + QStringLiteral("</table>");
            }
        }
    }
    return html;
}

}  // namespace ps
