#include "savedfilters.h"

#include <QInputDialog>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>

#include <algorithm>

#include "query.h"

namespace ps {
namespace {

constexpr auto kKey = "filters/saved";

}  // namespace

SavedFilters::SavedFilters(QObject* parent) : QObject(parent) {
    QSettings settings;
    const int n = settings.beginReadArray(QString::fromLatin1(kKey));
    for (int i = 0; i < n; ++i) {
        settings.setArrayIndex(i);
        const QString name = settings.value(QStringLiteral("name")).toString();
        const QString query = settings.value(QStringLiteral("query")).toString();
        if (!name.isEmpty()) {
            list_.emplace_back(name, query);
        }
    }
    settings.endArray();
}

void SavedFilters::store() {
    QSettings settings;
    settings.remove(QString::fromLatin1(kKey));
    settings.beginWriteArray(QString::fromLatin1(kKey), static_cast<int>(list_.size()));
    for (size_t i = 0; i < list_.size(); ++i) {
        settings.setArrayIndex(static_cast<int>(i));
        settings.setValue(QStringLiteral("name"), list_[i].first);
        settings.setValue(QStringLiteral("query"), list_[i].second);
    }
    settings.endArray();
    Q_EMIT changed(list_);
}

bool SavedFilters::save(const QString& name, const Filter& filter) {
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty()) {
        return false;
    }
    const QString query = QString::fromStdString(formatQuery(filter));
    auto it = std::find_if(list_.begin(), list_.end(), [&](const auto& e) { return e.first == trimmed; });
    if (it != list_.end()) {
        it->second = query;
    } else {
        list_.emplace_back(trimmed, query);
    }
    store();
    return true;
}

bool SavedFilters::remove(const QString& name) {
    const auto it = std::find_if(list_.begin(), list_.end(), [&](const auto& e) { return e.first == name; });
    if (it == list_.end()) {
        return false;
    }
    list_.erase(it);
    store();
    return true;
}

bool SavedFilters::find(const QString& name, Filter* out) const {
    const auto it = std::find_if(list_.begin(), list_.end(), [&](const auto& e) { return e.first == name; });
    if (it == list_.end()) {
        return false;
    }
    auto parsed = parseQuery(it->second.toStdString());
    if (const auto* f = std::get_if<Filter>(&parsed)) {
        *out = *f;
        return true;
    }
    return false;
}

void SavedFilters::addActions(QMenu* menu, QWidget* dialogParent, std::function<Filter()> current) {
    menu->addSeparator();
    QAction* saveAs = menu->addAction(tr("&Save Filter As\u2026"), this, [this, dialogParent, current] {
        bool ok = false;
        const QString name = QInputDialog::getText(dialogParent, tr("Save Filter"),
                                                   tr("Name for the current filter (for example \u201ccanary EU\u201d):"),
                                                   QLineEdit::Normal, QString(), &ok);
        if (ok) {
            save(name, current());
        }
    });
    saveAs->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    QMenu* apply = menu->addMenu(tr("&Apply Saved Filter"));
    QMenu* remove = menu->addMenu(tr("De&lete Saved Filter"));
    // Rebuilt on opening, so the lists always show what is saved.
    connect(apply, &QMenu::aboutToShow, this, [this, apply] {
        apply->clear();
        for (const auto& [name, query] : list_) {
            QAction* a = apply->addAction(name, this, [this, name = name] {
                Filter f;
                if (find(name, &f)) {
                    Q_EMIT applyRequested(f);
                }
            });
            a->setToolTip(query);
        }
        if (list_.empty()) {
            apply->addAction(tr("(none saved)"))->setEnabled(false);
        }
    });
    connect(remove, &QMenu::aboutToShow, this, [this, remove] {
        remove->clear();
        for (const auto& entry : list_) {
            remove->addAction(entry.first, this, [this, name = entry.first] { this->remove(name); });
        }
        if (list_.empty()) {
            remove->addAction(tr("(none saved)"))->setEnabled(false);
        }
    });
}

}  // namespace ps
