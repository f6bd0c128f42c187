#include "tracediffview.h"

#include <QFutureWatcher>
#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

#include "format.h"
#include "spankindpalette.h"
#include "timeaxisticks.h"
#include "versionlabel.h"
#include "viewporttooltip.h"

namespace ps::trace {
namespace {

constexpr size_t kSynchronousLimit = 100000;  // spans of both traces together
constexpr int kMargin = 8;

const QColor kText(0x1f, 0x29, 0x37);
const QColor kMuted(0x6b, 0x72, 0x80);
const QColor kBorder(0xd1, 0xd5, 0xdb);
const QColor kSlower(0xdc, 0x26, 0x26);
const QColor kFaster(0x16, 0xa3, 0x4a);
const QColor kOnlyA(0x6b, 0x72, 0x80);
const QColor kOnlyB(0x25, 0x63, 0xeb);

QString fromUtf8(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

QString signedDuration(int64_t ns) {
    return (ns > 0 ? QStringLiteral("+") : ns < 0 ? QString(QChar(0x2212)) : QString()) + fmt::durationNs(std::abs(ns));
}

QString signedCount(int64_t n) {
    return (n > 0 ? QStringLiteral("+") : n < 0 ? QString(QChar(0x2212)) : QString()) +
           QLocale().toString(static_cast<qlonglong>(std::abs(n)));
}

// Cost deltas are often fractions of a cent: two significant digits, not fmt::usd's fixed decimals, which
// would print a change of $0.000004 as $0.00000.
QString signedUsd(double usd) {
    const double a = std::abs(usd);
    if (a == 0) {
        return QStringLiteral("$0");
    }
    const int decimals = std::clamp(1 - static_cast<int>(std::floor(std::log10(a))), 2, 8);
    return (usd > 0 ? QStringLiteral("+$") : QString(QChar(0x2212)) + QStringLiteral("$")) +
           QString::number(a, 'f', decimals);
}

QColor signColor(double delta) { return delta > 0 ? kSlower : delta < 0 ? kFaster : kMuted; }

}  // namespace

// Horizontal layout of a row: the tree, A's bars, B's bars and the three delta columns.
struct TraceDiffView::Columns {
    int treeWidth = 0;
    int barsA = 0;
    int barsB = 0;
    int barWidth = 0;
    int deltaTime = 0;
    int deltaTokens = 0;
    int deltaCost = 0;
    int right = 0;
    int64_t scaleNs = 1;  // both traces on one scale: the longer trace fills the bar column
};

TraceDiffView::TraceDiffView(QWidget* parent) : QAbstractScrollArea(parent) {
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setMouseTracking(true);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    verticalScrollBar()->setSingleStep(1);
}

TraceDiffView::~TraceDiffView() = default;

QSize TraceDiffView::sizeHint() const { return {1200, 480}; }

QString TraceDiffView::defaultLabel(const Dataset& data, RequestIndex request) const {
    if (!request.isValid() || request.value >= data.requestCount()) {
        return {};
    }
    QString id = fromUtf8(data.str(data.requests.traceId[request.value]));
    if (id.size() > 12) {
        id = id.left(12) + QChar(0x2026);
    }
    const std::string_view version = data.str(data.requests.promptVersion[request.value]);
    return version.empty() ? id : tr("%1 · %2").arg(QString::fromStdString(versionLabel(version)), id);
}

void TraceDiffView::setTraces(DatasetPtr a, RequestIndex requestA, DatasetPtr b, RequestIndex requestB) {
    a_ = std::move(a);
    b_ = std::move(b);
    requestA_ = requestA;
    requestB_ = requestB;
    labelA_ = a_ ? defaultLabel(*a_, requestA_) : QString();
    labelB_ = b_ ? defaultLabel(*b_, requestB_) : QString();
    diff_.reset();
    selected_ = -1;
    hover_ = -1;
    const quint64 job = ++job_;
    if (!a_ || !b_) {
        pendingJob_ = 0;
        updateScrollBar();
        viewport()->update();
        return;
    }
    auto spansOf = [](const Dataset& d, RequestIndex r) -> size_t {
        return r.isValid() && r.value < d.requestCount() ? d.spanEnd(r) - d.requests.firstSpan[r.value] : 0;
    };
    auto run = [](DatasetPtr da, RequestIndex ra, DatasetPtr db, RequestIndex rb) {
        return std::make_shared<const TraceDiff>(diffTraces(*da, ra, *db, rb));
    };
    if (spansOf(*a_, requestA_) + spansOf(*b_, requestB_) <= kSynchronousLimit) {
        apply(job, run(a_, requestA_, b_, requestB_));
        return;
    }
    pendingJob_ = job;
    using Watcher = QFutureWatcher<std::shared_ptr<const TraceDiff>>;
    auto* watcher = new Watcher(this);
    connect(watcher, &Watcher::finished, this, [this, watcher, job] {
        watcher->deleteLater();
        apply(job, watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(run, a_, requestA_, b_, requestB_));
    viewport()->update();
}

void TraceDiffView::setLabels(const QString& labelA, const QString& labelB) {
    labelA_ = labelA;
    labelB_ = labelB;
    viewport()->update();
}

void TraceDiffView::apply(quint64 job, const std::shared_ptr<const TraceDiff>& diff) {
    if (job != job_) {
        return;
    }
    pendingJob_ = 0;
    diff_ = diff;
    verticalScrollBar()->setValue(0);
    updateScrollBar();
    viewport()->update();
    Q_EMIT diffChanged();
}

void TraceDiffView::updateScrollBar() {
    const int rows = diff_ ? static_cast<int>(diff_->rows.size()) : 0;
    const int fit = std::max(1, (viewport()->height() - kSummaryHeight - kHeaderHeight) / kRowHeight);
    verticalScrollBar()->setRange(0, std::max(0, rows - fit));
    verticalScrollBar()->setPageStep(fit);
}

TraceDiffView::Columns TraceDiffView::columns() const {
    Columns c;
    const int width = viewport()->width();
    c.treeWidth = std::clamp(width / 4, 160, 320);
    c.deltaTime = 130;
    c.deltaTokens = 80;
    c.deltaCost = 90;
    const int bars = std::max(100, width - c.treeWidth - c.deltaTime - c.deltaTokens - c.deltaCost - kMargin);
    c.barWidth = bars / 2 - 2 * kMargin;
    c.barsA = c.treeWidth + kMargin;
    c.barsB = c.barsA + c.barWidth + 2 * kMargin;
    c.right = c.barsB + c.barWidth + kMargin;
    if (diff_) {
        c.scaleNs = std::max<int64_t>(1, std::max(diff_->durationA, diff_->durationB));
    }
    return c;
}

int TraceDiffView::durationVerdict(const TraceDiffRow& row) {
    if (row.side != DiffSide::Both) {
        return 0;
    }
    const int64_t delta = row.durationDeltaNs();
    const auto threshold = std::max<int64_t>(1000000, row.a.durationNs / 20);
    return delta > threshold ? 1 : delta < -threshold ? -1 : 0;
}

void TraceDiffView::selectRow(int index) {
    if (!diff_ || diff_->rows.empty()) {
        return;
    }
    index = std::clamp(index, 0, static_cast<int>(diff_->rows.size()) - 1);
    const int fit = std::max(1, (viewport()->height() - kSummaryHeight - kHeaderHeight) / kRowHeight);
    if (index < verticalScrollBar()->value()) {
        verticalScrollBar()->setValue(index);
    } else if (index >= verticalScrollBar()->value() + fit) {
        verticalScrollBar()->setValue(index - fit + 1);
    }
    if (index == selected_) {
        return;
    }
    selected_ = index;
    viewport()->update();
    const TraceDiffRow& r = diff_->rows[static_cast<size_t>(index)];
    Q_EMIT pairSelected(r.a.row, r.b.row);
}

int TraceDiffView::rowAt(const QPoint& pos) const {
    const int top = kSummaryHeight + kHeaderHeight;
    if (!diff_ || pos.y() < top) {
        return -1;
    }
    const int index = verticalScrollBar()->value() + (pos.y() - top) / kRowHeight;
    return index < static_cast<int>(diff_->rows.size()) ? index : -1;
}

QString TraceDiffView::rowToolTip(int index) const {
    if (!diff_ || index < 0 || index >= static_cast<int>(diff_->rows.size())) {
        return {};
    }
    const TraceDiffRow& r = diff_->rows[static_cast<size_t>(index)];
    auto side = [](const DiffSpan& s, const QString& label) {
        if (!s.present()) {
            return tr("%1: not in this trace").arg(label);
        }
        QString text = tr("%1: %2, starts at +%3").arg(label, fmt::durationNs(s.durationNs), fmt::durationNs(s.startOffsetNs));
        if (s.isGeneration) {
            text += tr(", %1 + %2 tokens, %3").arg(QLocale().toString(static_cast<qlonglong>(s.inputTokens)),
                                                   QLocale().toString(static_cast<qlonglong>(s.outputTokens)),
                                                   fmt::usd(s.costUsd));
        }
        if (s.status == SpanStatus::Error) {
            text += QStringLiteral(", <span style='color:#dc2626'>%1</span>").arg(tr("error"));
        }
        return text;
    };
    const DiffSpan& any = r.a.present() ? r.a : r.b;
    const Dataset& d = r.a.present() ? *a_ : *b_;
    QStringList lines;
    lines << QStringLiteral("<b>%1</b> — %2").arg(fromUtf8(d.str(d.spans.name[any.row])).toHtmlEscaped(),
                                                 palette::spanKindLabel(any.kind));
    lines << side(r.a, tr("A"));
    lines << side(r.b, tr("B"));
    if (r.side == DiffSide::Both) {
        lines << tr("Change: %1").arg(signedDuration(r.durationDeltaNs()));
    }
    return lines.join(QStringLiteral("<br>"));
}

void TraceDiffView::paintEvent(QPaintEvent*) {
    QPainter p(viewport());
    p.fillRect(viewport()->rect(), Qt::white);
    if (!diff_) {
        p.setPen(kMuted);
        p.drawText(viewport()->rect(), Qt::AlignCenter,
                   pendingJob_ != 0 ? tr("Aligning the traces…") : tr("Pick two traces to compare"));
        return;
    }
    if (diff_->rows.empty()) {
        p.setPen(kMuted);
        p.drawText(viewport()->rect(), Qt::AlignCenter, tr("One of the traces has no spans"));
        return;
    }
    const Columns c = columns();
    paintSummary(p);
    paintHeader(p, c);
    p.setClipRect(QRect(0, kSummaryHeight + kHeaderHeight, viewport()->width(), viewport()->height()));
    const int first = verticalScrollBar()->value();
    const int count = (viewport()->height() - kSummaryHeight - kHeaderHeight) / kRowHeight + 1;
    for (int i = first; i < std::min(first + count, static_cast<int>(diff_->rows.size())); ++i) {
        paintRow(p, c, i, kSummaryHeight + kHeaderHeight + (i - first) * kRowHeight);
    }
}

void TraceDiffView::paintSummary(QPainter& p) const {
    const TraceDiff& d = *diff_;
    const int64_t delta = d.durationB - d.durationA;
    const double share = d.durationA > 0 ? static_cast<double>(delta) / static_cast<double>(d.durationA) : 0;
    const QString text =
        tr("A %1: %2   ·   B %3: %4 (%5, %6)   ·   %7 matched, %8 only in A, %9 only in B   ·   tokens %10 → %11   ·   cost %12 → %13")
            .arg(labelA_, fmt::durationNs(d.durationA), labelB_, fmt::durationNs(d.durationB), signedDuration(delta),
                 fmt::signedPercentChange(share))
            .arg(d.matched)
            .arg(d.onlyA)
            .arg(d.onlyB)
            .arg(QLocale().toString(static_cast<qlonglong>(d.tokensA)), QLocale().toString(static_cast<qlonglong>(d.tokensB)),
                 fmt::usd(d.costA), fmt::usd(d.costB));
    p.fillRect(QRect(0, 0, viewport()->width(), kSummaryHeight), QColor(0xf9, 0xfa, 0xfb));
    p.setPen(kText);
    const QRect r(kMargin, 0, viewport()->width() - 2 * kMargin, kSummaryHeight);
    p.drawText(r, Qt::AlignLeft | Qt::AlignVCenter, p.fontMetrics().elidedText(text, Qt::ElideRight, r.width()));
}

void TraceDiffView::paintHeader(QPainter& p, const Columns& c) const {
    const int top = kSummaryHeight;
    p.setPen(kBorder);
    p.drawLine(0, top, viewport()->width(), top);
    p.drawLine(0, top + kHeaderHeight - 1, viewport()->width(), top + kHeaderHeight - 1);
    QFont bold = p.font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(kText);
    const int h = kHeaderHeight;
    p.drawText(QRect(kMargin, top, c.treeWidth - kMargin, h), Qt::AlignLeft | Qt::AlignVCenter, tr("Span"));
    const int deltas = c.right;
    p.drawText(QRect(deltas, top, c.deltaTime - kMargin, h), Qt::AlignRight | Qt::AlignVCenter, tr("Δ time"));
    p.drawText(QRect(deltas + c.deltaTime, top, c.deltaTokens - kMargin, h), Qt::AlignRight | Qt::AlignVCenter,
               tr("Δ tokens"));
    p.drawText(QRect(deltas + c.deltaTime + c.deltaTokens, top, c.deltaCost - kMargin, h),
               Qt::AlignRight | Qt::AlignVCenter, tr("Δ cost"));
    p.setFont(font());
    // A time scale under each trace's name: both columns share it, so equal bars mean equal durations.
    const TimeTicks ticks = timeTicks(0, c.scaleNs, c.barWidth, 80);
    for (const auto& [left, name] : {std::pair{c.barsA, tr("A")}, std::pair{c.barsB, tr("B")}}) {
        p.setPen(kText);
        p.setFont(bold);
        p.drawText(QRect(left, top, 20, h), Qt::AlignLeft | Qt::AlignVCenter, name);
        p.setFont(font());
        p.setPen(kMuted);
        for (int64_t t : ticks.offsetsNs) {
            const int x = left + static_cast<int>(static_cast<double>(t) / static_cast<double>(c.scaleNs) * c.barWidth);
            p.drawLine(x, top + h - 5, x, top + h - 1);
            if (x > left + 20) {
                p.drawText(QRect(x - 40, top, 80, h - 4), Qt::AlignCenter, tickLabel(t, ticks));
            }
        }
    }
}

void TraceDiffView::paintBar(QPainter& p, const Columns& c, const DiffSpan& span, int left, int top) const {
    const int width = c.barWidth;
    const double scale = static_cast<double>(width) / static_cast<double>(c.scaleNs);
    const int x = left + static_cast<int>(static_cast<double>(span.startOffsetNs) * scale);
    const int w = std::max(1, static_cast<int>(std::ceil(static_cast<double>(span.durationNs) * scale)));
    const QRect r(x, top + 4, std::min(w, left + width - x + kMargin), kRowHeight - 8);
    const QColor fill = palette::spanKindColor(span.kind);
    p.fillRect(r, fill);
    if (span.status == SpanStatus::Error) {
        p.setPen(QPen(palette::errorColor(), 2));
        p.setBrush(Qt::NoBrush);
        p.drawRect(r.adjusted(1, 1, -1, -1));
    }
    const QString label = fmt::durationNs(span.durationNs);
    const int tw = p.fontMetrics().horizontalAdvance(label);
    if (tw + 8 <= r.width()) {
        p.setPen(palette::textColorOn(fill));
        p.drawText(r.adjusted(4, 0, -4, 0), Qt::AlignLeft | Qt::AlignVCenter, label);
    } else if (r.right() + 4 + tw <= left + width + kMargin) {
        p.setPen(kText);
        p.drawText(QRect(r.right() + 4, top, tw + 2, kRowHeight), Qt::AlignLeft | Qt::AlignVCenter, label);
    } else {
        p.setPen(kText);
        p.drawText(QRect(r.left() - tw - 6, top, tw + 2, kRowHeight), Qt::AlignLeft | Qt::AlignVCenter, label);
    }
}

void TraceDiffView::paintRow(QPainter& p, const Columns& c, int index, int top) const {
    const TraceDiffRow& r = diff_->rows[static_cast<size_t>(index)];
    const int width = viewport()->width();
    if (index == selected_) {
        p.fillRect(QRect(0, top, width, kRowHeight), QColor(0xdb, 0xea, 0xfe));
    } else if (index == hover_) {
        p.fillRect(QRect(0, top, width, kRowHeight), QColor(0xf3, 0xf4, 0xf6));
    }
    const DiffSpan& any = r.a.present() ? r.a : r.b;
    const Dataset& d = r.a.present() ? *a_ : *b_;
    // Tree cell: indentation (capped), kind glyph, name, and a pill for a span only one trace has.
    const int indent = std::min(static_cast<int>(r.depth), std::max(0, (c.treeWidth - 150) / 12)) * 12;
    int x = kMargin + indent;
    const QRect glyph(x, top + 3, 16, 16);
    p.setPen(Qt::NoPen);
    p.setBrush(palette::spanKindColor(any.kind));
    p.drawRoundedRect(glyph, 3, 3);
    p.setPen(palette::textColorOn(palette::spanKindColor(any.kind)));
    p.drawText(glyph, Qt::AlignCenter, QString(palette::spanKindGlyph(any.kind)));
    x += 21;
    int right = c.treeWidth - kMargin;
    if (r.side != DiffSide::Both) {
        const QString pill = r.side == DiffSide::OnlyA ? tr("only A") : tr("only B");
        const int pw = p.fontMetrics().horizontalAdvance(pill) + 12;
        const QRect pr(right - pw, top + 3, pw, 16);
        p.setPen(Qt::NoPen);
        p.setBrush(r.side == DiffSide::OnlyA ? kOnlyA : kOnlyB);
        p.drawRoundedRect(pr, 8, 8);
        p.setPen(Qt::white);
        p.drawText(pr, Qt::AlignCenter, pill);
        right -= pw + 4;
    }
    p.setPen(any.status == SpanStatus::Error ? palette::errorColor() : kText);
    const QString name = fromUtf8(d.str(d.spans.name[any.row]));
    p.drawText(QRect(x, top, right - x, kRowHeight), Qt::AlignLeft | Qt::AlignVCenter,
               p.fontMetrics().elidedText(name, Qt::ElideMiddle, std::max(0, right - x)));
    // Bars, then the deltas.
    if (r.a.present()) {
        paintBar(p, c, r.a, c.barsA, top);
    }
    if (r.b.present()) {
        paintBar(p, c, r.b, c.barsB, top);
    }
    if (r.side != DiffSide::Both) {
        p.setPen(kMuted);
        const int missing = r.a.present() ? c.barsB : c.barsA;
        p.drawText(QRect(missing, top, c.barWidth, kRowHeight), Qt::AlignCenter, tr("—  not in this trace  —"));
        return;
    }
    const int64_t delta = r.durationDeltaNs();
    QString time = signedDuration(delta);
    if (r.a.durationNs > 0 && delta != 0) {
        time += QStringLiteral(" (") +
                fmt::signedPercentChange(static_cast<double>(delta) / static_cast<double>(r.a.durationNs)) +
                QStringLiteral(")");
    }
    const int verdict = durationVerdict(r);
    p.setPen(verdict > 0 ? kSlower : verdict < 0 ? kFaster : kMuted);
    p.drawText(QRect(c.right, top, c.deltaTime - kMargin, kRowHeight), Qt::AlignRight | Qt::AlignVCenter, time);
    if (r.a.isGeneration || r.b.isGeneration) {
        const int64_t tokens = r.tokenDelta();
        p.setPen(signColor(static_cast<double>(tokens)));
        p.drawText(QRect(c.right + c.deltaTime, top, c.deltaTokens - kMargin, kRowHeight),
                   Qt::AlignRight | Qt::AlignVCenter, signedCount(tokens));
        const double cost = r.costDelta();
        p.setPen(std::isnan(cost) ? kMuted : signColor(cost));
        p.drawText(QRect(c.right + c.deltaTime + c.deltaTokens, top, c.deltaCost - kMargin, kRowHeight),
                   Qt::AlignRight | Qt::AlignVCenter, std::isnan(cost) ? fmt::usd(cost) : signedUsd(cost));
    }
}

void TraceDiffView::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBar();
}

void TraceDiffView::scrollContentsBy(int, int) { viewport()->update(); }

void TraceDiffView::mousePressEvent(QMouseEvent* event) {
    const int index = rowAt(event->position().toPoint());
    if (event->button() == Qt::LeftButton && index >= 0) {
        selectRow(index);
    }
}

void TraceDiffView::mouseMoveEvent(QMouseEvent* event) {
    const int index = rowAt(event->position().toPoint());
    if (index != hover_) {
        hover_ = index;
        viewport()->update();
    }
}

void TraceDiffView::keyPressEvent(QKeyEvent* event) {
    const int page = std::max(1, verticalScrollBar()->pageStep() - 1);
    switch (event->key()) {
    case Qt::Key_Up: selectRow(selected_ < 0 ? 0 : selected_ - 1); break;
    case Qt::Key_Down: selectRow(selected_ + 1); break;
    case Qt::Key_PageUp: selectRow(selected_ - page); break;
    case Qt::Key_PageDown: selectRow(selected_ + page); break;
    case Qt::Key_Home: selectRow(0); break;
    case Qt::Key_End: selectRow(diff_ ? static_cast<int>(diff_->rows.size()) - 1 : 0); break;
    default: QAbstractScrollArea::keyPressEvent(event);
    }
}

void TraceDiffView::leaveEvent(QEvent* event) {
    QAbstractScrollArea::leaveEvent(event);
    hover_ = -1;
    viewport()->update();
}

bool TraceDiffView::viewportEvent(QEvent* event) {
    return handleViewportToolTip(event, viewport(), [this](QPoint pos) { return rowToolTip(rowAt(pos)); }) ||
           QAbstractScrollArea::viewportEvent(event);
}

}  // namespace ps::trace
