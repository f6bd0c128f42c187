#include "recentsources.h"

#include <QSettings>

#include "dbconnection.h"

namespace ps {
namespace {

constexpr int kMaxRecent = 8;
const QString kKey = QStringLiteral("open/recent");

}  // namespace

std::vector<QStringList> recentSourceSets() {
    std::vector<QStringList> sets;
    for (const QString& entry : QSettings().value(kKey).toStringList()) {
        sets.push_back(entry.split(QLatin1Char('\n')));
    }
    return sets;
}

void rememberSourceSet(const QStringList& paths) {
    QSettings settings;
    QStringList recent = settings.value(kKey).toStringList();
    QStringList shown;
    for (const QString& p : paths) {
        shown << QString::fromStdString(db::withoutPasswordToReopen(p.toStdString()));
    }
    const QString entry = shown.join(QLatin1Char('\n'));
    recent.removeAll(entry);
    recent.prepend(entry);
    while (recent.size() > kMaxRecent) {
        recent.removeLast();
    }
    settings.setValue(kKey, recent);
}

}  // namespace ps
