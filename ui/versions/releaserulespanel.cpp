#include "releaserulespanel.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSettings>
#include <QSpinBox>

namespace ps {
namespace {

QLabel* small(QWidget* parent) {
    auto* l = new QLabel(parent);
    l->setWordWrap(true);
    l->setStyleSheet(QStringLiteral("color: #555;"));
    return l;
}

void setBadge(QLabel* label, const QString& text, const QString& colour) {
    label->setText(text);
    label->setStyleSheet(QStringLiteral("QLabel { color: white; background: %1; border-radius: 3px; padding: 1px 6px; "
                                        "font-weight: bold; }")
                             .arg(colour));
}

}  // namespace

ReleaseRulesPanel::ReleaseRulesPanel(QWidget* parent) : QWidget(parent) {
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setVerticalSpacing(2);
    auto* title = new QLabel(tr("<b>Release rules</b>"), this);
    title->setToolTip(tr("Gates checked on the compared version against the baseline; "
                         "`promptscope compare` exits with 2 when one fails"));
    grid->addWidget(title, 0, 0, 1, 2);

    failureRatio_ = new QDoubleSpinBox(this);
    failureRatio_->setRange(1.05, 20);
    failureRatio_->setSingleStep(0.25);
    failureRatio_->setDecimals(2);
    failureRatio_->setSuffix(QStringLiteral("×"));
    minRequests_ = new QSpinBox(this);
    minRequests_->setRange(0, 1000000);
    minRequests_->setSingleStep(50);
    costIncrease_ = new QDoubleSpinBox(this);
    costIncrease_->setRange(0, 1000);
    costIncrease_->setDecimals(0);
    costIncrease_->setSingleStep(5);
    costIncrease_->setPrefix(QStringLiteral("+"));
    costIncrease_->setSuffix(QStringLiteral("%"));
    evalPass_ = new QDoubleSpinBox(this);
    evalPass_->setRange(0, 100);
    evalPass_->setDecimals(1);
    evalPass_->setSingleStep(0.5);
    evalPass_->setSuffix(QStringLiteral("%"));

    auto rule = [&](size_t i, const QString& text, std::initializer_list<std::pair<QWidget*, QString>> parts) {
        const int row = 1 + static_cast<int>(i) * 2;
        auto* line = new QHBoxLayout;
        on_[i] = new QCheckBox(text, this);
        line->addWidget(on_[i]);
        for (const auto& [widget, after] : parts) {
            line->addWidget(widget);
            if (!after.isEmpty()) {
                line->addWidget(new QLabel(after, this));
            }
        }
        line->addStretch(1);
        status_[i] = new QLabel(this);
        status_[i]->setAlignment(Qt::AlignCenter);
        status_[i]->setMinimumWidth(64);
        detail_[i] = small(this);
        grid->addWidget(status_[i], row, 0, Qt::AlignTop);
        grid->addLayout(line, row, 1);
        grid->addWidget(detail_[i], row + 1, 1);
    };
    rule(0, tr("Failure rate below"),
         {{failureRatio_, tr("the baseline's, judged after")}, {minRequests_, tr("requests")}});
    rule(1, tr("p95 cost per request under"), {{costIncrease_, tr("of the baseline's")}});
    rule(2, tr("Eval pass rate at least"), {{evalPass_, QString()}});
    grid->setColumnStretch(1, 1);
    grid->setRowStretch(7, 1);

    QSettings s;
    ReleaseRuleSettings stored;
    stored.failureRatioOn = s.value(QStringLiteral("versions/rules/failureOn"), true).toBool();
    stored.failureRatio = s.value(QStringLiteral("versions/rules/failureRatio"), stored.failureRatio).toDouble();
    stored.failureMinRequests =
        s.value(QStringLiteral("versions/rules/failureMinRequests"), qulonglong{stored.failureMinRequests}).toULongLong();
    stored.costP95On = s.value(QStringLiteral("versions/rules/costOn"), true).toBool();
    stored.costP95Increase = s.value(QStringLiteral("versions/rules/costIncrease"), stored.costP95Increase).toDouble();
    stored.evalPassOn = s.value(QStringLiteral("versions/rules/evalOn"), true).toBool();
    stored.minEvalPassRate = s.value(QStringLiteral("versions/rules/minEvalPass"), stored.minEvalPassRate).toDouble();
    setSettings(stored);

    for (QCheckBox* box : on_) {
        connect(box, &QCheckBox::toggled, this, &ReleaseRulesPanel::edited);
    }
    for (QDoubleSpinBox* box : {failureRatio_, costIncrease_, evalPass_}) {
        connect(box, &QDoubleSpinBox::valueChanged, this, &ReleaseRulesPanel::edited);
    }
    connect(minRequests_, &QSpinBox::valueChanged, this, &ReleaseRulesPanel::edited);
    showNothing(tr("No comparison yet."));
}

ReleaseRuleSettings ReleaseRulesPanel::settings() const {
    ReleaseRuleSettings s;
    s.failureRatioOn = on_[0]->isChecked();
    s.failureRatio = failureRatio_->value();
    s.failureMinRequests = static_cast<uint64_t>(minRequests_->value());
    s.costP95On = on_[1]->isChecked();
    s.costP95Increase = costIncrease_->value() / 100;
    s.evalPassOn = on_[2]->isChecked();
    s.minEvalPassRate = evalPass_->value() / 100;
    return s;
}

void ReleaseRulesPanel::setSettings(const ReleaseRuleSettings& s) {
    updating_ = true;
    on_[0]->setChecked(s.failureRatioOn);
    failureRatio_->setValue(s.failureRatio);
    minRequests_->setValue(static_cast<int>(std::min<uint64_t>(s.failureMinRequests, 1000000)));
    on_[1]->setChecked(s.costP95On);
    costIncrease_->setValue(s.costP95Increase * 100);
    on_[2]->setChecked(s.evalPassOn);
    evalPass_->setValue(s.minEvalPassRate * 100);
    updating_ = false;
}

void ReleaseRulesPanel::edited() {
    if (updating_) {
        return;
    }
    const ReleaseRuleSettings s = settings();
    QSettings stored;
    stored.setValue(QStringLiteral("versions/rules/failureOn"), s.failureRatioOn);
    stored.setValue(QStringLiteral("versions/rules/failureRatio"), s.failureRatio);
    stored.setValue(QStringLiteral("versions/rules/failureMinRequests"), qulonglong{s.failureMinRequests});
    stored.setValue(QStringLiteral("versions/rules/costOn"), s.costP95On);
    stored.setValue(QStringLiteral("versions/rules/costIncrease"), s.costP95Increase);
    stored.setValue(QStringLiteral("versions/rules/evalOn"), s.evalPassOn);
    stored.setValue(QStringLiteral("versions/rules/minEvalPass"), s.minEvalPassRate);
    Q_EMIT settingsChanged(s);
}

void ReleaseRulesPanel::showResults(const std::vector<RuleResult>& results) {
    for (size_t i = 0; i < status_.size(); ++i) {
        setBadge(status_[i], tr("off"), QStringLiteral("#9aa0a6"));
        detail_[i]->setText(tr("Switched off."));
    }
    for (const RuleResult& r : results) {
        const auto i = static_cast<size_t>(r.rule);
        if (!r.passed) {
            setBadge(status_[i], tr("FAIL"), QStringLiteral("#c62828"));
        } else if (r.waiting) {
            setBadge(status_[i], tr("WAIT"), QStringLiteral("#9a5b00"));
        } else {
            setBadge(status_[i], tr("PASS"), QStringLiteral("#1a7f37"));
        }
        detail_[i]->setText(QString::fromStdString(r.detail));
    }
}

void ReleaseRulesPanel::showNothing(const QString& why) {
    for (size_t i = 0; i < status_.size(); ++i) {
        setBadge(status_[i], QStringLiteral("–"), QStringLiteral("#9aa0a6"));
        detail_[i]->setText(why);
    }
}

}  // namespace ps
