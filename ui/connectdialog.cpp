#include "connectdialog.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QThreadPool>
#include <QVBoxLayout>

#include "fieldrow.h"
#include "passwordstore.h"

namespace ps {
namespace {

QString fieldText(std::string_view text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

// The fields the readers read (fieldrow.h), in their order; those a row cannot do without in bold.
QString fieldHelpHtml() {
    QStringList names;
    for (size_t i = 0; i < kFieldCount; ++i) {
        const auto f = static_cast<Field>(i);
        const bool needed = f == Field::StartTime || f == Field::TraceId || f == Field::SpanId;
        names << (needed ? QStringLiteral("<b>%1</b>") : QStringLiteral("%1")).arg(fieldText(fieldName(f)));
    }
    return ConnectDialog::tr("One row per span (or per request). Name the columns after PromptScope's fields; "
                             "a row needs <b>start_time</b> and <b>trace_id</b> or <b>span_id</b> (hover for "
                             "what each field holds):<br><tt>%1</tt>")
        .arg(names.join(QStringLiteral(", ")));
}

QString fieldHelpTooltip() {
    QString out;
    for (size_t i = 0; i < kFieldCount; ++i) {
        const auto f = static_cast<Field>(i);
        out += QStringLiteral("<b>%1</b>: %2<br>").arg(fieldText(fieldName(f)), fieldText(fieldMeaning(f)).toHtmlEscaped());
    }
    return out;
}

}  // namespace

ConnectDialog::ConnectDialog(QWidget* parent) : QDialog(parent), passwords_(new PasswordStore(this)) {
    setWindowTitle(tr("Connect to Database"));
    buildUi();
    refreshSavedList({});
    updateEnabled();
}

ConnectDialog::~ConnectDialog() = default;

void ConnectDialog::buildUi() {
    auto* layout = new QVBoxLayout(this);

    auto* savedRow = new QHBoxLayout;
    saved_ = new QComboBox(this);
    saved_->setObjectName(QStringLiteral("savedConnections"));
    saved_->setMinimumWidth(260);
    deleteSaved_ = new QPushButton(tr("Delete"), this);
    deleteSaved_->setToolTip(tr("Forget this saved connection and its password in the keychain"));
    savedRow->addWidget(new QLabel(tr("Saved connections:"), this));
    savedRow->addWidget(saved_, 1);
    savedRow->addWidget(deleteSaved_);
    layout->addLayout(savedRow);

    auto* where = new QGroupBox(tr("Database"), this);
    auto* whereLayout = new QVBoxLayout(where);
    auto* nameForm = new QFormLayout;
    name_ = new QLineEdit(where);
    name_->setObjectName(QStringLiteral("name"));
    name_->setPlaceholderText(tr("e.g. LiteLLM production (to save it)"));
    nameForm->addRow(tr("Name:"), name_);
    whereLayout->addLayout(nameForm);
    auto* kindRow = new QHBoxLayout;
    sqlite_ = new QRadioButton(tr("SQLite file"), where);
    sqlite_->setObjectName(QStringLiteral("sqlite"));
    postgres_ = new QRadioButton(tr("PostgreSQL"), where);
    postgres_->setObjectName(QStringLiteral("postgresql"));
    sqlite_->setChecked(true);
    kindRow->addWidget(sqlite_);
    kindRow->addWidget(postgres_);
    kindRow->addStretch(1);
    whereLayout->addLayout(kindRow);

    targetPages_ = new QStackedWidget(where);
    auto* sqlitePage = new QWidget(targetPages_);
    auto* sqliteForm = new QFormLayout(sqlitePage);
    sqliteForm->setContentsMargins(0, 0, 0, 0);
    auto* fileRow = new QHBoxLayout;
    sqlitePath_ = new QLineEdit(sqlitePage);
    sqlitePath_->setObjectName(QStringLiteral("sqlitePath"));
    sqlitePath_->setPlaceholderText(tr("/path/to/logs.db"));
    auto* browse = new QPushButton(tr("Browse…"), sqlitePage);
    fileRow->addWidget(sqlitePath_, 1);
    fileRow->addWidget(browse);
    sqliteForm->addRow(tr("File:"), fileRow);
    targetPages_->addWidget(sqlitePage);

    auto* pgPage = new QWidget(targetPages_);
    auto* pgForm = new QFormLayout(pgPage);
    pgForm->setContentsMargins(0, 0, 0, 0);
    auto* hostRow = new QHBoxLayout;
    host_ = new QLineEdit(QStringLiteral("localhost"), pgPage);
    host_->setObjectName(QStringLiteral("host"));
    port_ = new QSpinBox(pgPage);
    port_->setObjectName(QStringLiteral("port"));
    port_->setRange(1, 65535);
    port_->setValue(5432);
    hostRow->addWidget(host_, 1);
    hostRow->addWidget(new QLabel(tr("Port:"), pgPage));
    hostRow->addWidget(port_);
    pgForm->addRow(tr("Host:"), hostRow);
    database_ = new QLineEdit(pgPage);
    database_->setObjectName(QStringLiteral("database"));
    database_->setPlaceholderText(tr("litellm"));
    pgForm->addRow(tr("Database:"), database_);
    user_ = new QLineEdit(pgPage);
    user_->setObjectName(QStringLiteral("user"));
    pgForm->addRow(tr("User:"), user_);
    password_ = new QLineEdit(pgPage);
    password_->setObjectName(QStringLiteral("password"));
    password_->setEchoMode(QLineEdit::Password);
    pgForm->addRow(tr("Password:"), password_);
    rememberPassword_ = new QCheckBox(tr("Remember the password in the system keychain"), pgPage);
    rememberPassword_->setObjectName(QStringLiteral("rememberPassword"));
    rememberPassword_->setChecked(true);
    pgForm->addRow(QString(), rememberPassword_);
    keychainNote_ = new QLabel(pgPage);
    keychainNote_->setObjectName(QStringLiteral("keychainNote"));
    keychainNote_->setWordWrap(true);
    keychainNote_->setStyleSheet(QStringLiteral("color: palette(mid);"));
    keychainNote_->setText(tr("Passwords are never written to the settings file."));
    pgForm->addRow(QString(), keychainNote_);
    uri_ = new QLineEdit(pgPage);
    uri_->setObjectName(QStringLiteral("uri"));
    uri_->setPlaceholderText(tr("or a URI: postgresql://user@host:5432/litellm?sslmode=require"));
    uri_->setToolTip(tr("A libpq connection URI; when given, it is used instead of the fields above. A password in "
                        "it is moved to the password field."));
    pgForm->addRow(tr("URI:"), uri_);
    targetPages_->addWidget(pgPage);
    whereLayout->addWidget(targetPages_);
    layout->addWidget(where);

    auto* schema = new QGroupBox(tr("Tables"), this);
    auto* schemaLayout = new QVBoxLayout(schema);
    detectSchema_ = new QRadioButton(tr("Detect automatically (LiteLLM SpendLogs, Langfuse v2, PromptScope's own)"),
                                     schema);
    detectSchema_->setObjectName(QStringLiteral("detectSchema"));
    customQuery_ = new QRadioButton(tr("Custom SELECT"), schema);
    customQuery_->setObjectName(QStringLiteral("customQuery"));
    detectSchema_->setChecked(true);
    schemaLayout->addWidget(detectSchema_);
    schemaLayout->addWidget(customQuery_);
    sql_ = new QPlainTextEdit(schema);
    sql_->setObjectName(QStringLiteral("sql"));
    sql_->setPlaceholderText(QStringLiteral(
        "SELECT id AS trace_id, created_at AS start_time, latency_ms AS duration_ms,\n"
        "       model, prompt_tokens AS input_tokens, completion_tokens AS output_tokens, cost AS cost_usd\n"
        "FROM llm_calls"));
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::TypeWriter);
    sql_->setFont(mono);
    sql_->setMinimumHeight(90);
    schemaLayout->addWidget(sql_);
    fieldHelp_ = new QLabel(fieldHelpHtml(), schema);
    fieldHelp_->setObjectName(QStringLiteral("fieldHelp"));
    fieldHelp_->setWordWrap(true);
    fieldHelp_->setToolTip(fieldHelpTooltip());
    schemaLayout->addWidget(fieldHelp_);
    layout->addWidget(schema);

    auto* testRow = new QHBoxLayout;
    test_ = new QPushButton(tr("Test Connection"), this);
    test_->setObjectName(QStringLiteral("testConnection"));
    result_ = new QLabel(this);
    result_->setObjectName(QStringLiteral("testResult"));
    result_->setWordWrap(true);
    result_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    result_->setMinimumHeight(40);
    testRow->addWidget(test_, 0, Qt::AlignTop);
    testRow->addWidget(result_, 1);
    layout->addLayout(testRow);

    auto* buttons = new QDialogButtonBox(this);
    save_ = buttons->addButton(tr("Save"), QDialogButtonBox::ApplyRole);
    save_->setObjectName(QStringLiteral("save"));
    connect_ = buttons->addButton(tr("Connect"), QDialogButtonBox::AcceptRole);
    connect_->setObjectName(QStringLiteral("connect"));
    connect_->setDefault(true);
    buttons->addButton(QDialogButtonBox::Cancel);
    layout->addWidget(buttons);

    connect(sqlite_, &QRadioButton::toggled, this, &ConnectDialog::updateEnabled);
    connect(customQuery_, &QRadioButton::toggled, this, &ConnectDialog::updateEnabled);
    connect(sqlitePath_, &QLineEdit::textChanged, this, &ConnectDialog::updateEnabled);
    connect(host_, &QLineEdit::textChanged, this, &ConnectDialog::updateEnabled);
    connect(uri_, &QLineEdit::textChanged, this, &ConnectDialog::updateEnabled);
    connect(sql_, &QPlainTextEdit::textChanged, this, &ConnectDialog::updateEnabled);
    connect(uri_, &QLineEdit::editingFinished, this, [this] {
        QString password;
        const QString rest = takePasswordFromUri(uri_->text(), &password);
        if (!password.isEmpty()) {
            uri_->setText(rest);
            password_->setText(password);
        }
    });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("SQLite log database"), sqlitePath_->text(),
                                                          tr("SQLite databases (*.db *.sqlite *.sqlite3 *.promptscope);;"
                                                             "All files (*)"));
        if (!path.isEmpty()) {
            sqlitePath_->setText(path);
        }
    });
    connect(test_, &QPushButton::clicked, this, &ConnectDialog::testConnection);
    connect(save_, &QPushButton::clicked, this, [this] { saveProfile(); });
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (!name_->text().trimmed().isEmpty()) {
            saveProfile();
        }
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(saved_, &QComboBox::activated, this, [this](int index) {
        if (index > 0) {
            loadSaved(saved_->itemText(index));
        }
    });
    connect(deleteSaved_, &QPushButton::clicked, this, [this] {
        if (saved_->currentIndex() > 0) {
            deleteSaved(saved_->currentText());
        }
    });
}

void ConnectDialog::updateEnabled() {
    targetPages_->setCurrentIndex(sqlite_->isChecked() ? 0 : 1);
    // The stack would otherwise keep the PostgreSQL page's height under the one-line SQLite page.
    for (int i = 0; i < targetPages_->count(); ++i) {
        const auto policy = i == targetPages_->currentIndex() ? QSizePolicy::Preferred : QSizePolicy::Ignored;
        targetPages_->widget(i)->setSizePolicy(policy, policy);
    }
    const bool byUri = !uri_->text().trimmed().isEmpty();
    for (QWidget* w : {static_cast<QWidget*>(host_), static_cast<QWidget*>(port_), static_cast<QWidget*>(database_),
                       static_cast<QWidget*>(user_)}) {
        w->setEnabled(!byUri);
    }
    sql_->setEnabled(customQuery_->isChecked());
    fieldHelp_->setEnabled(customQuery_->isChecked());
    const bool complete = profile().isComplete();
    test_->setEnabled(complete);
    connect_->setEnabled(complete);
    deleteSaved_->setEnabled(saved_->currentIndex() > 0);
}

ConnectionProfile ConnectDialog::profile() const {
    ConnectionProfile p;
    p.name = name_->text().trimmed();
    p.kind = sqlite_->isChecked() ? ConnectionProfile::Kind::Sqlite : ConnectionProfile::Kind::Postgres;
    p.sqlitePath = sqlitePath_->text().trimmed();
    p.host = host_->text().trimmed();
    p.port = port_->value();
    p.database = database_->text().trimmed();
    p.user = user_->text().trimmed();
    QString ignored;
    p.uri = takePasswordFromUri(uri_->text().trimmed(), &ignored);
    p.customQuery = customQuery_->isChecked();
    p.sql = sql_->toPlainText();
    return p;
}

QString ConnectDialog::password() const {
    QString fromUri;
    takePasswordFromUri(uri_->text().trimmed(), &fromUri);
    return password_->text().isEmpty() ? fromUri : password_->text();
}

void ConnectDialog::setProfile(const ConnectionProfile& p) {
    name_->setText(p.name);
    (p.kind == ConnectionProfile::Kind::Sqlite ? sqlite_ : postgres_)->setChecked(true);
    sqlitePath_->setText(p.sqlitePath);
    host_->setText(p.host);
    port_->setValue(p.port);
    database_->setText(p.database);
    user_->setText(p.user);
    uri_->setText(p.uri);
    (p.customQuery ? customQuery_ : detectSchema_)->setChecked(true);
    sql_->setPlainText(p.sql);
    password_->clear();
    result_->clear();
    updateEnabled();
}

void ConnectDialog::testConnection() {
    live::ProbeRequest request;
    const ConnectionProfile p = profile();
    request.source = p.sourceWithPassword(password()).toStdString();
    request.password = password().toStdString();
    request.customQuery = p.customQuery;
    request.sql = p.sql.toStdString();
    const quint64 job = ++testJob_;
    testing_ = true;
    result_->setStyleSheet(QString());
    result_->setText(tr("Testing %1…").arg(p.displaySource()));
    QPointer<ConnectDialog> self(this);
    QThreadPool::globalInstance()->start([self, job, request] {
        live::ProbeResult result = live::probeConnection(request);
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, job, result = std::move(result)] {
                if (self && job == self->testJob_) {
                    self->testing_ = false;
                    self->showResult(result);
                }
            },
            Qt::QueuedConnection);
    });
}

void ConnectDialog::showResult(const live::ProbeResult& result) {
    lastResult_ = result;
    const QString message = QString::fromStdString(result.message);
    result_->setStyleSheet(result.ok() ? QStringLiteral("color: #1a7f37;") : QStringLiteral("color: #c62828;"));
    result_->setText((result.ok() ? QStringLiteral("✔ ") : QStringLiteral("✖ ")) + message);
    Q_EMIT testFinished(result.ok(), message);
}

bool ConnectDialog::saveProfile() {
    const ConnectionProfile p = profile();
    if (p.name.isEmpty()) {
        name_->setFocus();
        result_->setStyleSheet(QStringLiteral("color: #c62828;"));
        result_->setText(tr("Give the connection a name to save it."));
        return false;
    }
    SavedConnections(settings_).save(p);
    settings_.sync();
    refreshSavedList(p.name);
    const QString secret = password();
    if (p.kind == ConnectionProfile::Kind::Postgres && rememberPassword_->isChecked() && !secret.isEmpty()) {
        QPointer<ConnectDialog> self(this);
        passwords_->write(p.displaySource(), secret, [self](bool ok, const QString& error) {
            if (!self) {
                return;
            }
            const QString note = ok ? tr("The password is kept in the system keychain.")
                                    : tr("No system keychain is available (%1): the password was not saved and will "
                                         "be asked for again.")
                                          .arg(error);
            self->keychainNote_->setText(note);
            Q_EMIT self->keychainAnswered(ok, note);
        });
    }
    return true;
}

void ConnectDialog::loadSaved(const QString& name) {
    setProfile(SavedConnections(settings_).load(name));
    refreshSavedList(name);
    if (profile().kind != ConnectionProfile::Kind::Postgres) {
        return;
    }
    QPointer<ConnectDialog> self(this);
    const QString key = profile().displaySource();
    passwords_->read(key, [self, key](bool ok, const QString& password, const QString& error) {
        if (!self || self->profile().displaySource() != key) {
            return;  // the fields changed meanwhile
        }
        QString note;
        if (ok) {
            self->password_->setText(password);
            note = tr("Password read from the system keychain.");
        } else {
            self->password_->setPlaceholderText(tr("enter the password"));
            note = tr("The password is not in a keychain (%1): enter it again.").arg(error);
        }
        self->keychainNote_->setText(note);
        Q_EMIT self->keychainAnswered(ok, note);
    });
}

void ConnectDialog::deleteSaved(const QString& name) {
    const ConnectionProfile p = SavedConnections(settings_).load(name);
    SavedConnections(settings_).remove(name);
    settings_.sync();
    if (p.kind == ConnectionProfile::Kind::Postgres) {
        passwords_->remove(p.displaySource());
    }
    refreshSavedList({});
}

void ConnectDialog::refreshSavedList(const QString& select) {
    saved_->clear();
    saved_->addItem(tr("(new connection)"));
    saved_->addItems(SavedConnections(settings_).names());
    const int index = select.isEmpty() ? 0 : saved_->findText(select);
    saved_->setCurrentIndex(std::max(0, index));
    deleteSaved_->setEnabled(saved_->currentIndex() > 0);
}

}  // namespace ps
