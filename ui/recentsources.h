// The sources opened lately, newest first, as kept in the settings: one entry per open (its paths or database
// targets), a database's password removed rather than masked, so the entry opens again with the password from
// PGPASSWORD, ~/.pgpass or the keychain and the settings never hold it.
#pragma once

#include <QStringList>

#include <vector>

namespace ps {

std::vector<QStringList> recentSourceSets();
void rememberSourceSet(const QStringList& paths);

}  // namespace ps
