#include "parseissuesdialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace ps {

ParseIssuesDialog::ParseIssuesDialog(const Dataset& dataset, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Parse issues"));
    resize(900, 480);
    auto* layout = new QVBoxLayout(this);
    QString summary = tr("%n record(s) could not be used as written; everything else was loaded.", nullptr,
                         static_cast<int>(dataset.issueCount));
    if (dataset.issueCount > dataset.issues.size()) {
        summary += QLatin1Char(' ') + tr("The first %1 are listed.").arg(dataset.issues.size());
    }
    layout->addWidget(new QLabel(summary, this));
    auto* table = new QTableWidget(static_cast<int>(dataset.issues.size()), 3, this);
    table->setHorizontalHeaderLabels({tr("File"), tr("Line"), tr("Problem")});
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->verticalHeader()->hide();
    int row = 0;
    for (const ParseIssue& issue : dataset.issues) {
        table->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(issue.file)));
        auto* line = new QTableWidgetItem;
        line->setData(Qt::DisplayRole, issue.line ? QVariant::fromValue<qulonglong>(issue.line) : QVariant());
        table->setItem(row, 1, line);
        table->setItem(row, 2, new QTableWidgetItem(QString::fromStdString(issue.message)));
        ++row;
    }
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Interactive);
    table->horizontalHeader()->setStretchLastSection(true);
    table->resizeColumnsToContents();
    table->setColumnWidth(0, qMin(table->columnWidth(0), 320));
    layout->addWidget(table);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

}  // namespace ps
