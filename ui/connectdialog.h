// File > Connect to Database: a SQLite file or a PostgreSQL server (by fields or a libpq URI), the schema to read
// (detected, or a custom SELECT whose columns are named after PromptScope's fields, listed under the editor), a
// Test Connection button that runs off the GUI thread and says what is wrong, and saved connections: settings
// keep everything but the password, which goes to the system keychain when there is one.
#pragma once

#include <QDialog>
#include <QSettings>

#include <memory>

#include "connectionprobe.h"
#include "connectionprofile.h"

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QStackedWidget;

namespace ps {

class PasswordStore;

class ConnectDialog : public QDialog {
    Q_OBJECT

public:
    explicit ConnectDialog(QWidget* parent = nullptr);
    ~ConnectDialog() override;

    [[nodiscard]] ConnectionProfile profile() const;
    void setProfile(const ConnectionProfile& profile);
    [[nodiscard]] QString password() const;
    // What the load path opens: the profile's address with the password where the server needs one.
    [[nodiscard]] QString sourceString() const { return profile().sourceWithPassword(password()); }

    // Runs the probe on the thread pool; testFinished reports it (a newer test supersedes a running one).
    void testConnection();
    [[nodiscard]] const live::ProbeResult& lastResult() const { return lastResult_; }
    [[nodiscard]] bool isTesting() const { return testing_; }

    // Saves the profile under its name (settings, never the password) and, when asked to remember it, the password
    // in the keychain. False when the profile has no name.
    bool saveProfile();
    // Loads a saved connection into the fields and asks the keychain for its password.
    void loadSaved(const QString& name);
    void deleteSaved(const QString& name);

Q_SIGNALS:
    void testFinished(bool ok, const QString& message);
    // The keychain answered (for a read or a write): stored/found, or why not.
    void keychainAnswered(bool ok, const QString& message);

private:
    void buildUi();
    void updateEnabled();
    void refreshSavedList(const QString& select);
    void showResult(const live::ProbeResult& result);

    QSettings settings_;
    PasswordStore* passwords_;
    QComboBox* saved_;
    QPushButton* deleteSaved_;
    QLineEdit* name_;
    QRadioButton* sqlite_;
    QRadioButton* postgres_;
    QStackedWidget* targetPages_;
    QLineEdit* sqlitePath_;
    QLineEdit* host_;
    QSpinBox* port_;
    QLineEdit* database_;
    QLineEdit* user_;
    QLineEdit* password_;
    QCheckBox* rememberPassword_;
    QLabel* keychainNote_;
    QLineEdit* uri_;
    QRadioButton* detectSchema_;
    QRadioButton* customQuery_;
    QPlainTextEdit* sql_;
    QLabel* fieldHelp_;
    QPushButton* test_;
    QLabel* result_;
    QPushButton* save_;
    QPushButton* connect_;
    live::ProbeResult lastResult_;
    quint64 testJob_ = 0;
    bool testing_ = false;
};

}  // namespace ps
