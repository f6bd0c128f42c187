#include "connectionprofile.h"

#include "dbconnection.h"

#include <QFileInfo>
#include <QSettings>
#include <QUrl>
#include <QUrlQuery>

namespace ps {
namespace {

const QString kGroup = QStringLiteral("connections");

QString encoded(const QString& text) {
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

// settings keys cannot hold '/' or '\\'; names can
QString keyOf(const QString& name) {
    return QString::fromLatin1(name.toUtf8().toHex());
}

}  // namespace

QString displayNameOfSource(const QString& source) {
    const QString shown = QString::fromStdString(db::withoutPassword(source.toStdString()));
    if (shown.startsWith(QStringLiteral("postgres"), Qt::CaseInsensitive)) {
        return shown;
    }
    return QFileInfo(shown.startsWith(QStringLiteral("sqlite:")) ? shown.mid(7) : shown).fileName();
}

QString takePasswordFromUri(const QString& uri, QString* password) {
    const qsizetype scheme = uri.indexOf(QStringLiteral("://"));
    if (scheme < 0) {
        return uri;
    }
    QString out = uri;
    const qsizetype authority = scheme + 3;
    qsizetype pathStart = out.indexOf(QLatin1Char('/'), authority);
    const qsizetype queryStart = out.indexOf(QLatin1Char('?'), authority);
    if (pathStart < 0 || (queryStart >= 0 && queryStart < pathStart)) {
        pathStart = queryStart;
    }
    const qsizetype at = out.lastIndexOf(QLatin1Char('@'), pathStart < 0 ? -1 : pathStart);
    if (at > authority) {
        const qsizetype colon = out.indexOf(QLatin1Char(':'), authority);
        if (colon >= 0 && colon < at) {
            *password = QUrl::fromPercentEncoding(out.mid(colon + 1, at - colon - 1).toUtf8());
            out.remove(colon, at - colon);
        }
    }
    const qsizetype q = out.indexOf(QLatin1Char('?'));
    if (q >= 0) {
        QUrlQuery query(out.mid(q + 1));
        if (query.hasQueryItem(QStringLiteral("password"))) {
            *password = query.queryItemValue(QStringLiteral("password"), QUrl::FullyDecoded);
            query.removeAllQueryItems(QStringLiteral("password"));
            const QString rest = query.toString(QUrl::FullyEncoded);
            out = out.left(q) + (rest.isEmpty() ? QString() : QLatin1Char('?') + rest);
        }
    }
    return out;
}

QString ConnectionProfile::displaySource() const {
    if (kind == Kind::Sqlite) {
        return QStringLiteral("sqlite:") + sqlitePath;
    }
    if (!uri.isEmpty()) {
        QString ignored;
        return takePasswordFromUri(uri.trimmed(), &ignored);
    }
    QString out = QStringLiteral("postgresql://");
    if (!user.isEmpty()) {
        out += encoded(user) + QLatin1Char('@');
    }
    out += host.isEmpty() ? QStringLiteral("localhost") : host;
    out += QLatin1Char(':') + QString::number(port);
    if (!database.isEmpty()) {
        out += QLatin1Char('/') + encoded(database);
    }
    return out;
}

QString ConnectionProfile::sourceWithPassword(const QString& password) const {
    const QString shown = displaySource();
    if (kind == Kind::Sqlite || password.isEmpty()) {
        return shown;
    }
    // libpq reads password=... among the URI's parameters, whatever else the URI says.
    return shown + (shown.contains(QLatin1Char('?')) ? QLatin1Char('&') : QLatin1Char('?')) +
           QStringLiteral("password=") + encoded(password);
}

bool ConnectionProfile::isComplete() const {
    if (customQuery && sql.trimmed().isEmpty()) {
        return false;
    }
    if (kind == Kind::Sqlite) {
        return !sqlitePath.trimmed().isEmpty();
    }
    return !uri.trimmed().isEmpty() || !host.trimmed().isEmpty();
}

QStringList SavedConnections::names() const {
    QStringList out;
    settings_.beginGroup(kGroup);
    for (const QString& key : settings_.childGroups()) {
        out << settings_.value(key + QStringLiteral("/name")).toString();
    }
    settings_.endGroup();
    out.removeAll(QString());
    out.sort(Qt::CaseInsensitive);
    return out;
}

ConnectionProfile SavedConnections::load(const QString& name) const {
    ConnectionProfile p;
    settings_.beginGroup(kGroup + QLatin1Char('/') + keyOf(name));
    p.name = settings_.value(QStringLiteral("name"), name).toString();
    p.kind = settings_.value(QStringLiteral("kind")).toString() == QStringLiteral("postgresql")
                 ? ConnectionProfile::Kind::Postgres
                 : ConnectionProfile::Kind::Sqlite;
    p.sqlitePath = settings_.value(QStringLiteral("path")).toString();
    p.host = settings_.value(QStringLiteral("host"), p.host).toString();
    p.port = settings_.value(QStringLiteral("port"), p.port).toInt();
    p.database = settings_.value(QStringLiteral("database")).toString();
    p.user = settings_.value(QStringLiteral("user")).toString();
    p.uri = settings_.value(QStringLiteral("uri")).toString();
    p.customQuery = settings_.value(QStringLiteral("customQuery"), false).toBool();
    p.sql = settings_.value(QStringLiteral("sql")).toString();
    settings_.endGroup();
    return p;
}

void SavedConnections::save(const ConnectionProfile& profile) {
    QString ignored;
    settings_.beginGroup(kGroup + QLatin1Char('/') + keyOf(profile.name));
    settings_.setValue(QStringLiteral("name"), profile.name);
    settings_.setValue(QStringLiteral("kind"), profile.kind == ConnectionProfile::Kind::Postgres
                                                   ? QStringLiteral("postgresql")
                                                   : QStringLiteral("sqlite"));
    settings_.setValue(QStringLiteral("path"), profile.sqlitePath);
    settings_.setValue(QStringLiteral("host"), profile.host);
    settings_.setValue(QStringLiteral("port"), profile.port);
    settings_.setValue(QStringLiteral("database"), profile.database);
    settings_.setValue(QStringLiteral("user"), profile.user);
    settings_.setValue(QStringLiteral("uri"), takePasswordFromUri(profile.uri, &ignored));
    settings_.setValue(QStringLiteral("customQuery"), profile.customQuery);
    settings_.setValue(QStringLiteral("sql"), profile.sql);
    settings_.endGroup();
}

void SavedConnections::remove(const QString& name) {
    settings_.remove(kGroup + QLatin1Char('/') + keyOf(name));
}

}  // namespace ps
