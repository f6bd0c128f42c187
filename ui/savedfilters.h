// The user's saved filters: a name and the filter's canonical query text, kept in the settings (never in the data
// or the workspace). The Filter menu saves, applies and deletes them; the Versions page compares any two.
#pragma once

#include <QObject>
#include <QString>

#include <functional>
#include <utility>
#include <vector>

#include "filter.h"

class QMenu;
class QWidget;

namespace ps {

class SavedFilters : public QObject {
    Q_OBJECT

public:
    using List = std::vector<std::pair<QString, QString>>;  // (name, query text), in the order saved

    explicit SavedFilters(QObject* parent = nullptr);

    [[nodiscard]] const List& list() const { return list_; }
    // Saves (or replaces, when the name exists) a filter under a name; false for an empty name.
    bool save(const QString& name, const Filter& filter);
    bool remove(const QString& name);
    // The saved filter of that name, parsed; false when there is none or its text no longer parses.
    bool find(const QString& name, Filter* out) const;

    // Adds "Save Filter As…" (asking for a name, for the current filter given by `current`), "Apply Saved
    // Filter" and "Delete Saved Filter" submenus to the menu.
    void addActions(QMenu* menu, QWidget* dialogParent, std::function<Filter()> current);

Q_SIGNALS:
    void changed(const ps::SavedFilters::List& list);
    void applyRequested(const ps::Filter& filter);

private:
    void store();
    List list_;
};

}  // namespace ps
