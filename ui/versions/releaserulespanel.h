// The release rules of the Versions page: each rule with a switch, its thresholds in spin boxes (remembered
// between sessions), and its result on the comparison shown: pass, fail, or waiting for enough requests, with
// what was measured.
#pragma once

#include <QWidget>

#include <array>

#include "releaserules.h"

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace ps {

class ReleaseRulesPanel : public QWidget {
    Q_OBJECT

public:
    explicit ReleaseRulesPanel(QWidget* parent = nullptr);

    [[nodiscard]] ReleaseRuleSettings settings() const;
    void setSettings(const ReleaseRuleSettings& settings);  // without settingsChanged
    // Results in the order of checkReleaseRules; rules switched off show as such.
    void showResults(const std::vector<RuleResult>& results);
    void showNothing(const QString& why);

    // For tests.
    [[nodiscard]] QDoubleSpinBox* failureRatioBox() const { return failureRatio_; }
    [[nodiscard]] QSpinBox* minRequestsBox() const { return minRequests_; }
    [[nodiscard]] QDoubleSpinBox* costIncreaseBox() const { return costIncrease_; }
    [[nodiscard]] QDoubleSpinBox* evalPassBox() const { return evalPass_; }
    [[nodiscard]] QLabel* statusLabel(ReleaseRule rule) const { return status_[static_cast<size_t>(rule)]; }

Q_SIGNALS:
    void settingsChanged(const ps::ReleaseRuleSettings& settings);

private:
    void edited();

    bool updating_ = false;
    std::array<QCheckBox*, 3> on_{};
    QDoubleSpinBox* failureRatio_;
    QSpinBox* minRequests_;
    QDoubleSpinBox* costIncrease_;
    QDoubleSpinBox* evalPass_;
    std::array<QLabel*, 3> status_{};
    std::array<QLabel*, 3> detail_{};
};

}  // namespace ps
