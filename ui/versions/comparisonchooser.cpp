#include "comparisonchooser.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QSignalBlocker>
#include <QStackedWidget>

#include <algorithm>

#include "format.h"
#include "versionlabel.h"

namespace ps {
namespace {

enum Page { VersionsPage, DeploymentPage, PairPage };

QString q(const std::string& s) {
    return QString::fromStdString(s);
}

}  // namespace

ComparisonChooser::ComparisonChooser(QWidget* parent) : QWidget(parent) {
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    mode_ = new QComboBox(this);
    mode_->addItem(tr("Prompt versions"), static_cast<int>(CompareBy::PromptVersion));
    mode_->addItem(tr("Before / after a deployment"), static_cast<int>(CompareBy::Deployment));
    mode_->addItem(tr("Canary vs baseline (environments)"), static_cast<int>(CompareBy::Environment));
    mode_->addItem(tr("Model A vs model B"), static_cast<int>(CompareBy::Model));
    mode_->addItem(tr("Two saved filters"), static_cast<int>(CompareBy::SavedFilter));
    mode_->setToolTip(tr("What the two sides of the comparison are"));
    promptLabel_ = new QLabel(tr("Prompt:"), this);
    prompt_ = new QComboBox(this);
    prompt_->setMinimumContentsLength(14);
    prompt_->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    stack_ = new QStackedWidget(this);
    versions_ = new QListWidget(stack_);
    versions_->setFlow(QListView::LeftToRight);
    versions_->setWrapping(false);
    versions_->setFixedHeight(versions_->fontMetrics().height() + 14);
    versions_->setMinimumWidth(220);
    versions_->setToolTip(tr("Check two or more versions; the oldest checked one is the baseline"));
    deployment_ = new QComboBox(stack_);
    deployment_->setMinimumContentsLength(40);
    deployment_->setToolTip(tr("Requests of the deployment's prompt before it against those after it"));
    auto* pair = new QWidget(stack_);
    auto* pairRow = new QHBoxLayout(pair);
    pairRow->setContentsMargins(0, 0, 0, 0);
    baseline_ = new QComboBox(pair);
    candidate_ = new QComboBox(pair);
    baseline_->setToolTip(tr("The baseline"));
    candidate_->setToolTip(tr("Compared with the baseline"));
    pairRow->addWidget(new QLabel(tr("Baseline:"), pair));
    pairRow->addWidget(baseline_);
    pairRow->addWidget(new QLabel(tr("against:"), pair));
    pairRow->addWidget(candidate_);
    stack_->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    stack_->setFixedHeight(std::max(versions_->height(), deployment_->sizeHint().height()));
    stack_->addWidget(versions_);
    stack_->addWidget(deployment_);
    stack_->addWidget(pair);
    hint_ = new QLabel(this);
    hint_->setStyleSheet(QStringLiteral("color: #9a5b00;"));

    row->addWidget(new QLabel(tr("Compare:"), this));
    row->addWidget(mode_);
    row->addWidget(promptLabel_);
    row->addWidget(prompt_);
    row->addWidget(stack_, 1);
    row->addWidget(hint_);

    connect(mode_, &QComboBox::currentIndexChanged, this, [this] {
        if (updating_) {
            return;
        }
        updating_ = true;
        fillPrompts();
        fillVersions({});
        fillDeployments();
        fillPair();
        updating_ = false;
        updateVisibility();
        changed();
    });
    connect(prompt_, &QComboBox::currentIndexChanged, this, [this] {
        if (updating_) {
            return;
        }
        updating_ = true;
        fillVersions({});
        fillDeployments();
        updating_ = false;
        changed();
    });
    connect(versions_, &QListWidget::itemChanged, this, [this] {
        if (!updating_) {
            changed();
        }
    });
    for (QComboBox* box : {deployment_, baseline_, candidate_}) {
        connect(box, &QComboBox::currentIndexChanged, this, [this] {
            if (!updating_) {
                changed();
            }
        });
    }
    updateVisibility();
}

void ComparisonChooser::setDataset(const DatasetPtr& dataset) {
    dataset_ = dataset;
    updating_ = true;
    const ComparisonSpec spec = dataset_ ? defaultComparison(*dataset_) : ComparisonSpec{};
    mode_->setCurrentIndex(0);
    versionedPrompt_ = QString::fromStdString(spec.prompt);
    prompt_->clear();
    fillPrompts();
    prompt_->setCurrentIndex(std::max(0, prompt_->findData(q(spec.prompt))));
    fillVersions(spec.values);
    fillDeployments();
    fillPair();
    updating_ = false;
    updateVisibility();
}

void ComparisonChooser::fillPrompts() {
    const auto by = static_cast<CompareBy>(mode_->currentData().toInt());
    const bool versioned = by == CompareBy::PromptVersion || by == CompareBy::Deployment;
    // Versions keep the prompt chosen last; environments and models start with every prompt.
    if (prompt_->count() > 0 && prompt_->itemData(0).toString().size() > 0) {
        versionedPrompt_ = prompt_->currentData().toString();
    }
    const QString current = versioned ? versionedPrompt_ : QString();
    prompt_->clear();
    if (!versioned) {
        prompt_->addItem(tr("(all prompts)"), QString());
    }
    if (dataset_) {
        const std::vector<std::string> prompts =
            versioned ? promptsWithVersions(*dataset_) : valuesByCount(*dataset_, Dimension::PromptName);
        for (const std::string& p : prompts) {
            prompt_->addItem(q(p), q(p));
        }
    }
    prompt_->setCurrentIndex(std::max(0, prompt_->findData(current)));
}

void ComparisonChooser::fillVersions(const std::vector<std::string>& checked) {
    versions_->clear();
    if (!dataset_) {
        return;
    }
    const std::vector<std::string> newest = versionsNewestFirst(*dataset_, prompt_->currentData().toString().toStdString());
    // Oldest on the left, as on a timeline; by default the two most recent are checked.
    for (auto it = newest.rbegin(); it != newest.rend(); ++it) {
        auto* item = new QListWidgetItem(q(versionLabel(*it)), versions_);
        item->setData(Qt::UserRole, q(*it));
        item->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled);
        const bool on = checked.empty() ? it - newest.rbegin() >= static_cast<std::ptrdiff_t>(newest.size()) - 2
                                        : std::find(checked.begin(), checked.end(), *it) != checked.end();
        item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
    }
}

void ComparisonChooser::fillDeployments() {
    deployment_->clear();
    if (!dataset_) {
        return;
    }
    for (const DeploymentRecord& d : deploymentsOf(*dataset_, prompt_->currentData().toString().toStdString())) {
        QString text = tr("%1 → %2").arg(q(versionLabel(dataset_->str(d.version))),
                                          q(std::string(dataset_->str(d.environment))));
        if (d.trafficPercent < 100) {
            text += tr(" at %1%").arg(d.trafficPercent);
        }
        text += QStringLiteral(" · ") + fmt::dateTime(d.atNs) + tr(" UTC");
        if (!d.by.isEmpty()) {
            text += tr(" · %1").arg(q(std::string(dataset_->str(d.by))));
        }
        deployment_->addItem(text, QVariant::fromValue(static_cast<qlonglong>(d.atNs)));
    }
    // The latest deployment is the one a release owner is looking at.
    deployment_->setCurrentIndex(deployment_->count() - 1);
}

void ComparisonChooser::fillPair() {
    baseline_->clear();
    candidate_->clear();
    if (!dataset_) {
        return;
    }
    const auto by = static_cast<CompareBy>(mode_->currentData().toInt());
    if (by == CompareBy::SavedFilter) {
        for (const auto& [name, query] : saved_) {
            baseline_->addItem(name, query);
            candidate_->addItem(name, query);
            baseline_->setItemData(baseline_->count() - 1, query, Qt::ToolTipRole);
            candidate_->setItemData(candidate_->count() - 1, query, Qt::ToolTipRole);
        }
        baseline_->setCurrentIndex(0);
        candidate_->setCurrentIndex(std::min(1, candidate_->count() - 1));
        return;
    }
    if (by != CompareBy::Environment && by != CompareBy::Model) {
        return;
    }
    const std::vector<std::string> values =
        valuesByCount(*dataset_, by == CompareBy::Environment ? Dimension::Environment : Dimension::Model);
    for (const std::string& v : values) {
        baseline_->addItem(q(v), q(v));
        candidate_->addItem(q(v), q(v));
    }
    // Canary against production when both exist; otherwise the two most frequent values.
    const int production = baseline_->findData(QStringLiteral("production"));
    const int canary = candidate_->findData(QStringLiteral("canary"));
    baseline_->setCurrentIndex(by == CompareBy::Environment && production >= 0 ? production : 0);
    candidate_->setCurrentIndex(by == CompareBy::Environment && canary >= 0 ? canary
                                                                            : std::min(1, candidate_->count() - 1));
}

void ComparisonChooser::updateVisibility() {
    const auto by = static_cast<CompareBy>(mode_->currentData().toInt());
    stack_->setCurrentIndex(by == CompareBy::PromptVersion ? VersionsPage
                            : by == CompareBy::Deployment  ? DeploymentPage
                                                           : PairPage);
    promptLabel_->setText(by == CompareBy::Environment || by == CompareBy::Model ? tr("Within:") : tr("Prompt:"));
    // A saved filter says everything about its side, prompt included.
    promptLabel_->setVisible(by != CompareBy::SavedFilter);
    prompt_->setVisible(by != CompareBy::SavedFilter);
}

void ComparisonChooser::setSavedFilters(const std::vector<std::pair<QString, QString>>& filters) {
    saved_ = filters;
    if (static_cast<CompareBy>(mode_->currentData().toInt()) == CompareBy::SavedFilter) {
        updating_ = true;
        fillPair();
        updating_ = false;
        changed();
    }
}

ComparisonSpec ComparisonChooser::spec() const {
    ComparisonSpec s;
    s.by = static_cast<CompareBy>(mode_->currentData().toInt());
    s.prompt = prompt_->currentData().toString().toStdString();
    switch (s.by) {
    case CompareBy::PromptVersion:
        for (int i = 0; i < versions_->count(); ++i) {
            if (versions_->item(i)->checkState() == Qt::Checked) {
                s.values.push_back(versions_->item(i)->data(Qt::UserRole).toString().toStdString());
            }
        }
        break;
    case CompareBy::Deployment:
        s.splitNs = deployment_->currentData().toLongLong();
        if (deployment_->currentIndex() >= 0) {
            s.values = {"before", "after"};
        }
        break;
    case CompareBy::SavedFilter:
        s.prompt.clear();
        if (baseline_->currentIndex() >= 0 && candidate_->currentIndex() >= 0) {
            s.values = {baseline_->currentText().toStdString(), candidate_->currentText().toStdString()};
            s.queries = {baseline_->currentData().toString().toStdString(),
                         candidate_->currentData().toString().toStdString()};
        }
        break;
    case CompareBy::Environment:
    case CompareBy::Model:
        if (baseline_->currentIndex() >= 0 && candidate_->currentIndex() >= 0) {
            s.values = {baseline_->currentData().toString().toStdString(),
                        candidate_->currentData().toString().toStdString()};
        }
        break;
    }
    return s;
}

void ComparisonChooser::setSpec(const ComparisonSpec& spec) {
    updating_ = true;
    mode_->setCurrentIndex(std::max(0, mode_->findData(static_cast<int>(spec.by))));
    if (spec.by == CompareBy::PromptVersion || spec.by == CompareBy::Deployment) {
        versionedPrompt_ = QString::fromStdString(spec.prompt);
        prompt_->clear();
    }
    fillPrompts();
    prompt_->setCurrentIndex(std::max(0, prompt_->findData(q(spec.prompt))));
    fillVersions(spec.by == CompareBy::PromptVersion ? spec.values : std::vector<std::string>{});
    fillDeployments();
    fillPair();
    if (spec.by == CompareBy::Deployment) {
        deployment_->setCurrentIndex(deployment_->findData(QVariant::fromValue(static_cast<qlonglong>(spec.splitNs))));
    }
    if ((spec.by == CompareBy::Environment || spec.by == CompareBy::Model) && spec.values.size() >= 2) {
        baseline_->setCurrentIndex(baseline_->findData(q(spec.values[0])));
        candidate_->setCurrentIndex(candidate_->findData(q(spec.values[1])));
    }
    if (spec.by == CompareBy::SavedFilter && spec.values.size() >= 2) {
        baseline_->setCurrentIndex(baseline_->findText(q(spec.values[0])));
        candidate_->setCurrentIndex(candidate_->findText(q(spec.values[1])));
    }
    updating_ = false;
    updateVisibility();
    changed();
}

void ComparisonChooser::changed() {
    const ComparisonSpec s = spec();
    const bool same = s.values.size() == 2 && s.values[0] == s.values[1];
    const bool noSaved = s.by == CompareBy::SavedFilter && saved_.size() < 2;
    hint_->setText(noSaved ? tr("save two filters first (Filter > Save Filter As\u2026, Ctrl+D)")
                   : s.values.size() < 2 ? tr("choose two or more")
                   : same                ? tr("choose two different values")
                                         : QString());
    if (s.values.size() >= 2 && !same) {
        Q_EMIT specChanged(s);
    }
}

}  // namespace ps
