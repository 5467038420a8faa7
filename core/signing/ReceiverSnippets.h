#pragma once

#include "signing/Scheme.h"

#include <QByteArrayView>
#include <QString>
#include <QStringList>

namespace hookline {

// A short receiver that verifies Hookline's deliveries, for a scheme and a
// header prefix, in the receiving team's language: written from the scheme's
// descriptor (headers, signed content, key, encoding), with the language's
// standard library where one exists (standardwebhooks, @octokit/webhooks-methods
// and stripe for Node). The secret is never in it: it reads WEBHOOK_SECRET.
class ReceiverSnippets final {
public:
    enum class Language { Node, Python, Php, Go, Java };

    ReceiverSnippets() = delete;

    static QList<Language> languages();
    static QString name(Language language);  // "node", "python", "php"
    static QString title(Language language); // "Node.js (Express)"
    static std::optional<Language> fromName(QStringView name);
    // `prefix` without its trailing '-' ("X-Webhook").
    static QString code(Scheme scheme, QByteArrayView prefix, Language language);
};

} // namespace hookline
