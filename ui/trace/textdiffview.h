// Line differences of two texts (a span's input or output under two prompt versions) as a read-only unified diff:
// both line numbers, removed lines on red, added lines on green, in a fixed-width font. The trace diff view's
// pairSelected gives the two spans; their texts come from the cold-data reader, and setTexts compares them.
#pragma once

#include <QPlainTextEdit>

#include <vector>

#include "textdiff.h"

namespace ps::trace {

class TextDiffView : public QPlainTextEdit {
    Q_OBJECT

public:
    explicit TextDiffView(QWidget* parent = nullptr);

    // Compares the texts (lineDiff) and shows the result.
    void setTexts(const QString& a, const QString& b);
    void setDiff(const std::vector<DiffLine>& lines);
    [[nodiscard]] int removedLines() const { return removed_; }
    [[nodiscard]] int addedLines() const { return added_; }
    // "2 lines removed, 3 added" or "no differences"
    [[nodiscard]] QString summary() const;

private:
    int removed_ = 0;
    int added_ = 0;
};

}  // namespace ps::trace
