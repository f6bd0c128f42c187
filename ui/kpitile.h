// One headline number on the overview: a caption, the value, and a line of context under it.
#pragma once

#include <QFrame>

class QLabel;

namespace ps {

class KpiTile : public QFrame {
    Q_OBJECT

public:
    explicit KpiTile(const QString& caption, QWidget* parent = nullptr);
    void setValue(const QString& value, const QString& detail = {});

private:
    QLabel* value_;
    QLabel* detail_;
};

}  // namespace ps
