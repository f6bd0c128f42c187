// Loads sources on a worker thread and reports back on the GUI thread: throttled progress with an estimate of
// the time left, then the dataset, a failure message, or the fact that the user cancelled.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>

#include <atomic>
#include <memory>

#include "dataset.h"
#include "pricingtable.h"
#include "rowsubset.h"

namespace ps {

class SourceLoadJob : public QObject {
    Q_OBJECT

public:
    explicit SourceLoadJob(QObject* parent = nullptr);
    ~SourceLoadJob() override;

    // customSelect: read the database sources through this SELECT instead of detecting their tables.
    void start(const QStringList& paths, const QString& customSelect = {});
    // The custom SELECT of the load started last (what `loaded` was read through).
    [[nodiscard]] const QString& customSelect() const { return customSelect_; }
    // The price table for model calls without a cost in the data; null: the bundled one. Used by later loads.
    void setPricing(std::shared_ptr<const PricingTable> pricing) { pricing_ = std::move(pricing); }
    [[nodiscard]] const std::shared_ptr<const PricingTable>& pricing() const { return pricing_; }
    // Only these rows of a database source, for the next start only (a drill-down in aggregation mode).
    void setRowSubsetForNextStart(std::shared_ptr<const db::RowSubset> subset) { subset_ = std::move(subset); }
    void cancel();
    [[nodiscard]] bool isRunning() const { return running_; }

Q_SIGNALS:
    // fraction 0..1; secondsLeft < 0 while there is no estimate yet
    void progress(double fraction, double secondsLeft);
    void loaded(ps::DatasetPtr dataset, const QStringList& paths, qint64 elapsedMs);
    void failed(const QString& message);
    void cancelled();

private:
    std::shared_ptr<std::atomic<bool>> cancel_;
    QElapsedTimer clock_;
    bool running_ = false;
    std::shared_ptr<const PricingTable> pricing_;
    std::shared_ptr<const db::RowSubset> subset_;
    QString customSelect_;
};

}  // namespace ps

Q_DECLARE_METATYPE(ps::DatasetPtr)
