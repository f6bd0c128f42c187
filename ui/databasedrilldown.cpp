#include "databasedrilldown.h"

#include <QLocale>
#include <QSettings>

#include "query.h"

namespace ps {
namespace {

QString number(uint64_t n) { return QLocale().toString(static_cast<qulonglong>(n)); }

}  // namespace

DatabaseDrillDown::DatabaseDrillDown(QObject* parent) : QObject(parent) {}

uint64_t DatabaseDrillDown::rowLimit() {
    const qulonglong rows = QSettings().value(QStringLiteral("database/drillDownRows"), 1000000ULL).toULongLong();
    return rows > 0 ? rows : 1000000ULL;
}

std::shared_ptr<const db::RowSubset> DatabaseDrillDown::begin(DatabaseSourceInfoPtr from, const Filter& filter,
                                                              DrillOrder order, uint64_t limit,
                                                              std::optional<uint64_t> matching) {
    from_ = std::move(from);
    filter_ = filter;
    order_ = order;
    limit_ = limit;
    matching_ = matching;
    pending_ = true;
    return std::make_shared<const db::RowSubset>(drillDownRows(from_->mapping, filter, order, limit));
}

void DatabaseDrillDown::finish(bool shown, size_t requestsLoaded) {
    pending_ = false;
    loaded_ = requestsLoaded;
    if (!shown) {
        from_.reset();
    }
}

DatabaseSourceInfoPtr DatabaseDrillDown::leave(Filter* filter) {
    if (filter) {
        *filter = filter_;
    }
    pending_ = false;
    return std::exchange(from_, nullptr);
}

QString DatabaseDrillDown::aggregatingText(const DatabaseSourceInfo& info) {
    return tr("<b>Aggregation mode.</b> %1 has %2 rows, more than the %3 loaded into memory, so the Overview is "
              "computed by the database. This page needs the rows themselves: load the ones matching the filter "
              "(narrow it first to see all of them), or open a request from the Overview's “slowest” links.")
        .arg(QString::fromStdString(info.display).toHtmlEscaped(), number(info.extent.rowsToLoad()), number(info.threshold));
}

QString DatabaseDrillDown::loadButtonText(std::optional<uint64_t> matching) {
    if (!matching) {
        return tr("Load Matching Rows");
    }
    if (*matching == 0) {
        return tr("No Rows Match");
    }
    if (*matching <= rowLimit()) {
        return *matching == 1 ? tr("Load the Matching Row") : tr("Load the %1 Matching Rows").arg(number(*matching));
    }
    return tr("Load the Newest %1 of %2 Rows").arg(number(rowLimit()), number(*matching));
}

QString DatabaseDrillDown::drilledText() const {
    if (!from_) {
        return {};
    }
    const QString filterText = filter_.isEmpty() ? tr("no filter")
                                                 : QStringLiteral("<code>%1</code>").arg(
                                                       QString::fromStdString(formatQuery(filter_)).toHtmlEscaped());
    QString what;
    if (order_ == DrillOrder::Slowest) {
        what = tr("the %1 slowest requests").arg(number(loaded_));
    } else if (matching_ && *matching_ > loaded_) {
        what = tr("the newest %1 of %2 requests").arg(number(loaded_), number(*matching_));
    } else {
        what = tr("the %1 requests").arg(number(loaded_));
    }
    return tr("<b>Rows drilled out of %1</b> (%2 requests, aggregated in the database): %3 matching %4. Every page "
              "shows only these rows.")
        .arg(QString::fromStdString(from_->display).toHtmlEscaped(), number(from_->extent.rows), what, filterText);
}

QString DatabaseDrillDown::backButtonText() { return tr("Back to the Whole Database"); }

}  // namespace ps
