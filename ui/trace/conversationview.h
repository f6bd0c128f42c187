// A model call's messages as a conversation: one block per message, coloured by role (system, user,
// assistant, tool), with the finish reason, the tool calls it makes (name, id and arguments as formatted
// JSON) or answers, and a Copy button that puts the whole message on the clipboard.
#pragma once

#include <QScrollArea>
#include <vector>

#include "spandetails.h"

class QLabel;
class QVBoxLayout;

namespace ps {

class ConversationView : public QScrollArea {
    Q_OBJECT

public:
    // Text longer than this is shortened on screen (Copy still copies all of it): a label with megabytes of
    // text takes seconds to lay out.
    static constexpr qsizetype kMaxShownChars = 20000;

    explicit ConversationView(QWidget* parent = nullptr);

    // `from` names the convention the messages were read from; `empty` is what to say when there are none.
    void setMessages(const std::vector<ChatMessage>& messages, const QString& from, const QString& empty);
    [[nodiscard]] int messageCount() const { return count_; }
    // The text Copy puts on the clipboard for a message (role, content, tool calls).
    static QString copyText(const ChatMessage& message);

private:
    QWidget* messageBlock(const ChatMessage& message);

    QWidget* content_;
    QVBoxLayout* layout_;
    QLabel* source_;
    int count_ = 0;
};

}  // namespace ps
