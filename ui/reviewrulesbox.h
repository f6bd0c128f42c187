// The review queue's rules as controls: a check box per rule with its threshold or choice (judge score below,
// canary versions, high-risk features, tool-call limit). The choices offered come from the loaded data; what
// the user sets is remembered in QSettings.
#pragma once

#include <QGroupBox>

#include <vector>

#include "reviewrules.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QMenu;
class QSpinBox;
class QToolButton;

namespace ps {

class ReviewRulesBox : public QGroupBox {
    Q_OBJECT

public:
    explicit ReviewRulesBox(QWidget* parent = nullptr);

    // What the data offers: evals that look like judge scores, versions deployed to part of the traffic,
    // the prompt versions and the features seen.
    void setChoices(const std::vector<std::string>& judgeEvals,
                    const std::vector<PromptVersionKey>& deployedCanaries, const QStringList& versions,
                    const QStringList& features);
    [[nodiscard]] ReviewRuleSettings settings() const;

    [[nodiscard]] QCheckBox* ruleCheck(ReviewRule rule) const;
    [[nodiscard]] QDoubleSpinBox* judgeThreshold() const { return judgeBelow_; }
    [[nodiscard]] QSpinBox* toolCallLimit() const { return toolLimit_; }
    [[nodiscard]] QComboBox* canaryChoice() const { return canary_; }
    void setHighRiskFeatures(const QStringList& features);
    [[nodiscard]] QStringList highRiskFeatures() const { return highRisk_; }

Q_SIGNALS:
    void settingsChanged();

private:
    void remember();
    void updateFeatureButton();

    std::vector<QCheckBox*> checks_;
    QDoubleSpinBox* judgeBelow_;
    QSpinBox* toolLimit_;
    QComboBox* canary_;
    QToolButton* featuresButton_;
    QMenu* featuresMenu_;
    std::vector<std::string> judgeEvals_;
    std::vector<PromptVersionKey> deployedCanaries_;
    QStringList highRisk_;
};

}  // namespace ps
