#include "format.h"

#include <QDateTime>
#include <QLocale>
#include <QTimeZone>

#include <cmath>

namespace ps::fmt {
namespace {

const QString kDash = QStringLiteral("–");

}  // namespace

QString duration(double ms) {
    if (std::isnan(ms)) {
        return kDash;
    }
    const double a = std::abs(ms);
    if (a < 1) {
        return QStringLiteral("%1 ms").arg(ms, 0, 'f', 2);
    }
    if (a < 1000) {
        return QStringLiteral("%1 ms").arg(ms, 0, 'f', a < 10 ? 1 : 0);
    }
    if (a < 60000) {
        return QStringLiteral("%1 s").arg(ms / 1000.0, 0, 'f', a < 10000 ? 2 : 1);
    }
    if (a < 3600000) {
        return QStringLiteral("%1 min").arg(ms / 60000.0, 0, 'f', 1);
    }
    return QStringLiteral("%1 h").arg(ms / 3600000.0, 0, 'f', 1);
}

QString durationNs(int64_t ns) {
    const int64_t a = ns < 0 ? -ns : ns;
    if (a < 1000) {
        return QStringLiteral("%1 ns").arg(ns);
    }
    if (a < 1000000) {
        const double us = static_cast<double>(ns) / 1e3;
        return QStringLiteral("%1 µs").arg(us, 0, 'f', a < 10000 ? 1 : 0);
    }
    return duration(static_cast<double>(ns) / 1e6);
}

QString usd(double usd) {
    if (std::isnan(usd)) {
        return kDash;
    }
    const double a = std::abs(usd);
    int decimals = 2;
    if (a == 0) {
        decimals = 2;
    } else if (a < 0.001) {
        decimals = 5;
    } else if (a < 0.01) {
        decimals = 4;
    } else if (a < 1) {
        decimals = 3;
    }
    return QStringLiteral("$") + QLocale(QLocale::English).toString(usd, 'f', decimals);
}

QString count(double n) {
    if (std::isnan(n)) {
        return kDash;
    }
    const double a = std::abs(n);
    if (a < 10000) {
        return n == std::floor(n) ? QLocale(QLocale::English).toString(static_cast<qlonglong>(n))
                                  : QString::number(n, 'f', 1);
    }
    if (a < 1e6) {
        return QStringLiteral("%1k").arg(n / 1e3, 0, 'f', a < 1e5 ? 1 : 0);
    }
    if (a < 1e9) {
        return QStringLiteral("%1M").arg(n / 1e6, 0, 'f', a < 1e7 ? 2 : 1);
    }
    return QStringLiteral("%1B").arg(n / 1e9, 0, 'f', 1);
}

QString percent(double fraction) {
    if (std::isnan(fraction)) {
        return kDash;
    }
    const double p = fraction * 100.0;
    return QStringLiteral("%1%").arg(p, 0, 'f', std::abs(p) < 1 && p != 0 ? 2 : 1);
}

QString signedPercentChange(double fraction) {
    if (std::isnan(fraction) || std::isinf(fraction)) {
        return kDash;
    }
    const double p = fraction * 100.0;
    const QString digits = QString::number(std::abs(p), 'f', std::abs(p) < 10 ? 1 : 0);
    return (p < 0 ? QStringLiteral("−") : QStringLiteral("+")) + digits + QStringLiteral("%");
}

QString tokens(double n) {
    return count(n);
}

QString dateTime(int64_t ns) {
    return QDateTime::fromMSecsSinceEpoch(ns / 1000000, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString dateTimeSeconds(int64_t ns) {
    return QDateTime::fromMSecsSinceEpoch(ns / 1000000, QTimeZone::utc())
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString bucket(int64_t ns) {
    const int64_t minute = 60LL * 1000000000;
    if (ns >= 86400LL * 1000000000) {
        const int64_t days = ns / (86400LL * 1000000000);
        return days == 1 ? QStringLiteral("1 day") : QStringLiteral("%1 days").arg(days);
    }
    if (ns >= 60 * minute) {
        return QStringLiteral("%1 h").arg(ns / (60 * minute));
    }
    if (ns >= minute) {
        return QStringLiteral("%1 min").arg(ns / minute);
    }
    return QStringLiteral("%1 s").arg(ns / 1000000000);
}

QString value(Unit unit, double v) {
    switch (unit) {
    case Unit::Count: return count(v);
    case Unit::DurationMs: return duration(v);
    case Unit::Usd: return usd(v);
    case Unit::Fraction: return percent(v);
    case Unit::Tokens: return tokens(v);
    case Unit::Score: return std::isnan(v) ? kDash : QString::number(v, 'f', 2);
    }
    return count(v);
}

QString unitSuffix(Unit unit) {
    switch (unit) {
    case Unit::Count: return QStringLiteral("requests");
    case Unit::DurationMs: return QStringLiteral("ms");
    case Unit::Usd: return QStringLiteral("USD");
    case Unit::Fraction: return QStringLiteral("%");
    case Unit::Tokens: return QStringLiteral("tokens");
    case Unit::Score: return QStringLiteral("score");
    }
    return {};
}

}  // namespace ps::fmt
