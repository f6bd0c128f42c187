// Database passwords in the system keychain (Secret Service, KWallet, macOS Keychain, Windows Credential Store)
// through qtkeychain, keyed by the connection's address without its password. There is no fallback: where no
// keychain service runs (a bare session, CI, offscreen), nothing is stored and the password is asked for again.
// Calls are asynchronous; the callback runs on the calling thread, with ok = false when there is no keychain or
// no password for the key.
#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace ps {

class PasswordStore : public QObject {
    Q_OBJECT

public:
    using ReadCallback = std::function<void(bool ok, const QString& password, const QString& error)>;
    using WriteCallback = std::function<void(bool ok, const QString& error)>;

    explicit PasswordStore(QObject* parent = nullptr);

    void read(const QString& key, ReadCallback done);
    void write(const QString& key, const QString& password, WriteCallback done);
    void remove(const QString& key);

    // The keychain's service name: one entry per connection address under it.
    static QString serviceName();
};

}  // namespace ps
