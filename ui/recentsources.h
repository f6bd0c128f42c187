// The sources opened lately, newest first, as kept in the settings: one entry per open (its paths or database
// targets, and the custom SELECT its databases were read through), a database's password removed rather than
// masked, so the entry opens again with the password from PGPASSWORD, ~/.pgpass or the keychain and the settings
// never hold it.
#pragma once

#include <QStringList>

#include <vector>

namespace ps {

struct RecentSourceSet {
    QStringList paths;
    QString customSelect;  // empty: the databases' tables were detected
};

std::vector<RecentSourceSet> recentSourceSets();
void rememberSourceSet(const QStringList& paths, const QString& customSelect = {});

}  // namespace ps
