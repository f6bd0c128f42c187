// Lists the parse issues of the loaded sources (file, line, message), so a user can find the bad records.
#pragma once

#include <QDialog>

#include "dataset.h"

namespace ps {

class ParseIssuesDialog : public QDialog {
    Q_OBJECT

public:
    ParseIssuesDialog(const Dataset& dataset, QWidget* parent = nullptr);
};

}  // namespace ps
