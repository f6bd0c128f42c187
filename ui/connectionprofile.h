// A saved database connection: where it goes (a SQLite file, or a PostgreSQL server by fields or by libpq URI),
// which schema to read (detected, or a custom SELECT) and its name. Never its password: settings hold the
// profile, the system keychain (PasswordStore) the password.
#pragma once

#include <QString>
#include <QStringList>

class QSettings;

namespace ps {

struct ConnectionProfile {
    enum class Kind { Sqlite, Postgres };

    QString name;
    Kind kind = Kind::Sqlite;
    QString sqlitePath;
    QString host = QStringLiteral("localhost");
    int port = 5432;
    QString database;
    QString user;
    QString uri;  // a libpq URI; when set, it is used instead of host, port, database and user
    bool customQuery = false;
    QString sql;

    // The source string the load path reads, with the password put in where the server needs one. Held in
    // memory only: never shown, never saved.
    [[nodiscard]] QString sourceWithPassword(const QString& password) const;
    // The same without a password: for titles, recent files, the status bar, logs and the keychain key.
    [[nodiscard]] QString displaySource() const;
    // What the load path reads instead of detecting the tables: the SQL when a custom SELECT is chosen.
    [[nodiscard]] QString customSelect() const { return customQuery ? sql.trimmed() : QString(); }
    // A target, and the SQL when a custom SELECT is chosen.
    [[nodiscard]] bool isComplete() const;

    friend bool operator==(const ConnectionProfile&, const ConnectionProfile&) = default;
};

// How a source is named in the title, the recent menu and the status bar: a file by its name, a database by its
// address without the password.
QString displayNameOfSource(const QString& source);

// Takes a password out of a libpq URI (user:password@ or ?password=) into *password; returns the URI without it.
QString takePasswordFromUri(const QString& uri, QString* password);

// Connection profiles kept in QSettings under "connections/", by name.
class SavedConnections {
public:
    explicit SavedConnections(QSettings& settings) : settings_(settings) {}

    [[nodiscard]] QStringList names() const;
    [[nodiscard]] ConnectionProfile load(const QString& name) const;
    // Saves everything except a password: a password left in the URI is dropped first.
    void save(const ConnectionProfile& profile);
    void remove(const QString& name);

private:
    QSettings& settings_;
};

}  // namespace ps
