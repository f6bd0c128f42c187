// The strip above the pages that says what mode the window is in when it is not simply showing loaded files:
// aggregating a large database in place, or showing rows drilled out of one. A sentence and one action button
// (load these rows; back to the whole database).
#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace ps {

class ModeBanner : public QFrame {
    Q_OBJECT

public:
    explicit ModeBanner(QWidget* parent = nullptr);

    // Shows the banner with rich text and an action; an empty buttonText hides the button.
    void showMessage(const QString& html, const QString& buttonText, bool buttonEnabled = true);
    [[nodiscard]] QString text() const;
    [[nodiscard]] QPushButton* button() const { return button_; }

Q_SIGNALS:
    void actionTriggered();

private:
    QLabel* label_;
    QPushButton* button_;
};

}  // namespace ps
