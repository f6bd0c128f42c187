#include "conversationview.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QFrame>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace ps {
namespace {

struct RoleStyle {
    const char* background;
    const char* accent;
};

RoleStyle styleOf(MessageRole role) {
    switch (role) {
        case MessageRole::System:
            return {"#f1f3f4", "#80868b"};
        case MessageRole::User:
            return {"#e8f0fe", "#1a73e8"};
        case MessageRole::Assistant:
            return {"#e6f4ea", "#188038"};
        case MessageRole::Tool:
            return {"#fef7e0", "#e37400"};
        case MessageRole::Other:
            break;
    }
    return {"#f3e8fd", "#9334e6"};
}

QString roleTitle(const ChatMessage& m) {
    QString role = QString::fromStdString(m.roleText);
    if (role.isEmpty()) {
        role = m.output ? QObject::tr("assistant") : QObject::tr("message");
    }
    role[0] = role[0].toUpper();
    return role;
}

QString shortened(const QString& text) {
    if (text.size() <= ConversationView::kMaxShownChars) {
        return text;
    }
    return text.left(ConversationView::kMaxShownChars) +
           QObject::tr("\n… (%1 more characters; Copy copies the whole message)")
               .arg(text.size() - ConversationView::kMaxShownChars);
}

QLabel* textLabel(const QString& text, QWidget* parent, bool mono) {
    auto* label = new QLabel(shortened(text), parent);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    if (mono) {
        label->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    }
    return label;
}

}  // namespace

ConversationView::ConversationView(QWidget* parent)
    : QScrollArea(parent),
      content_(new QWidget(this)),
      layout_(new QVBoxLayout(content_)),
      source_(new QLabel(content_)) {
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    source_->setWordWrap(true);
    source_->setStyleSheet(QStringLiteral("color: #5f6368;"));
    layout_->addWidget(source_);
    layout_->addStretch(1);
    setWidget(content_);
}

QString ConversationView::copyText(const ChatMessage& m) {
    QString text = QString::fromStdString(m.content);
    if (!m.toolCallId.empty()) {
        text = tr("(result of tool call %1)\n").arg(QString::fromStdString(m.toolCallId)) + text;
    }
    for (const ToolCall& call : m.toolCalls) {
        if (!text.isEmpty()) {
            text += QStringLiteral("\n\n");
        }
        text += tr("Tool call %1").arg(QString::fromStdString(call.name));
        if (!call.id.empty()) {
            text += QStringLiteral(" (") + QString::fromStdString(call.id) + QStringLiteral(")");
        }
        text += QStringLiteral(":\n") + QString::fromStdString(call.arguments);
    }
    return text;
}

QWidget* ConversationView::messageBlock(const ChatMessage& m) {
    const RoleStyle style = styleOf(m.role);
    auto* frame = new QFrame(content_);
    frame->setObjectName(QStringLiteral("message"));
    frame->setStyleSheet(QStringLiteral("QFrame#message { background: %1; border-left: 4px solid %2; "
                                        "border-radius: 4px; }")
                             .arg(QLatin1String(style.background), QLatin1String(style.accent)));
    auto* layout = new QVBoxLayout(frame);
    layout->setContentsMargins(10, 6, 8, 8);
    layout->setSpacing(4);

    auto* head = new QHBoxLayout;
    auto* role = new QLabel(roleTitle(m), frame);
    role->setStyleSheet(QStringLiteral("font-weight: bold; color: %1;").arg(QLatin1String(style.accent)));
    head->addWidget(role);
    QStringList notes;
    if (m.output) {
        notes << tr("response");
    }
    if (!m.finishReason.empty()) {
        notes << tr("finish: %1").arg(QString::fromStdString(m.finishReason));
    }
    if (!m.toolCallId.empty()) {
        notes << tr("answers %1").arg(QString::fromStdString(m.toolCallId));
    }
    auto* note = new QLabel(notes.join(QStringLiteral(" · ")), frame);
    note->setStyleSheet(QStringLiteral("color: #5f6368;"));
    head->addWidget(note, 1);
    auto* copy = new QToolButton(frame);
    copy->setText(tr("Copy"));
    copy->setToolTip(tr("Copy this message to the clipboard"));
    copy->setAutoRaise(true);
    const QString clip = copyText(m);
    connect(copy, &QToolButton::clicked, this, [clip] { QGuiApplication::clipboard()->setText(clip); });
    head->addWidget(copy);
    layout->addLayout(head);

    if (!m.content.empty()) {
        layout->addWidget(textLabel(QString::fromStdString(m.content), frame, false));
    }
    for (const ToolCall& call : m.toolCalls) {
        QString title = tr("Tool call → %1").arg(QString::fromStdString(call.name));
        if (!call.id.empty()) {
            title += QStringLiteral("  (") + QString::fromStdString(call.id) + QStringLiteral(")");
        }
        auto* callTitle = new QLabel(title, frame);
        callTitle->setStyleSheet(QStringLiteral("font-weight: bold;"));
        layout->addWidget(callTitle);
        auto* args = textLabel(QString::fromStdString(call.arguments), frame, true);
        args->setStyleSheet(QStringLiteral("background: white; border: 1px solid #dadce0; padding: 4px;"));
        layout->addWidget(args);
    }
    if (m.content.empty() && m.toolCalls.empty()) {
        auto* none = new QLabel(tr("(no content)"), frame);
        none->setStyleSheet(QStringLiteral("color: #5f6368; font-style: italic;"));
        layout->addWidget(none);
    }
    return frame;
}

void ConversationView::setMessages(const std::vector<ChatMessage>& messages, const QString& from,
                                   const QString& empty) {
    // Rebuilt whole: a span has a handful of messages, and the blocks differ in shape.
    while (layout_->count() > 2) {
        QLayoutItem* item = layout_->takeAt(1);
        delete item->widget();
        delete item;
    }
    count_ = static_cast<int>(messages.size());
    const QString counted = count_ == 1 ? tr("1 message") : tr("%1 messages").arg(count_);
    source_->setText(messages.empty() ? empty : tr("%1, from %2").arg(counted, from));
    int at = 1;
    for (const ChatMessage& m : messages) {
        layout_->insertWidget(at++, messageBlock(m));
    }
    verticalScrollBar()->setValue(0);
}

}  // namespace ps
