#include "attributetreeview.h"

#include <QAction>
#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLineEdit>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <array>

namespace ps {
namespace {

constexpr int kFullValueRole = Qt::UserRole + 1;

QString oneLine(const std::string& value) {
    QString text = QString::fromStdString(value);
    if (text.size() > AttributeTreeView::kMaxShownChars) {
        text = text.left(AttributeTreeView::kMaxShownChars) + QStringLiteral("…");
    }
    text.replace(QLatin1Char('\n'), QStringLiteral(" ⏎ "));
    return text;
}

}  // namespace

AttributeTreeView::AttributeTreeView(QWidget* parent)
    : QWidget(parent), filter_(new QLineEdit(this)), tree_(new QTreeWidget(this)) {
    filter_->setPlaceholderText(tr("Filter attributes by key or value"));
    filter_->setClearButtonEnabled(true);
    tree_->setColumnCount(3);
    tree_->setHeaderLabels({tr("Key"), tr("Value"), tr("Type")});
    tree_->setUniformRowHeights(true);
    tree_->setAlternatingRowColors(true);
    tree_->setWordWrap(false);
    tree_->header()->setStretchLastSection(false);
    tree_->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    tree_->setColumnWidth(0, fontMetrics().horizontalAdvance(QStringLiteral("gen_ai.usage.input_tokens___")));
    tree_->setColumnWidth(2, fontMetrics().horizontalAdvance(QStringLiteral("double__")));
    tree_->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto* copyValue = new QAction(tr("Copy value"), tree_);
    copyValue->setShortcut(QKeySequence::Copy);
    copyValue->setShortcutContext(Qt::WidgetShortcut);
    auto* copyKey = new QAction(tr("Copy key"), tree_);
    tree_->addAction(copyValue);
    tree_->addAction(copyKey);
    connect(copyValue, &QAction::triggered, this, [this] {
        if (const QTreeWidgetItem* item = tree_->currentItem(); item && item->parent()) {
            QGuiApplication::clipboard()->setText(item->data(1, kFullValueRole).toString());
        }
    });
    connect(copyKey, &QAction::triggered, this, [this] {
        if (const QTreeWidgetItem* item = tree_->currentItem(); item && item->parent()) {
            QGuiApplication::clipboard()->setText(item->text(0));
        }
    });
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(filter_);
    layout->addWidget(tree_, 1);
    connect(filter_, &QLineEdit::textChanged, this, &AttributeTreeView::applyFilter);
}

void AttributeTreeView::setAttributes(const std::vector<DetailAttribute>& attributes) {
    attributes_ = attributes;
    tree_->clear();
    std::array<QTreeWidgetItem*, kAttributeGroupCount> groups{};
    std::array<int, kAttributeGroupCount> counts{};
    for (const DetailAttribute& a : attributes_) {
        ++counts[static_cast<size_t>(a.group)];
    }
    for (int g = 0; g < kAttributeGroupCount; ++g) {
        if (counts[static_cast<size_t>(g)] == 0) {
            continue;
        }
        auto* item = new QTreeWidgetItem(tree_);
        item->setText(0,
                      tr("%1 (%2)")
                          .arg(QString::fromUtf8(attributeGroupName(static_cast<AttributeGroup>(g)).data()))
                          .arg(counts[static_cast<size_t>(g)]));
        item->setFirstColumnSpanned(true);
        QFont bold = item->font(0);
        bold.setBold(true);
        item->setFont(0, bold);
        groups[static_cast<size_t>(g)] = item;
    }
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (const DetailAttribute& a : attributes_) {
        auto* item = new QTreeWidgetItem(groups[static_cast<size_t>(a.group)]);
        item->setText(0, QString::fromStdString(a.key));
        item->setText(1, oneLine(a.value));
        item->setText(2, QString::fromStdString(a.type));
        item->setData(1, kFullValueRole, QString::fromStdString(a.value));
        item->setToolTip(1, QString::fromStdString(a.value.substr(0, 4000)));
        item->setFont(1, mono);
    }
    tree_->expandAll();
    // Keys in full where they fit: at most half the width (or 420 px while hidden), so values stay readable.
    // Measured here rather than by the view, which measures only rows it has laid out.
    int keyWidth = 0;
    for (const DetailAttribute& a : attributes_) {
        keyWidth = std::max(keyWidth, fontMetrics().horizontalAdvance(QString::fromStdString(a.key)));
    }
    const int room = tree_->isVisible() ? tree_->width() / 2 : 420;
    tree_->setColumnWidth(0, std::clamp(keyWidth + 2 * tree_->indentation() + 12, 160, std::max(160, room)));
    applyFilter();
}

void AttributeTreeView::setFilterText(const QString& text) {
    filter_->setText(text);
}

void AttributeTreeView::applyFilter() {
    const QString needle = filter_->text().trimmed();
    for (int g = 0; g < tree_->topLevelItemCount(); ++g) {
        QTreeWidgetItem* group = tree_->topLevelItem(g);
        int shown = 0;
        for (int i = 0; i < group->childCount(); ++i) {
            QTreeWidgetItem* item = group->child(i);
            const bool match = needle.isEmpty() || item->text(0).contains(needle, Qt::CaseInsensitive) ||
                               item->data(1, kFullValueRole).toString().contains(needle, Qt::CaseInsensitive);
            item->setHidden(!match);
            shown += match ? 1 : 0;
        }
        group->setHidden(shown == 0);
    }
}

int AttributeTreeView::visibleCount() const {
    int n = 0;
    for (int g = 0; g < tree_->topLevelItemCount(); ++g) {
        const QTreeWidgetItem* group = tree_->topLevelItem(g);
        for (int i = 0; i < group->childCount(); ++i) {
            n += group->child(i)->isHidden() ? 0 : 1;
        }
    }
    return n;
}

}  // namespace ps
