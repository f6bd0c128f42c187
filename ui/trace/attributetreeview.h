// A span's attributes as a tree grouped by vocabulary (GenAI, OpenInference, Resource, Other), with key,
// value and type columns, a filter box matching keys and values, and copy actions for a key or a value.
#pragma once

#include <QWidget>
#include <vector>

#include "spandetails.h"

class QLineEdit;
class QTreeWidget;

namespace ps {

class AttributeTreeView : public QWidget {
    Q_OBJECT

public:
    // Values longer than this are shortened in the tree (the tooltip and Copy value give more).
    static constexpr qsizetype kMaxShownChars = 300;

    explicit AttributeTreeView(QWidget* parent = nullptr);

    void setAttributes(const std::vector<DetailAttribute>& attributes);
    void setFilterText(const QString& text);
    [[nodiscard]] QTreeWidget* tree() const { return tree_; }
    // Attributes shown under the current filter.
    [[nodiscard]] int visibleCount() const;

private:
    void applyFilter();

    QLineEdit* filter_;
    QTreeWidget* tree_;
    std::vector<DetailAttribute> attributes_;
};

}  // namespace ps
