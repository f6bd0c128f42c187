#include "inputpairsdialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QThreadPool>
#include <QVBoxLayout>

#include "colddata.h"
#include "format.h"
#include "requesttexts.h"

namespace ps {
namespace {

enum Column { Input, LatencyA, LatencyB, LatencyDelta, CostA, CostB, ColumnCount };

QTableWidgetItem* number(const QString& text, double sortValue) {
    auto* item = new QTableWidgetItem(text);
    item->setData(Qt::UserRole, sortValue);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

}  // namespace

InputPairsDialog::InputPairsDialog(DatasetPtr dataset, const QString& labelA, std::vector<uint32_t> a,
                                   const QString& labelB, std::vector<uint32_t> b, QWidget* parent)
    : QDialog(parent), dataset_(std::move(dataset)), labelA_(labelA), labelB_(labelB),
      cancel_(std::make_shared<std::atomic<bool>>(false)) {
    setWindowTitle(tr("Same input under %1 and %2").arg(labelA, labelB));
    resize(980, 560);
    auto* layout = new QVBoxLayout(this);
    status_ = new QLabel(tr("Reading each request's user input from its source\u2026"), this);
    status_->setWordWrap(true);
    progress_ = new QProgressBar(this);
    stop_ = new QPushButton(tr("Stop"), this);
    auto* progressRow = new QHBoxLayout;
    progressRow->addWidget(progress_, 1);
    progressRow->addWidget(stop_);
    table_ = new QTableWidget(0, ColumnCount, this);
    table_->setHorizontalHeaderLabels({tr("User input"), tr("Latency %1").arg(labelA), tr("Latency %1").arg(labelB),
                                       tr("\u0394 latency"), tr("Cost %1").arg(labelA), tr("Cost %1").arg(labelB)});
    table_->horizontalHeader()->setSectionResizeMode(Input, QHeaderView::Stretch);
    for (int c = LatencyA; c < ColumnCount; ++c) {
        table_->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    }
    table_->verticalHeader()->hide();
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setWordWrap(false);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* compare = buttons->addButton(tr("Compare the Traces"), QDialogButtonBox::ActionRole);
    compare->setDefault(true);
    layout->addWidget(status_);
    layout->addLayout(progressRow);
    layout->addWidget(table_, 1);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(compare, &QPushButton::clicked, this, [this] { openPair(table_->currentRow()); });
    connect(table_, &QTableWidget::cellDoubleClicked, this, [this](int row, int) { openPair(row); });
    connect(stop_, &QPushButton::clicked, this, [this] { cancel_->store(true); });

    // One reader for the job: readers keep their sources open and are not shared between threads.
    QPointer<InputPairsDialog> self(this);
    QThreadPool::globalInstance()->start([self, data = dataset_, a = std::move(a), b = std::move(b),
                                          cancel = cancel_] {
        ColdDataReader reader(data);
        InputPairs found = sameInputPairs(
            *data, a, b, [&](RequestIndex r) { return requestUserInput(reader, r); }, 20000,
            [&](size_t done, size_t total) {
                QMetaObject::invokeMethod(
                    self, [self, done, total] {
                        if (self) {
                            self->progress_->setRange(0, static_cast<int>(total));
                            self->progress_->setValue(static_cast<int>(done));
                        }
                    },
                    Qt::QueuedConnection);
                return !cancel->load();
            });
        QMetaObject::invokeMethod(
            self, [self, found = std::move(found)]() mutable {
                if (self) {
                    self->showPairs(std::move(found));
                }
            },
            Qt::QueuedConnection);
    });
}

InputPairsDialog::~InputPairsDialog() { cancel_->store(true); }

void InputPairsDialog::showPairs(InputPairs pairs) {
    pairs_ = std::move(pairs);
    progress_->hide();
    stop_->hide();
    const Dataset& d = *dataset_;
    const QLocale locale;
    QString text = tr("%1 pairs with the same user input among %2 %3 and %4 %5 requests.")
                       .arg(locale.toString(static_cast<qulonglong>(pairs_.pairs.size())),
                            locale.toString(static_cast<qulonglong>(pairs_.readA)), labelA_,
                            locale.toString(static_cast<qulonglong>(pairs_.readB)), labelB_);
    if (pairs_.cancelled) {
        text = tr("Stopped. ") + text;
    }
    if (pairs_.pairs.empty()) {
        text += tr(" Requests pair up when the data records messages and the same question reached both sides.");
    } else {
        text += tr(" Double-click a pair to compare its traces span by span.");
    }
    status_->setText(text);
    table_->setSortingEnabled(false);
    table_->setRowCount(static_cast<int>(pairs_.pairs.size()));
    for (int row = 0; row < table_->rowCount(); ++row) {
        const InputPair& p = pairs_.pairs[static_cast<size_t>(row)];
        QString input = QString::fromStdString(p.input).simplified();
        auto* inputItem = new QTableWidgetItem(input.size() > 160 ? input.left(159) + QChar(0x2026) : input);
        inputItem->setToolTip(QString::fromStdString(p.input));
        inputItem->setData(Qt::UserRole, row);
        table_->setItem(row, Input, inputItem);
        const double la = static_cast<double>(d.requests.durationNs[p.a]) / 1e6;
        const double lb = static_cast<double>(d.requests.durationNs[p.b]) / 1e6;
        table_->setItem(row, LatencyA, number(fmt::duration(la), la));
        table_->setItem(row, LatencyB, number(fmt::duration(lb), lb));
        const QString sign = lb >= la ? QStringLiteral("+") : QStringLiteral("\u2212");
        table_->setItem(row, LatencyDelta, number(sign + fmt::duration(std::abs(lb - la)), lb - la));
        table_->setItem(row, CostA, number(fmt::usd(d.requests.costUsd[p.a]), d.requests.costUsd[p.a]));
        table_->setItem(row, CostB, number(fmt::usd(d.requests.costUsd[p.b]), d.requests.costUsd[p.b]));
    }
    if (table_->rowCount() > 0) {
        table_->selectRow(0);
    }
    Q_EMIT finished();
}

void InputPairsDialog::openPair(int row) {
    if (row < 0 || row >= table_->rowCount()) {
        return;
    }
    const size_t i = static_cast<size_t>(table_->item(row, Input)->data(Qt::UserRole).toInt());
    Q_EMIT pairRequested(RequestIndex{pairs_.pairs[i].a}, RequestIndex{pairs_.pairs[i].b});
}

}  // namespace ps
