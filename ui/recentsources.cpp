#include "recentsources.h"

#include <QSettings>

#include "dbconnection.h"

namespace ps {
namespace {

constexpr int kMaxRecent = 8;
const QString kKey = QStringLiteral("open/recent");
// An entry is its paths, one a line; a custom SELECT follows after an empty line (a path is never empty, and
// only the first empty line separates, so the SELECT may hold empty lines of its own).
const QString kSelectSeparator = QStringLiteral("\n\n");

}  // namespace

std::vector<RecentSourceSet> recentSourceSets() {
    std::vector<RecentSourceSet> sets;
    for (const QString& entry : QSettings().value(kKey).toStringList()) {
        const qsizetype split = entry.indexOf(kSelectSeparator);
        RecentSourceSet set;
        set.paths = entry.left(split).split(QLatin1Char('\n'));
        if (split >= 0) {
            set.customSelect = entry.mid(split + kSelectSeparator.size());
        }
        sets.push_back(std::move(set));
    }
    return sets;
}

void rememberSourceSet(const QStringList& paths, const QString& customSelect) {
    QSettings settings;
    QStringList recent = settings.value(kKey).toStringList();
    QStringList shown;
    for (const QString& p : paths) {
        shown << QString::fromStdString(db::withoutPasswordToReopen(p.toStdString()));
    }
    QString entry = shown.join(QLatin1Char('\n'));
    if (!customSelect.trimmed().isEmpty()) {
        entry += kSelectSeparator + customSelect.trimmed();
    }
    recent.removeAll(entry);
    recent.prepend(entry);
    while (recent.size() > kMaxRecent) {
        recent.removeLast();
    }
    settings.setValue(kKey, recent);
}

}  // namespace ps
