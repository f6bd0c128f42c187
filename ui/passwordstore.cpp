#include "passwordstore.h"

#include <qt6keychain/keychain.h>

namespace ps {

PasswordStore::PasswordStore(QObject* parent) : QObject(parent) {}

QString PasswordStore::serviceName() {
    return QStringLiteral("PromptScope database connections");
}

void PasswordStore::read(const QString& key, ReadCallback done) {
    auto* job = new QKeychain::ReadPasswordJob(serviceName());  // outlives a closed dialog
    job->setAutoDelete(true);
    job->setInsecureFallback(false);  // never a plain-text file in place of a keychain
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job* finished) {
        const auto* reader = static_cast<QKeychain::ReadPasswordJob*>(finished);
        const bool ok = finished->error() == QKeychain::NoError;
        done(ok, ok ? reader->textData() : QString(), ok ? QString() : finished->errorString());
    });
    job->start();
}

void PasswordStore::write(const QString& key, const QString& password, WriteCallback done) {
    auto* job = new QKeychain::WritePasswordJob(serviceName());  // outlives a closed dialog
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setTextData(password);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job* finished) {
        const bool ok = finished->error() == QKeychain::NoError;
        if (done) {
            done(ok, ok ? QString() : finished->errorString());
        }
    });
    job->start();
}

void PasswordStore::remove(const QString& key) {
    auto* job = new QKeychain::DeletePasswordJob(serviceName());  // outlives a closed dialog
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->start();
}

}  // namespace ps
