#include "reviewrulesbox.h"
#include "versionlabel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QMenu>
#include <QSettings>
#include <QSpinBox>
#include <QToolButton>

namespace ps {
namespace {

const QString kEnabledKey = QStringLiteral("review/rules");
const QString kJudgeKey = QStringLiteral("review/judgeScoreBelow");
const QString kToolsKey = QStringLiteral("review/maxToolCalls");
const QString kRiskKey = QStringLiteral("review/highRiskFeatures");

// The canary combo's first two entries; the others are single prompt versions.
constexpr int kCanaryDeployed = 0;
constexpr int kCanaryEnvironmentOnly = 1;

QString describe(const std::vector<PromptVersionKey>& keys) {
    QStringList parts;
    for (const PromptVersionKey& k : keys) {
        parts << (k.prompt.empty() ? QString() : QString::fromStdString(k.prompt) + QLatin1Char(' ')) +
                     QString::fromStdString(versionLabel(k.version));
    }
    return parts.join(QStringLiteral(", "));
}

}  // namespace

ReviewRulesBox::ReviewRulesBox(QWidget* parent) : QGroupBox(tr("Rules that fill the queue"), parent) {
    QSettings settings;
    const uint32_t enabled = settings.value(kEnabledKey, kAllReviewRules).toUInt();
    for (int i = 0; i < kReviewRuleCount; ++i) {
        const auto rule = static_cast<ReviewRule>(1u << i);
        auto* check = new QCheckBox(QString::fromUtf8(reviewRuleTitle(rule)), this);
        check->setChecked(enabled & (1u << i));
        connect(check, &QCheckBox::toggled, this, [this] {
            remember();
            Q_EMIT settingsChanged();
        });
        checks_.push_back(check);
    }
    checks_[2]->setText(tr("Judge score below"));
    checks_[3]->setText(tr("Canary:"));
    checks_[4]->setText(tr("High-risk features:"));
    checks_[5]->setText(tr("More than"));
    checks_[0]->setToolTip(tr("A request with at least one failed eval"));
    checks_[1]->setToolTip(tr("A request a user gave a thumbs-down"));

    judgeBelow_ = new QDoubleSpinBox(this);
    judgeBelow_->setRange(-1000, 1000);
    judgeBelow_->setDecimals(1);
    judgeBelow_->setSingleStep(0.5);
    judgeBelow_->setValue(settings.value(kJudgeKey, 3.0).toDouble());
    toolLimit_ = new QSpinBox(this);
    toolLimit_->setRange(0, 10000);
    toolLimit_->setValue(settings.value(kToolsKey, 5).toInt());
    toolLimit_->setSuffix(tr(" tool calls"));
    canary_ = new QComboBox(this);
    canary_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    featuresMenu_ = new QMenu(this);
    featuresButton_ = new QToolButton(this);
    featuresButton_->setPopupMode(QToolButton::InstantPopup);
    featuresButton_->setMenu(featuresMenu_);
    highRisk_ = settings.value(kRiskKey).toStringList();
    updateFeatureButton();

    for (auto* spin :
         {static_cast<QAbstractSpinBox*>(judgeBelow_), static_cast<QAbstractSpinBox*>(toolLimit_)}) {
        spin->setKeyboardTracking(false);  // one recompute per value, not per digit typed
    }
    connect(judgeBelow_, &QDoubleSpinBox::valueChanged, this, [this] {
        remember();
        Q_EMIT settingsChanged();
    });
    connect(toolLimit_, &QSpinBox::valueChanged, this, [this] {
        remember();
        Q_EMIT settingsChanged();
    });
    connect(canary_, &QComboBox::currentIndexChanged, this, &ReviewRulesBox::settingsChanged);

    auto* grid = new QGridLayout(this);
    auto pair = [this](QWidget* a, QWidget* b) {
        auto* box = new QWidget(this);
        auto* row = new QHBoxLayout(box);
        row->setContentsMargins(0, 0, 0, 0);
        row->addWidget(a);
        row->addWidget(b);
        row->addStretch(1);
        return box;
    };
    grid->addWidget(checks_[0], 0, 0);
    grid->addWidget(checks_[1], 1, 0);
    grid->addWidget(pair(checks_[2], judgeBelow_), 0, 1);
    grid->addWidget(pair(checks_[5], toolLimit_), 1, 1);
    grid->addWidget(pair(checks_[3], canary_), 0, 2);
    grid->addWidget(pair(checks_[4], featuresButton_), 1, 2);
    grid->setColumnStretch(2, 1);
}

void ReviewRulesBox::setChoices(const std::vector<std::string>& judgeEvals,
                                const std::vector<PromptVersionKey>& deployedCanaries,
                                const QStringList& versions, const QStringList& features) {
    judgeEvals_ = judgeEvals;
    deployedCanaries_ = deployedCanaries;
    QStringList judged;
    for (const std::string& name : judgeEvals) {
        judged << QString::fromStdString(name);
    }
    judgeBelow_->setToolTip(judged.isEmpty()
                                ? tr("No eval in the data looks like a judge score")
                                : tr("Judge evals compared: %1").arg(judged.join(QStringLiteral(", "))));

    const QString previous = canary_->currentData().toString();
    const QSignalBlocker block(canary_);
    canary_->clear();
    canary_->addItem(deployedCanaries.empty()
                         ? tr("environment “canary”")
                         : tr("environment “canary” or %1 (deployed to part of the traffic)")
                               .arg(describe(deployedCanaries)),
                     QString());
    canary_->addItem(tr("environment “canary” only"), QStringLiteral("\n"));
    for (const QString& v : versions) {
        if (!v.isEmpty()) {
            canary_->addItem(tr("environment “canary” or version %1").arg(v), v);
        }
    }
    const int keep = canary_->findData(previous);
    canary_->setCurrentIndex(keep >= 0 ? keep : kCanaryDeployed);

    featuresMenu_->clear();
    QStringList offered = features;
    for (const QString& f : highRisk_) {
        if (!offered.contains(f)) {
            offered << f;  // chosen earlier, not in this data: still shown so it can be unchecked
        }
    }
    for (const QString& f : offered) {
        QAction* action = featuresMenu_->addAction(f);
        action->setCheckable(true);
        action->setChecked(highRisk_.contains(f));
        connect(action, &QAction::toggled, this, [this, f](bool on) {
            QStringList chosen = highRisk_;
            chosen.removeAll(f);
            if (on) {
                chosen << f;
            }
            setHighRiskFeatures(chosen);
        });
    }
    if (offered.isEmpty()) {
        featuresMenu_->addAction(tr("No features in the data"))->setEnabled(false);
    }
}

void ReviewRulesBox::setHighRiskFeatures(const QStringList& features) {
    highRisk_ = features;
    highRisk_.sort();
    for (QAction* action : featuresMenu_->actions()) {
        const QSignalBlocker block(action);
        action->setChecked(highRisk_.contains(action->text()));
    }
    updateFeatureButton();
    remember();
    Q_EMIT settingsChanged();
}

void ReviewRulesBox::updateFeatureButton() {
    featuresButton_->setText(highRisk_.isEmpty() ? tr("none chosen") : highRisk_.join(QStringLiteral(", ")));
}

QCheckBox* ReviewRulesBox::ruleCheck(ReviewRule rule) const {
    for (int i = 0; i < kReviewRuleCount; ++i) {
        if (static_cast<uint32_t>(rule) == (1u << i)) {
            return checks_[static_cast<size_t>(i)];
        }
    }
    return nullptr;
}

ReviewRuleSettings ReviewRulesBox::settings() const {
    ReviewRuleSettings s;
    s.enabled = 0;
    for (int i = 0; i < kReviewRuleCount; ++i) {
        if (checks_[static_cast<size_t>(i)]->isChecked()) {
            s.enabled |= 1u << i;
        }
    }
    s.judgeEvals = judgeEvals_;
    s.judgeScoreBelow = judgeBelow_->value();
    s.maxToolCalls = static_cast<uint32_t>(toolLimit_->value());
    const int canary = canary_->currentIndex();
    if (canary == kCanaryDeployed || canary < 0) {
        s.canaryVersions = deployedCanaries_;
    } else if (canary != kCanaryEnvironmentOnly) {
        s.canaryVersions = {{std::string(), canary_->currentData().toString().toStdString()}};
    }
    for (const QString& f : highRisk_) {
        s.highRiskFeatures.push_back(f.toStdString());
    }
    return s;
}

void ReviewRulesBox::remember() {
    QSettings store;
    store.setValue(kEnabledKey, settings().enabled);
    store.setValue(kJudgeKey, judgeBelow_->value());
    store.setValue(kToolsKey, toolLimit_->value());
    store.setValue(kRiskKey, highRisk_);
}

}  // namespace ps
