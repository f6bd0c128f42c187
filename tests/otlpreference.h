// An independent reading of OTLP/JSON Lines files with QJsonDocument, for checking the cold-data reader
// against: every span by its id with its resource and scope, and the message texts of tracegen's three
// vocabularies.
#pragma once

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <map>
#include <string>

namespace ps::testing {

// An independent reading of an OTLP JSON Lines file: span id -> (span object, resource attributes).
struct ReferenceSpan {
    QJsonObject span;
    QJsonArray resource;
    QJsonObject scope;
};

inline std::map<std::string, ReferenceSpan> readReference(const QString& path) {
    std::map<std::string, ReferenceSpan> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        return out;
    }
    while (!f.atEnd()) {
        const QJsonObject request = QJsonDocument::fromJson(f.readLine()).object();
        for (const QJsonValue rs : request[QStringLiteral("resourceSpans")].toArray()) {
            const QJsonArray resource =
                rs[QStringLiteral("resource")].toObject()[QStringLiteral("attributes")].toArray();
            for (const QJsonValue ss : rs[QStringLiteral("scopeSpans")].toArray()) {
                for (const QJsonValue span : ss[QStringLiteral("spans")].toArray()) {
                    out[span[QStringLiteral("spanId")].toString().toStdString()] = {
                        span.toObject(), resource, ss[QStringLiteral("scope")].toObject()};
                }
            }
        }
    }
    return out;
}

inline QString stringAttr(const QJsonArray& attributes, const QString& key) {
    for (const QJsonValue a : attributes) {
        if (a[QStringLiteral("key")].toString() == key) {
            return a[QStringLiteral("value")].toObject()[QStringLiteral("stringValue")].toString();
        }
    }
    return {};
}

// The message texts and tool names a span's attributes hold, in each of tracegen's three vocabularies.
inline void referenceMessages(const QJsonArray& attributes, QStringList* texts, QStringList* tools) {
    auto fromGenAi = [&](const QString& key) {
        const QJsonArray messages = QJsonDocument::fromJson(stringAttr(attributes, key).toUtf8()).array();
        for (const QJsonValue m : messages) {
            QStringList parts;
            for (const QJsonValue p : m[QStringLiteral("parts")].toArray()) {
                if (p[QStringLiteral("type")].toString() == QStringLiteral("text")) {
                    parts << p[QStringLiteral("content")].toString();
                } else if (p[QStringLiteral("type")].toString() == QStringLiteral("tool_call")) {
                    *tools << p[QStringLiteral("name")].toString();
                }
            }
            *texts << parts.join(QStringLiteral("\n\n"));
        }
    };
    fromGenAi(QStringLiteral("gen_ai.input.messages"));
    fromGenAi(QStringLiteral("gen_ai.output.messages"));
    const QString prefixes[][2] = {{QStringLiteral("gen_ai.prompt."), QString()},
                                   {QStringLiteral("gen_ai.completion."), QString()},
                                   {QStringLiteral("llm.input_messages."), QStringLiteral("message.")},
                                   {QStringLiteral("llm.output_messages."), QStringLiteral("message.")}};
    for (const auto& [prefix, step] : prefixes) {
        for (int n = 0;; ++n) {
            const QString base = prefix + QString::number(n) + QLatin1Char('.') + step;
            if (stringAttr(attributes, base + QStringLiteral("role")).isEmpty()) {
                break;
            }
            *texts << stringAttr(attributes, base + QStringLiteral("content"));
            const QString tool = stringAttr(
                attributes, base + (step.isEmpty() ? QStringLiteral("tool_calls.0.name")
                                                   : QStringLiteral("tool_calls.0.tool_call.function.name")));
            if (!tool.isEmpty()) {
                *tools << tool;
            }
        }
    }
}

}  // namespace ps::testing
