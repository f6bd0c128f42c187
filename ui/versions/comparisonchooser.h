// The top of the Versions page: what to compare. Versions of a prompt (two or more, checked in a list; the two
// most recent by default), before/after a deployment, canary vs baseline (two environments) or model A vs model B
// (optionally within one prompt), or two of the user's saved filters. Edits come out as a ComparisonSpec (specChanged); the first side is the
// baseline.
#pragma once

#include <QWidget>

#include <utility>
#include <vector>

#include "comparisonplan.h"
#include "dataset.h"

class QComboBox;
class QLabel;
class QListWidget;
class QStackedWidget;

namespace ps {

class ComparisonChooser : public QWidget {
    Q_OBJECT

public:
    explicit ComparisonChooser(QWidget* parent = nullptr);

    // Fills the lists from the data and picks the default comparison (no specChanged).
    void setDataset(const DatasetPtr& dataset);
    [[nodiscard]] ComparisonSpec spec() const;
    // The user's saved filters (name, query text), offered by the "saved filters" mode.
    void setSavedFilters(const std::vector<std::pair<QString, QString>>& filters);
    // Shows spec in the controls (values missing from the data are left out) and emits specChanged.
    void setSpec(const ComparisonSpec& spec);

    // For tests.
    [[nodiscard]] QComboBox* modeBox() const { return mode_; }
    [[nodiscard]] QComboBox* promptBox() const { return prompt_; }
    [[nodiscard]] QListWidget* versionList() const { return versions_; }
    [[nodiscard]] QComboBox* deploymentBox() const { return deployment_; }
    [[nodiscard]] QComboBox* baselineBox() const { return baseline_; }
    [[nodiscard]] QComboBox* candidateBox() const { return candidate_; }

Q_SIGNALS:
    void specChanged(const ps::ComparisonSpec& spec);

private:
    void fillPrompts();
    void fillVersions(const std::vector<std::string>& checked);
    void fillDeployments();
    void fillPair();
    void updateVisibility();
    void changed();

    DatasetPtr dataset_;
    std::vector<std::pair<QString, QString>> saved_;
    bool updating_ = false;
    QString versionedPrompt_;  // the prompt of the versions modes, kept while other modes are shown
    QComboBox* mode_;
    QLabel* promptLabel_;
    QComboBox* prompt_;
    QStackedWidget* stack_;
    QListWidget* versions_;
    QComboBox* deployment_;
    QComboBox* baseline_;
    QComboBox* candidate_;
    QLabel* hint_;
};

}  // namespace ps
