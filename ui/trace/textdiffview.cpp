#include "textdiffview.h"

#include <QFontDatabase>
#include <QTextBlock>
#include <QTextCursor>

namespace ps::trace {

TextDiffView::TextDiffView(QWidget* parent) : QPlainTextEdit(parent) {
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
}

void TextDiffView::setTexts(const QString& a, const QString& b) {
    setDiff(lineDiff(a.toStdString(), b.toStdString()));
}

void TextDiffView::setDiff(const std::vector<DiffLine>& lines) {
    removed_ = 0;
    added_ = 0;
    clear();
    QTextCursor cursor(document());
    cursor.beginEditBlock();
    QTextBlockFormat same;
    QTextBlockFormat removed;
    removed.setBackground(QColor(0xfe, 0xe2, 0xe2));
    QTextBlockFormat added;
    added.setBackground(QColor(0xdc, 0xfc, 0xe7));
    auto number = [](uint32_t n) { return n == 0 ? QString(5, QLatin1Char(' ')) : QStringLiteral("%1").arg(n, 5); };
    bool first = true;
    for (const DiffLine& line : lines) {
        const QTextBlockFormat& format =
            line.change == LineChange::Removed ? removed : line.change == LineChange::Added ? added : same;
        if (first) {
            cursor.setBlockFormat(format);
            first = false;
        } else {
            cursor.insertBlock(format);
        }
        const QChar mark = line.change == LineChange::Removed ? QLatin1Char('-')
                           : line.change == LineChange::Added ? QLatin1Char('+')
                                                              : QLatin1Char(' ');
        cursor.insertText(number(line.lineA) + QLatin1Char(' ') + number(line.lineB) + QStringLiteral("  ") + mark +
                          QLatin1Char(' ') + QString::fromStdString(line.text));
        removed_ += line.change == LineChange::Removed ? 1 : 0;
        added_ += line.change == LineChange::Added ? 1 : 0;
    }
    cursor.endEditBlock();
    moveCursor(QTextCursor::Start);
}

QString TextDiffView::summary() const {
    if (removed_ == 0 && added_ == 0) {
        return tr("no differences");
    }
    const QString removed = removed_ == 1 ? tr("1 line removed") : tr("%1 lines removed").arg(removed_);
    return removed + tr(", %1 added").arg(added_);
}

}  // namespace ps::trace
